/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* suite-own.c — a suite's "workloads" object: images from outside, each
 * under a name the scenarios then use like a built-in workload's:
 *   "workloads": { "redis": { "image": "oci:/srv/redis:7", "ready": "tcp:6379",
 *                             "command": ["redis-server", "--save", ""],
 *                             "metrics": ["ops:ops_per_s=([0-9.]+) ops/s"],
 *                             "score": {"metric": "ops", "better": "higher"},
 *                             "max_image": "1GiB" } }
 * Every field is checked here (the image itself when the run prepares it),
 * so a bad one is a usage error before anything starts. */
#include <errno.h>
#include <string.h>

#include "suite-json.h"
#include "vcb-stats.h"
#include "suite.h"
#include "wl-image.h"
#include "wl-oci.h"

#define OWN_NAME_CHARS "abcdefghijklmnopqrstuvwxyz0123456789_-"

static int own_name(const struct sj *sj, const char *key, const char *path)
{
    if (!key[0] || strlen(key) >= BENCH_WORKLOAD_MAX || strspn(key, OWN_NAME_CHARS) != strlen(key))
        return sj_bad(sj, path, "expected a name of 1 to %d characters from [a-z0-9_-]",
                      BENCH_WORKLOAD_MAX - 1);
    if (wl_workload_known(key))
        return sj_bad(sj, path, "'%s' is a built-in workload's name; choose another", key);
    return 0;
}

static int own_string(const struct sj *sj, json_t *o, const char *p, const char *key, char *out,
                      size_t len, bool required)
{
    char path[256];
    json_t *j = json_object_get(o, key);
    sj_path(path, sizeof path, p, key);
    if (!j && !required)
        return 0;
    if (!json_is_string(j) || !json_string_length(j) || json_string_length(j) >= len)
        return sj_bad(sj, path, "expected a string of 1 to %zu characters", len - 1);
    snprintf(out, len, "%s", json_string_value(j));
    return 0;
}

static int own_command(const struct sj *sj, json_t *o, const char *p, struct bench_own_workload *w)
{
    char path[256];
    json_t *arr = json_object_get(o, "command"), *j;
    sj_path(path, sizeof path, p, "command");
    if (!arr)
        return 0;
    if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > 256)
        return sj_bad(sj, path,
                      "expected an array of 1 to 256 strings (the command and its "
                      "arguments)");
    if (!(w->command = calloc(json_array_size(arr) + 1, sizeof(char *))))
        return vcb_err_sys(sj->err, ENOMEM, "%s: %s", sj->file, path);
    size_t i;
    json_array_foreach(arr, i, j)
    {
        if (!json_is_string(j) || !(w->command[i] = strdup(json_string_value(j))))
            return sj_bad(sj, path, "expected strings only (item %zu is not)", i);
    }
    return 0;
}

static int own_metrics(const struct sj *sj, json_t *o, const char *p, struct bench_own_workload *w)
{
    char path[256], ipath[300], what[PATH_MAX + 320];
    json_t *arr = json_object_get(o, "metrics"), *j;
    sj_path(path, sizeof path, p, "metrics");
    if (!arr)
        return 0;
    if (!json_is_array(arr) || json_array_size(arr) > BENCH_OWN_METRICS_MAX)
        return sj_bad(sj, path, "expected an array of at most %d \"NAME:UNIT=REGEX\" strings",
                      BENCH_OWN_METRICS_MAX);
    size_t i;
    json_array_foreach(arr, i, j)
    {
        snprintf(ipath, sizeof ipath, "%s[%zu]", path, i);
        snprintf(what, sizeof what, "%s: %s", sj->file, ipath);
        if (!json_is_string(j) || json_string_length(j) >= sizeof w->metric[0])
            return sj_bad(sj, ipath, "expected a \"NAME:UNIT=REGEX\" string");
        if (bench_own_metric_check(json_string_value(j), what, sj->err) < 0)
            return -1;
        snprintf(w->metric[i], sizeof w->metric[i], "%s", json_string_value(j));
    }
    w->nmetrics = json_array_size(arr);
    return 0;
}

