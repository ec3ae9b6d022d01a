/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vm-module.c — find and load the VM backend's module, once. It sits at
 * <exe dir>/../lib/vcbench/ in the build tree and once installed alike, so
 * the vcbench binary and its module always come from the same build. */
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vm-module.h"

static struct {
    const struct vm_module *mod;
    char why[PATH_MAX + 256];
} loaded;
static pthread_once_t load_once = PTHREAD_ONCE_INIT;

/* Where core's vcb_module_path says: $VCB_MODULE_DIR (tests: a test binary
 * is not beside lib/vcbench), else <exe dir>/../lib/vcbench. */
static void load(void)
{
    char path[PATH_MAX];
    vcb_module_path(VM_MODULE_FILE, path, sizeof(path));
    /* RTLD_LOCAL: libvirt's symbols stay the module's; the module finds
     * vcbench's own (core) functions in the executable, which exports them. */
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        snprintf(loaded.why, sizeof(loaded.why), "VM module not loaded: %s", dlerror());
        return;
    }
    const struct vm_module *m = dlsym(h, VM_MODULE_SYMBOL);
    if (!m || m->abi != VM_MODULE_ABI) {
        snprintf(loaded.why, sizeof(loaded.why), "VM module %s: %s", path,
                 m ? "built for another vcbench (ABI differs)" : "no " VM_MODULE_SYMBOL);
        dlclose(h);
        return;
    }
    loaded.mod = m; /* never closed: libvirt's event thread lives in it */
}

const struct vm_module *vm_module_load(char *why, size_t len)
{
    pthread_once(&load_once, load);
    if (!loaded.mod && why)
        snprintf(why, len, "%s", loaded.why);
    return loaded.mod;
}

const struct vcb_driver *vm_driver_load(char *why, size_t len)
{
    const struct vm_module *m = vm_module_load(why, len);
    return m ? m->driver : NULL;
}
