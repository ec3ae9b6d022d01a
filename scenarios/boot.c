/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* scenario-boot.c — boot latency. Serial: one instance at a time, warm-up
 * runs discarded, per-phase durations from the host stamps, repeated until
 * the CI of create→ready is narrow or max_n; teardown timed apart.
 * Concurrent: L instances released together per round, each read on
 * arrival; per-instance create→ready, and per round the time from the
 * first create to the last ready and instances/s. Backends interleave
 * round by round, in an order shuffled afresh for every round. */
#include <errno.h>
#include <string.h>

#include "boot.h"
#include "wl-image.h"

#define GIVE_UP_AFTER 3 /* consecutive DNFs: the arm is broken, stop trying */

const char *const bench_boot_metric_names[BENCH_BOOT__N] = {
    "create_to_started", "started_to_init", "init_to_ready",        "create_to_ready",
    "ready_to_gone",     "teardown",        "guest_uptime_at_init", "to_kernel"};
static const enum vcb_event_kind span_from[] = {VCB_EV_CREATE, VCB_EV_STARTED, VCB_EV_INIT,
                                                VCB_EV_CREATE, VCB_EV_READY};
static const enum vcb_event_kind span_to[] = {VCB_EV_STARTED, VCB_EV_INIT, VCB_EV_READY,
                                              VCB_EV_READY, VCB_EV_GONE};

struct boot_arm {
    json_t *entry;
    struct bench_samples m[BENCH_BOOT__N];
    unsigned runs, fails_in_row;
    bool done;
};

static void arm_free(struct boot_arm *a)
{
    for (size_t i = 0; i < BENCH_BOOT__N; i++)
        bench_samples_free(&a->m[i]);
    json_decref(a->entry);
}

/* The guest's own uptime at init, only where it is one: a stamp that fits
 * inside create→init (a VM's fresh kernel), never a host's boottime. */
void bench_boot_record(struct bench_samples *m, const struct bench_inst *bi)
{
    /* A span of 0 is a real reading (init and ready arrived in one read);
     * only a missing event leaves a span out. */
    for (size_t i = 0; i < 5; i++)
        if (bi->t[span_from[i]] && bi->t[span_to[i]] && bi->t[span_to[i]] >= bi->t[span_from[i]])
            bench_samples_add(&m[i], (double)(bi->t[span_to[i]] - bi->t[span_from[i]]));
    bench_samples_add(&m[BENCH_BOOT_TEARDOWN], (double)bi->teardown_ns);
    uint64_t c2i = bench_inst_span(bi, VCB_EV_CREATE, VCB_EV_INIT);
    if (!bi->guest_init_ns || !c2i || bi->guest_init_ns > c2i)
        return;
    bench_samples_add(&m[BENCH_BOOT_UPTIME], (double)bi->guest_init_ns);
    /* the guest kernel's clock starts with the kernel: the rest of started →
     * init is qemu and firmware before it (Kata's "to kernel") */
    uint64_t s2i = bench_inst_span(bi, VCB_EV_STARTED, VCB_EV_INIT);
    if (bi->t[VCB_EV_STARTED] && s2i >= bi->guest_init_ns)
        bench_samples_add(&m[BENCH_BOOT_TO_KERNEL], (double)(s2i - bi->guest_init_ns));
}

/* How an instance ended, where it did not end by itself: a service is
 * stopped once ready, so its ready→gone is the stop, not its run. */
static void boot_note_end(struct bench_ctx *ctx, const struct boot_params *sc, json_t *entry)
{
    if (bench_workload_serves(ctx, sc->workload))
        bench_entry_note(entry, "end", json_string("stopped once ready (a service)"));
}

/* One serial boot: launch, ready, let it end by itself (a service is
 * stopped at once), destroy (timed). */
static void boot_once(struct bench_ctx *ctx, const struct boot_params *sc,
                      const struct bench_backend *be, struct boot_arm *a, bool warmup)
{
    const struct bench_suite *su = ctx->suite;
    cleanup_inst struct bench_inst bi = {0};
    int rc = BENCH_WAIT_OK;
    if (bench_inst_launch(ctx, be, sc->workload, NULL, &bi) == 0)
        rc = bench_inst_wait(&bi, 1, VCB_EV_READY, vcb_now_ns() + su->ready_timeout_ns);
    bench_entry_mark(a->entry, &bi);
    if (!bi.t[VCB_EV_READY]) {
        bench_inst_log_dnf(a->entry, &bi, warmup ? "warm-up boot" : "boot", VCB_EV_READY, rc,
                           su->ready_timeout_ns);
        a->fails_in_row++;
        return;
    }
    if (!warmup)
        bench_observe(ctx, BENCH_OBS_INSTANCE_READY, &bi, NULL);
    if (!bench_workload_serves(ctx, sc->workload))
        bench_inst_wait(&bi, 1, VCB_EV_GONE, vcb_now_ns() + su->exit_timeout_ns);
    bench_inst_finish(&bi, su->exit_timeout_ns);
    a->fails_in_row = 0;
    if (!warmup && !bench_stop_signal())
        bench_boot_record(a->m, &bi);
}

