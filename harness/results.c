/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* results.c — the results document (docs/results-schema.md), built as the
 * run goes and written atomically after every scenario, so a run stopped
 * half-way always leaves a valid file holding what finished. */
#include <math.h>
#include <string.h>
#include <time.h>

#include "harness.h"

void bench_utc_now(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static json_t *run_object(const char *run_id)
{
    char now[32];
    bench_utc_now(now);
    return json_pack("{s:s, s:s, s:n, s:b, s:n}", "id", run_id, "started", now, "finished",
                     "complete", 0, "stopped_by");
}

int bench_results_init(struct bench_results *r, const char *out_dir, const char *run_id,
                       json_t *host, json_t *suite, struct vcb_err *err)
{
    memset(r, 0, sizeof(*r));
    if (vcb_mkdir_p(out_dir, 0755, err) < 0)
        return vcb_err_prefix(err, "--out");
    snprintf(r->path, sizeof(r->path), "%s/results.json", out_dir);
    r->doc = json_pack("{s:s, s:{s:s, s:s}, s:o, s:O, s:O, s:[]}", "schema", BENCH_SCHEMA,
                       "vcbench", "version", vcb_version(), "git", vcb_git_hash(), "run",
                       run_object(run_id), "host", host, "suite", suite, "results");
    if (!r->doc)
        return vcb_err_set(err, 0, "results: build document");
    return bench_results_save(r, err);
}

void bench_results_set_run(struct bench_results *r, const char *key, json_t *value)
{
    json_object_set_new(json_object_get(r->doc, "run"), key, value);
}

void bench_results_add(struct bench_results *r, json_t *entry)
{
    json_array_append_new(json_object_get(r->doc, "results"), entry);
    if (r->added)
        r->added(r->added_arg, entry);
}

int bench_results_save(struct bench_results *r, struct vcb_err *err)
{
    if (r->logs)
        bench_logs_to_results(r->logs, r->doc);
    if (vcb_json_dump_file_atomic(r->doc, r->path, err) < 0)
        return vcb_err_prefix(err, "results");
    r->saved = true;
    return 0;
}

void bench_results_finish(struct bench_results *r, bool complete, const char *stopped_by)
{
    char now[32];
    bench_utc_now(now);
    json_t *run = json_object_get(r->doc, "run");
    json_object_set_new(run, "finished", json_string(now));
    json_object_set_new(run, "complete", json_boolean(complete));
    json_object_set_new(run, "stopped_by", stopped_by ? json_string(stopped_by) : json_null());
}

void bench_results_free(struct bench_results *r)
{
    json_decref(r->doc);
    r->doc = NULL;
}

json_t *bench_entry_new(const char *scenario, const char *backend, json_t *params)
{
    return json_pack("{s:s, s:s, s:o, s:b, s:[], s:[], s:{}}", "scenario", scenario, "backend",
                     backend, "params", params ? params : json_object(), "emulated", 0, "metrics",
                     "dnf", "notes");
}

/* ns and bytes are integers everywhere; rates and percentages are reals. */
static bool unit_is_integer(const char *unit)
{
    return strcmp(unit, "ns") == 0 || strcmp(unit, "bytes") == 0;
}

static json_t *num(double v, bool integer)
{
    if (!isfinite(v))
        return json_null();
    return integer ? json_integer((json_int_t)llround(v)) : json_real(v);
}

json_t *bench_summary_json(const struct vcb_summary *s, bool integer)
{
    json_t *j = json_object();
    json_object_set_new(j, "n", json_integer((json_int_t)s->n));
    const char *keys[] = {"median", "p5", "p95", "p99", "mean", "stddev"};
    const double vals[] = {s->median, s->p5, s->p95, s->p99, s->mean, s->stddev};
    for (size_t i = 0; i < 6; i++)
        json_object_set_new(j, keys[i], num(vals[i], integer));
    json_object_set_new(j, "cov", num(s->cov, false));
    json_object_set_new(j, "ci95_lo", num(s->ci_lo, integer));
    json_object_set_new(j, "ci95_hi", num(s->ci_hi, integer));
    json_object_set_new(j, "outliers", json_integer((json_int_t)s->outliers));
    json_object_set_new(j, "drift", s->has_drift ? num(s->drift, false) : json_null());
    return j;
}

int bench_entry_add_metric(json_t *entry, const char *name, const char *unit,
                           const struct bench_samples *s, const double ci[2])
{
    struct vcb_summary sum;
    if (s->n == 0 || vcb_summarize(s->v, s->n, &sum) < 0)
        return 0; /* nothing measured: the DNF list says why */
    if (ci) {
        sum.ci_lo = ci[0];
        sum.ci_hi = ci[1];
    }
    bool integer = unit_is_integer(unit);
    json_t *samples = json_array();
    for (size_t i = 0; i < s->n; i++)
        json_array_append_new(samples, num(s->v[i], integer));
    json_t *m = json_pack("{s:s, s:s, s:o, s:o}", "name", name, "unit", unit, "samples", samples,
                          "summary", bench_summary_json(&sum, integer));
    return m ? json_array_append_new(json_object_get(entry, "metrics"), m) : -1;
}

void bench_entry_add_dnf(json_t *entry, const char *fmt, ...)
{
    char reason[VCB_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof(reason), fmt, ap);
    va_end(ap);
    json_array_append_new(json_object_get(entry, "dnf"), json_pack("{s:s}", "reason", reason));
}

void bench_entry_note(json_t *entry, const char *key, json_t *value)
{
    json_object_set_new(json_object_get(entry, "notes"), key, value);
}
