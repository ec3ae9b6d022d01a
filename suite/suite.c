/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* suite.c — load and strictly validate a suite file before anything starts.
 * The format is documented in suite/suites/README.md. */
#include <errno.h>
#include <libgen.h>
#include <string.h>

#include "scenario.h"
#include "vcb-tool.h"
#include "wl-image.h"

/* The scenario object's own fields are its scenario's to read (ops->parse). */
static int parse_scenario(const struct sj *sj, json_t *o, size_t idx, struct bench_scenario *sc)
{
    const char *names[64] = {0};
    char p[64], tp[80], type[16] = "";
    for (size_t k = 0; bench_scenarios[k] && k + 1 < sizeof(names) / sizeof(names[0]); k++)
        names[k] = bench_scenarios[k]->name;
    snprintf(p, sizeof(p), "scenarios[%zu]", idx);
    snprintf(tp, sizeof(tp), "%s.type", p);
    if (sj_object(sj, o, p) < 0)
        return -1;
    if (!json_object_get(o, "type"))
        return sj_bad(sj, tp, "missing (expected one of: %s)", bench_scenario_names());
    if (sj_choice(sj, o, p, "type", "scenario type", names, type, sizeof(type)) < 0)
        return -1;
    sc->ops = bench_scenario_find(type);
    return sc->ops->parse(sj, o, p, &sc->params);
}

static int parse_limits(const struct sj *sj, json_t *o, struct bench_suite *s)
{
    return sj_limits_by_backend(sj, o, "limits", s->limits, NULL);
}

static int parse_backends(const struct sj *sj, json_t *top, struct bench_suite *s)
{
    char list[BENCH_BACKEND_MAX][BENCH_WORKLOAD_MAX];
    size_t n = 0;
    json_t *b = json_object_get(top, "backends");
    bench_backend_claim(b);
    if (b && sj_choice_list(sj, top, "", "backends", "backend", bench_backend_names(), list,
                            BENCH_BACKEND_MAX, &n) < 0)
        return -1;
    if (!b) { /* every backend, in the canonical order (not a family's members) */
        for (size_t i = 0; i < bench_backend_count(); i++)
            if (bench_backend_fixed(i))
                snprintf(list[n++], sizeof(list[0]), "%s", bench_backend_name(i));
    }
    for (size_t i = 0; i < n; i++)
        snprintf(s->backends[i], sizeof(s->backends[i]), "%s", list[i]);
    s->nbackends = n;
    return 0;
}

/* "net": the containers' path for netio and netflood, as --net says it. */
static int parse_net(const struct sj *sj, json_t *doc, struct bench_suite *s)
{
    json_t *n = json_object_get(doc, "net");
    const char *v = json_string_value(n);
    if (!n)
        return 0;
    if (!v || (strcmp(v, "bridge") && strcmp(v, "user")))
        return sj_bad(sj, "net", "expected \"bridge\" or \"user\"");
    s->ct_net = strcmp(v, "user") ? VCB_NET_BRIDGE : VCB_NET_USER;
    if (s->ct_net == VCB_NET_USER && !vcb_tool_in_path("pasta"))
        return sj_bad(sj, "net",
                      "\"user\" needs pasta, which is not in PATH (apt-get install "
                      "passt)");
    return 0;
}

/* "scratch": {"size": SIZE, "dir": DIR}, the volume of each disk workload's
 * instance (default 256MiB under BENCH_SCRATCH_DIR_DEFAULT); the host's
 * side (the directory writable, the space free) is the runner's to check. */
static int parse_scratch(const struct sj *sj, json_t *o, struct bench_suite *s)
{
    static const char *const keys[] = {"size", "dir", NULL};
    json_t *dir = json_object_get(o, "dir");
    s->scratch.bytes = BENCH_SCRATCH_DEFAULT;
    if (!o)
        return 0;
    if (sj_object(sj, o, "scratch") < 0 || sj_keys(sj, o, "scratch", keys) < 0 ||
        sj_size(sj, o, "scratch", "size", &s->scratch.bytes) < 0)
        return -1;
    if (s->scratch.bytes < BENCH_SCRATCH_MIN || s->scratch.bytes > BENCH_SCRATCH_MAX ||
        s->scratch.bytes % 4096)
        return sj_bad(sj, "scratch.size", "expected a multiple of 4KiB from 4MiB to 1TiB");
    if (dir && (!json_is_string(dir) || json_string_value(dir)[0] != '/' ||
                json_string_length(dir) >= sizeof(s->scratch_dir)))
        return sj_bad(sj, "scratch.dir", "expected an absolute directory path");
    if (dir)
        snprintf(s->scratch_dir, sizeof(s->scratch_dir), "%s", json_string_value(dir));
    return 0;
}

static int parse_top(const struct sj *sj, json_t *doc, struct bench_suite *s)
{
    static const char *const keys[] = {"name",      "description", "backends", "limits",
                                       "timeouts",  "seed",        "log_max",  "workloads",
                                       "scenarios", "net",         "scratch",  NULL};
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
    if (parse_net(sj, doc, s) < 0 || parse_scratch(sj, json_object_get(doc, "scratch"), s) < 0)
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
    /* Every failure frees tmp whole: its own workloads may already be parsed. */
    if (parse_top(&sj, doc, &tmp) < 0 || bench_suite_parse_own(&sj, doc, &tmp) < 0)
        goto fail;
    sj.own = tmp.own_names;
    sj.suite = &tmp; /* its own workloads live on the heap: still there once *s = tmp */
    json_t *arr = json_object_get(doc, "scenarios"), *o;
    if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > 64) {
        sj_bad(&sj, "scenarios", "expected an array of 1 to 64 scenario objects");
        goto fail;
    }
    if (!(tmp.scen = calloc(json_array_size(arr), sizeof(*tmp.scen)))) {
        vcb_err_sys(err, ENOMEM, "%s: scenarios", file);
        goto fail;
    }
    size_t i;
    json_array_foreach(arr, i, o)
    {
        if (parse_scenario(&sj, o, i, &tmp.scen[tmp.nscen]) < 0)
            goto fail;
        tmp.nscen++;
    }
    tmp.json = json_incref(doc);
    *s = tmp;
    return 0;
fail:
    bench_suite_free(&tmp);
    return -1;
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
    for (size_t i = 0; i < s->nscen; i++)
        s->scen[i].ops->free(s->scen[i].params);
    free(s->scen);
    bench_suite_free_own(s);
    json_decref(s->json);
    memset(s, 0, sizeof(*s));
}

/* Where the named suites live: $VCB_SUITE_DIR, next to an installed binary
 * (../share/vcbench/suites), or this source tree's suite/suites. */
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
        snprintf(dirs[n++], PATH_MAX, "%s/../share/vcbench/suites", dirname(exe));
    }
    char src[PATH_MAX];
    snprintf(src, sizeof(src), "%s", __FILE__);
    snprintf(dirs[n++], PATH_MAX, "%s/suites", dirname(src));
    return n;
}

bool bench_suite_is_file(const char *name_or_file)
{
    return strchr(name_or_file, '/') || strstr(name_or_file, ".json");
}

int bench_suite_resolve(const char *name_or_file, char *path, size_t len, struct vcb_err *err)
{
    if (bench_suite_is_file(name_or_file)) {
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
