/* stats.c — the statistics reports need: percentiles, a summary for samples
 * that came without one, the ECDF, and the regression decision. */
#include <errno.h>
#include <string.h>

#include "rpt-priv.h"

int rpt_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double rpt_percentile_sorted(const double *sorted, size_t n, double pct)
{
    if (n == 0)
        return NAN;
    double h = (double)(n - 1) * pct / 100.0;
    size_t lo = (size_t)floor(h);
    if (lo + 1 >= n)
        return sorted[n - 1];
    return sorted[lo] + (h - (double)lo) * (sorted[lo + 1] - sorted[lo]);
}

static double *sorted_copy(const double *samples, size_t n)
{
    double *s = malloc((n ? n : 1) * sizeof(*s));
    if (!s)
        return NULL;
    memcpy(s, samples, n * sizeof(*s));
    qsort(s, n, sizeof(*s), rpt_cmp_double);
    return s;
}

/* Distribution-free 95% CI of the median: the order statistics j, k with
 * j = floor((n - 1.96 sqrt n) / 2), k = ceil(1 + (n + 1.96 sqrt n) / 2)
 * (1-based, normal approximation of Binomial(n, 1/2)); none below n = 6. */
static void median_ci(const double *sorted, size_t n, double *lo, double *hi)
{
    *lo = *hi = NAN;
    if (n < 6)
        return;
    double z = 1.96 * sqrt((double)n);
    double j = floor(((double)n - z) / 2.0), k = ceil(1.0 + ((double)n + z) / 2.0);
    if (j < 1)
        j = 1;
    if (k > (double)n)
        k = (double)n;
    *lo = sorted[(size_t)j - 1];
    *hi = sorted[(size_t)k - 1];
}

int rpt_summary_compute(const double *samples, size_t n, struct rpt_summary *out)
{
    if (n == 0)
        return -1;
    cleanup_free double *s = sorted_copy(samples, n);
    if (!s)
        return -1;
    double sum = 0, sq = 0;
    for (size_t i = 0; i < n; i++)
        sum += s[i];
    double mean = sum / (double)n;
    for (size_t i = 0; i < n; i++)
        sq += (s[i] - mean) * (s[i] - mean);
    *out = (struct rpt_summary){
        .n = (double)n,
        .median = rpt_percentile_sorted(s, n, 50),
        .p5 = rpt_percentile_sorted(s, n, 5),
        .p95 = rpt_percentile_sorted(s, n, 95),
        .p99 = rpt_percentile_sorted(s, n, 99),
        .mean = mean,
        .stddev = n > 1 ? sqrt(sq / (double)(n - 1)) : 0,
    };
    median_ci(s, n, &out->ci_lo, &out->ci_hi);
    return 0;
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
