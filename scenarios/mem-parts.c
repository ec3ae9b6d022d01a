/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mem-parts.c — one instance's host memory, part by part, in the same
 * terms for every backend: the user memory of its host processes (PSS),
 * the kernel memory charged for it, and what explains the rest (guest RAM
 * inside qemu, page tables, the image in the page cache). Host cost is PSS
 * plus kernel memory: order-independent, unlike a cgroup's raw charge,
 * which holds page cache only when this instance read a file first. */
#include <string.h>

#include "memory.h"

const char *const bench_mem_part_names[BENCH_MEM__N] = {
    [BENCH_MEM_KERNEL] = "kernel",
    [BENCH_MEM_KERNEL_STACK] = "kernel_stack",
    [BENCH_MEM_PAGETABLES] = "pagetables",
    [BENCH_MEM_SLAB] = "slab",
    [BENCH_MEM_PERCPU] = "percpu",
    [BENCH_MEM_VMALLOC] = "vmalloc",
    [BENCH_MEM_SOCK] = "sock",
    [BENCH_MEM_ANON_CHARGED] = "anon_charged",
    [BENCH_MEM_FILE_CHARGED] = "file_charged",
    [BENCH_MEM_PROC_PAGETABLES] = "proc_pagetables",
    [BENCH_MEM_PROC_KSTACKS] = "proc_kernel_stacks",
    [BENCH_MEM_GUEST_RAM_PSS] = "guest_ram_pss",
    [BENCH_MEM_VMM_OVERHEAD] = "vmm_overhead",
    [BENCH_MEM_IMAGE_CACHED] = "image_cached",
    [BENCH_MEM_IMAGE_BYTES] = "image_bytes",
    [BENCH_MEM_BALLOON_ACTUAL] = "balloon_actual",
    [BENCH_MEM_GUEST_AVAILABLE] = "guest_available",
    [BENCH_MEM_GUEST_UNUSED] = "guest_unused",
};

static uint64_t sum_set(uint64_t a, uint64_t b)
{
    return a == VCB_STAT_UNSET ? b : b == VCB_STAT_UNSET ? a : a + b;
}

uint64_t bench_mem_kernel(const struct vcb_stats *st, const char **source)
{
    const struct vcb_memcg_split *cg = &st->cg;
    if (cg->kernel != VCB_STAT_UNSET) {
        bool v2 = cg->kernel_stack != VCB_STAT_UNSET;
        *source = st->guest_ram != VCB_STAT_UNSET
                      ? (v2 ? "memory.stat kernel + sock of the cgroup libvirt put qemu in"
                            : "memory.kmem.usage_in_bytes of the cgroup libvirt put qemu in")
                  : v2 ? "memory.stat kernel + sock of its cgroup"
                       : "memory.kmem.usage_in_bytes of its cgroup";
        return sum_set(cg->kernel, cg->sock);
    }
    if (st->proc_pagetables == VCB_STAT_UNSET || st->proc_threads == VCB_STAT_UNSET) {
        *source = "none";
        return VCB_STAT_UNSET;
    }
    *source = "estimate from /proc (no cgroup): page tables (VmPTE) + threads x 16 KiB kernel "
              "stack; task structs, slab and open files are not counted";
    return st->proc_pagetables + st->proc_threads * VCB_KSTACK_BYTES;
}

uint64_t bench_mem_host_cost(const struct vcb_stats *st)
{
    const char *source;
    uint64_t kernel = bench_mem_kernel(st, &source);
    if (st->pss == VCB_STAT_UNSET)
        return VCB_STAT_UNSET;
    return st->pss + (kernel == VCB_STAT_UNSET ? 0 : kernel);
}

void bench_mem_parts(const struct vcb_stats *st, uint64_t v[BENCH_MEM__N], const char **source)
{
    const struct vcb_memcg_split *cg = &st->cg;
    v[BENCH_MEM_KERNEL] = bench_mem_kernel(st, source);
    v[BENCH_MEM_KERNEL_STACK] = cg->kernel_stack;
    v[BENCH_MEM_PAGETABLES] = cg->pagetables;
    v[BENCH_MEM_SLAB] = cg->slab;
    v[BENCH_MEM_PERCPU] = cg->percpu;
    v[BENCH_MEM_VMALLOC] = cg->vmalloc;
    v[BENCH_MEM_SOCK] = cg->sock;
    v[BENCH_MEM_ANON_CHARGED] = cg->anon;
    v[BENCH_MEM_FILE_CHARGED] = cg->file;
    v[BENCH_MEM_PROC_PAGETABLES] = st->proc_pagetables;
    v[BENCH_MEM_PROC_KSTACKS] =
        st->proc_threads == VCB_STAT_UNSET ? VCB_STAT_UNSET : st->proc_threads * VCB_KSTACK_BYTES;
    v[BENCH_MEM_GUEST_RAM_PSS] = st->guest_ram_pss;
    v[BENCH_MEM_VMM_OVERHEAD] = st->guest_ram_pss == VCB_STAT_UNSET || st->pss == VCB_STAT_UNSET ||
                                        st->pss < st->guest_ram_pss
                                    ? VCB_STAT_UNSET
                                    : st->pss - st->guest_ram_pss;
    v[BENCH_MEM_IMAGE_CACHED] = st->image_cached;
    v[BENCH_MEM_IMAGE_BYTES] = st->image_bytes;
    v[BENCH_MEM_BALLOON_ACTUAL] = st->balloon_actual;
    v[BENCH_MEM_GUEST_AVAILABLE] = st->guest_available;
    v[BENCH_MEM_GUEST_UNUSED] = st->guest_unused;
}

const char *bench_mem_source(const struct vcb_stats *st)
{
    return st->mem_source ? st->mem_source : "PSS, /proc (this host)";
}

int bench_own_kernel(uint64_t *out)
{
    char dir[PATH_MAX];
    bool root = true;
    struct vcb_memcg_split m;
    struct vcb_err err = {0};
    /* The root group is never charged: nothing to read there. */
    if (vcb_memcg_dir_of(0, dir, sizeof(dir), &root, &err) < 0 || root ||
        vcb_memcg_read(dir, &m, &err) < 0 || m.kernel == VCB_STAT_UNSET)
        return -1;
    *out = m.kernel;
    return 0;
}
