/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* demo-boot.c — steps 2 and 3 of the demo: the same `noop` started as a
 * process, a container and a VM with its phases shown as they arrive (then
 * repeated quietly for a median), and what an idle instance of each costs
 * in memory. Both feed the results file as the boot and memory scenarios. */
#include <string.h>

#include "demo-priv.h"
#include "demo-text.h"

#define BOOT_REPEAT_FAST 9                  /* quiet repeats of a start under 1 s */
#define BOOT_REPEAT_SLOW 1                  /* ... and of a slower one (a VM under TCG) */
#define MEM_SETTLE_NS    (1 * VCB_NS_PER_S) /* let an idle instance settle */

struct boot_arm {
    json_t *entry;
    struct bench_samples m[BENCH_BOOT__N];
};

static void say_span(struct demo *d, const struct bench_inst *bi, enum vcb_event_kind a,
                     enum vcb_event_kind b)
{
    char t[32] = "-";
    uint64_t ns = bench_inst_span(bi, a, b);
    if (ns)
        vcb_format_duration(ns, t, sizeof(t));
    else if (bi->t[a] && bi->t[b]) /* both lines came in one read */
        snprintf(t, sizeof(t), DT_BOOT_ZERO);
    demo_say(d, DT_BOOT_CELL, t);
}

/* Wait for each phase in turn and show it as soon as it is there. */
static void boot_live_row(struct demo *d, size_t b, struct bench_inst *bi)
{
    const struct bench_suite *su = d->ctx.suite;
    static const enum vcb_event_kind next[] = {VCB_EV_STARTED, VCB_EV_INIT, VCB_EV_READY};
    char label[64], why[VCB_ERR_MSG_MAX];
    int rc = BENCH_WAIT_OK;
    uint64_t deadline = vcb_now_ns() + su->ready_timeout_ns;
    demo_say(d, DT_BOOT_ROW,
             demo_backend_label(d, b, demo_inst_emulated(bi), label, sizeof(label)));
    for (size_t k = 0; k < 3; k++) {
        rc = bench_inst_wait(bi, 1, next[k], deadline);
        if (!bi->t[next[k]])
            break;
        say_span(d, bi, k ? next[k - 1] : VCB_EV_CREATE, next[k]);
    }
    if (bi->t[VCB_EV_READY]) {
        say_span(d, bi, VCB_EV_CREATE, VCB_EV_READY);
        demo_say(d, "\n");
        return;
    }
    if (demo_stopped(d)) {
        demo_say(d, "\n");
        return;
    }
    bench_inst_why(bi, VCB_EV_READY, rc, su->ready_timeout_ns, why, sizeof(why));
    demo_say(d, "\n" DT_BOOT_FAILED, why);
}

/* One start: launch, ready (live or quiet), let it end, destroy (timed). */
static bool boot_once(struct demo *d, size_t b, struct boot_arm *a, bool live)
{
    const struct bench_suite *su = d->ctx.suite;
    cleanup_inst struct bench_inst bi = {0};
    int rc = BENCH_WAIT_OK;
    if (demo_launch(d, b, "noop", NULL, &bi) < 0) {
        bench_inst_log_dnf(a->entry, &bi, "boot", VCB_EV_READY, rc, su->ready_timeout_ns);
        return false;
    }
    bench_entry_mark(a->entry, &bi);
    if (live)
        boot_live_row(d, b, &bi);
    else
        rc = bench_inst_wait(&bi, 1, VCB_EV_READY, vcb_now_ns() + su->ready_timeout_ns);
    if (!bi.t[VCB_EV_READY]) {
        bench_inst_log_dnf(a->entry, &bi, "boot", VCB_EV_READY, rc, su->ready_timeout_ns);
        return false;
    }
    bench_inst_wait(&bi, 1, VCB_EV_GONE, vcb_now_ns() + su->exit_timeout_ns);
    bench_inst_finish(&bi, su->exit_timeout_ns);
    if (!demo_stopped(d))
        bench_boot_record(a->m, &bi);
    return true;
}

