/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* boot.h — the boot scenario's parameters, as its suite object gives them. */
#ifndef BENCH_BOOT_H
#define BENCH_BOOT_H

#include "scenario.h"

struct boot_params {
    unsigned n, max_n, warmup;
    double ci_target;
    char workload[BENCH_WORKLOAD_MAX];
    unsigned concurrency[BENCH_LIST_MAX]; /* concurrent levels, after the serial boots */
    size_t nconcurrency;
    unsigned rounds; /* concurrent rounds per level */
};

#endif
