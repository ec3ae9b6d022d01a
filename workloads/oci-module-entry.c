/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* oci-module-entry.c — the one symbol vcbench looks up in the importer's
 * module. */
#include "oci-module.h"
#include "wl-oci-priv.h"

__attribute__((visibility("default"))) const struct wl_oci_module vcb_oci_module = {
    .abi = WL_OCI_MODULE_ABI,
    .import = oci_import,
};
