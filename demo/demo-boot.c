/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* demo-boot.c — steps 2 and 3 of the demo, told from the boot and memory
 * scenarios as they run: the same `noop` started as a process, a container
 * and a VM, the first start of each shown phase by phase as it is ready,
 * then the medians; and what an idle instance of each costs in memory. */
#include <string.h>

#include "demo-priv.h"
#include "demo-text.h"

static void say_ns(char *buf, size_t len, double ns)
{
    vcb_format_duration((uint64_t)ns, buf, len);
}

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

static void boot_start(struct demo *d)
{
    demo_say(d, DT_INTRO2);
    demo_say(d, DT_BOOT_HEAD, "", "create->started", "started->init", "init->ready",
             "create->ready");
}

/* The first start of each backend, its phases as the host stamped them. */
static void boot_ready(struct demo *d, const struct bench_inst *bi)
{
    size_t b = (size_t)(bi->be - d->ctx->backends);
    char label[64];
    if (b >= d->ctx->nbackends || d->live_shown[b])
        return;
    d->live_shown[b] = true;
    snprintf(label, sizeof(label), "%s%s", bi->be->name, bi->emulated ? " (emulated, TCG)" : "");
    demo_say(d, DT_BOOT_ROW, label);
    say_span(d, bi, VCB_EV_CREATE, VCB_EV_STARTED);
    say_span(d, bi, VCB_EV_STARTED, VCB_EV_INIT);
    say_span(d, bi, VCB_EV_INIT, VCB_EV_READY);
    say_span(d, bi, VCB_EV_CREATE, VCB_EV_READY);
    demo_say(d, "\n");
}

static void boot_entry(struct demo *d, size_t b, json_t *entry)
{
    const char *mode = json_string_value(json_object_get(json_object_get(entry, "params"), "mode"));
    if (mode && strcmp(mode, "serial") == 0)
        d->entry[b] = entry;
}

/* The median of an arm's metric; 0 when the arm is not here or has none. */
static double arm_median(const struct demo *d, size_t b, const char *metric)
{
    double v = 0;
    if (b >= d->ctx->nbackends || !d->entry[b] || !demo_metric(d->entry[b], metric, &v, NULL))
        return 0;
    return v;
}

/* The numbers in words: the container against the control, the VM against
 * the cheapest of the others, and how much of it came before its init. */
static void boot_verdict(struct demo *d)
{
    size_t p = demo_find_kind(d, VCB_ARM_CONTROL), c = demo_find_kind(d, VCB_ARM_CONTAINER),
           v = demo_find_kind(d, VCB_ARM_VM);
    double rp = arm_median(d, p, "create_to_ready"), rc = arm_median(d, c, "create_to_ready"),
           rv = arm_median(d, v, "create_to_ready");
    char t1[32], t2[32];
    if (rp && rc) {
        say_ns(t1, sizeof(t1), rc);
        say_ns(t2, sizeof(t2), rp);
        demo_say(d, DT_BOOT_CT, t1, rc / rp, t2);
    }
    size_t base = rc ? c : p;
    double rb = rc ? rc : rp;
    if (!rv || !rb)
        return;
    say_ns(t1, sizeof(t1), rv);
    say_ns(t2, sizeof(t2),
           arm_median(d, v, "create_to_started") + arm_median(d, v, "started_to_init"));
    demo_say(d, DT_BOOT_VM, t1, rv / rb, d->ctx->backends[base].name, t2,
             json_is_true(json_object_get(d->entry[v], "emulated")) ? DT_BOOT_VM_TCG : "");
}

static void boot_end(struct demo *d)
{
    char label[64], t[32];
    for (size_t b = 0; b < d->ctx->nbackends; b++)
        if (!d->live_shown[b])
            demo_say_dnf(d, b, d->entry[b]);
    demo_say(d, DT_BOOT_REPEAT);
    for (size_t b = 0; b < d->ctx->nbackends; b++) {
        double med;
        size_t n;
        if (!d->entry[b] || !demo_metric(d->entry[b], "create_to_ready", &med, &n))
            continue;
        say_ns(t, sizeof(t), med);
        demo_say(d, DT_BOOT_MEDIAN, demo_label(d, b, d->entry[b], label, sizeof(label)), t, n);
    }
    boot_verdict(d);
}

const struct demo_step demo_step_boot = {.scenario = "boot",
                                         .title = DT_STEP2,
                                         .start = boot_start,
                                         .ready = boot_ready,
                                         .entry = boot_entry,
                                         .end = boot_end};

/* ---- step 3: memory --------------------------------------------------------- */

static void mem_start(struct demo *d)
{
    demo_say(d, DT_INTRO3);
    demo_say(d, DT_MEM_HEAD, "", "host cost", "program uses", "overhead");
}

static void fmt_size(json_t *entry, const char *metric, char *buf, size_t len)
{
    double v;
    snprintf(buf, len, "?");
    if (demo_metric(entry, metric, &v, NULL) && v >= 0)
        vcb_format_size((uint64_t)v, buf, len);
}

/* The row of an idle instance, as its entry arrives. */
static void mem_entry(struct demo *d, size_t b, json_t *entry)
{
    const char *w =
        json_string_value(json_object_get(json_object_get(entry, "params"), "workload"));
    char label[64], c[32], u[32], o[32];
    if (!w || strcmp(w, "idle") != 0)
        return;
    d->entry[b] = entry;
    if (demo_say_dnf(d, b, entry))
        return;
    fmt_size(entry, "host_cost", c, sizeof(c));
    fmt_size(entry, "workload_use", u, sizeof(u));
    fmt_size(entry, "overhead", o, sizeof(o));
    demo_say(d, DT_MEM_ROW, demo_label(d, b, entry, label, sizeof(label)), c, u, o);
}

static void mem_end(struct demo *d)
{
    size_t p = demo_find_kind(d, VCB_ARM_CONTROL), c = demo_find_kind(d, VCB_ARM_CONTAINER),
           v = demo_find_kind(d, VCB_ARM_VM);
    double cp = 0, cc = 0, cv = 0;
    char s1[32], s2[32];
    if (p < d->ctx->nbackends && d->entry[p])
        demo_metric(d->entry[p], "host_cost", &cp, NULL);
    if (c < d->ctx->nbackends && d->entry[c])
        demo_metric(d->entry[c], "host_cost", &cc, NULL);
    if (v < d->ctx->nbackends && d->entry[v])
        demo_metric(d->entry[v], "host_cost", &cv, NULL);
    if (cp > 0 && cc > 0) {
        vcb_format_size((uint64_t)cc, s1, sizeof(s1));
        vcb_format_size((uint64_t)cp, s2, sizeof(s2));
        demo_say(d, DT_MEM_CT, s1, s2);
    }
    if (cv > 0 && cc > 0) {
        vcb_format_size((uint64_t)cv, s1, sizeof(s1));
        demo_say(d, DT_MEM_VM, s1, cv / cc, cv / cc,
                 json_is_true(json_object_get(d->entry[v], "emulated")) ? DT_MEM_VM_TCG : "");
    }
}

const struct demo_step demo_step_memory = {.scenario = "memory",
                                           .title = DT_STEP3,
                                           .start = mem_start,
                                           .entry = mem_entry,
                                           .end = mem_end};
