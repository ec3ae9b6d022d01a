/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* stats.c — what reports do with statistics: a summary (core's) for samples
 * that came without one, the ECDF, and the regression decision. */
#include <errno.h>
#include <string.h>

#include "rpt-priv.h"

/* A summary for samples that came without one: core's, the one the run
 * itself writes, so a report never computes a different interval. */
int rpt_summary_compute(const double *samples, size_t n, struct rpt_summary *out)
{
    struct vcb_summary s;
    if (vcb_summarize(samples, n, &s) < 0)
        return -1;
    *out = (struct rpt_summary){
        .n = (double)s.n,
        .median = s.median,
        .p5 = s.p5,
        .p95 = s.p95,
        .p99 = s.p99,
        .mean = s.mean,
        .stddev = s.stddev,
        .ci_lo = s.ci_lo,
        .ci_hi = s.ci_hi,
        .outliers = (double)s.outliers,
        .drift = s.has_drift ? s.drift : NAN,
    };
    return 0;
}

/* Marks beside a figure: † outliers, ‡ drift (docs: "Flags"). */
void rpt_summary_marks(const struct rpt_summary *s, char *buf, size_t len)
{
    bool out = s->outliers > 0, drift = !isnan(s->drift) && vcb_drift_flagged(s->drift);
    snprintf(buf, len, "%s%s%s", out || drift ? " " : "", out ? "†" : "", drift ? "‡" : "");
}

void rpt_summary_flags(const struct rpt_summary *s, char *buf, size_t len)
{
    size_t o = 0;
    buf[0] = '\0';
    if (s->outliers > 0)
        o += (size_t)snprintf(buf, len, "† %.0f outlier%s", s->outliers,
                              s->outliers == 1 ? "" : "s");
    if (o < len && !isnan(s->drift) && vcb_drift_flagged(s->drift))
        snprintf(buf + o, len - o, "%s‡ drift %+.0f %%", o ? ", " : "", s->drift * 100);
}

static double *sorted_copy(const double *samples, size_t n)
{
    double *s = malloc((n ? n : 1) * sizeof(*s));
    if (!s)
        return NULL;
    memcpy(s, samples, n * sizeof(*s));
    qsort(s, n, sizeof(*s), vcb_cmp_double);
    return s;
}

int rpt_ecdf(const double *samples, size_t n, double **xs, double **fs)
{
    double *x = sorted_copy(samples, n);
    double *f = malloc((n ? n : 1) * sizeof(*f));
    if (!x || !f) {
        free(x);
        free(f);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        f[i] = (double)(i + 1) / (double)n;
    *xs = x;
    *fs = f;
    return 0;
}

bool rpt_ci_overlap(double alo, double ahi, double blo, double bhi)
{
    return alo <= bhi && blo <= ahi;
}

/* Rates are better high; time, bytes and degradation are better low. */
bool rpt_unit_higher_is_worse(const char *unit)
{
    return !(strcmp(unit, "per_s") == 0 || strcmp(unit, "ops_per_s") == 0 ||
             strcmp(unit, "mb_per_s") == 0);
}

/* Relative change in %, except for pct metrics (a degradation of 0 % is
 * common) where it is the difference in percentage points. */
static double change_of(const char *unit, double base, double nw)
{
    if (strcmp(unit, "pct") == 0)
        return nw - base;
    if (base == 0)
        return nw == 0 ? 0 : NAN;
    return (nw - base) / fabs(base) * 100.0;
}

/* A regression needs both: a change beyond tolerance in the worse direction,
 * and CIs that do not overlap. An unknown CI counts as the median alone. */
enum rpt_verdict rpt_judge(const char *unit, double base, double base_lo, double base_hi, double nw,
                           double new_lo, double new_hi, double tolerance_pct, double *change_out)
{
    double change = change_of(unit, base, nw);
    *change_out = change;
    double magnitude = isnan(change) ? INFINITY : fabs(change);
    if (magnitude <= tolerance_pct)
        return RPT_SAME;
    if (isnan(base_lo) || isnan(base_hi))
        base_lo = base_hi = base;
    if (isnan(new_lo) || isnan(new_hi))
        new_lo = new_hi = nw;
    if (rpt_ci_overlap(base_lo, base_hi, new_lo, new_hi))
        return RPT_NOISE;
    bool worse = rpt_unit_higher_is_worse(unit) ? nw > base : nw < base;
    return worse ? RPT_REGRESSION : RPT_IMPROVED;
}
