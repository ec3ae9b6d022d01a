/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* density.h — the density scenario's parameters, as its suite object gives them. */
#ifndef BENCH_DENSITY_H
#define BENCH_DENSITY_H

#include "scenario.h"

struct density_params {
    unsigned n;                                /* repetitions */
    unsigned instances_max;                    /* the largest cap */
    unsigned instances_cap[BENCH_BACKEND_MAX]; /* cap per backend (bench_backend_known order) */
    unsigned step;                             /* least instances per step */
    uint64_t floor_bytes;                      /* MemAvailable floor */
    uint64_t settle_ns;
};

#endif
