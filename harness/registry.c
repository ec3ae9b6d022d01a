/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* registry.c — the backends, one line each: the only list of them. Every
 * other list (suite keys, --backends, --help, doctor, cleanup, host facts,
 * command-line options) is derived from this one. A backend this build
 * leaves out stays listed with its name and why, so a suite naming it gets
 * a DNF saying so instead of a parse error. */
#include <pthread.h>
#include <string.h>

#include "harness.h"
#include "process.h"
#include "container.h"
#ifdef VCB_WITH_VM
#include "vm.h"
#endif

struct registry_line {
    const struct vcb_driver *drv; /* NULL: not built; then name, kind and why say what */
    const char *name;
    enum vcb_arm_kind kind;
    const char *why;
};

static const struct registry_line registry[] = {
    {.drv = &process_driver},
    {.drv = &ct_driver},
#ifdef VCB_WITH_VM
    {.drv = &vm_driver},
#else
    {.name = "vm", .kind = VCB_ARM_VM, .why = "configured with VCB_WITH_VM=OFF"},
#endif
};
#define NREGISTRY (sizeof(registry) / sizeof(registry[0]))
_Static_assert(NREGISTRY <= BENCH_BACKEND_MAX, "raise BENCH_BACKEND_MAX");

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
        if (registry[i].drv)
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

const struct vcb_driver *bench_backend_driver(size_t i)
{
    return i < NREGISTRY ? registry[i].drv : NULL;
}

const char *bench_backend_why(size_t i)
{
    return i < NREGISTRY && !registry[i].drv ? registry[i].why : "";
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
    if (!be.drv)
        snprintf(be.why, sizeof(be.why),
                 "backend '%s' is not built into this vcbench (built: %s): %s", be.name,
                 bench_driver_names(), bench_backend_why((size_t)i));
    return be;
}

const struct vcb_driver *bench_driver_find(const char *name)
{
    int i = bench_backend_index(name);
    return i < 0 ? NULL : registry[i].drv;
}

const char *bench_driver_names(void)
{
    pthread_once(&derived_once, derive);
    return derived.built;
}