/* After n measured boots, stop an arm once its CI is narrow (or at max_n). */
static void arm_check(struct boot_arm *a, const struct boot_params *sc)
{
    struct vcb_summary s;
    unsigned measured = a->runs > sc->warmup ? a->runs - sc->warmup : 0;
    const char *why = NULL;
    if (a->fails_in_row >= GIVE_UP_AFTER)
        why = "gave up after 3 failures in a row";
    else if (measured >= sc->max_n)
        why = "max_n";
    else if (measured >= sc->n && a->m[BENCH_BOOT_C2R].n &&
             vcb_summarize(a->m[BENCH_BOOT_C2R].v, a->m[BENCH_BOOT_C2R].n, &s) == 0 &&
             vcb_ci_narrow(&s, sc->ci_target))
        why = "ci_target";
    if (!why)
        return;
    a->done = true;
    bench_entry_note(a->entry, "stopped_by", json_string(why));
}

static void arm_publish(struct bench_ctx *ctx, struct boot_arm *a, size_t nmetrics)
{
    for (size_t i = 0; i < nmetrics; i++)
        bench_entry_add_metric(a->entry, bench_boot_metric_names[i], "ns", &a->m[i], NULL);
    bench_results_add(ctx->results, steal_pointer(&a->entry));
}

/* Each round's order of backends is its own shuffle (bench_round_order). */
static uint64_t boot_salt(const struct bench_ctx *ctx, unsigned level)
{
    return (uint64_t)ctx->scen_index << 16 | level;
}

static int boot_serial(struct bench_ctx *ctx, const struct boot_params *sc)
{
    struct boot_arm arms[BENCH_BACKEND_MAX] = {0};
    size_t nb = ctx->nbackends, left = nb;
    for (size_t b = 0; b < nb; b++) {
        arms[b].entry =
            bench_entry_for(ctx, "boot", &ctx->backends[b],
                            json_pack("{s:s, s:s}", "workload", sc->workload, "mode", "serial"));
        boot_note_end(ctx, sc, arms[b].entry);
        arms[b].done = !ctx->backends[b].drv;
        left -= arms[b].done;
    }
    for (unsigned round = 0; left && !bench_stopping(ctx); round++) {
        size_t order[BENCH_BACKEND_MAX];
        bench_round_order(ctx, boot_salt(ctx, 0), round, order, nb);
        for (size_t k = 0; k < nb && !bench_stopping(ctx); k++) {
            size_t b = order[k];
            struct boot_arm *a = &arms[b];
            if (a->done)
                continue;
            if (round >= sc->warmup + sc->n)
                bench_progress_add_total(ctx->progress, 1); /* beyond the plan */
            boot_once(ctx, sc, &ctx->backends[b], a, round < sc->warmup);
            a->runs++;
            bench_progress_step(ctx->progress, "boot", ctx->backends[b].name, a->runs,
                                sc->warmup + sc->n);
            arm_check(a, sc);
            left -= a->done;
        }
    }
    for (size_t b = 0; b < nb; b++) {
        if (ctx->backends[b].drv && arms[b].runs < sc->warmup + sc->n) /* left early */
            bench_progress_add_total(ctx->progress, -(int)(sc->warmup + sc->n - arms[b].runs));
        arm_publish(ctx, &arms[b], BENCH_BOOT__N);
        arm_free(&arms[b]);
    }
    return 0;
}

struct conc_arm {
    json_t *entry;
    struct bench_samples lat, all_ready, rate;
};

/* Earliest CREATE and latest READY of the instances that got ready. */
static unsigned conc_collect(struct conc_arm *a, struct bench_inst *bi, unsigned level, int rc,
                             uint64_t timeout, uint64_t *first, uint64_t *last)
{
    unsigned ok = 0;
    for (unsigned i = 0; i < level; i++) {
        if (!bi[i].t[VCB_EV_READY]) {
            bench_inst_log_dnf(a->entry, &bi[i], "concurrent boot", VCB_EV_READY, rc, timeout);
            continue;
        }
        ok++;
        bench_samples_add(&a->lat, (double)bench_inst_span(&bi[i], VCB_EV_CREATE, VCB_EV_READY));
        *first = bi[i].t[VCB_EV_CREATE] < *first ? bi[i].t[VCB_EV_CREATE] : *first;
        *last = bi[i].t[VCB_EV_READY] > *last ? bi[i].t[VCB_EV_READY] : *last;
    }
    return ok;
}

/* L instances released together, each read on arrival (crowd.c). */
static void conc_round(struct bench_ctx *ctx, const struct boot_params *sc,
                       const struct bench_backend *be, unsigned level, struct conc_arm *a)
{
    struct bench_inst bi[level];
    memset(bi, 0, sizeof(bi));
    int rc = bench_inst_launch_crowd(ctx, be, sc->workload, bi, level);
    for (unsigned i = 0; i < level; i++)
        bench_entry_mark(a->entry, &bi[i]);
    uint64_t first = UINT64_MAX, last = 0;
    unsigned ok = conc_collect(a, bi, level, rc, ctx->suite->ready_timeout_ns, &first, &last);
    /* the round's figures only where all of them made it */
    if (ok == level && last > first && rc != BENCH_WAIT_STOP) {
        bench_samples_add(&a->all_ready, (double)(last - first));
        bench_samples_add(&a->rate, (double)level * 1e9 / (double)(last - first));
    }
    bench_inst_clear_all(bi, level);
}

