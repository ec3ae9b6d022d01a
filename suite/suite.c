/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* suite.c — load and strictly validate a suite file before anything starts.
 * The format is documented in suite/suites/README.md. */
#include <errno.h>
#include <libgen.h>
#include <string.h>

#include "suite-json.h"
#include "wl-image.h"

/* The registry's names: the keys and values a suite may use for backends. */
#define backend_choices bench_backend_known
static const char *const kind_names[] = {"boot", "memory", "density", "isolation", NULL};
static const char *const memory_choices[] = {"idle", "alloc", NULL};
static const char *const victim_choices[] = {"cpu", "membw", "lat", NULL};
static const char *const aggressor_choices[] = {"cpu", "membw", "memhog", "forkbomb", NULL};

const char *bench_scen_kind_name(enum bench_scen_kind k)
{
    return kind_names[k];
}

static int parse_boot(const struct sj *sj, json_t *o, const char *p, struct bench_scenario *sc)
{
    static const char *const keys[] = {"type",      "workload",    "warmup", "n", "max_n",
                                       "ci_target", "concurrency", "rounds", NULL};
    *sc = (struct bench_scenario){.kind = BENCH_BOOT,
                                  .n = 10,
                                  .warmup = 1,
                                  .ci_target = 0.05,
                                  .rounds = 1,
                                  .workload = "noop"};
    if (sj_keys(sj, o, p, keys) < 0 ||
        sj_choice(sj, o, p, "workload", "workload", (const char *const *)wl_workload_names,
                  sc->workload, sizeof(sc->workload)) < 0 ||
        sj_uint(sj, o, p, "warmup", 0, 100, &sc->warmup) < 0 ||
        sj_uint(sj, o, p, "n", 1, 100000, &sc->n) < 0 ||
        sj_uint(sj, o, p, "max_n", 1, 100000, &sc->max_n) < 0 ||
        sj_double(sj, o, p, "ci_target", 0.001, 10, &sc->ci_target) < 0 ||
        sj_uint_list(sj, o, p, "concurrency", 1, 256, sc->concurrency, BENCH_LIST_MAX,
                     &sc->nconcurrency) < 0 ||
        sj_uint(sj, o, p, "rounds", 1, 1000, &sc->rounds) < 0)
        return -1;
    return 0;
}

static int parse_memory(const struct sj *sj, json_t *o, const char *p, struct bench_scenario *sc)
{
    static const char *const keys[] = {"type", "workloads", "alloc", "n", "settle", NULL};
    *sc = (struct bench_scenario){.kind = BENCH_MEMORY,
                                  .n = 3,
                                  .alloc_bytes = 64ULL << 20,
                                  .settle_ns = 500 * VCB_NS_PER_MS,
                                  .nworkloads = 2,
                                  .workloads = {"idle", "alloc"}};
    if (sj_keys(sj, o, p, keys) < 0 ||
        sj_choice_list(sj, o, p, "workloads", "workload", memory_choices, sc->workloads, 2,
                       &sc->nworkloads) < 0 ||
        sj_size(sj, o, p, "alloc", &sc->alloc_bytes) < 0 ||
        sj_uint(sj, o, p, "n", 1, 10000, &sc->n) < 0 ||
        sj_duration(sj, o, p, "settle", &sc->settle_ns) < 0)
        return -1;
    if (json_object_get(o, "alloc") && sc->alloc_bytes == 0) {
        char path[256];
        sj_path(path, sizeof(path), p, "alloc");
        return sj_bad(sj, path, "expected a size above 0 (e.g. \"64MiB\")");
    }
    return 0;
}

/* instances_max: one cap for every backend, or {"process": 32, "vm": 4};
 * a backend the object leaves out gets its smallest cap. */
static int parse_density_caps(const struct sj *sj, json_t *o, const char *p,
                              struct bench_scenario *sc)
{
    char path[256];
    json_t *caps = json_object_get(o, "instances_max");
    sj_path(path, sizeof(path), p, "instances_max");
    if (!caps)
        return sj_bad(sj, path, "missing (expected an integer from 1 to 4096, or one per backend)");
    unsigned all = 0, min = 4096;
    if (!json_is_object(caps)) {
        if (sj_uint(sj, o, p, "instances_max", 1, 4096, &all) < 0)
            return -1;
        min = all;
    } else if (sj_keys(sj, caps, path, backend_choices) < 0 || json_object_size(caps) == 0) {
        return json_object_size(caps) ? -1 : sj_bad(sj, path, "expected at least one backend");
    }
    for (size_t b = 0; all == 0 && b < bench_backend_count(); b++) {
        if (sj_uint(sj, caps, path, bench_backend_known[b], 1, 4096, &sc->instances_cap[b]) < 0)
            return -1;
        if (sc->instances_cap[b])
            min = sc->instances_cap[b] < min ? sc->instances_cap[b] : min;
    }
    for (int b = 0; b < BENCH_BACKEND_MAX; b++) {
        if (!sc->instances_cap[b])
            sc->instances_cap[b] = all ? all : min;
        if (sc->instances_cap[b] > sc->instances_max)
            sc->instances_max = sc->instances_cap[b];
    }
    return 0;
}

