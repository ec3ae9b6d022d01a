/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* linfit.c — ordinary least squares of y on x, the slope's t-interval, and
 * the verdict on a cost estimate: one that cannot be told from 0, or that
 * says the host gained memory per instance, is flagged, never a cost. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "linfit.h"
#include "vcb.h"

/* t(0.975, df) for df 1..30 (any statistics table). */
static const double t975_table[30] = {
    12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
    2.2010,  2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
    2.0796,  2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423};

double vcb_t975(unsigned df)
{
    if (df == 0)
        return NAN;
    if (df <= 30)
        return t975_table[df - 1];
    /* Cornish-Fisher expansion around the normal quantile: < 1e-4 off past 30. */
    const double z = 1.959963985, v = (double)df;
    double z3 = z * z * z, z5 = z3 * z * z;
    return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v);
}

int vcb_linfit(const double *x, const double *y, size_t n, struct vcb_linfit *out)
{
    if (n < 2)
        return -1;
    double mx = 0, my = 0;
    for (size_t i = 0; i < n; i++)
        mx += x[i], my += y[i];
    mx /= (double)n;
    my /= (double)n;
    double sxx = 0, sxy = 0, syy = 0;
    for (size_t i = 0; i < n; i++) {
        sxx += (x[i] - mx) * (x[i] - mx);
        sxy += (x[i] - mx) * (y[i] - my);
        syy += (y[i] - my) * (y[i] - my);
    }
    if (sxx <= 0)
        return -1;
    struct vcb_linfit f = {.n = n, .slope = sxy / sxx};
    f.intercept = my - f.slope * mx;
    double sse = 0;
    for (size_t i = 0; i < n; i++) {
        double r = y[i] - (f.intercept + f.slope * x[i]);
        sse += r * r;
    }
    f.r2 = syy > 0 ? 1 - sse / syy : NAN;
    f.slope_se = f.resid_sd = f.ci_lo = f.ci_hi = f.resid_r1 = NAN;
    if (n >= 3) {
        f.resid_sd = sqrt(sse / (double)(n - 2));
        f.slope_se = f.resid_sd / sqrt(sxx);
        double t = vcb_t975((unsigned)(n - 2));
        f.ci_lo = f.slope - t * f.slope_se;
        f.ci_hi = f.slope + t * f.slope_se;
    }
    *out = f;
    return 0;
}

/* a - (its line on t): the part of a that t does not explain. */
static int residualize(const double *a, const double *t, size_t n, double *out)
{
    struct vcb_linfit f;
    if (vcb_linfit(t, a, n, &f) < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        out[i] = a[i] - (f.intercept + f.slope * t[i]);
    return 0;
}

/* Lag-1 autocorrelation of the residuals ry - slope × rx (mean 0). */
static double lag1(const double *ry, const double *rx, double slope, size_t n, double sse)
{
    double c = 0;
    for (size_t i = 1; i < n; i++)
        c += (ry[i] - slope * rx[i]) * (ry[i - 1] - slope * rx[i - 1]);
    return sse > 0 ? c / sse : 0;
}

/* The fit from the residuals of x and y on t (rx, ry): slope, its CI, and
 * the drift and intercept from the centred sums of the raw data. */
static int fit_from_residuals(const double *x, const double *t, const double *y, const double *rx,
                              const double *ry, size_t n, struct vcb_linfit *out, double *drift)
{
    double sxx = 0, sxy = 0, syy = 0, mx = 0, my = 0, mt = 0, stt = 0, sty = 0, stx = 0, sse = 0;
    for (size_t i = 0; i < n; i++) {
        sxx += rx[i] * rx[i], sxy += rx[i] * ry[i];
        mx += x[i] / (double)n, my += y[i] / (double)n, mt += t[i] / (double)n;
    }
    if (sxx <= 1e-12 * (double)n)
        return -1;
    struct vcb_linfit f = {.n = n, .slope = sxy / sxx};
    for (size_t i = 0; i < n; i++) {
        double r = ry[i] - f.slope * rx[i];
        sse += r * r, syy += (y[i] - my) * (y[i] - my);
        stt += (t[i] - mt) * (t[i] - mt), sty += (t[i] - mt) * (y[i] - my);
        stx += (t[i] - mt) * (x[i] - mx);
    }
    *drift = (sty - f.slope * stx) / stt; /* from sty = slope × stx + drift × stt */
    f.intercept = my - f.slope * mx;
    f.r2 = syy > 0 ? 1 - sse / syy : NAN;
    f.resid_sd = f.slope_se = f.ci_lo = f.ci_hi = NAN;
    f.resid_r1 = lag1(ry, rx, f.slope, n, sse);
    if (n >= 4) {
        double r1 = fmin(fmax(f.resid_r1, 0), 0.95);
        f.resid_sd = sqrt(sse / (double)(n - 3));
        f.slope_se = f.resid_sd / sqrt(sxx) * sqrt((1 + r1) / (1 - r1));
        double q = vcb_t975((unsigned)(n - 3));
        f.ci_lo = f.slope - q * f.slope_se;
        f.ci_hi = f.slope + q * f.slope_se;
    }
    *out = f;
    return 0;
}

/* Frisch-Waugh: the slope of y on x given t is the slope of y's residual on
 * x's residual, each regressed on t first. */
int vcb_linfit_drift(const double *x, const double *t, const double *y, size_t n,
                     struct vcb_linfit *out, double *drift)
{
    if (n < 3)
        return -1;
    cleanup_free double *rx = malloc(n * sizeof(double));
    cleanup_free double *ry = malloc(n * sizeof(double));
    if (!rx || !ry || residualize(x, t, n, rx) < 0 || residualize(y, t, n, ry) < 0)
        return -1;
    return fit_from_residuals(x, t, y, rx, ry, n, out, drift);
}

enum vcb_cost_flag vcb_cost_flag(double value, double ci_lo, double ci_hi)
{
    if (isnan(ci_lo) || isnan(ci_hi))
        return isnan(value) || value >= 0 ? VCB_COST_NO_CI : VCB_COST_NEGATIVE;
    if (ci_hi < 0)
        return VCB_COST_NEGATIVE;
    if (ci_lo <= 0)
        return VCB_COST_CI_ZERO;
    return VCB_COST_OK;
}

enum vcb_cost_flag vcb_cost_flag_n(double median, double ci_lo, double ci_hi, size_t n)
{
    return n >= 3 ? vcb_cost_flag(median, ci_lo, ci_hi) : vcb_cost_flag(median, NAN, NAN);
}

static const char *const flag_names[] = {"ok", "ci_includes_zero", "negative", "no_ci"};

const char *vcb_cost_flag_name(enum vcb_cost_flag f)
{
    return (unsigned)f < sizeof(flag_names) / sizeof(flag_names[0]) ? flag_names[f] : "no_ci";
}

bool vcb_cost_flag_parse(const char *name, enum vcb_cost_flag *out)
{
    for (size_t i = 0; name && i < sizeof(flag_names) / sizeof(flag_names[0]); i++)
        if (!strcmp(name, flag_names[i])) {
            *out = (enum vcb_cost_flag)i;
            return true;
        }
    return false;
}
