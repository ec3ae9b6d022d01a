/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vcb-json.h — JSON helpers over jansson, for the host side only (the
 * static guest binaries include vcb.h alone and never see jansson). */
#ifndef VCB_JSON_H
#define VCB_JSON_H

#include <jansson.h>

#include "vcb.h"

void vcb_json_decrefp(json_t **j);
#define cleanup_json __attribute__((cleanup(vcb_json_decrefp)))

json_t *vcb_json_load_file(const char *path, struct vcb_err *err);
json_t *vcb_json_load_str(const char *s, const char *what, struct vcb_err *err);
/* "an object", "a number", …: for "expected X, got Y" messages. */
const char *vcb_json_type_name(const json_t *j);
int vcb_json_dump_file_atomic(json_t *j, const char *path, struct vcb_err *err);

#endif
