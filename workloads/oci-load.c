/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* oci-load.c — wl_oci_import through the importer's module, loaded the
 * first time an image is imported (oci-module.h says why). */
#include <dlfcn.h>
#include <limits.h>

#include "oci-module.h"

int wl_oci_import(const char *spec, uint64_t max_bytes, struct wl_oci_image *out,
                  struct vcb_err *err)
{
    static const struct wl_oci_module *mod;
    char path[PATH_MAX];
    if (!mod) {
        vcb_module_path(WL_OCI_MODULE_FILE, path, sizeof(path));
        /* RTLD_LOCAL: libarchive stays the module's; the module's calls
         * into vcbench's own functions bind to the executable's copies. */
        void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
        if (!h)
            return vcb_err_set(err, 0, "image %s: the importer's module: %s", spec, dlerror());
        const struct wl_oci_module *m = dlsym(h, WL_OCI_MODULE_SYMBOL);
        if (!m || m->abi != WL_OCI_MODULE_ABI) {
            dlclose(h);
            return vcb_err_set(err, 0, "image %s: %s: %s", spec, path,
                               m ? "built for another vcbench (ABI differs)"
                                 : "no " WL_OCI_MODULE_SYMBOL);
        }
        mod = m; /* kept for the life of the process */
    }
    return mod->import(spec, max_bytes, out, err);
}
