/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* boot.h — the boot scenario's parameters, as its suite object gives them,
 * and its serial metrics. */
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

/* The serial boot metrics. */
enum {
    BENCH_BOOT_C2S,
    BENCH_BOOT_S2I,
    BENCH_BOOT_I2R,
    BENCH_BOOT_C2R,
    BENCH_BOOT_R2G,
    BENCH_BOOT_TEARDOWN,
    BENCH_BOOT_UPTIME,
    BENCH_BOOT_TO_KERNEL, /* VMs: started → init minus the guest's uptime at init */
    BENCH_BOOT__N
};
extern const char *const bench_boot_metric_names[BENCH_BOOT__N];
/* Add an instance's phase spans, teardown time and (a fresh guest's own)
 * uptime at init, and what that leaves of started → init before the kernel
 * ran (qemu and firmware) to m[BENCH_BOOT__N]. */
void bench_boot_record(struct bench_samples *m, const struct bench_inst *bi);

#endif
