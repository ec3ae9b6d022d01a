/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* memory.h — the memory scenario's parameters, as its suite object gives them. */
#ifndef BENCH_MEMORY_H
#define BENCH_MEMORY_H

#include "scenario.h"

struct memory_params {
    unsigned n;
    char workloads[2][BENCH_WORKLOAD_MAX]; /* idle, alloc */
    size_t nworkloads;
    uint64_t alloc_bytes;
    uint64_t settle_ns;
};

#endif
