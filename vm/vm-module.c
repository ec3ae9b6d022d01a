/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vm-module.c — find and load the VM backend's module, once. It sits at
 * <exe dir>/../lib/vcbench/ in the build tree and once installed alike, so
 * the vcbench binary and its module always come from the same build. */
#include <dlfcn.h>
#include <libgen.h>
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

/* $VCB_MODULE_DIR (tests: a test binary is not beside lib/vcbench), else
 * <exe dir>/../lib/vcbench. */
static void module_path(char *out, size_t len)
{
    const char *env = getenv("VCB_MODULE_DIR");
    if (env && *env) {
        snprintf(out, len, "%s/%s", env, VM_MODULE_FILE);
        return;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n <= 0) {
        snprintf(out, len, "/usr/local/lib/vcbench/%s", VM_MODULE_FILE);
        return;
    }
    exe[n] = '\0';
    snprintf(out, len, "%s/../lib/vcbench/%s", dirname(exe), VM_MODULE_FILE);
}

static void load(void)
{
    char path[PATH_MAX];
    module_path(path, sizeof(path));
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
