/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-linfit.c — the least-squares slope and its CI against values worked
 * out by hand (and by any statistics package), and the cost flags. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <math.h>

#include "linfit.h"

/* MemAvailable (MiB) falling by about 1 MiB per instance, with noise:
 * slope -0.9940476, intercept 99.9916667, se 0.0272599, t(0.975, 6) 2.4469,
 * r² 0.9955081. */
static const double xs[] = {0, 1, 2, 3, 4, 5, 6, 7};
static const double ys[] = {100.0, 98.9, 98.2, 96.8, 96.1, 95.2, 93.8, 93.1};

static void test_fit_known_data(void **state)
{
    struct vcb_linfit f;
    assert_int_equal(vcb_linfit(xs, ys, 8, &f), 0);
    assert_int_equal(f.n, 8);
    assert_float_equal(f.slope, -0.9940476190, 1e-9);
    assert_float_equal(f.intercept, 99.9916666667, 1e-9);
    assert_float_equal(f.slope_se, 0.0272599119, 1e-9);
    assert_float_equal(f.ci_lo, -1.0607498975, 1e-6);
    assert_float_equal(f.ci_hi, -0.9273453406, 1e-6);
    assert_float_equal(f.r2, 0.9955080950, 1e-9);
}

static void test_fit_exact_line(void **state)
{
    const double x[] = {0, 2, 4}, y[] = {5, 9, 13};
    struct vcb_linfit f;
    assert_int_equal(vcb_linfit(x, y, 3, &f), 0);
    assert_float_equal(f.slope, 2, 1e-12);
    assert_float_equal(f.intercept, 5, 1e-12);
    assert_float_equal(f.ci_lo, 2, 1e-12); /* no residual: a zero-width CI */
    assert_float_equal(f.ci_hi, 2, 1e-12);
}

static void test_fit_too_few_points(void **state)
{
    const double x[] = {1, 1, 1}, y[] = {1, 2, 3};
    struct vcb_linfit f;
    assert_int_equal(vcb_linfit(x, y, 1, &f), -1);
    assert_int_equal(vcb_linfit(x, y, 3, &f), -1);  /* every x the same: no slope */
    assert_int_equal(vcb_linfit(xs, ys, 2, &f), 0); /* a line, but no CI */
    assert_true(isnan(f.ci_lo) && isnan(f.ci_hi));
}

/* Up, then down, while the host drifts by 0.5 per step: y = 100 + 2x +
 * 0.5t + noise. Going down again keeps the slope from taking the drift
 * for a cost; taking the drift out narrows its CI. Expected by the normal equations: slope 1.98,
 * drift 0.4951515, se 0.0615317, t(0.975, 7) 2.3646. */
