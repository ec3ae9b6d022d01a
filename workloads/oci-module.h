/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* oci-module.h — the importer is a module vcbench loads when an image is
 * imported: libarchive brings a dozen shared libraries (libxml2, ICU,
 * libstdc++ among them) whose loading would otherwise cost every vcbench
 * command a few milliseconds. ls and rm need none of it. */
#ifndef WL_OCI_MODULE_H
#define WL_OCI_MODULE_H

#include "wl-oci.h"

#define WL_OCI_MODULE_FILE   "vcbench-oci.so"
#define WL_OCI_MODULE_SYMBOL "vcb_oci_module"
#define WL_OCI_MODULE_ABI    1

struct wl_oci_module {
    int abi;
    int (*import)(const char *spec, uint64_t max_bytes, struct wl_oci_image *out,
                  struct vcb_err *err);
};

#endif