static int parse_density(const struct sj *sj, json_t *o, const char *p, struct bench_scenario *sc)
{
    static const char *const keys[] = {"type", "instances_max", "step", "floor", "settle", "n",
                                       NULL};
    *sc = (struct bench_scenario){.kind = BENCH_DENSITY,
                                  .n = 1,
                                  .step = 1,
                                  .floor_bytes = 1ULL << 30,
                                  .settle_ns = 300 * VCB_NS_PER_MS};
    if (sj_keys(sj, o, p, keys) < 0 || parse_density_caps(sj, o, p, sc) < 0 ||
        sj_uint(sj, o, p, "step", 1, 256, &sc->step) < 0 ||
        sj_size(sj, o, p, "floor", &sc->floor_bytes) < 0 ||
        sj_duration(sj, o, p, "settle", &sc->settle_ns) < 0 ||
        sj_uint(sj, o, p, "n", 1, 100, &sc->n) < 0)
        return -1;
    return 0;
}

static int parse_isolation(const struct sj *sj, json_t *o, const char *p, struct bench_scenario *sc)
{
    static const char *const keys[] = {"type",  "victims",   "aggressors", "n",
                                       "max_n", "ci_target", "duration",   NULL};
    *sc = (struct bench_scenario){.kind = BENCH_ISOLATION,
                                  .n = 3,
                                  .ci_target = 0.1,
                                  .duration_ns = 2 * VCB_NS_PER_S,
                                  .nvictims = 1,
                                  .victims = {"cpu"}};
    const char *need[] = {"victims", "aggressors"};
    for (size_t i = 0; i < 2; i++) {
        char path[256];
        sj_path(path, sizeof(path), p, need[i]);
        if (!json_object_get(o, need[i]))
            return sj_bad(sj, path, "missing (expected an array of workload names)");
    }
    if (sj_keys(sj, o, p, keys) < 0 ||
        sj_choice_list(sj, o, p, "victims", "victim", victim_choices, sc->victims, BENCH_LIST_MAX,
                       &sc->nvictims) < 0 ||
        sj_choice_list(sj, o, p, "aggressors", "aggressor", aggressor_choices, sc->aggressors,
                       BENCH_LIST_MAX, &sc->naggressors) < 0 ||
        sj_uint(sj, o, p, "n", 1, 10000, &sc->n) < 0 ||
        sj_uint(sj, o, p, "max_n", 1, 10000, &sc->max_n) < 0 ||
        sj_double(sj, o, p, "ci_target", 0.001, 10, &sc->ci_target) < 0 ||
        sj_duration(sj, o, p, "duration", &sc->duration_ns) < 0)
        return -1;
    return 0;
}

static int parse_scenario(const struct sj *sj, json_t *o, size_t idx, struct bench_scenario *sc)
{
    char p[64], tp[80], type[16] = "";
    snprintf(p, sizeof(p), "scenarios[%zu]", idx);
    snprintf(tp, sizeof(tp), "%s.type", p);
    if (sj_object(sj, o, p) < 0)
        return -1;
    if (!json_object_get(o, "type"))
        return sj_bad(sj, tp, "missing (expected one of: boot, memory, density, isolation)");
    if (sj_choice(sj, o, p, "type", "scenario type", kind_names, type, sizeof(type)) < 0)
        return -1;
    int (*const parse[])(const struct sj *, json_t *, const char *, struct bench_scenario *) = {
        parse_boot, parse_memory, parse_density, parse_isolation};
    for (size_t k = 0; k < 4; k++)
        if (strcmp(type, kind_names[k]) == 0 && parse[k](sj, o, p, sc) < 0)
            return -1;
    if (sc->max_n == 0)
        sc->max_n = sc->n;
    if (sc->max_n < sc->n)
        return sj_bad(sj, p, "max_n (%u) must be at least n (%u)", sc->max_n, sc->n);
    return 0;
}

/* "FILE: limits.container.memory" when the suite gives key, else NULL. */
static const char *limit_what(const struct sj *sj, json_t *o, const char *p, const char *key,
                              char *buf, size_t len)
{
    if (!json_object_get(o, key))
        return NULL;
    snprintf(buf, len, "%s: %s.%s", sj->file, p, key);
    return buf;
}

