/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* registry.c — the backends, one line each: the only list of them. Every
 * other list (suite keys, --backends, --help, doctor, cleanup, host facts,
 * command-line options) is derived from this one. A backend this build
 * leaves out stays listed with its name and why, so a suite naming it gets
 * a DNF saying so instead of a parse error. A backend with heavy libraries
 * (the VM one: libvirt) is a module, loaded the first time its driver is
 * asked for; its name, kind and options are known without loading it.
 *
 * A family line stands for many backends, "oci:RUNTIME": the first use of
 * a member's name ("oci:crun") claims one of a few slots after the lines
 * (the same name, the same slot), whose driver is the family's, named so.
 * The family line itself is listed ("oci:RUNTIME") and keeps what concerns
 * every member (doctor, cleanup); it is never an arm. */
#include <pthread.h>
#include <string.h>

#include "harness.h"
#include "process.h"
#include "container.h"
#include "oci.h"
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
    /* A family: whether what follows "<name>:" names a member, and the
     * host facts of a member a run uses. */
    bool (*member_ok)(const char *member);
    void (*member_facts)(const char *backend, const struct vcb_backend_opts *opts, json_t *host);
};

static const struct registry_line registry[] = {
    {.drv = &process_driver},
    {.drv = &ct_driver},
#ifdef VCB_WITH_VM
    {.load = vm_driver_load, .options = vm_options, .name = "vm", .kind = VCB_ARM_VM},
#else
    {.name = "vm", .kind = VCB_ARM_VM, .why = "configured with VCB_WITH_VM=OFF"},
#endif
    {.drv = &oci_driver, .member_ok = oci_member_ok, .member_facts = oci_member_facts},
};
#define NREGISTRY (sizeof(registry) / sizeof(registry[0]))
/* Members of families one process may name at once. */
#define NSLOTS 4
_Static_assert(NREGISTRY + NSLOTS <= BENCH_BACKEND_MAX, "raise BENCH_BACKEND_MAX");

/* The members named so far: index NREGISTRY + k is slots.one[k]. */
static struct {
    pthread_mutex_t lock;
    size_t n;
    struct {
        size_t line; /* its family's */
        char name[128];
        struct vcb_driver drv; /* the family's, named after the member */
    } one[NSLOTS];
} slots = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* What loading each module gave, once per process. */
static struct {
    pthread_mutex_t lock;
    bool tried[BENCH_BACKEND_MAX];
    const struct vcb_driver *drv[BENCH_BACKEND_MAX];
    char why[BENCH_BACKEND_MAX][512];
} modules = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* The lists derived from it, made once; names again at each new member. */
static struct {
    const char *names[BENCH_BACKEND_MAX + 1]; /* NULL-terminated, members included */
    char family[NREGISTRY][32];               /* "oci:RUNTIME" */
    char all[BENCH_BACKEND_MAX * 20];         /* "process, container, vm, oci:RUNTIME" */
    char built[BENCH_BACKEND_MAX * 20];       /* the same, built ones only */
    char commas[BENCH_BACKEND_MAX * 20];      /* "process,container,vm,oci:RUNTIME" */
} derived;
static pthread_once_t derived_once = PTHREAD_ONCE_INIT;

static bool is_family(size_t i)
{
    return i < NREGISTRY && registry[i].member_ok;
}

static bool is_member(size_t i)
{
    return i >= NREGISTRY && i < NREGISTRY + NSLOTS;
}

static void append(char *buf, size_t len, const char *sep, const char *name)
{
    size_t n = strlen(buf);
    snprintf(buf + n, len - n, "%s%s", n ? sep : "", name);
}

static const char *line_name(size_t i)
{
    return registry[i].drv ? registry[i].drv->name : registry[i].name;
}

/* A line's name as lists show it ("oci:RUNTIME" for a family). */
static const char *listed_name(size_t i)
{
    return is_family(i) ? derived.family[i] : line_name(i);
}

/* Every backend's name, members included (under slots.lock). */
static void derive_names(void)
{
    for (size_t i = 0; i < NREGISTRY + slots.n; i++)
        derived.names[i] = i < NREGISTRY ? listed_name(i) : slots.one[i - NREGISTRY].name;
    derived.names[NREGISTRY + slots.n] = NULL;
}

