/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* demo-mem.c — step 3 of the demo: what one idle instance of each backend
 * costs the host, in the memory scenario's terms (docs/results-schema.md):
 * host cost = the host processes' PSS + the kernel memory charged for the
 * instance; program use = what the guest reports in use, or the workload's
 * own PSS; overhead = the difference. */
#include <string.h>

#include "demo-priv.h"
#include "demo-text.h"

#define MEM_SETTLE_NS (1 * VCB_NS_PER_S)

enum { M_COST, M_RSS, M_PSS, M_USS, M_USE, M_OVER, M_CHARGED, M__N };
static const char *const mem_metric[M__N] = {"host_cost",    "rss",      "pss",        "uss",
                                             "workload_use", "overhead", "mem_charged"};

static void add(json_t *entry, const char *name, uint64_t v)
{
    struct bench_samples s = {0};
    if (v == VCB_STAT_UNSET)
        return;
    bench_samples_add(&s, (double)v);
    bench_entry_add_metric(entry, name, "bytes", &s, NULL);
    bench_samples_free(&s);
}

/* Record the sample and say the row; returns the host cost (0: unknown). */
static uint64_t mem_record(struct demo *d, size_t b, json_t *entry, const struct vcb_stats *st)
{
    const char *source;
    uint64_t v[M__N] = {bench_mem_host_cost(st), st->rss, st->pss, st->uss, 0, 0, st->mem_charged};
    v[M_USE] = bench_mem_workload_use(st, &source);
    bool both = v[M_COST] != VCB_STAT_UNSET && v[M_USE] != VCB_STAT_UNSET;
    v[M_OVER] = both && v[M_COST] >= v[M_USE] ? v[M_COST] - v[M_USE] : VCB_STAT_UNSET;
    for (size_t i = 0; i < M__N; i++)
        add(entry, mem_metric[i], v[i]);
    if (both && v[M_COST] < v[M_USE]) { /* a negative overhead is a real (odd) sample */
        struct bench_samples s = {0};
        bench_samples_add(&s, (double)v[M_COST] - (double)v[M_USE]);
        bench_entry_add_metric(entry, "overhead", "bytes", &s, NULL);
        bench_samples_free(&s);
    }
    bench_entry_note(entry, "workload_use_source", json_string(source));
    char label[64], c[32] = "?", u[32] = "?", o[32] = "?";
    if (v[M_COST] != VCB_STAT_UNSET)
        vcb_format_size(v[M_COST], c, sizeof(c));
    if (v[M_USE] != VCB_STAT_UNSET)
        vcb_format_size(v[M_USE], u, sizeof(u));
    if (v[M_OVER] != VCB_STAT_UNSET)
        vcb_format_size(v[M_OVER], o, sizeof(o));
    demo_backend_label(d, b, demo_entry_emulated(entry), label, sizeof(label));
    demo_say(d, DT_MEM_ROW, label, c, u, o);
    return v[M_COST] == VCB_STAT_UNSET ? 0 : v[M_COST];
}

static void mem_fail(struct demo *d, size_t b, json_t *entry, const char *why)
{
    char label[64];
    bench_entry_add_dnf(entry, "idle: %s", why);
    demo_say(d, DT_MEM_FAILED, demo_backend_label(d, b, false, label, sizeof(label)), why);
}

static void mem_once(struct demo *d, size_t b, json_t *entry)
{
    const struct bench_suite *su = d->ctx.suite;
    char bound[32], why[VCB_ERR_MSG_MAX];
    /* it ends by itself past its whole budget, even if we are killed */
    snprintf(bound, sizeof(bound), "%lluns",
             (unsigned long long)(su->ready_timeout_ns + MEM_SETTLE_NS + 2 * su->exit_timeout_ns));
    char *args[] = {"--duration", bound, NULL};
    cleanup_inst struct bench_inst bi = {0};
    if (demo_launch(d, b, "idle", args, &bi) < 0) {
        bench_entry_add_dnf(entry, "idle: %s", bi.error);
        return;
    }
    bench_entry_mark(entry, &bi);
    int rc = bench_inst_wait(&bi, 1, VCB_EV_READY, vcb_now_ns() + su->ready_timeout_ns);
    if (!bi.t[VCB_EV_READY]) {
        bench_inst_why(&bi, VCB_EV_READY, rc, su->ready_timeout_ns, why, sizeof(why));
        mem_fail(d, b, entry, why);
        return;
    }
    if (bench_settle(&bi, 1, MEM_SETTLE_NS) < 0)
        return;
    struct vcb_stats st;
    struct vcb_err err = {0};
    vcb_stats_init(&st);
    if (bi.t[VCB_EV_GONE])
        mem_fail(d, b, entry, "gone before it could be measured");
    else if (bi.vi->driver->stats(bi.vi, &st, &err) < 0)
        mem_fail(d, b, entry, err.msg);
    else
        d->mem_cost[bench_backend_index(d->ctx.backends[b].name)] =
            (double)mem_record(d, b, entry, &st);
}

static void mem_verdict(struct demo *d)
{
    const double *c = d->mem_cost;
    int p = bench_backend_index("process"), ct = bench_backend_index("container"),
        vm = bench_backend_index("vm");
    char s1[32], s2[32];
    if (c[p] && c[ct]) {
        vcb_format_size((uint64_t)c[ct], s1, sizeof(s1));
        vcb_format_size((uint64_t)c[p], s2, sizeof(s2));
        demo_say(d, DT_MEM_CT, s1, s2);
    }
    if (c[vm] && c[ct]) {
        bool tcg = false;
        json_t *e;
        size_t i;
        json_array_foreach(json_object_get(d->results.doc, "results"), i, e)
        {
            const char *sc = json_string_value(json_object_get(e, "scenario"));
            const char *be = json_string_value(json_object_get(e, "backend"));
            tcg = tcg || (sc && be && !strcmp(sc, "memory") && !strcmp(be, "vm") &&
                          demo_entry_emulated(e));
        }
        vcb_format_size((uint64_t)c[vm], s1, sizeof(s1));
        demo_say(d, DT_MEM_VM, s1, c[vm] / c[ct], c[vm] / c[ct], tcg ? DT_MEM_VM_TCG : "");
    }
}

int demo_step_memory(struct demo *d)
{
    demo_say(d, DT_INTRO3);
    demo_say(d, DT_MEM_HEAD, "", "host cost", "program uses", "overhead");
    for (size_t b = 0; b < d->ctx.nbackends && !demo_stopped(d); b++) {
        json_t *entry =
            bench_entry_for(&d->ctx, "memory", &d->ctx.backends[b],
                            json_pack("{s:s, s:i}", "workload", "idle", "alloc_bytes", 0));
        if (!demo_skip(d, b, entry))
            mem_once(d, b, entry);
        bench_results_add(&d->results, entry);
    }
    if (!demo_stopped(d))
        mem_verdict(d);
    return 0;
}
