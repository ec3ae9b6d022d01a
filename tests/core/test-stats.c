/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-stats.c — core statistics against hand-computed values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <math.h>

#include "vcb-stats.h"

static const double one_to_ten[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

static void test_percentile_interpolates(void **state)
{
    const double s[] = {10, 20, 30, 40};
    assert_float_equal(vcb_percentile(s, 4, 0), 10, 1e-9);
    assert_float_equal(vcb_percentile(s, 4, 50), 25, 1e-9);
    assert_float_equal(vcb_percentile(s, 4, 100), 40, 1e-9);
    assert_float_equal(vcb_percentile(s, 4, 25), 17.5, 1e-9); /* pos 0.75 */
    assert_float_equal(vcb_percentile(s, 1, 99), 10, 1e-9);
}

static void test_median_odd_even(void **state)
{
    const double odd[] = {3, 1, 2}, even[] = {4, 1, 3, 2};
    assert_float_equal(vcb_median(odd, 3), 2, 1e-9);
    assert_float_equal(vcb_median(even, 4), 2.5, 1e-9);
}

/* 1..10: median 5.5, p5 1.45, p95 9.55, p99 9.91, mean 5.5,
 * sample variance 82.5 / 9, stddev 3.0276504, cov 0.5504819. */
static void test_summary_one_to_ten(void **state)
{
    struct vcb_summary s;
    assert_int_equal(vcb_summarize(one_to_ten, 10, &s), 0);
    assert_int_equal(s.n, 10);
    assert_float_equal(s.median, 5.5, 1e-9);
    assert_float_equal(s.p5, 1.45, 1e-9);
    assert_float_equal(s.p95, 9.55, 1e-9);
    assert_float_equal(s.p99, 9.91, 1e-9);
    assert_float_equal(s.mean, 5.5, 1e-9);
    assert_float_equal(s.stddev, 3.0276504, 1e-6);
    assert_float_equal(s.cov, 0.5504819, 1e-6);
    assert_int_equal(s.outliers, 0);
    assert_true(s.has_drift);
    /* first third {1,2,3} median 2, last third {8,9,10} median 9: 7 / 5.5 */
    assert_float_equal(s.drift, 7.0 / 5.5, 1e-9);
}

static void test_summary_single_sample(void **state)
{
    const double x[] = {42};
    struct vcb_summary s;
    assert_int_equal(vcb_summarize(x, 1, &s), 0);
    assert_float_equal(s.median, 42, 0);
    assert_float_equal(s.p99, 42, 0);
    assert_float_equal(s.stddev, 0, 0);
    assert_float_equal(s.ci_lo, 42, 0);
    assert_float_equal(s.ci_hi, 42, 0);
    assert_false(s.has_drift);
    assert_false(vcb_ci_narrow(&s, 0.5)); /* one sample is never enough */
    assert_int_equal(vcb_summarize(x, 0, &s), -1);
}

static void test_ci_contains_median_and_is_reproducible(void **state)
{
    double lo1, hi1, lo2, hi2, lo3, hi3;
    vcb_bootstrap_median_ci(one_to_ten, 10, VCB_STATS_SEED, 2000, &lo1, &hi1);
    vcb_bootstrap_median_ci(one_to_ten, 10, VCB_STATS_SEED, 2000, &lo2, &hi2);
    vcb_bootstrap_median_ci(one_to_ten, 10, 12345, 2000, &lo3, &hi3);
    assert_true(lo1 <= 5.5 && 5.5 <= hi1);
    assert_true(lo1 >= 1 && hi1 <= 10 && lo1 < hi1);
    assert_float_equal(lo1, lo2, 0); /* same seed, same CI, bit for bit */
    assert_float_equal(hi1, hi2, 0);
    assert_true(lo3 <= 5.5 && 5.5 <= hi3);
    struct vcb_summary s;
    vcb_summarize(one_to_ten, 10, &s); /* the summary uses the fixed seed */
    assert_float_equal(s.ci_lo, lo1, 0);
    assert_float_equal(s.ci_hi, hi1, 0);
}

static void test_ci_constant_samples(void **state)
{
    const double x[] = {5, 5, 5, 5, 5};
    struct vcb_summary s;
    vcb_summarize(x, 5, &s);
    assert_float_equal(s.ci_lo, 5, 0);
    assert_float_equal(s.ci_hi, 5, 0);
    assert_true(vcb_ci_narrow(&s, 0.01));
}

static void test_ci_narrow_target(void **state)
{
    struct vcb_summary s = {.n = 10, .median = 100, .ci_lo = 96, .ci_hi = 104};
    assert_true(vcb_ci_narrow(&s, 0.1)); /* width 8% */
    assert_false(vcb_ci_narrow(&s, 0.05));
}

static void test_outliers(void **state)
{
    const double a[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 100}; /* MAD 2.5: only 100 */
    const double b[] = {10, 10, 11, 10, 10, 100};        /* MAD 0: mean abs dev */
    const double c[] = {10, 10, 10, 10};
    assert_int_equal(vcb_outliers(a, 10, 3), 1);
    assert_int_equal(vcb_outliers(b, 6, 3), 1);
    assert_int_equal(vcb_outliers(c, 4, 3), 0);
}

static void test_drift_flat_and_step(void **state)
{
    const double flat[] = {5, 5, 5, 5, 5, 5}, step[] = {1, 1, 1, 1, 1, 1, 2, 2, 2};
    struct vcb_summary s;
    vcb_summarize(flat, 6, &s);
    assert_true(s.has_drift);
    assert_float_equal(s.drift, 0, 0);
    vcb_summarize(step, 9, &s); /* (2 - 1) / median 1 */
    assert_float_equal(s.drift, 1.0, 1e-9);
    vcb_summarize(step, 5, &s);
    assert_false(s.has_drift);
}

static double diff_pct(double solo, double x)
{
    return (solo - x) / solo * 100.0;
}

static void test_two_sample_ci(void **state)
{
    const double solo[] = {100, 101, 99, 100, 100}, arm[] = {50, 51, 49, 50, 50};
    double lo, hi, lo2, hi2;
    vcb_bootstrap_ratio_ci(solo, 5, arm, 5, diff_pct, VCB_STATS_SEED, 2000, &lo, &hi);
    vcb_bootstrap_ratio_ci(solo, 5, arm, 5, diff_pct, VCB_STATS_SEED, 2000, &lo2, &hi2);
    assert_true(lo <= 50 && 50 <= hi);
    assert_true(lo > 45 && hi < 55);
    assert_float_equal(lo, lo2, 0);
    assert_float_equal(hi, hi2, 0);
}

static void test_rng_known_values(void **state)
{
    /* splitmix64 from seed 0: the reference implementation's first outputs */
    uint64_t st = 0;
    assert_true(vcb_rng_next(&st) == 0xe220a8397b1dcdafULL);
    assert_true(vcb_rng_next(&st) == 0x6e789e6aa1b965f4ULL);
}

static void test_shuffle_is_a_permutation(void **state)
{
    size_t v[8], seen[8] = {0};
    uint64_t st = 42, st2 = 42;
    for (size_t i = 0; i < 8; i++)
        v[i] = i;
    vcb_shuffle(v, 8, &st);
    bool moved = false;
    for (size_t i = 0; i < 8; i++) {
        seen[v[i]]++;
        moved |= v[i] != i;
    }
    for (size_t i = 0; i < 8; i++)
        assert_int_equal(seen[i], 1);
    assert_true(moved);
    size_t w[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    vcb_shuffle(w, 8, &st2); /* the same seed, the same order */
    assert_memory_equal(v, w, sizeof(v));
}

static void test_drift_flag(void **state)
{
    assert_false(vcb_drift_flagged(0.05));
    assert_true(vcb_drift_flagged(-0.2));
    assert_true(vcb_drift_flagged(0.11));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_percentile_interpolates),
        cmocka_unit_test(test_median_odd_even),
        cmocka_unit_test(test_summary_one_to_ten),
        cmocka_unit_test(test_summary_single_sample),
        cmocka_unit_test(test_ci_contains_median_and_is_reproducible),
        cmocka_unit_test(test_ci_constant_samples),
        cmocka_unit_test(test_ci_narrow_target),
        cmocka_unit_test(test_outliers),
        cmocka_unit_test(test_drift_flat_and_step),
        cmocka_unit_test(test_two_sample_ci),
        cmocka_unit_test(test_rng_known_values),
        cmocka_unit_test(test_shuffle_is_a_permutation),
        cmocka_unit_test(test_drift_flag),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
