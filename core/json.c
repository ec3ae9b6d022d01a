/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* json.c — jansson helpers whose errors name the file, the field and what
 * was expected. */
#include <errno.h>
#include <string.h>

#include "vcb-json.h"

void vcb_json_decrefp(json_t **j)
{
    json_decref(*j);
}

const char *vcb_json_type_name(const json_t *j)
{
    switch (json_typeof(j)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
    case JSON_REAL:
        return "a number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    default:
        return "null";
    }
}

json_t *vcb_json_load_file(const char *path, struct vcb_err *err)
{
    json_error_t je;
    json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!j) {
        if (!vcb_path_exists(path))
            vcb_err_sys(err, ENOENT, "%s", path);
        else
            vcb_err_usage(err, "%s:%d:%d: not valid JSON: %s", path, je.line, je.column, je.text);
    }
    return j;
}

json_t *vcb_json_load_str(const char *s, const char *what, struct vcb_err *err)
{
    json_error_t je;
    json_t *j = json_loads(s, JSON_REJECT_DUPLICATES, &je);
    if (!j)
        vcb_err_usage(err, "%s: not valid JSON: %s", what, je.text);
    return j;
}

/* Fetch key; a missing required key or a wrong type is a usage error. */
int vcb_json_dump_file_atomic(json_t *j, const char *path, struct vcb_err *err)
{
    cleanup_free char *text = json_dumps(j, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    if (!text)
        return vcb_err_set(err, ENOMEM, "write %s: cannot serialise JSON", path);
    size_t len = strlen(text);
    text[len] = '\0';
    cleanup_free char *with_nl = malloc(len + 2);
    if (!with_nl)
        return vcb_err_set(err, ENOMEM, "write %s", path);
    memcpy(with_nl, text, len);
    with_nl[len] = '\n';
    return vcb_write_file_atomic(path, with_nl, len + 1, err);
}