/* A limit the suite gives passes the same rule as its option (core/limits.c). */
static int check_limits_given(const struct sj *sj, json_t *o, const char *p,
                              const struct vcb_limits *l, double pids)
{
    char buf[PATH_MAX + 320];
    const char *w;
    if ((w = limit_what(sj, o, p, "cpus", buf, sizeof(buf))) &&
        vcb_limit_check_cpus(l->cpus, w, sj->err) < 0)
        return -1;
    if ((w = limit_what(sj, o, p, "memory", buf, sizeof(buf))) &&
        vcb_limit_check_memory(l->memory_bytes, w, sj->err) < 0)
        return -1;
    if ((w = limit_what(sj, o, p, "pids", buf, sizeof(buf))) &&
        vcb_limit_check_pids(pids, w, sj->err) < 0)
        return -1;
    if ((w = limit_what(sj, o, p, "cpuset", buf, sizeof(buf))) &&
        vcb_limit_check_cpuset(l->cpuset, w, sj->err) < 0)
        return -1;
    return 0;
}

static int parse_limits_one(const struct sj *sj, json_t *o, const char *p, struct vcb_limits *l)
{
    static const char *const keys[] = {"cpus", "memory", "pids", "cpuset", NULL};
    double pids = 0;
    if (sj_object(sj, o, p) < 0 || sj_keys(sj, o, p, keys) < 0 ||
        sj_number(sj, o, p, "cpus", false, &l->cpus) < 0 ||
        sj_size(sj, o, p, "memory", &l->memory_bytes) < 0 ||
        sj_number(sj, o, p, "pids", true, &pids) < 0)
        return -1;
    json_t *cs = json_object_get(o, "cpuset");
    if (cs && (!json_is_string(cs) || strlen(json_string_value(cs)) >= sizeof(l->cpuset))) {
        char path[256];
        sj_path(path, sizeof(path), p, "cpuset");
        return sj_bad(sj, path, "expected a cpu list like \"0-1\"");
    }
    if (cs)
        snprintf(l->cpuset, sizeof(l->cpuset), "%s", json_string_value(cs));
    if (check_limits_given(sj, o, p, l, pids) < 0)
        return -1;
    l->pids = (uint64_t)pids;
    return 0;
}

static int parse_limits(const struct sj *sj, json_t *o, struct bench_suite *s)
{
    const char *key;
    json_t *val;
    if (sj_object(sj, o, "limits") < 0 || sj_keys(sj, o, "limits", backend_choices) < 0)
        return -1;
    json_object_foreach(o, key, val)
    {
        char p[64];
        snprintf(p, sizeof(p), "limits.%s", key);
        if (bench_backend_kind((size_t)bench_backend_index(key)) == VCB_ARM_CONTROL)
            return sj_bad(sj, p,
                          "the %s backend is the unlimited control and applies "
                          "no limits; remove it",
                          key);
        if (parse_limits_one(sj, val, p, &s->limits[bench_backend_index(key)]) < 0)
            return -1;
    }
    return 0;
}

static int parse_backends(const struct sj *sj, json_t *top, struct bench_suite *s)
{
    char list[BENCH_BACKEND_MAX][BENCH_WORKLOAD_MAX];
    size_t n = 0;
    json_t *b = json_object_get(top, "backends");
    if (b && sj_choice_list(sj, top, "", "backends", "backend", backend_choices, list,
                            BENCH_BACKEND_MAX, &n) < 0)
        return -1;
    if (!b) { /* every backend, in the canonical order */
        for (n = 0; n < bench_backend_count(); n++)
            snprintf(list[n], sizeof(list[n]), "%s", bench_backend_known[n]);
    }
    for (size_t i = 0; i < n; i++)
        snprintf(s->backends[i], sizeof(s->backends[i]), "%s", list[i]);
    s->nbackends = n;
    return 0;
}

