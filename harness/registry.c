/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* registry.c — the backends, one line each: the only list of them. Every
 * other list (suite keys, --backends, --help, doctor, cleanup, host facts,
 * command-line options) is derived from this one. A backend this build
 * leaves out stays listed with its name and why, so a suite naming it gets
 * a DNF saying so instead of a parse error. A backend with heavy libraries
 * (the VM one: libvirt) is a module, loaded the first time its driver is
 * asked for; its name, kind and options are known without loading it. */
#include <pthread.h>
#include <string.h>

#include "harness.h"
#include "process.h"
#include "container.h"
#ifdef VCB_WITH_VM
#include "vm-module.h"
#endif

struct registry_line {
    const struct vcb_driver *drv; /* built in; NULL: a module or not built */
    /* A module: loads it (once) and returns its driver, or NULL with why. */
    const struct vcb_driver *(*load)(char *why, size_t len);
    const struct vcb_driver_opt *options; /* a module's options */
    /* Not built in: what name, kind and why (not built) say. */
    const char *name;
    enum vcb_arm_kind kind;
    const char *why;
};

static const struct registry_line registry[] = {
    {.drv = &process_driver},
    {.drv = &ct_driver},
#ifdef VCB_WITH_VM
    {.load = vm_driver_load, .options = vm_options, .name = "vm", .kind = VCB_ARM_VM},
#else
    {.name = "vm", .kind = VCB_ARM_VM, .why = "configured with VCB_WITH_VM=OFF"},
#endif
};
#define NREGISTRY (sizeof(registry) / sizeof(registry[0]))
_Static_assert(NREGISTRY <= BENCH_BACKEND_MAX, "raise BENCH_BACKEND_MAX");

/* What loading each module gave, once per process. */
static struct {
    pthread_mutex_t lock;
    bool tried[BENCH_BACKEND_MAX];
    const struct vcb_driver *drv[BENCH_BACKEND_MAX];
    char why[BENCH_BACKEND_MAX][512];
} modules = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* The lists derived from it, made once. */
static struct {
    const char *names[BENCH_BACKEND_MAX + 1]; /* NULL-terminated */
    char all[BENCH_BACKEND_MAX * 20];         /* "process, container, vm" */
    char built[BENCH_BACKEND_MAX * 20];       /* the same, built ones only */
    char commas[BENCH_BACKEND_MAX * 20];      /* "process,container,vm" */
} derived;
static pthread_once_t derived_once = PTHREAD_ONCE_INIT;

static void append(char *buf, size_t len, const char *sep, const char *name)
{
    size_t n = strlen(buf);
    snprintf(buf + n, len - n, "%s%s", n ? sep : "", name);
}

static void derive(void)
{
    for (size_t i = 0; i < NREGISTRY; i++) {
        const char *name = bench_backend_name(i);
        derived.names[i] = name;
        append(derived.all, sizeof derived.all, ", ", name);
        append(derived.commas, sizeof derived.commas, ",", name);
        if (registry[i].drv || registry[i].load)
            append(derived.built, sizeof derived.built, ", ", name);
    }
}

size_t bench_backend_count(void)
{
    return NREGISTRY;
}

const char *bench_backend_name(size_t i)
{
    if (i >= NREGISTRY)
        return NULL;
    return registry[i].drv ? registry[i].drv->name : registry[i].name;
}

enum vcb_arm_kind bench_backend_kind(size_t i)
{
    return registry[i].drv ? registry[i].drv->kind : registry[i].kind;
}

static const struct vcb_driver *module_driver(size_t i, bool load)
{
    pthread_mutex_lock(&modules.lock);
    if (load && !modules.tried[i]) {
        modules.drv[i] = registry[i].load(modules.why[i], sizeof(modules.why[i]));
        modules.tried[i] = true;
    }
    const struct vcb_driver *d = modules.drv[i];
    pthread_mutex_unlock(&modules.lock);
    return d;
}

const struct vcb_driver *bench_backend_driver(size_t i)
{
    if (i >= NREGISTRY)
        return NULL;
    return registry[i].load ? module_driver(i, true) : registry[i].drv;
}

const struct vcb_driver *bench_backend_peek(size_t i)
{
    if (i >= NREGISTRY)
        return NULL;
    return registry[i].load ? module_driver(i, false) : registry[i].drv;
}

const struct vcb_driver_opt *bench_backend_options(size_t i)
{
    if (i >= NREGISTRY)
        return NULL;
    return registry[i].drv ? registry[i].drv->options : registry[i].options;
}

const char *bench_backend_why(size_t i)
{
    if (i >= NREGISTRY || registry[i].drv)
        return "";
    if (registry[i].load)
        return module_driver(i, true) ? "" : modules.why[i];
    return registry[i].why;
}

const char *const *bench_backend_names(void)
{
    pthread_once(&derived_once, derive);
    return derived.names;
}

const char *bench_backend_list(bool commas)
{
    pthread_once(&derived_once, derive);
    return commas ? derived.commas : derived.all;
}

int bench_backend_index(const char *name)
{
    for (size_t i = 0; name && i < NREGISTRY; i++)
        if (strcmp(name, bench_backend_name(i)) == 0)
            return (int)i;
    return -1;
}

int bench_backend_of_kind(enum vcb_arm_kind kind)
{
    for (size_t i = 0; i < NREGISTRY; i++)
        if (bench_backend_kind(i) == kind)
            return (int)i;
    return -1;
}

struct bench_backend bench_backend_at(int i)
{
    struct bench_backend be = {.name = i >= 0 ? bench_backend_name((size_t)i) : NULL};
    if (!be.name) {
        be.name = "";
        snprintf(be.why, sizeof(be.why), "no such backend in this vcbench");
        return be;
    }
    be.drv = bench_backend_driver((size_t)i);
    if (!be.drv && registry[i].load)
        snprintf(be.why, sizeof(be.why), "backend '%s' is not available: %s", be.name,
                 bench_backend_why((size_t)i));
    else if (!be.drv)
        snprintf(be.why, sizeof(be.why),
                 "backend '%s' is not built into this vcbench (built: %s): %s", be.name,
                 bench_driver_names(), bench_backend_why((size_t)i));
    return be;
}

const struct vcb_driver *bench_driver_find(const char *name)
{
    int i = bench_backend_index(name);
    return i < 0 ? NULL : bench_backend_driver((size_t)i);
}

const char *bench_driver_names(void)
{
    pthread_once(&derived_once, derive);
    return derived.built;
}
