/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* density-fit.c — the density scenario's figures: a least-squares fit of
 * host memory in use on instances running and time (its slope on
 * instances, with a 95% CI, is the host memory one more instance costs;
 * the time term takes out the host's own drift), and the flag that keeps a
 * figure which cannot be told from 0, or has an impossible sign, from being
 * printed as a cost. */
#include <math.h>

#include "density.h"
#include "linfit.h"

static json_t *real_or_null(double v)
{
    return isnan(v) ? json_null() : json_real(v);
}

json_t *bench_fit_json(const struct bench_samples *x, const struct bench_samples *t,
                       const struct bench_samples *y, struct vcb_linfit *out)
{
    struct vcb_linfit f;
    double drift = NAN;
    const char *method = "instances and time";
    if (x->n != y->n || x->n != t->n)
        return NULL;
    /* Without a way back down (a stop), instances and time move together:
     * then only the plain line is left. */
    if (vcb_linfit_drift(x->v, t->v, y->v, x->n, &f, &drift) < 0) {
        method = "instances";
        if (vcb_linfit(x->v, y->v, x->n, &f) < 0)
            return NULL;
    }
    *out = f;
    enum vcb_cost_flag flag = vcb_cost_flag(f.slope, f.ci_lo, f.ci_hi);
    return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:I, s:o, s:o, s:o, s:s}", "regressors",
                     method, "slope_bytes", json_real(f.slope), "ci95_lo", real_or_null(f.ci_lo),
                     "ci95_hi", real_or_null(f.ci_hi), "drift_bytes_per_s", real_or_null(drift),
                     "intercept_bytes", json_real(f.intercept), "points", (json_int_t)f.n, "r2",
                     real_or_null(f.r2), "resid_sd_bytes", real_or_null(f.resid_sd),
                     "resid_autocorr", real_or_null(f.resid_r1), "flag", vcb_cost_flag_name(flag));
}

const char *bench_samples_cost_flag(const struct bench_samples *s)
{
    struct vcb_summary sum;
    if (s->n == 0 || vcb_summarize(s->v, s->n, &sum) < 0)
        return vcb_cost_flag_name(VCB_COST_NO_CI);
    return vcb_cost_flag_name(vcb_cost_flag_n(sum.median, sum.ci_lo, sum.ci_hi, s->n));
}

int bench_fit_metric(json_t *entry, const char *name, const struct vcb_linfit *f)
{
    struct bench_samples one = {0};
    double ci[2] = {f->ci_lo, f->ci_hi};
    if (bench_samples_add(&one, f->slope) < 0)
        return -1;
    int rc = bench_entry_add_metric(entry, name, "bytes", &one, ci);
    bench_samples_free(&one);
    return rc;
}