static void derive(void)
{
    for (size_t i = 0; i < NREGISTRY; i++)
        if (is_family(i))
            snprintf(derived.family[i], sizeof(derived.family[i]), "%s:RUNTIME", line_name(i));
    pthread_mutex_lock(&slots.lock);
    derive_names();
    pthread_mutex_unlock(&slots.lock);
    for (size_t i = 0; i < NREGISTRY; i++) {
        const char *name = listed_name(i);
        append(derived.all, sizeof derived.all, ", ", name);
        append(derived.commas, sizeof derived.commas, ",", name);
        if (registry[i].drv || registry[i].load)
            append(derived.built, sizeof derived.built, ", ", name);
    }
}

size_t bench_backend_count(void)
{
    pthread_mutex_lock(&slots.lock);
    size_t n = NREGISTRY + slots.n;
    pthread_mutex_unlock(&slots.lock);
    return n;
}

const char *bench_backend_name(size_t i)
{
    if (is_member(i))
        return i - NREGISTRY < bench_backend_count() - NREGISTRY ? slots.one[i - NREGISTRY].name
                                                                 : NULL;
    if (i >= NREGISTRY)
        return NULL;
    if (is_family(i)) {
        pthread_once(&derived_once, derive);
        return derived.family[i];
    }
    return line_name(i);
}

bool bench_backend_fixed(size_t i)
{
    return i < NREGISTRY && !is_family(i);
}

enum vcb_arm_kind bench_backend_kind(size_t i)
{
    if (is_member(i))
        i = slots.one[i - NREGISTRY].line;
    return registry[i].drv ? registry[i].drv->kind : registry[i].kind;
}

/* A member's slot: the one of that name, or a new one. -1: not a member's
 * name (or every slot taken). */
static int member_index(const char *name)
{
    const char *colon = strchr(name, ':');
    int found = -1;
    if (!colon)
        return -1;
    pthread_mutex_lock(&slots.lock);
    for (size_t k = 0; k < slots.n && found < 0; k++)
        if (strcmp(slots.one[k].name, name) == 0)
            found = (int)(NREGISTRY + k);
    for (size_t i = 0; i < NREGISTRY && found < 0; i++) {
        size_t len = strlen(line_name(i));
        if (!is_family(i) || (size_t)(colon - name) != len || strncmp(name, line_name(i), len) ||
            !registry[i].member_ok(colon + 1) || strlen(name) >= sizeof(slots.one[0].name) ||
            slots.n == NSLOTS)
            continue;
        size_t k = slots.n;
        slots.one[k].line = i;
        snprintf(slots.one[k].name, sizeof(slots.one[k].name), "%s", name);
        slots.one[k].drv = *registry[i].drv;
        slots.one[k].drv.name = slots.one[k].name;
        slots.one[k].drv.doctor = NULL; /* the family's line does these for all */
        slots.one[k].drv.cleanup = NULL;
        slots.n++;
        found = (int)(NREGISTRY + k);
        if (derived.names[0]) /* derived already: add the member */
            derive_names();
    }
    pthread_mutex_unlock(&slots.lock);
    return found;
}

void bench_backend_member_facts(size_t i, const struct vcb_backend_opts *opts, json_t *host)
{
    if (is_member(i) && i < bench_backend_count())
        registry[slots.one[i - NREGISTRY].line].member_facts(slots.one[i - NREGISTRY].name, opts,
                                                             host);
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
    if (is_member(i))
        return bench_backend_name(i) ? &slots.one[i - NREGISTRY].drv : NULL;
    if (i >= NREGISTRY)
        return NULL;
    return registry[i].load ? module_driver(i, true) : registry[i].drv;
}

const struct vcb_driver *bench_backend_peek(size_t i)
{
    if (is_member(i))
        return bench_backend_driver(i);
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
        if (!is_family(i) && strcmp(name, bench_backend_name(i)) == 0)
            return (int)i;
    return name ? member_index(name) : -1;
}

int bench_backend_of_kind(enum vcb_arm_kind kind)
{
    for (size_t i = 0; i < NREGISTRY; i++)
        if (!is_family(i) && bench_backend_kind(i) == kind)
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
    if (!be.drv && i < (int)NREGISTRY && registry[i].load)
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

void bench_backend_claim(json_t *j)
{
    const char *key;
    json_t *v;
    size_t i;
    if (json_is_array(j)) {
        json_array_foreach(j, i, v)
        {
            if (json_is_string(v))
                (void)bench_backend_index(json_string_value(v));
        }
    }
    if (json_is_object(j)) {
        json_object_foreach(j, key, v)
        {
            (void)bench_backend_index(key);
        }
    }
}