/* "score": {"metric": NAME, "better": "higher"|"lower"}: NAME one of its
 * metrics, whose unit a results file knows. */
static int own_score(const struct sj *sj, json_t *o, const char *p, struct bench_own_workload *w)
{
    static const char *const keys[] = {"metric", "better", NULL};
    static const char *const ways[] = {"higher", "lower", NULL};
    char path[256], better[8] = "higher";
    json_t *sc = json_object_get(o, "score");
    sj_path(path, sizeof path, p, "score");
    if (!sc)
        return 0;
    if (sj_object(sj, sc, path) < 0 || sj_keys(sj, sc, path, keys) < 0 ||
        own_string(sj, sc, path, "metric", w->score, sizeof w->score, true) < 0 ||
        sj_choice(sj, sc, path, "better", "direction", ways, better, sizeof better) < 0)
        return -1;
    w->score_lower_better = strcmp(better, "lower") == 0;
    for (size_t i = 0; i < w->nmetrics; i++) {
        struct wl_metric m;
        char why[256];
        if (wl_metric_parse(w->metric[i], &m, NULL, why, sizeof(why)) < 0 ||
            strcmp(m.name, w->score) != 0)
            continue; /* (each was checked as it was read) */
        snprintf(w->score_unit, sizeof w->score_unit, "%s", m.unit);
        if (!vcb_unit_known(w->score_unit))
            return sj_bad(sj, path,
                          "metric '%s' is in '%s'; a victim's score needs one of " VCB_UNITS_TEXT,
                          w->score, w->score_unit);
        return 0;
    }
    return sj_bad(sj, path, "'%s' is none of this workload's metrics", w->score);
}

static int own_one(const struct sj *sj, const char *key, json_t *o, struct bench_own_workload *w)
{
    static const char *const keys[] = {"image",     "command", "ready", "metrics",
                                       "max_image", "score",   NULL};
    char p[64], what[PATH_MAX + 64];
    snprintf(p, sizeof p, "workloads.%s", key);
    if (own_name(sj, key, p) < 0 || sj_object(sj, o, p) < 0 || sj_keys(sj, o, p, keys) < 0)
        return -1;
    snprintf(w->name, sizeof w->name, "%s", key);
    snprintf(what, sizeof what, "%s: %s.ready", sj->file, p);
    if (own_string(sj, o, p, "image", w->image, sizeof w->image, true) < 0 ||
        own_string(sj, o, p, "ready", w->ready, sizeof w->ready, false) < 0 ||
        (w->ready[0] && bench_own_ready_check(w->ready, what, sj->err) < 0) ||
        own_command(sj, o, p, w) < 0 || own_metrics(sj, o, p, w) < 0 ||
        own_score(sj, o, p, w) < 0 || sj_size(sj, o, p, "max_image", &w->max_image) < 0)
        return -1;
    return 0;
}

int bench_suite_parse_own(const struct sj *sj, json_t *doc, struct bench_suite *s)
{
    json_t *o = json_object_get(doc, "workloads"), *val;
    const char *key;
    if (!o)
        return 0;
    if (sj_object(sj, o, "workloads") < 0)
        return -1;
    if (json_object_size(o) == 0 || json_object_size(o) > BENCH_OWN_MAX)
        return sj_bad(sj, "workloads", "expected 1 to %d named workloads", BENCH_OWN_MAX);
    if (!(s->own = calloc(json_object_size(o), sizeof *s->own)))
        return vcb_err_sys(sj->err, ENOMEM, "%s: workloads", sj->file);
    json_object_foreach(o, key, val)
    {
        if (own_one(sj, key, val, &s->own[s->nown++]) < 0)
            return -1;
        s->own_names[s->nown - 1] = s->own[s->nown - 1].name;
    }
    return 0;
}

void bench_suite_free_own(struct bench_suite *s)
{
    for (size_t i = 0; i < s->nown; i++)
        vcb_strv_free(s->own[i].command);
    free(s->own);
    s->own = NULL;
    s->nown = 0;
}
