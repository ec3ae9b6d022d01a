/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* check-results.c — validate a results.json against docs/results-schema.md:
 * every key present with its type, n matching the samples, summaries
 * consistent with the samples. Used by the integration tests.
 *   bench-check-results FILE [complete|incomplete|killed] [SCENARIO,...]
 * The scenarios listed must each have an entry with a measured metric. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

static int failures;

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "results: ");                                                          \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

static bool is_str_or_null(json_t *j)
{
    return json_is_string(j) || json_is_null(j);
}

static void check_top(json_t *doc, const char *expect)
{
    json_t *run = json_object_get(doc, "run"), *v = json_object_get(doc, "vcbench");
    CHECK(json_is_string(json_object_get(doc, "schema")) &&
              !strncmp(json_string_value(json_object_get(doc, "schema")), "vcbench-results/1.", 18),
          "schema is not vcbench-results/1.x");
    CHECK(json_is_string(json_object_get(v, "version")) &&
              json_is_string(json_object_get(v, "git")),
          "vcbench.version/git missing");
    CHECK(json_is_string(json_object_get(run, "id")), "run.id missing");
    CHECK(json_is_string(json_object_get(run, "started")), "run.started missing");
    CHECK(is_str_or_null(json_object_get(run, "finished")), "run.finished missing");
    CHECK(json_is_boolean(json_object_get(run, "complete")), "run.complete missing");
    CHECK(is_str_or_null(json_object_get(run, "stopped_by")), "run.stopped_by missing");
    if (expect && !strcmp(expect, "complete"))
        CHECK(json_is_true(json_object_get(run, "complete")), "run.complete is not true");
    if (expect && !strcmp(expect, "killed")) /* SIGKILL: no chance to say why */
        CHECK(json_is_false(json_object_get(run, "complete")), "run.complete is not false");
    if (expect && !strcmp(expect, "incomplete")) {
        CHECK(json_is_false(json_object_get(run, "complete")), "run.complete is not false");
        CHECK(json_is_string(json_object_get(run, "stopped_by")), "run.stopped_by not set");
    }
    /* 1.1: what changes the numbers */
    json_t *opts = json_object_get(run, "options");
    const char *opt_keys[] = {"userns", "seccomp",      "accel",         "machine",
                              "vm_uri", "guest_kernel", "guest_cmdline", "guest_kernel_sha256"};
    CHECK(json_is_object(opts), "run.options missing");
    for (size_t i = 0; i < sizeof(opt_keys) / sizeof(opt_keys[0]); i++)
        CHECK(json_object_get(opts, opt_keys[i]), "run.options.%s missing", opt_keys[i]);
    /* the demo's suite is built in: no file to hash, no shuffled rounds */
    bool demo = !strcmp(
        json_string_value(json_object_get(json_object_get(doc, "suite"), "name")) ?: "", "demo");
    CHECK(demo || (json_is_string(json_object_get(run, "suite_sha256")) &&
                   strlen(json_string_value(json_object_get(run, "suite_sha256"))) == 64),
          "run.suite_sha256 missing");
    json_t *words = json_object_get(run, "command_line");
    const char *verb = json_string_value(json_array_get(words, 1));
    CHECK(verb && (!strcmp(verb, "run") || !strcmp(verb, "demo")), "run.command_line missing");
    CHECK(demo || json_is_integer(json_object_get(run, "order_seed")), "run.order_seed missing");
    const char *host_keys[] = {"hostname",        "kernel",       "cpu_model", "cores",
                               "mem_total_bytes", "cgroup_mode",  "accel",     "accel_reason",
                               "libvirt_version", "qemu_version", "thp",       "ksm"};
    for (size_t i = 0; i < sizeof(host_keys) / sizeof(host_keys[0]); i++)
        CHECK(json_object_get(json_object_get(doc, "host"), host_keys[i]), "host.%s missing",
              host_keys[i]);
    json_t *suite = json_object_get(doc, "suite");
    CHECK(json_is_string(json_object_get(suite, "name")) &&
              json_is_string(json_object_get(suite, "file")),
          "suite.name/file missing");
    CHECK(json_is_array(json_object_get(doc, "results")), "results is not an array");
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double num(json_t *s, const char *k)
{
    json_t *j = json_object_get(s, k);
    return json_is_number(j) ? json_number_value(j) : NAN;
}

static void check_metric(json_t *m, const char *where)
{
    static const char *units[] = {"ns", "bytes", "pct", "per_s", "ops_per_s", "mb_per_s"};
    const char *unit = json_string_value(json_object_get(m, "unit"));
    bool ok = false;
    for (size_t i = 0; unit && i < 6; i++)
        ok = ok || !strcmp(unit, units[i]);
    CHECK(json_is_string(json_object_get(m, "name")), "%s: metric without name", where);
    CHECK(ok, "%s: unit '%s' not in the schema", where, unit ? unit : "(none)");
    json_t *samples = json_object_get(m, "samples"), *s = json_object_get(m, "summary"), *x;
    size_t n = json_array_size(samples), i;
    CHECK(json_is_array(samples) && n > 0, "%s: no samples", where);
    CHECK(json_integer_value(json_object_get(s, "n")) == (json_int_t)n,
          "%s: summary.n != number of samples", where);
    const char *keys[] = {"median", "p5",  "p95",     "p99",     "mean",
                          "stddev", "cov", "ci95_lo", "ci95_hi", "outliers"};
    for (i = 0; i < 10; i++)
        CHECK(json_is_number(json_object_get(s, keys[i])), "%s: summary.%s missing", where,
              keys[i]);
    double *v = calloc(n + 1, sizeof(double));
    json_array_foreach(samples, i, x) v[i] = json_number_value(x);
    qsort(v, n, sizeof(double), cmp);
    double med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2, tol = 1 + fabs(med) * 1e-9;
    CHECK(n == 0 || fabs(num(s, "median") - med) <= tol, "%s: median %g != samples' %g", where,
          num(s, "median"), med);
    CHECK(n == 0 || (num(s, "p5") >= v[0] - tol && num(s, "p99") <= v[n - 1] + tol),
          "%s: percentiles outside the samples", where);
    CHECK(num(s, "p5") <= num(s, "median") + tol && num(s, "median") <= num(s, "p95") + tol &&
              num(s, "p95") <= num(s, "p99") + tol,
          "%s: p5 <= median <= p95 <= p99 does not hold", where);
    CHECK(num(s, "ci95_lo") <= num(s, "ci95_hi") + tol, "%s: ci95_lo > ci95_hi", where);
    CHECK(num(s, "stddev") >= 0, "%s: negative stddev", where);
    free(v);
}

static bool check_entry(json_t *e, size_t idx)
{
    char where[128];
    const char *sc = json_string_value(json_object_get(e, "scenario"));
    const char *be = json_string_value(json_object_get(e, "backend"));
    snprintf(where, sizeof(where), "results[%zu] (%s/%s)", idx, sc ? sc : "?", be ? be : "?");
    CHECK(sc && (!strcmp(sc, "boot") || !strcmp(sc, "memory") || !strcmp(sc, "density") ||
                 !strcmp(sc, "isolation")),
          "%s: bad scenario", where);
    CHECK(be != NULL, "%s: no backend", where);
    CHECK(json_is_object(json_object_get(e, "params")), "%s: params missing", where);
    CHECK(json_is_boolean(json_object_get(e, "emulated")), "%s: emulated missing", where);
    CHECK(json_is_array(json_object_get(e, "dnf")), "%s: dnf missing", where);
    CHECK(json_is_object(json_object_get(e, "notes")), "%s: notes missing", where);
    json_t *d, *m;
    size_t i;
    json_array_foreach(json_object_get(e, "dnf"), i, d) CHECK(
        json_is_string(json_object_get(d, "reason")), "%s: dnf[%zu] without reason", where, i);
    json_array_foreach(json_object_get(e, "metrics"), i, m)
    {
        char mw[192];
        snprintf(mw, sizeof(mw), "%s metric %s", where,
                 json_string_value(json_object_get(m, "name")));
        check_metric(m, mw);
    }
    if (sc && !strcmp(sc, "density"))
        CHECK(json_is_array(json_object_get(e, "curve")), "%s: density without curve", where);
    return json_array_size(json_object_get(e, "metrics")) > 0;
}

/* "logs": the cap and what was kept and dropped; every listed instance's
 * counts within the totals. Written after every scenario, so a run that
 * finished one always has it. */
static void check_logs(json_t *doc, bool required)
{
    json_t *l = json_object_get(doc, "logs"), *c;
    static const char *const keys[] = {"max_bytes_per_instance", "instances", "written_bytes",
                                       "dropped_bytes", "capped_instances"};
    if (!l) {
        CHECK(!required, "logs missing");
        return;
    }
    for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
        CHECK(json_is_integer(json_object_get(l, keys[k])) &&
                  json_integer_value(json_object_get(l, keys[k])) >= 0,
              "logs.%s: expected an integer >= 0", keys[k]);
    CHECK(json_is_array(json_object_get(l, "capped")), "logs.capped: expected an array");
    CHECK(is_str_or_null(json_object_get(l, "kept_in")) &&
              is_str_or_null(json_object_get(l, "keep_error")),
          "logs.kept_in / keep_error: expected a string or null");
    json_int_t dropped = 0;
    size_t i;
    json_array_foreach(json_object_get(l, "capped"), i, c) dropped +=
        json_integer_value(json_object_get(c, "dropped_bytes"));
    CHECK(dropped <= json_integer_value(json_object_get(l, "dropped_bytes")),
          "logs.capped drops more than logs.dropped_bytes");
}

int main(int argc, char **argv)
{
    json_error_t jerr;
    if (argc < 2) {
        fprintf(stderr, "usage: bench-check-results FILE [complete|incomplete] [SCEN,...]\n");
        return 2;
    }
    json_t *doc = json_load_file(argv[1], 0, &jerr), *e;
    if (!doc) {
        fprintf(stderr, "results: %s: %s\n", argv[1], jerr.text);
        return 1;
    }
    check_top(doc, argc > 2 ? argv[2] : NULL);
    check_logs(doc, json_array_size(json_object_get(doc, "results")) > 0);
    char measured[256] = ",";
    size_t i;
    json_array_foreach(json_object_get(doc, "results"), i, e)
    {
        if (check_entry(e, i) && strlen(measured) < 200) {
            strcat(measured, json_string_value(json_object_get(e, "scenario")));
            strcat(measured, ",");
        }
    }
    for (char *tok = argc > 3 ? strtok(argv[3], ",") : NULL; tok; tok = strtok(NULL, ",")) {
        char want[64];
        snprintf(want, sizeof(want), ",%s,", tok);
        CHECK(strstr(measured, want), "no measured entry for scenario %s", tok);
    }
    json_decref(doc);
    if (failures)
        fprintf(stderr, "results: %d problem(s) in %s\n", failures, argv[1]);
    return failures ? 1 : 0;
}