static void test_fit_drift(void **state)
{
    const double x[] = {0, 1, 2, 3, 4, 4, 3, 2, 1, 0}, t[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    const double y[] = {100.3, 102.3, 105.1, 107.1, 110.2, 110.5, 108.9, 107.8, 105.7, 104.6};
    struct vcb_linfit f, plain;
    double drift;
    assert_int_equal(vcb_linfit_drift(x, t, y, 10, &f, &drift), 0);
    assert_float_equal(f.slope, 1.98, 1e-9);
    assert_float_equal(drift, 0.4951515152, 1e-9);
    assert_float_equal(f.slope_se, 0.0615316763, 1e-9);
    assert_float_equal(f.ci_lo, 1.8345021983, 1e-6);
    assert_float_equal(f.ci_hi, 2.1254978017, 1e-6);
    assert_float_equal(f.intercept, 102.29, 1e-9);
    assert_int_equal(vcb_linfit(x, y, 10, &plain), 0);
    /* the drift is noise to a plain fit: a CI several times as wide */
    assert_true(plain.ci_hi - plain.ci_lo > 3 * (f.ci_hi - f.ci_lo));
    assert_float_equal(f.resid_r1, -0.6383946947, 1e-9); /* no widening below 0 */
    /* x rising with t alone: the two cannot be told apart */
    assert_int_equal(vcb_linfit_drift(t, t, y, 10, &f, &drift), -1);
}

/* The host's own use drops by 30 at t = 3 while the instances (2 each) go
 * up and down: the residuals follow the step (r1 0.1158641), the CI is
 * widened by sqrt((1 + r1) / (1 - r1)) and takes in 0: no cost is claimed. */
static void test_fit_drift_step_widens(void **state)
{
    const double x[] = {0, 1, 2, 3, 4, 5, 6, 5, 4, 3, 2, 1, 0};
    const double t[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    const double y[] = {-0.5,  2.5,   3.5,   -23.5, -22.5, -19.5, -18.5,
                        -19.5, -22.5, -23.5, -26.5, -27.5, -30.5};
    struct vcb_linfit f;
    double drift;
    assert_int_equal(vcb_linfit_drift(x, t, y, 13, &f, &drift), 0);
    assert_float_equal(f.slope, -1.4086378738, 1e-9);
    assert_float_equal(f.resid_r1, 0.1158640651, 1e-9);
    assert_float_equal(f.ci_lo, -3.7535719975, 1e-6);
    assert_float_equal(f.ci_hi, 0.9362962500, 1e-6);
    assert_int_equal(vcb_cost_flag(f.slope, f.ci_lo, f.ci_hi), VCB_COST_CI_ZERO);
}

static void test_t_quantiles(void **state)
{
    assert_float_equal(vcb_t975(1), 12.7062, 1e-4);
    assert_float_equal(vcb_t975(6), 2.4469, 1e-4);
    assert_float_equal(vcb_t975(30), 2.0423, 1e-4);
    assert_float_equal(vcb_t975(40), 2.0211, 2e-4); /* tables: 2.0211 */
    assert_float_equal(vcb_t975(100), 1.9840, 2e-4);
    assert_float_equal(vcb_t975(1000), 1.9623, 2e-4);
    assert_true(isnan(vcb_t975(0)));
}

/* A per-instance drop whose CI includes 0, or that is negative, is no cost. */
static void test_cost_flags(void **state)
{
    enum vcb_cost_flag f;
    assert_int_equal(vcb_cost_flag(2e6, 1e6, 3e6), VCB_COST_OK);
    assert_int_equal(vcb_cost_flag(1e5, -2e5, 4e5), VCB_COST_CI_ZERO);
    assert_int_equal(vcb_cost_flag(-3.2e6, -5e6, 1e5), VCB_COST_CI_ZERO);
    assert_int_equal(vcb_cost_flag(-3.2e6, -6.7e6, -1e6), VCB_COST_NEGATIVE);
    assert_int_equal(vcb_cost_flag(-1, NAN, NAN), VCB_COST_NEGATIVE);
    assert_int_equal(vcb_cost_flag(1, NAN, NAN), VCB_COST_NO_CI);
    /* a bootstrap of two samples is no interval */
    assert_int_equal(vcb_cost_flag_n(2e6, 1e6, 3e6, 2), VCB_COST_NO_CI);
    assert_int_equal(vcb_cost_flag_n(-2e6, -3e6, -1e6, 2), VCB_COST_NEGATIVE);
    assert_int_equal(vcb_cost_flag_n(2e6, 1e6, 3e6, 3), VCB_COST_OK);
    assert_string_equal(vcb_cost_flag_name(VCB_COST_CI_ZERO), "ci_includes_zero");
    assert_true(vcb_cost_flag_parse("negative", &f));
    assert_int_equal(f, VCB_COST_NEGATIVE);
    assert_false(vcb_cost_flag_parse("fine", &f));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fit_known_data),
        cmocka_unit_test(test_fit_exact_line),
        cmocka_unit_test(test_fit_too_few_points),
        cmocka_unit_test(test_fit_drift),
        cmocka_unit_test(test_fit_drift_step_widens),
        cmocka_unit_test(test_t_quantiles),
        cmocka_unit_test(test_cost_flags),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
