/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-stats.c — one statistics module for the run and the report: the
 * interval a run writes for some samples is the one a report shows for
 * them, whether it reads the run's summary or makes one from the samples. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "harness.h"
#include "rpt-priv.h"

/* Skewed boot-like times with a slow tail, in ns. */
static const double boot_ns[] = {5100000, 5230000, 4980000, 5600000, 5050000, 9100000, 5170000,
                                 5320000, 5010000, 5450000, 5210000, 7300000, 5090000};
#define N_BOOT (sizeof(boot_ns) / sizeof(boot_ns[0]))

/* A results document holding one entry with the metric, as the run writes it. */
static char *run_document(bool keep_summary)
{
    struct bench_samples s = {0};
    for (size_t i = 0; i < N_BOOT; i++)
        assert_int_equal(bench_samples_add(&s, boot_ns[i]), 0);
    json_t *e = bench_entry_new("boot", "container", json_pack("{s:s}", "mode", "serial"));
    assert_int_equal(bench_entry_add_metric(e, "create_to_ready", "ns", &s, NULL), 0);
    bench_samples_free(&s);
    if (!keep_summary)
        json_object_del(json_array_get(json_object_get(e, "metrics"), 0), "summary");
    json_t *doc = json_pack("{s:s, s:[o]}", "schema", BENCH_SCHEMA, "results", e);
    char *text = json_dumps(doc, 0);
    json_decref(doc);
    return text;
}

static struct rpt_summary report_summary(bool keep_summary)
{
    struct vcb_err err = {0};
    struct rpt_run *run = NULL;
    cleanup_free char *text = run_document(keep_summary);
    if (rpt_load_str(text, "r.json", &run, &err) < 0)
        fail_msg("%s", err.msg);
    const struct rpt_metric *m = rpt_metric_find(&run->entries[0], "create_to_ready");
    assert_non_null(m);
    assert_true(m->has_summary);
    struct rpt_summary out = m->sum;
    rpt_run_free(run);
    return out;
}

static void test_same_interval_from_run_and_report(void **state)
{
    struct vcb_summary run;
    assert_int_equal(vcb_summarize(boot_ns, N_BOOT, &run), 0);
    struct rpt_summary stored = report_summary(true), made = report_summary(false);
    /* integers in the file: ns round to whole numbers */
    assert_true(stored.ci_lo == round(run.ci_lo) && stored.ci_hi == round(run.ci_hi));
    assert_true(made.ci_lo == stored.ci_lo && made.ci_hi == stored.ci_hi);
    assert_true(made.median == stored.median);
    assert_true(stored.ci_lo < stored.median && stored.median < stored.ci_hi);
    assert_true(made.outliers == stored.outliers && stored.outliers >= 1); /* 9.1 ms */
    assert_true(fabs(made.drift - stored.drift) < 1e-9);
}

static void test_samples_grow(void **state)
{
    struct bench_samples s = {0};
    for (int i = 0; i < 100; i++)
        assert_int_equal(bench_samples_add(&s, i), 0);
    assert_int_equal(s.n, 100);
    assert_float_equal(s.v[99], 99, 0);
    bench_samples_free(&s);
    assert_null(s.v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_interval_from_run_and_report),
        cmocka_unit_test(test_samples_grow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
