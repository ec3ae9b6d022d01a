/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* stats.c — summaries of samples: percentiles, spread, a reproducible
 * bootstrap CI of the median, outliers and drift (vcb-stats.h). No
 * allocation leaks into callers: every function works on copies it frees. */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "vcb.h"
#include "vcb-stats.h"

/* splitmix64: tiny, well mixed, and ours, so a CI never depends on libc's rand. */
uint64_t vcb_rng_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform index in [0, n) without modulo bias worth caring about at n < 2^32. */
size_t vcb_rng_index(uint64_t *state, size_t n)
{
    return (size_t)(((vcb_rng_next(state) >> 32) * (uint64_t)n) >> 32);
}

void vcb_shuffle(size_t *v, size_t n, uint64_t *state)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = vcb_rng_index(state, i), t = v[i - 1];
        v[i - 1] = v[j];
        v[j] = t;
    }
}

int vcb_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double *sorted_copy(const double *x, size_t n)
{
    double *c = malloc(n * sizeof(double));
    if (!c)
        return NULL;
    memcpy(c, x, n * sizeof(double));
    qsort(c, n, sizeof(double), vcb_cmp_double);
    return c;
}

double vcb_percentile(const double *sorted, size_t n, double p)
{
    if (n == 0)
        return NAN;
    double pos = p / 100.0 * (double)(n - 1);
    size_t lo = (size_t)floor(pos);
    if (lo + 1 >= n)
        return sorted[n - 1];
    double frac = pos - (double)lo;
    return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

double vcb_median(const double *x, size_t n)
{
    cleanup_free double *c = sorted_copy(x, n);
    return c ? vcb_percentile(c, n, 50) : NAN;
}

/* Median of a resample, using buf (n doubles) as scratch. */
static double resample_median(const double *x, size_t n, uint64_t *state, double *buf)
{
    for (size_t i = 0; i < n; i++)
        buf[i] = x[vcb_rng_index(state, n)];
    qsort(buf, n, sizeof(double), vcb_cmp_double);
    return vcb_percentile(buf, n, 50);
}

void vcb_bootstrap_median_ci(const double *x, size_t n, uint64_t seed, unsigned resamples,
                             double *lo, double *hi)
{
    cleanup_free double *buf = malloc(n * sizeof(double));
    cleanup_free double *meds = malloc(resamples * sizeof(double));
    if (n == 0 || !buf || !meds) {
        *lo = *hi = n ? x[0] : NAN;
        return;
    }
    uint64_t state = seed;
    for (unsigned b = 0; b < resamples; b++)
        meds[b] = resample_median(x, n, &state, buf);
    qsort(meds, resamples, sizeof(double), vcb_cmp_double);
    *lo = vcb_percentile(meds, resamples, 2.5);
    *hi = vcb_percentile(meds, resamples, 97.5);
}

void vcb_bootstrap_ratio_ci(const double *a, size_t na, const double *b, size_t nb,
                            double (*f)(double a, double b), uint64_t seed, unsigned resamples,
                            double *lo, double *hi)
{
    cleanup_free double *ba = malloc(na * sizeof(double));
    cleanup_free double *bb = malloc(nb * sizeof(double));
    cleanup_free double *vals = malloc(resamples * sizeof(double));
    if (!na || !nb || !ba || !bb || !vals) {
        *lo = *hi = NAN;
        return;
    }
    uint64_t state = seed;
    for (unsigned r = 0; r < resamples; r++) {
        double ma = resample_median(a, na, &state, ba);
        vals[r] = f(ma, resample_median(b, nb, &state, bb));
    }
    qsort(vals, resamples, sizeof(double), vcb_cmp_double);
    *lo = vcb_percentile(vals, resamples, 2.5);
    *hi = vcb_percentile(vals, resamples, 97.5);
}

/* A sample is an outlier more than `sigmas` robust sigmas from the median,
 * sigma = 1.4826 x MAD (= the stddev for normal data). When more than half
 * the samples are equal the MAD is 0; the mean absolute deviation (x 1.2533
 * for normal data) stands in, so one odd value is flagged, not every
 * value that differs at all. */
size_t vcb_outliers(const double *x, size_t n, double sigmas)
{
    cleanup_free double *dev = malloc(n * sizeof(double));
    if (n < 3 || !dev)
        return 0;
    double med = vcb_median(x, n), sum = 0;
    for (size_t i = 0; i < n; i++) {
        dev[i] = fabs(x[i] - med);
        sum += dev[i];
    }
    double sigma = 1.4826 * vcb_median(dev, n);
    if (sigma == 0)
        sigma = 1.2533 * sum / (double)n;
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        if (sigma > 0 && dev[i] > sigmas * sigma)
            count++;
    return count;
}

/* Moments: mean, sample stddev, coefficient of variation. */
static void moments(const double *x, size_t n, struct vcb_summary *s)
{
    double sum = 0, sq = 0;
    for (size_t i = 0; i < n; i++)
        sum += x[i];
    s->mean = sum / (double)n;
    for (size_t i = 0; i < n; i++)
        sq += (x[i] - s->mean) * (x[i] - s->mean);
    s->stddev = n > 1 ? sqrt(sq / (double)(n - 1)) : 0;
    s->cov = s->mean != 0 ? s->stddev / fabs(s->mean) : 0;
}

/* Drift: does the last third of the run sit apart from the first third? */
static void drift(const double *x, size_t n, struct vcb_summary *s)
{
    s->has_drift = n >= VCB_DRIFT_MIN_N;
    if (!s->has_drift)
        return;
    size_t third = n / 3;
    double first = vcb_median(x, third), last = vcb_median(x + n - third, third);
    s->drift = s->median != 0 ? (last - first) / fabs(s->median) : 0;
}

int vcb_summarize(const double *x, size_t n, struct vcb_summary *s)
{
    memset(s, 0, sizeof(*s));
    if (n == 0)
        return -1;
    cleanup_free double *c = sorted_copy(x, n);
    if (!c)
        return -1;
    s->n = n;
    s->median = vcb_percentile(c, n, 50);
    s->p5 = vcb_percentile(c, n, 5);
    s->p95 = vcb_percentile(c, n, 95);
    s->p99 = vcb_percentile(c, n, 99);
    moments(x, n, s);
    vcb_bootstrap_median_ci(x, n, VCB_STATS_SEED, VCB_BOOTSTRAP_B, &s->ci_lo, &s->ci_hi);
    s->outliers = vcb_outliers(x, n, VCB_OUTLIER_SIGMAS);
    drift(x, n, s);
    return 0;
}

bool vcb_ci_narrow(const struct vcb_summary *s, double target)
{
    if (s->n < 2)
        return false;
    double width = s->ci_hi - s->ci_lo;
    if (s->median == 0)
        return width == 0;
    return width / fabs(s->median) < target;
}

bool vcb_drift_flagged(double drift)
{
    return fabs(drift) > VCB_DRIFT_FLAG;
}

bool vcb_unit_known(const char *unit)
{
    static const char *const units[] = {"ns", "bytes", "pct", "per_s", "ops_per_s", "mb_per_s"};
    for (size_t i = 0; unit && i < sizeof(units) / sizeof(units[0]); i++)
        if (strcmp(unit, units[i]) == 0)
            return true;
    return false;
}