static void boot_publish(struct demo *d, struct boot_arm *a)
{
    for (size_t i = 0; i < BENCH_BOOT__N; i++) {
        bench_entry_add_metric(a->entry, bench_boot_metric_names[i], "ns", &a->m[i], NULL);
        bench_samples_free(&a->m[i]);
    }
    bench_results_add(&d->results, steal_pointer(&a->entry));
}

static void say_ns(char *buf, size_t len, double ns)
{
    vcb_format_duration((uint64_t)ns, buf, len);
}

/* The numbers in words: the container against the process, the VM against
 * the cheapest of the others, and how much of it was the guest's kernel. */
static void boot_verdict(struct demo *d, struct boot_arm *arms)
{
    int p = bench_backend_index("process"), c = bench_backend_index("container");
    double *r = d->boot_ready_ns;
    char t1[32], t2[32];
    for (size_t b = 0; b < d->ctx.nbackends; b++) {
        const struct bench_samples *s = &arms[b].m[BENCH_BOOT_C2R];
        r[bench_backend_index(d->ctx.backends[b].name)] = s->n ? vcb_median(s->v, s->n) : 0;
    }
    if (r[p] && r[c]) {
        say_ns(t1, sizeof(t1), r[c]);
        say_ns(t2, sizeof(t2), r[p]);
        demo_say(d, DT_BOOT_CT, t1, r[c] / r[p], t2);
    }
    int v = bench_backend_index("vm"), base = r[c] ? c : p;
    size_t vb = 0;
    while (vb < d->ctx.nbackends && strcmp(d->ctx.backends[vb].name, "vm"))
        vb++;
    if (!r[v] || !r[base] || vb == d->ctx.nbackends)
        return;
    const struct bench_samples *pre = &arms[vb].m[BENCH_BOOT_S2I],
                               *c2s = &arms[vb].m[BENCH_BOOT_C2S];
    double before_init =
        (pre->n ? vcb_median(pre->v, pre->n) : 0) + (c2s->n ? vcb_median(c2s->v, c2s->n) : 0);
    say_ns(t1, sizeof(t1), r[v]);
    say_ns(t2, sizeof(t2), before_init);
    demo_say(d, DT_BOOT_VM, t1, r[v] / r[base], bench_backend_known[base], t2,
             demo_entry_emulated(arms[vb].entry) ? DT_BOOT_VM_TCG : "");
}

int demo_step_boot(struct demo *d)
{
    struct boot_arm arms[BENCH_BACKEND_MAX] = {0};
    size_t nb = d->ctx.nbackends;
    demo_say(d, DT_INTRO2);
    demo_say(d, DT_BOOT_HEAD, "", "create->started", "started->init", "init->ready",
             "create->ready");
    for (size_t b = 0; b < nb; b++)
        arms[b].entry =
            bench_entry_for(&d->ctx, "boot", &d->ctx.backends[b],
                            json_pack("{s:s, s:s}", "workload", "noop", "mode", "serial"));
    for (size_t b = 0; b < nb && !demo_stopped(d); b++)
        if (!demo_skip(d, b, arms[b].entry))
            boot_once(d, b, &arms[b], true);
    if (!demo_stopped(d))
        demo_say(d, DT_BOOT_REPEAT);
    for (size_t b = 0; b < nb && !demo_stopped(d); b++) {
        if (d->down[b] || !d->ctx.backends[b].drv || !arms[b].m[BENCH_BOOT_C2R].n)
            continue;
        bool slow = arms[b].m[BENCH_BOOT_C2R].v[0] > 1e9;
        for (unsigned i = 0; i < (slow ? BOOT_REPEAT_SLOW : BOOT_REPEAT_FAST); i++)
            if (demo_stopped(d) || !boot_once(d, b, &arms[b], false))
                break;
        char label[64], t[32];
        const struct bench_samples *s = &arms[b].m[BENCH_BOOT_C2R];
        say_ns(t, sizeof(t), vcb_median(s->v, s->n));
        demo_backend_label(d, b, demo_entry_emulated(arms[b].entry), label, sizeof(label));
        demo_say(d, DT_BOOT_MEDIAN, label, t, s->n);
    }
    if (!demo_stopped(d))
        boot_verdict(d, arms);
    for (size_t b = 0; b < nb; b++)
        boot_publish(d, &arms[b]);
    return 0;
}
