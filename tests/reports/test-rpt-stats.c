/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-rpt-stats.c — the numbers behind plots and verdicts: ECDF, summaries
 * made from samples, CI overlap, the regression decision, value formatting
 * and tolerance parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "rpt-priv.h"

static void test_ecdf(void **state)
{
    const double s[] = {3, 1, 2, 2};
    double *xs, *fs;
    assert_int_equal(rpt_ecdf(s, 4, &xs, &fs), 0);
    const double want_x[] = {1, 2, 2, 3}, want_f[] = {0.25, 0.5, 0.75, 1};
    for (int i = 0; i < 4; i++) {
        assert_true(xs[i] == want_x[i]);
        assert_true(fabs(fs[i] - want_f[i]) < 1e-12);
    }
    free(xs);
    free(fs);
}

/* A summary made from samples alone is core's: the bootstrap CI the run
 * writes, not a second method. */
static void test_summary_ci(void **state)
{
    double s[20];
    struct rpt_summary sum;
    struct vcb_summary core;
    for (int i = 0; i < 20; i++)
        s[i] = 20 - i; /* unsorted on purpose */
    assert_int_equal(rpt_summary_compute(s, 20, &sum), 0);
    assert_int_equal(vcb_summarize(s, 20, &core), 0);
    assert_true(sum.median == 10.5);
    assert_true(sum.n == 20);
    assert_true(sum.ci_lo == core.ci_lo);
    assert_true(sum.ci_hi == core.ci_hi);
    assert_true(sum.ci_lo < 10.5 && sum.ci_hi > 10.5);
    assert_true(sum.drift == core.drift); /* decreasing: negative drift */
    assert_true(sum.drift < 0);
    assert_int_equal(rpt_summary_compute(s, 5, &sum), 0);
    assert_true(isnan(sum.drift)); /* too few samples for a drift figure */
    assert_int_equal(rpt_summary_compute(s, 0, &sum), -1);
}

static void test_flags(void **state)
{
    char marks[16], flags[96];
    struct rpt_summary s = {.median = 10, .outliers = 0, .drift = 0.05};
    rpt_summary_marks(&s, marks, sizeof(marks));
    rpt_summary_flags(&s, flags, sizeof(flags));
    assert_string_equal(marks, "");
    assert_string_equal(flags, "");
    s.outliers = 2;
    s.drift = -0.25;
    rpt_summary_marks(&s, marks, sizeof(marks));
    rpt_summary_flags(&s, flags, sizeof(flags));
    assert_string_equal(marks, " †‡");
    assert_string_equal(flags, "† 2 outliers, ‡ drift -25 %");
    s.outliers = 0;
    s.drift = NAN; /* too few samples: no drift figure, no flag */
    rpt_summary_marks(&s, marks, sizeof(marks));
    assert_string_equal(marks, "");
}

static void test_ci_overlap(void **state)
{
    assert_true(rpt_ci_overlap(1, 2, 1.5, 3));
    assert_true(rpt_ci_overlap(1, 2, 2, 3)); /* touching counts */
    assert_false(rpt_ci_overlap(1, 2, 2.01, 3));
    assert_false(rpt_ci_overlap(5, 6, 1, 4.9));
    assert_true(rpt_ci_overlap(1, 10, 4, 5)); /* nested */
}

static void test_judge_time(void **state)
{
    double ch;
    /* 4 ms -> 5.6 ms (+40 %), CIs apart: a regression. */
    assert_int_equal(rpt_judge("ns", 4e6, 3.9e6, 4.1e6, 5.6e6, 5.5e6, 5.8e6, 10, &ch),
                     RPT_REGRESSION);
    assert_true(fabs(ch - 40) < 1e-9);
    /* Same change, overlapping CIs: noise, not a regression. */
    assert_int_equal(rpt_judge("ns", 4e6, 3e6, 6e6, 5.6e6, 5e6, 7e6, 10, &ch), RPT_NOISE);
    /* Faster beyond tolerance: improved. */
    assert_int_equal(rpt_judge("ns", 4e6, 3.9e6, 4.1e6, 2e6, 1.9e6, 2.1e6, 10, &ch), RPT_IMPROVED);
    /* Within tolerance, CIs apart or not: same. */
    assert_int_equal(rpt_judge("bytes", 100, 99, 101, 105, 104, 106, 10, &ch), RPT_SAME);
    /* Unknown CIs: the medians alone decide. */
    assert_int_equal(rpt_judge("ns", 100, NAN, NAN, 150, NAN, NAN, 10, &ch), RPT_REGRESSION);
}

