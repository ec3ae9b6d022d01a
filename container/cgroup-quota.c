/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cgroup-quota.c — a fractional cpu limit as a quota over CT_CPU_PERIOD_US,
 * the same number for v2's cpu.max and v1's cpu.cfs_quota_us. */
#include <math.h>

#include "container-priv.h"

uint64_t ct_cpu_quota_us(double cpus)
{
    double q = llround(cpus * (double)CT_CPU_PERIOD_US);
    return q < 1000 ? 1000 : (uint64_t)q;
}