static int parse_top(const struct sj *sj, json_t *doc, struct bench_suite *s)
{
    static const char *const keys[] = {"name", "description", "backends",  "limits", "timeouts",
                                       "seed", "log_max",     "scenarios", NULL};
    static const char *const tkeys[] = {"ready", "exit", NULL};
    json_t *name = json_object_get(doc, "name"), *t = json_object_get(doc, "timeouts");
    if (sj_object(sj, doc, "(top level)") < 0 || sj_keys(sj, doc, "", keys) < 0)
        return -1;
    if (!json_is_string(name) || !json_string_length(name) ||
        json_string_length(name) >= sizeof(s->name))
        return sj_bad(sj, "name", "expected a string of 1 to %zu characters", sizeof(s->name) - 1);
    snprintf(s->name, sizeof(s->name), "%s", json_string_value(name));
    json_t *d = json_object_get(doc, "description");
    if (d && !json_is_string(d))
        return sj_bad(sj, "description", "expected a string");
    if (parse_backends(sj, doc, s) < 0)
        return -1;
    if (json_object_get(doc, "limits") && parse_limits(sj, json_object_get(doc, "limits"), s) < 0)
        return -1;
    if (t && (sj_object(sj, t, "timeouts") < 0 || sj_keys(sj, t, "timeouts", tkeys) < 0 ||
              sj_duration(sj, t, "timeouts", "ready", &s->ready_timeout_ns) < 0 ||
              sj_duration(sj, t, "timeouts", "exit", &s->exit_timeout_ns) < 0))
        return -1;
    char what[PATH_MAX + 16];
    snprintf(what, sizeof(what), "%s: log_max", sj->file);
    if (json_object_get(doc, "log_max") && (sj_size(sj, doc, "", "log_max", &s->log_max) < 0 ||
                                            vcb_logcap_check(s->log_max, what, sj->err) < 0))
        return -1;
    s->has_seed = json_object_get(doc, "seed") != NULL;
    return sj_uint(sj, doc, "", "seed", 0, UINT_MAX, &s->seed);
}

int bench_suite_parse(json_t *doc, const char *file, struct bench_suite *s, struct vcb_err *err)
{
    struct sj sj = {.file = file, .err = err};
    struct bench_suite tmp = {.ready_timeout_ns = 120 * VCB_NS_PER_S,
                              .exit_timeout_ns = 30 * VCB_NS_PER_S};
    snprintf(tmp.file, sizeof(tmp.file), "%s", file);
    if (parse_top(&sj, doc, &tmp) < 0)
        return -1;
    json_t *arr = json_object_get(doc, "scenarios"), *o;
    if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > 64)
        return sj_bad(&sj, "scenarios", "expected an array of 1 to 64 scenario objects");
    cleanup_free struct bench_scenario *scen = calloc(json_array_size(arr), sizeof(*scen));
    if (!scen)
        return vcb_err_sys(err, ENOMEM, "%s: scenarios", file);
    size_t i;
    json_array_foreach(arr, i, o)
    {
        if (parse_scenario(&sj, o, i, &scen[i]) < 0)
            return -1;
    }
    tmp.nscen = json_array_size(arr);
    tmp.scen = steal_pointer(&scen);
    tmp.json = json_incref(doc);
    *s = tmp;
    return 0;
}

int bench_suite_load(const char *path, struct bench_suite *s, struct vcb_err *err)
{
    json_error_t jerr;
    cleanup_json json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!doc) {
        if (!vcb_path_exists(path))
            return vcb_err_usage(err, "%s: no such suite file", path);
        return vcb_err_usage(err, "%s: line %d column %d: not valid JSON: %s", path, jerr.line,
                             jerr.column, jerr.text);
    }
    return bench_suite_parse(doc, path, s, err);
}

void bench_suite_free(struct bench_suite *s)
{
    free(s->scen);
    json_decref(s->json);
    memset(s, 0, sizeof(*s));
}

/* Where the named suites live: $VCB_SUITE_DIR, next to an installed binary
 * (../share/vcsuite/suites), or this source tree's suite/suites. */
static int suite_dirs(char dirs[3][PATH_MAX])
{
    int n = 0;
    const char *env = getenv("VCB_SUITE_DIR");
    if (env && env[0])
        snprintf(dirs[n++], PATH_MAX, "%s", env);
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (len > 0) {
        exe[len] = 0;
        snprintf(dirs[n++], PATH_MAX, "%s/../share/vcsuite/suites", dirname(exe));
    }
    char src[PATH_MAX];
    snprintf(src, sizeof(src), "%s", __FILE__);
    snprintf(dirs[n++], PATH_MAX, "%s/suites", dirname(src));
    return n;
}

int bench_suite_resolve(const char *name_or_file, char *path, size_t len, struct vcb_err *err)
{
    if (strchr(name_or_file, '/') || strstr(name_or_file, ".json")) {
        snprintf(path, len, "%s", name_or_file);
        return 0;
    }
    char dirs[3][PATH_MAX];
    int n = suite_dirs(dirs);
    for (int i = 0; i < n; i++) {
        snprintf(path, len, "%s/%s.json", dirs[i], name_or_file);
        if (vcb_path_exists(path))
            return 0;
    }
    return vcb_err_usage(err,
                         "--suite: no suite named '%s' (expected quick, default, full or a "
                         "FILE.json; looked in %s)",
                         name_or_file, dirs[n - 1]);
}
