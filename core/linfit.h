/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* linfit.h — a straight line through points by least squares, with the 95%
 * confidence interval of its slope, and whether an estimated cost is
 * resolved at all. Kept apart so it can join the shared statistics module. */
#ifndef VCB_LINFIT_H
#define VCB_LINFIT_H

#include <stdbool.h>
#include <stddef.h>

struct vcb_linfit {
    size_t n;
    double slope, intercept;
    double slope_se;     /* standard error of the slope; NAN when n < 3 */
    double ci_lo, ci_hi; /* slope ± t(0.975, n-2) × se; NAN when n < 3 */
    double resid_sd;     /* residual standard deviation; NAN when n < 3 */
    double r2;           /* share of y's variance the line explains; NAN if y is flat */
    double resid_r1;     /* lag-1 autocorrelation of the residuals in the order given */
};

/* Fit y = intercept + slope × x. -1 when n < 2 or every x is the same. */
int vcb_linfit(const double *x, const double *y, size_t n, struct vcb_linfit *out);
/* Fit y = a + slope × x + drift × t over points in time order: the slope
 * of y on x with a linear drift in t taken out (x going up then down
 * decouples the two). The CI has n - 3 degrees of freedom (NAN when n < 4)
 * and is widened by sqrt((1 + r1) / (1 - r1)) when the residuals are
 * correlated in time (r1 > 0, at most 0.95): a host whose own use moves in
 * steps leaves fewer independent points than it seems. intercept is the
 * line's value at x = 0 through the mean point; r2 and resid_sd are of the
 * full model. -1 when x does not vary apart from t. */
int vcb_linfit_drift(const double *x, const double *t, const double *y, size_t n,
                     struct vcb_linfit *out, double *drift);
/* The 97.5th percentile of Student's t with df degrees of freedom (df >= 1). */
double vcb_t975(unsigned df);

/* A cost (bytes per instance) with its 95% CI: can it be printed as one? */
enum vcb_cost_flag {
    VCB_COST_OK,       /* the whole CI is above 0 */
    VCB_COST_CI_ZERO,  /* the CI includes 0: not resolved from the noise */
    VCB_COST_NEGATIVE, /* the whole CI is below 0: impossible for a cost */
    VCB_COST_NO_CI,    /* no CI: cannot tell */
};
enum vcb_cost_flag vcb_cost_flag(double value, double ci_lo, double ci_hi);
/* The same for a median of n samples: an interval of fewer than 3 is none. */
enum vcb_cost_flag vcb_cost_flag_n(double median, double ci_lo, double ci_hi, size_t n);
/* "ok", "ci_includes_zero", "negative", "no_ci" — as written in results. */
const char *vcb_cost_flag_name(enum vcb_cost_flag f);
/* The flag a results file names; false for an unknown name. */
bool vcb_cost_flag_parse(const char *name, enum vcb_cost_flag *out);

#endif
