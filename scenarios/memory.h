/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* memory.h — the memory scenario's parameters, as its suite object gives
 * them, and its rules for what an instance costs (mem-parts.c). */
#ifndef BENCH_MEMORY_H
#define BENCH_MEMORY_H

#include "scenario.h"

#define MEMORY_WORKLOADS_MAX 4

struct memory_params {
    unsigned n;
    char workloads[MEMORY_WORKLOADS_MAX][BENCH_WORKLOAD_MAX]; /* idle, alloc, the suite's own */
    size_t nworkloads;
    uint64_t alloc_bytes;
    uint64_t settle_ns;
};

/* The memory scenario's rules (mem-parts.c): host cost
 * = PSS of the instance's host processes + the kernel memory charged for it;
 * workload use = what a guest reports, or the process tree's PSS (source
 * says which). */
uint64_t bench_mem_host_cost(const struct vcb_stats *st);
uint64_t bench_mem_workload_use(const struct vcb_stats *st, const char **source);
/* Kernel memory charged for the instance: its cgroup's (container; the one
 * libvirt put qemu in), else an estimate from /proc; source says which. */
uint64_t bench_mem_kernel(const struct vcb_stats *st, const char **source);
/* The breakdown's parts, each a metric of the memory scenario. */
enum bench_mem_part {
    BENCH_MEM_KERNEL,
    BENCH_MEM_KERNEL_STACK, /* parts of kernel, cgroup v2 only */
    BENCH_MEM_PAGETABLES,
    BENCH_MEM_SLAB,
    BENCH_MEM_PERCPU,
    BENCH_MEM_VMALLOC,
    BENCH_MEM_SOCK,
    BENCH_MEM_ANON_CHARGED, /* user memory charged to the cgroup */
    BENCH_MEM_FILE_CHARGED,
    BENCH_MEM_PROC_PAGETABLES, /* from /proc, every backend */
    BENCH_MEM_PROC_KSTACKS,
    BENCH_MEM_GUEST_RAM_PSS, /* VM: inside qemu's PSS */
    BENCH_MEM_VMM_OVERHEAD,  /* VM: qemu's PSS - guest RAM PSS */
    BENCH_MEM_IMAGE_CACHED,  /* shared by every instance of the image */
    BENCH_MEM_IMAGE_BYTES,
    BENCH_MEM_BALLOON_ACTUAL, /* VM on a remote host: what libvirt says of the guest */
    BENCH_MEM_GUEST_AVAILABLE,
    BENCH_MEM_GUEST_UNUSED,
    BENCH_MEM__N
};
extern const char *const bench_mem_part_names[BENCH_MEM__N];
/* Where an instance's memory figures were read, in words (results'
 * notes.memory_source): the driver's, else this host's /proc. */
const char *bench_mem_source(const struct vcb_stats *st);
/* v[] gets every part (VCB_STAT_UNSET where the backend cannot say). */
void bench_mem_parts(const struct vcb_stats *st, uint64_t v[BENCH_MEM__N], const char **source);
/* Kernel memory charged to vcbench's own memory cgroup now; -1 when it is
 * the root group (never charged) or cannot be read. */
int bench_own_kernel(uint64_t *out);

#endif