static void conc_level(struct bench_ctx *ctx, const struct boot_params *sc, unsigned level)
{
    struct conc_arm arms[BENCH_BACKEND_MAX] = {0};
    size_t nb = ctx->nbackends;
    for (size_t b = 0; b < nb; b++) {
        arms[b].entry = bench_entry_for(ctx, "boot", &ctx->backends[b],
                                        json_pack("{s:s, s:s, s:i}", "workload", sc->workload,
                                                  "mode", "concurrent", "concurrency", level));
        boot_note_end(ctx, sc, arms[b].entry);
    }
    for (unsigned r = 0; r < sc->rounds && !bench_stopping(ctx); r++) {
        size_t order[BENCH_BACKEND_MAX];
        bench_round_order(ctx, boot_salt(ctx, level), r, order, nb);
        for (size_t k = 0; k < nb && !bench_stopping(ctx); k++) {
            size_t b = order[k];
            if (!ctx->backends[b].drv)
                continue;
            conc_round(ctx, sc, &ctx->backends[b], level, &arms[b]);
            for (unsigned i = 0; i < level; i++)
                bench_progress_step(ctx->progress, "boot-concurrent", ctx->backends[b].name,
                                    r * level + i + 1, sc->rounds * level);
        }
    }
    for (size_t b = 0; b < nb; b++) {
        bench_entry_add_metric(arms[b].entry, "create_to_ready", "ns", &arms[b].lat, NULL);
        bench_entry_add_metric(arms[b].entry, "all_ready", "ns", &arms[b].all_ready, NULL);
        bench_entry_add_metric(arms[b].entry, "instances_per_s", "per_s", &arms[b].rate, NULL);
        bench_results_add(ctx->results, arms[b].entry);
        bench_samples_free(&arms[b].lat);
        bench_samples_free(&arms[b].all_ready);
        bench_samples_free(&arms[b].rate);
    }
}

static int boot_run(struct bench_ctx *ctx, const void *params)
{
    const struct boot_params *sc = params;
    boot_serial(ctx, sc);
    for (size_t i = 0; i < sc->nconcurrency && !bench_stopping(ctx); i++)
        conc_level(ctx, sc, sc->concurrency[i]);
    return 0;
}

static int boot_parse(const struct sj *sj, json_t *o, const char *p, void **params)
{
    static const char *const keys[] = {"type",      "workload",    "warmup", "n", "max_n",
                                       "ci_target", "concurrency", "rounds", NULL};
    const char *choices[64];
    sj_with_own(sj, (const char *const *)wl_workload_names, choices, 64);
    cleanup_free struct boot_params *sc = malloc(sizeof(*sc));
    if (!sc)
        return vcb_err_sys(sj->err, ENOMEM, "%s: %s", sj->file, p);
    *sc = (struct boot_params){
        .n = 10, .warmup = 1, .ci_target = 0.05, .rounds = 1, .workload = "noop"};
    if (sj_keys(sj, o, p, keys) < 0 ||
        sj_choice(sj, o, p, "workload", "workload", choices, sc->workload, sizeof(sc->workload)) <
            0 ||
        sj_uint(sj, o, p, "warmup", 0, 100, &sc->warmup) < 0 ||
        sj_uint(sj, o, p, "n", 1, 100000, &sc->n) < 0 ||
        sj_uint(sj, o, p, "max_n", 1, 100000, &sc->max_n) < 0 ||
        sj_double(sj, o, p, "ci_target", 0.001, 10, &sc->ci_target) < 0 ||
        sj_uint_list(sj, o, p, "concurrency", 1, 256, sc->concurrency, BENCH_LIST_MAX,
                     &sc->nconcurrency) < 0 ||
        sj_uint(sj, o, p, "rounds", 1, 1000, &sc->rounds) < 0 ||
        bench_scenario_check_max_n(sj, p, sc->n, &sc->max_n) < 0)
        return -1;
    *params = steal_pointer(&sc);
    return 0;
}

/* One unit = one instance launched; the ETA assumes units cost alike. */
static unsigned boot_plan(const void *params, size_t nbackends)
{
    const struct boot_params *sc = params;
    unsigned per = sc->warmup + sc->n;
    for (size_t i = 0; i < sc->nconcurrency; i++)
        per += sc->concurrency[i] * sc->rounds;
    return per * (unsigned)nbackends;
}

static int boot_images(const void *params, bench_image_need_fn need, void *arg, struct vcb_err *err)
{
    const struct boot_params *sc = params;
    return need(arg, sc->workload, err);
}

const struct bench_scenario_ops bench_boot_ops = {.name = "boot",
                                                  .parse = boot_parse,
                                                  .plan = boot_plan,
                                                  .images = boot_images,
                                                  .run = boot_run,
                                                  .free = free};
