/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* scenario-memory.c — what one instance costs the host, part by part.
 * Host cost is the PSS of its host processes (the plain process tree, the
 * container's processes, qemu) plus the kernel memory charged for it (its
 * cgroup's; for the plain process, an estimate from /proc). Workload use is
 * what the guest reports in use (VM) or the workload's own PSS; overhead =
 * host cost - workload use. The parts (mem-parts.c) explain it, and
 * kernel_outside is what the kernel charged to vcbench's own cgroup while
 * the instance started, i.e. not to the instance. */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "memory.h"

enum { M_COST, M_RSS, M_PSS, M_USS, M_USE, M_OVER, M_CHARGED, M_OUTSIDE, M__N };
static const char *const metric_names[M__N] = {
    "host_cost", "rss", "pss", "uss", "workload_use", "overhead", "mem_charged", "kernel_outside"};

struct mem_arm {
    json_t *entry;
    struct bench_samples m[M__N];
    struct bench_samples part[BENCH_MEM__N];
};

static void add_stat(struct bench_samples *s, uint64_t v)
{
    if (v != VCB_STAT_UNSET)
        bench_samples_add(s, (double)v);
}

/* A guest (guest_ram set) must say what it uses; PSS would be qemu's. */
uint64_t bench_mem_workload_use(const struct vcb_stats *st, const char **source)
{
    *source = "guest_used";
    if (st->guest_used != VCB_STAT_UNSET)
        return st->guest_used;
    *source = "workload_pss";
    return st->guest_ram != VCB_STAT_UNSET ? VCB_STAT_UNSET : st->pss;
}

/* outside: kernel memory our own cgroup gained meanwhile (NAN: unknown). */
static void record_stats(struct mem_arm *a, const struct vcb_stats *st, double outside)
{
    const char *source, *ksource;
    uint64_t cost = bench_mem_host_cost(st), use = bench_mem_workload_use(st, &source);
    uint64_t parts[BENCH_MEM__N];
    add_stat(&a->m[M_COST], cost);
    add_stat(&a->m[M_RSS], st->rss);
    add_stat(&a->m[M_PSS], st->pss);
    add_stat(&a->m[M_USS], st->uss);
    add_stat(&a->m[M_USE], use);
    add_stat(&a->m[M_CHARGED], st->mem_charged);
    if (cost != VCB_STAT_UNSET && use != VCB_STAT_UNSET)
        bench_samples_add(&a->m[M_OVER], (double)cost - (double)use);
    if (!isnan(outside) && !st->mem_remote) /* our cgroup is not on the instance's host */
        bench_samples_add(&a->m[M_OUTSIDE], outside);
    bench_mem_parts(st, parts, &ksource);
    for (size_t p = 0; p < BENCH_MEM__N; p++)
        add_stat(&a->part[p], parts[p]);
    bench_entry_note(a->entry, "workload_use_source", json_string(source));
    bench_entry_note(a->entry, "kernel_source", json_string(ksource));
    bench_entry_note(a->entry, "memory_source", json_string(bench_mem_source(st)));
    if (use == VCB_STAT_UNSET)
        bench_entry_add_dnf(a->entry, "the guest did not report its memory use");
}

static void memory_once(struct bench_ctx *ctx, const struct memory_params *sc,
                        const struct bench_backend *be, const char *workload, struct mem_arm *a)
{
    const struct bench_suite *su = ctx->suite;
    char size[32], bound[32];
    /* Every instance ends by itself past the sample's whole budget, so even a
     * run killed with SIGKILL leaves nothing running for long. */
    snprintf(size, sizeof(size), "%llu", (unsigned long long)sc->alloc_bytes);
    snprintf(bound, sizeof(bound), "%lluns",
             (unsigned long long)(su->ready_timeout_ns + sc->settle_ns + 2 * su->exit_timeout_ns));
    char *alloc_args[] = {size, "--hold", bound, NULL}, *idle_args[] = {"--duration", bound, NULL};
    bool alloc = strcmp(workload, "alloc") == 0;
    cleanup_inst struct bench_inst bi = {0};
    int rc = BENCH_WAIT_OK;
    uint64_t own0 = 0, own1 = 0;
    bool own = bench_own_kernel(&own0) == 0;
    if (bench_inst_launch(ctx, be, workload, alloc ? alloc_args : idle_args, &bi) == 0)
        rc = bench_inst_wait(&bi, 1, VCB_EV_READY, vcb_now_ns() + su->ready_timeout_ns);
    bench_entry_mark(a->entry, &bi);
    if (!bi.t[VCB_EV_READY]) {
        bench_inst_log_dnf(a->entry, &bi, workload, VCB_EV_READY, rc, su->ready_timeout_ns);
        return;
    }
    if (bench_settle(&bi, 1, sc->settle_ns) < 0)
        return;
    struct vcb_stats st;
    struct vcb_err err = {0};
    if (bi.t[VCB_EV_GONE])
        bench_entry_add_dnf(a->entry, "%s: gone before it could be measured: %s", workload,
                            bi.gone_detail);
    else if (be->drv->stats(bi.vi, &st, &err) < 0)
        bench_entry_add_dnf(a->entry, "%s: %s", workload, err.msg);
    else
        record_stats(a, &st,
                     own && bench_own_kernel(&own1) == 0 ? (double)own1 - (double)own0 : NAN);
    /* destroyed, not stopped (cleanup_inst): its end is not measured here */
}

static void memory_workload(struct bench_ctx *ctx, const struct memory_params *sc,
                            const char *workload)
{
    struct mem_arm arms[BENCH_BACKEND_MAX] = {0};
    bool alloc = strcmp(workload, "alloc") == 0;
    for (size_t b = 0; b < ctx->nbackends; b++)
        arms[b].entry = bench_entry_for(ctx, "memory", &ctx->backends[b],
                                        json_pack("{s:s, s:I}", "workload", workload, "alloc_bytes",
                                                  (json_int_t)(alloc ? sc->alloc_bytes : 0)));
    for (unsigned i = 0; i < sc->n && !bench_stopping(ctx); i++) {
        for (size_t b = 0; b < ctx->nbackends && !bench_stopping(ctx); b++) {
            if (!ctx->backends[b].drv)
                continue;
            memory_once(ctx, sc, &ctx->backends[b], workload, &arms[b]);
            bench_progress_step(ctx->progress, "memory", ctx->backends[b].name, i + 1, sc->n);
        }
    }
    for (size_t b = 0; b < ctx->nbackends; b++) {
        for (size_t m = 0; m < M__N; m++) {
            bench_entry_add_metric(arms[b].entry, metric_names[m], "bytes", &arms[b].m[m], NULL);
            bench_samples_free(&arms[b].m[m]);
        }
        for (size_t p = 0; p < BENCH_MEM__N; p++) {
            bench_entry_add_metric(arms[b].entry, bench_mem_part_names[p], "bytes",
                                   &arms[b].part[p], NULL);
            bench_samples_free(&arms[b].part[p]);
        }
        bench_results_add(ctx->results, arms[b].entry);
    }
}

static int memory_run(struct bench_ctx *ctx, const void *params)
{
    const struct memory_params *sc = params;
    for (size_t w = 0; w < sc->nworkloads && !bench_stopping(ctx); w++)
        memory_workload(ctx, sc, sc->workloads[w]);
    return 0;
}

static int memory_parse(const struct sj *sj, json_t *o, const char *p, void **params)
{
    static const char *const keys[] = {"type", "workloads", "alloc", "n", "settle", NULL};
    static const char *const builtin[] = {"idle", "alloc", NULL};
    const char *choices[64];
    sj_with_own(sj, builtin, choices, 64);
    cleanup_free struct memory_params *sc = malloc(sizeof(*sc));
    if (!sc)
        return vcb_err_sys(sj->err, ENOMEM, "%s: %s", sj->file, p);
    *sc = (struct memory_params){.n = 3,
                                 .alloc_bytes = 64ULL << 20,
                                 .settle_ns = 500 * VCB_NS_PER_MS,
                                 .nworkloads = 2,
                                 .workloads = {"idle", "alloc"}};
    if (sj_keys(sj, o, p, keys) < 0 ||
        sj_choice_list(sj, o, p, "workloads", "workload", choices, sc->workloads,
                       MEMORY_WORKLOADS_MAX, &sc->nworkloads) < 0 ||
        sj_size(sj, o, p, "alloc", &sc->alloc_bytes) < 0 ||
        sj_uint(sj, o, p, "n", 1, 10000, &sc->n) < 0 ||
        sj_duration(sj, o, p, "settle", &sc->settle_ns) < 0)
        return -1;
    if (json_object_get(o, "alloc") && sc->alloc_bytes == 0) {
        char path[256];
        sj_path(path, sizeof(path), p, "alloc");
        return sj_bad(sj, path, "expected a size above 0 (e.g. \"64MiB\")");
    }
    *params = steal_pointer(&sc);
    return 0;
}

static unsigned memory_plan(const void *params, size_t nbackends)
{
    const struct memory_params *sc = params;
    return (unsigned)sc->nworkloads * sc->n * (unsigned)nbackends;
}

static int memory_images(const void *params, bench_image_need_fn need, void *arg,
                         struct vcb_err *err)
{
    const struct memory_params *sc = params;
    for (size_t w = 0; w < sc->nworkloads; w++)
        if (need(arg, sc->workloads[w], err) < 0)
            return -1;
    return 0;
}

const struct bench_scenario_ops bench_memory_ops = {.name = "memory",
                                                    .parse = memory_parse,
                                                    .plan = memory_plan,
                                                    .images = memory_images,
                                                    .run = memory_run,
                                                    .free = free};
