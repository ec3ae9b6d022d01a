/* stats.c — summaries of samples: percentiles, spread, a reproducible
 * bootstrap CI of the median, outliers and drift. No allocation leaks into
 * callers: every function works on copies it frees itself. */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "harness.h"

/* splitmix64: tiny, well mixed, and ours, so a CI never depends on libc's rand. */
uint64_t bench_rng_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform index in [0, n) without modulo bias worth caring about at n < 2^32. */
static size_t rng_index(uint64_t *state, size_t n)
{
    return (size_t)(((bench_rng_next(state) >> 32) * (uint64_t)n) >> 32);
}

static int cmp_double(const void *a, const void *b)
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
    qsort(c, n, sizeof(double), cmp_double);
    return c;
}

double bench_percentile(const double *sorted, size_t n, double p)
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

double bench_median(const double *x, size_t n)
{
    cleanup_free double *c = sorted_copy(x, n);
    return c ? bench_percentile(c, n, 50) : NAN;
}

/* Median of a resample, using buf (n doubles) as scratch. */
static double resample_median(const double *x, size_t n, uint64_t *state, double *buf)
{
    for (size_t i = 0; i < n; i++)
        buf[i] = x[rng_index(state, n)];
    qsort(buf, n, sizeof(double), cmp_double);
    return bench_percentile(buf, n, 50);
}

void bench_bootstrap_median_ci(const double *x, size_t n, uint64_t seed, unsigned resamples,
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
    qsort(meds, resamples, sizeof(double), cmp_double);
    *lo = bench_percentile(meds, resamples, 2.5);
    *hi = bench_percentile(meds, resamples, 97.5);
}

void bench_bootstrap_ratio_ci(const double *a, size_t na, const double *b, size_t nb,
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
    qsort(vals, resamples, sizeof(double), cmp_double);
    *lo = bench_percentile(vals, resamples, 2.5);
    *hi = bench_percentile(vals, resamples, 97.5);
}

/* A sample is an outlier more than `mads` robust sigmas from the median,
 * sigma = 1.4826 x MAD (= the stddev for normal data). When more than half
 * the samples are equal the MAD is 0; the mean absolute deviation (x 1.2533
 * for normal data) stands in, so one odd value is flagged, not every
 * value that differs at all. */
size_t bench_outliers(const double *x, size_t n, double mads)
{
    cleanup_free double *dev = malloc(n * sizeof(double));
    if (n < 3 || !dev)
        return 0;
    double med = bench_median(x, n), sum = 0;
    for (size_t i = 0; i < n; i++) {
        dev[i] = fabs(x[i] - med);
        sum += dev[i];
    }
    double sigma = 1.4826 * bench_median(dev, n);
    if (sigma == 0)
        sigma = 1.2533 * sum / (double)n;
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        if (sigma > 0 && dev[i] > mads * sigma)
            count++;
    return count;
}

/* Moments: mean, sample stddev, coefficient of variation. */
static void moments(const double *x, size_t n, struct bench_summary *s)
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
static void drift(const double *x, size_t n, struct bench_summary *s)
{
    s->has_drift = n >= BENCH_DRIFT_MIN_N;
    if (!s->has_drift)
        return;
    size_t third = n / 3;
    double first = bench_median(x, third), last = bench_median(x + n - third, third);
    s->drift = s->median != 0 ? (last - first) / fabs(s->median) : 0;
}

int bench_summarize(const double *x, size_t n, struct bench_summary *s)
{
    memset(s, 0, sizeof(*s));
    if (n == 0)
        return -1;
    cleanup_free double *c = sorted_copy(x, n);
    if (!c)
        return -1;
    s->n = n;
    s->median = bench_percentile(c, n, 50);
    s->p5 = bench_percentile(c, n, 5);
    s->p95 = bench_percentile(c, n, 95);
    s->p99 = bench_percentile(c, n, 99);
    moments(x, n, s);
    bench_bootstrap_median_ci(x, n, BENCH_STATS_SEED, BENCH_BOOTSTRAP_B, &s->ci_lo, &s->ci_hi);
    s->outliers = bench_outliers(x, n, BENCH_OUTLIER_MADS);
    drift(x, n, s);
    return 0;
}

bool bench_ci_narrow(const struct bench_summary *s, double target)
{
    if (s->n < 2)
        return false;
    double width = s->ci_hi - s->ci_lo;
    if (s->median == 0)
        return width == 0;
    return width / fabs(s->median) < target;
}

int bench_samples_add(struct bench_samples *s, double x)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        double *v = realloc(s->v, cap * sizeof(double));
        if (!v)
            return -1;
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = x;
    return 0;
}

void bench_samples_free(struct bench_samples *s)
{
    free(s->v);
    memset(s, 0, sizeof(*s));
}
