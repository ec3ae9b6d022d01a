/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vcb-stats.h — the one statistics module of vcbench. The harness summarises
 * its samples with it and writes the summaries into results.json; reports
 * read those summaries back and, for a metric a file holds no summary for,
 * compute one with these same functions: a report never disagrees with the
 * run it reads. Percentiles interpolate linearly between closest ranks
 * (numpy's default); stddev is the sample one (n - 1); the CI of the median
 * is a percentile bootstrap with a fixed seed, so the same samples always
 * give the same interval. */
#ifndef VCB_STATS_H
#define VCB_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VCB_STATS_SEED     0x7663622d62656e63ULL /* "vcb-benc" */
#define VCB_BOOTSTRAP_B    2000
#define VCB_OUTLIER_SIGMAS 3.0  /* robust sigmas (1.4826 MAD) off the median */
#define VCB_DRIFT_MIN_N    6    /* fewer samples: no drift figure */
#define VCB_DRIFT_FLAG     0.10 /* |drift| beyond this is flagged where shown */

struct vcb_summary {
    size_t n;
    double median, p5, p95, p99, mean, stddev, cov;
    double ci_lo, ci_hi; /* 95% bootstrap CI of the median */
    size_t outliers;     /* samples more than VCB_OUTLIER_SIGMAS off the median */
    bool has_drift;      /* n >= VCB_DRIFT_MIN_N */
    double drift;        /* (median of last third - median of first third) / median */
};

/* splitmix64: small, well mixed, and ours, so nothing depends on libc's rand. */
uint64_t vcb_rng_next(uint64_t *state);
/* Uniform in [0, n). */
size_t vcb_rng_index(uint64_t *state, size_t n);
/* Fisher-Yates shuffle of v[0..n). */
void vcb_shuffle(size_t *v, size_t n, uint64_t *state);

int vcb_cmp_double(const void *a, const void *b);                /* for qsort */
double vcb_percentile(const double *sorted, size_t n, double p); /* p in 0..100 */
double vcb_median(const double *x, size_t n);
void vcb_bootstrap_median_ci(const double *x, size_t n, uint64_t seed, unsigned resamples,
                             double *lo, double *hi);
/* Two-sample bootstrap CI of f(median(a), median(b)), e.g. a degradation. */
void vcb_bootstrap_ratio_ci(const double *a, size_t na, const double *b, size_t nb,
                            double (*f)(double a, double b), uint64_t seed, unsigned resamples,
                            double *lo, double *hi);
size_t vcb_outliers(const double *x, size_t n, double sigmas);
/* Fill s from n >= 1 samples in run order (drift needs the order). */
int vcb_summarize(const double *x, size_t n, struct vcb_summary *s);

/* The units a results file's metrics may have (results-schema.md), as
 * "ns, bytes, …" in VCB_UNITS_TEXT for messages. */
#define VCB_UNITS_TEXT "ns, bytes, pct, per_s, ops_per_s, mb_per_s"
bool vcb_unit_known(const char *unit);
/* CI width / |median| below target: enough repetitions. */
bool vcb_ci_narrow(const struct vcb_summary *s, double target);
/* The drift is large enough to say the host changed during the run. */
bool vcb_drift_flagged(double drift);

#endif
