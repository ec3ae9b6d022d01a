/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* density.h — the density scenario's parameters, as its suite object gives
 * them, and its fit (density-fit.c). */
#ifndef BENCH_DENSITY_H
#define BENCH_DENSITY_H

#include "scenario.h"

struct density_params {
    unsigned n;                                /* repetitions */
    unsigned instances_max;                    /* the largest cap */
    unsigned instances_cap[BENCH_BACKEND_MAX]; /* cap per backend (the registry's order) */
    unsigned instances_default;                /* of a family member first named after the parse */
    unsigned step;                             /* least instances per step */
    uint64_t floor_bytes;                      /* MemAvailable floor */
    uint64_t settle_ns;
};

/* density-fit.c: the least-squares fit of y on x and t (the plain line of y
 * on x when x only moved with t) as a results object (regressors,
 * slope_bytes, ci95_lo/hi, drift_bytes_per_s, intercept_bytes, points, r2,
 * resid_sd_bytes, flag), *out filled; NULL when nothing can be fitted. */
struct vcb_linfit;
json_t *bench_fit_json(const struct bench_samples *x, const struct bench_samples *t,
                       const struct bench_samples *y, struct vcb_linfit *out);
/* The fitted slope as a one-sample metric whose CI is the fit's. */
int bench_fit_metric(json_t *entry, const char *name, const struct vcb_linfit *f);
/* "ok", "ci_includes_zero", "negative" or "no_ci" for the median of s as a
 * cost (fewer than 3 samples: no CI). */
const char *bench_samples_cost_flag(const struct bench_samples *s);

#endif