static void test_judge_direction(void **state)
{
    double ch;
    /* Rates: down is worse. */
    assert_int_equal(rpt_judge("ops_per_s", 1000, 990, 1010, 600, 590, 610, 10, &ch),
                     RPT_REGRESSION);
    assert_int_equal(rpt_judge("mb_per_s", 100, 99, 101, 150, 149, 151, 10, &ch), RPT_IMPROVED);
    assert_int_equal(rpt_judge("per_s", 100, 99, 101, 50, 49, 51, 10, &ch), RPT_REGRESSION);
    /* pct: change in points (5 -> 8 is 3 points, not +60 %). */
    assert_int_equal(rpt_judge("pct", 5, 4, 6, 8, 7, 9, 10, &ch), RPT_SAME);
    assert_true(fabs(ch - 3) < 1e-9);
    assert_int_equal(rpt_judge("pct", 5, 4, 6, 20, 19, 21, 10, &ch), RPT_REGRESSION);
    /* From zero: no relative change exists; it counts as beyond tolerance. */
    assert_int_equal(rpt_judge("bytes", 0, 0, 0, 10, 9, 11, 10, &ch), RPT_REGRESSION);
    assert_true(isnan(ch));
    assert_int_equal(rpt_judge("bytes", 0, 0, 0, 0, 0, 0, 10, &ch), RPT_SAME);
}

static void test_format(void **state)
{
    char b[64];
    rpt_format_value("ns", 1523000, b, sizeof(b));
    assert_string_equal(b, "1.52 ms");
    rpt_format_value("ns", 2.5e9, b, sizeof(b));
    assert_string_equal(b, "2.50 s");
    rpt_format_value("ns", 999, b, sizeof(b));
    assert_string_equal(b, "999 ns");
    rpt_format_value("ns", 999999, b, sizeof(b)); /* rounds up into the next unit */
    assert_string_equal(b, "1.00 ms");
    rpt_format_value("bytes", 64.0 * 1048576, b, sizeof(b));
    assert_string_equal(b, "64 MiB");
    rpt_format_value("bytes", 1.5 * 1048576, b, sizeof(b));
    assert_string_equal(b, "1.50 MiB");
    rpt_format_value("pct", 12.345, b, sizeof(b));
    assert_string_equal(b, "12.3 %");
    rpt_format_value("ops_per_s", 12345, b, sizeof(b));
    assert_string_equal(b, "12345 ops/s");
    rpt_format_value("ns", NAN, b, sizeof(b));
    assert_string_equal(b, "n/a");
}

static void test_tolerance(void **state)
{
    double t;
    struct vcb_err err = {0};
    assert_int_equal(rpt_parse_tolerance("10%", &t, &err), 0);
    assert_true(t == 10);
    assert_int_equal(rpt_parse_tolerance("2.5", &t, &err), 0);
    assert_true(t == 2.5);
    const char *bad[] = {"-1%", "abc", "%", "", "10%%", "1e400"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        vcb_err_clear(&err);
        assert_int_equal(rpt_parse_tolerance(bad[i], &t, &err), -1);
        assert_int_equal(err.usage, 1);
        assert_non_null(strstr(err.msg, "--tolerance"));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ecdf),       cmocka_unit_test(test_summary_ci),
        cmocka_unit_test(test_flags),      cmocka_unit_test(test_ci_overlap),
        cmocka_unit_test(test_judge_time), cmocka_unit_test(test_judge_direction),
        cmocka_unit_test(test_format),     cmocka_unit_test(test_tolerance),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
