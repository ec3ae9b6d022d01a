/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* demo-iso.c — step 4 of the demo: the noisy neighbour. The victim (`cpu`)
 * runs alone, then beside `memhog`, then beside another `cpu` loop, on each
 * backend with that backend's limits; who was hurt is judged against the
 * victim's own solo runs, never against a number we hoped for. Entries are
 * the isolation scenario's (docs/results-schema.md). */
#include <string.h>

#include "demo-priv.h"
#include "demo-text.h"

#define VICTIM_NS      (2 * VCB_NS_PER_S)
#define HEADSTART_NS   (300 * VCB_NS_PER_MS) /* the neighbour gets going first */
#define SOLO_RUNS_FAST 3                     /* runs alone where a start is cheap */
#define SOLO_RUNS_SLOW 2                     /* ... and where it takes seconds */
#define HURT_MIN_PCT   10.0                  /* below this a loss is not called hurt */
#define MEMHOG_STEP_NS "25ms"                /* its 1 GiB spans the victim's run */
#define CPU_AGGR_MAX   4                     /* cpu loops: one per core, at most */

struct iso_arm {
    json_t *entry;
    struct bench_samples score;
};

struct iso_state {
    struct iso_arm solo[BENCH_BACKEND_MAX];
    double memhog_held[BENCH_BACKEND_MAX];
    double loss[BENCH_BACKEND_MAX]; /* of the last pair, in % */
    bool judged[BENCH_BACKEND_MAX], hurt[BENCH_BACKEND_MAX];
    bool walled[BENCH_BACKEND_MAX]; /* memhog was stopped by a limit */
};

static json_t *iso_entry(struct demo *d, size_t b, const char *aggressor)
{
    const struct bench_backend *be = &d->ctx.backends[b];
    return bench_entry_for(&d->ctx, "isolation", be,
                           json_pack("{s:s, s:s, s:b}", "victim", "cpu", "aggressor", aggressor,
                                     "limited", vcb_limits_any(&be->limits)));
}

static void fmt_ops(double v, char *buf, size_t len)
{
    snprintf(buf, len, "%.1f M", v / 1e6);
}

static double spread_pct(const struct bench_samples *s)
{
    double lo = s->v[0], hi = s->v[0];
    for (size_t i = 1; i < s->n; i++) {
        lo = s->v[i] < lo ? s->v[i] : lo;
        hi = s->v[i] > hi ? s->v[i] : hi;
    }
    double med = vcb_median(s->v, s->n);
    return med > 0 ? (hi - lo) / med * 100.0 : 0;
}

/* One victim run to its exit; false (DNF noted) when it gave no score. */
static bool victim_run(struct demo *d, size_t b, json_t *entry, struct bench_inst *bi,
                       double *score, char *why, size_t len)
{
    const struct bench_suite *su = d->ctx.suite;
    char dur[32];
    snprintf(dur, sizeof(dur), "%lluns", (unsigned long long)VICTIM_NS);
    char *args[] = {"--duration", dur, NULL};
    uint64_t budget = su->ready_timeout_ns + VICTIM_NS + su->exit_timeout_ns;
    int rc = BENCH_WAIT_OK;
    if (demo_launch(d, b, "cpu", args, bi) == 0)
        rc = bench_inst_wait(bi, 1, VCB_EV_EXIT, vcb_now_ns() + budget);
    bench_entry_mark(entry, bi);
    if (bench_result_number(bi, "ops_per_s", score) && bi->exit_status == 0)
        return true;
    if (demo_stopped(d))
        return false;
    if (!(bi->t[VCB_EV_EXIT] || bi->t[VCB_EV_GONE]) || bi->error[0])
        bench_inst_why(bi, VCB_EV_EXIT, rc, budget, why, len);
    else
        snprintf(why, len, "victim did not finish: exit %d, %s", bi->exit_status, bi->gone_detail);
    bench_entry_add_dnf(entry, "victim: %s", why);
    return false;
}

static void solo_backend(struct demo *d, size_t b, struct iso_arm *a)
{
    char label[64], why[VCB_ERR_MSG_MAX], t[32], spread[32] = "";
    bool slow = d->boot_ready_ns[bench_backend_index(d->ctx.backends[b].name)] > 1e9;
    for (unsigned i = 0; i < (slow ? SOLO_RUNS_SLOW : SOLO_RUNS_FAST) && !demo_stopped(d); i++) {
        cleanup_inst struct bench_inst bi = {0};
        double score;
        if (!victim_run(d, b, a->entry, &bi, &score, why, sizeof(why)))
            break;
        bench_samples_add(&a->score, score);
    }
    demo_backend_label(d, b, demo_entry_emulated(a->entry), label, sizeof(label));
    if (!a->score.n) {
        if (!demo_stopped(d) && !d->down[b])
            demo_say(d, DT_PAIR_FAILED, label, why);
        return;
    }
    fmt_ops(vcb_median(a->score.v, a->score.n), t, sizeof(t));
    if (a->score.n > 1)
        snprintf(spread, sizeof(spread), DT_SOLO_SPREAD, spread_pct(&a->score));
    demo_say(d, DT_SOLO_ROW, label, t, a->score.n, a->score.n == 1 ? "" : "s", spread);
}

static bool result_is(const struct bench_inst *bi, const char *key, const char *value)
{
    json_t *j = bi->result ? json_object_get(bi->result, key) : NULL;
    return json_is_string(j) && strcmp(json_string_value(j), value) == 0;
}

/* The memhog's fate, in words, for this backend. */
static void say_hog_fate(struct demo *d, size_t b, const struct bench_inst *ag, const char *outcome,
                         double held)
{
    char h[32], fate[256];
    vcb_format_size((uint64_t)held, h, sizeof(h));
    bool vm = !strcmp(d->ctx.backends[b].name, "vm");
    if (!strcmp(outcome, "oom-killed"))
        snprintf(fate, sizeof(fate), vm ? DT_HOG_VM_OOM : DT_HOG_CT_OOM, h);
    else if (!strcmp(outcome, "mem-capped"))
        snprintf(fate, sizeof(fate), DT_HOG_CAPPED, h);
    else if (result_is(ag, "reason", "ceiling"))
        snprintf(fate, sizeof(fate), DT_HOG_CEILING, h);
    else
        snprintf(fate, sizeof(fate), DT_HOG_OTHER, ag->gone_detail[0] ? ag->gone_detail : outcome,
                 h);
    demo_say(d, DT_HOG_FATE, "", fate);
}

static double deg_higher(double solo, double x)
{
    return (solo - x) / solo * 100.0; /* throughput lost */
}

/* Score against the solo runs: the entry's metrics and the row in words. */
static void pair_judge(struct demo *d, size_t b, json_t *entry, const struct iso_arm *solo,
                       double score, struct iso_state *st)
{
    char label[64], t[32];
    struct bench_samples arm = {0}, deg = {0};
    bench_samples_add(&arm, score);
    bench_entry_add_metric(entry, "victim_score", "ops_per_s", &arm, NULL);
    demo_backend_label(d, b, demo_entry_emulated(entry), label, sizeof(label));
    fmt_ops(score, t, sizeof(t));
    double med = solo->score.n ? vcb_median(solo->score.v, solo->score.n) : 0;
    if (med <= 0) {
        demo_say(d, DT_PAIR_NOSOLO, label, t);
        bench_entry_add_dnf(entry, "no solo baseline to compare with");
        bench_samples_free(&arm);
        return;
    }
    double ci[2], loss = deg_higher(med, score), spread = spread_pct(&solo->score);
    bench_samples_add(&deg, loss);
    vcb_bootstrap_ratio_ci(solo->score.v, solo->score.n, arm.v, arm.n, deg_higher, VCB_STATS_SEED,
                           VCB_BOOTSTRAP_B, &ci[0], &ci[1]);
    bench_entry_add_metric(entry, "degradation", "pct", &deg, ci);
    st->loss[b] = loss;
    st->judged[b] = true;
    st->hurt[b] = loss > (spread > HURT_MIN_PCT ? spread : HURT_MIN_PCT);
    double bar = spread > HURT_MIN_PCT ? spread : HURT_MIN_PCT;
    char verdict[96];
    snprintf(verdict, sizeof(verdict), "%s", st->hurt[b] ? DT_HURT : DT_NOT_HURT);
    if (!st->hurt[b] && loss > HURT_MIN_PCT) /* lost more than 10 %, less than the noise */
        snprintf(verdict, sizeof(verdict), DT_NOISY, spread);
    else if (-loss > bar)
        snprintf(verdict, sizeof(verdict), "%s", DT_FASTER);
    demo_say(d, DT_PAIR_ROW, label, t, 100.0 - loss, verdict);
    bench_samples_free(&arm);
    bench_samples_free(&deg);
}

static void aggressor_args(struct demo *d, const char *aggressor, char buf[2][32], char *args[5])
{
    const struct bench_suite *su = d->ctx.suite;
    if (!strcmp(aggressor, "memhog")) {
        snprintf(buf[0], 32, "%llu", (unsigned long long)d->memhog_ceiling);
        args[0] = "--ceiling", args[1] = buf[0], args[2] = "--interval", args[3] = MEMHOG_STEP_NS;
        return;
    }
    /* a cpu loop is destroyed after the victim; bounded in time anyway */
    snprintf(buf[0], 32, "%lluns",
             (unsigned long long)(2 * su->ready_timeout_ns + VICTIM_NS + su->exit_timeout_ns));
    args[0] = "--duration", args[1] = buf[0];
}

/* memhog alone; cpu loops one per core (at most CPU_AGGR_MAX), so that with
 * the victim they want more CPU than the host has. */
static unsigned aggressor_count(const char *aggressor)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (strcmp(aggressor, "cpu") != 0 || n < 1)
        return 1;
    return n > CPU_AGGR_MAX ? CPU_AGGR_MAX : (unsigned)n;
}

/* Start the k neighbours, give them a head start; false if one never got going. */
static bool neighbours_start(struct demo *d, size_t b, const char *aggressor, json_t *entry,
                             struct bench_inst *ag, unsigned k)
{
    const struct bench_suite *su = d->ctx.suite;
    char buf[2][32], *args[5] = {0}, why[VCB_ERR_MSG_MAX], label[64];
    aggressor_args(d, aggressor, buf, args);
    for (unsigned i = 0; i < k; i++)
        if (demo_launch(d, b, aggressor, args, &ag[i]) < 0)
            break;
    int rc = bench_inst_wait(ag, k, VCB_EV_READY, vcb_now_ns() + su->ready_timeout_ns);
    for (unsigned i = 0; i < k; i++) {
        bench_entry_mark(entry, &ag[i]);
        if (ag[i].t[VCB_EV_READY])
            continue;
        bench_inst_why(&ag[i], VCB_EV_READY, rc, su->ready_timeout_ns, why, sizeof(why));
        bench_entry_add_dnf(entry, "aggressor: %s", why);
        if (!demo_stopped(d) && !d->down[b])
            demo_say(d, DT_PAIR_FAILED, demo_backend_label(d, b, false, label, sizeof(label)), why);
        return false;
    }
    return bench_settle(ag, k, HEADSTART_NS) == 0;
}

/* What became of the (first) neighbour, in the entry and, for memhog, in words. */
static void neighbour_fate(struct demo *d, size_t b, json_t *entry, struct bench_inst *ag,
                           struct iso_state *st)
{
    struct vcb_stats stats;
    iso_aggressor_stats(ag, &stats);
    const char *outcome = iso_aggressor_outcome(ag, &stats);
    double held = 0;
    bench_entry_note(entry, "aggressor_outcome", json_string(outcome));
    bench_entry_note(entry, "aggressor_outcomes", json_pack("{s:i}", outcome, 1));
    if (!bench_result_number(ag, "held_bytes", &held))
        return;
    bench_entry_note(entry, "memhog_held_bytes", json_integer((json_int_t)held));
    st->memhog_held[b] = held;
    st->walled[b] = !strcmp(outcome, "oom-killed") || !strcmp(outcome, "mem-capped");
    say_hog_fate(d, b, ag, outcome, held);
}

/* Neighbours first, the victim beside them, then the neighbours' fate. */
static void pair_backend(struct demo *d, size_t b, const char *aggressor, struct iso_state *st)
{
    const struct bench_suite *su = d->ctx.suite;
    unsigned k = aggressor_count(aggressor);
    json_t *entry = iso_entry(d, b, aggressor);
    struct bench_inst inst[CPU_AGGR_MAX + 1]; /* neighbours, then the victim */
    char why[VCB_ERR_MSG_MAX], label[64];
    double score;
    memset(inst, 0, sizeof(inst));
    bench_entry_note(entry, "aggressor_instances", json_integer(k));
    if (neighbours_start(d, b, aggressor, entry, inst, k)) {
        if (victim_run(d, b, entry, &inst[k], &score, why, sizeof(why)))
            pair_judge(d, b, entry, &st->solo[b], score, st);
        else if (!demo_stopped(d))
            demo_say(d, DT_PAIR_FAILED, demo_backend_label(d, b, false, label, sizeof(label)), why);
        if (!strcmp(aggressor, "memhog") && !demo_stopped(d)) /* let it reach its end */
            bench_inst_wait(inst, 1, VCB_EV_GONE, vcb_now_ns() + su->exit_timeout_ns);
        if (!demo_stopped(d))
            neighbour_fate(d, b, entry, inst, st);
    }
    bench_inst_clear_all(inst, k + 1);
    bench_results_add(&d->results, entry);
}

static size_t backend_pos(const struct demo *d, const char *name)
{
    size_t b = 0;
    while (b < d->ctx.nbackends && strcmp(d->ctx.backends[b].name, name))
        b++;
    return b; /* nbackends: not in this demo */
}

static const char *walls(const struct demo *d, const struct iso_state *st)
{
    size_t c = backend_pos(d, "container"), v = backend_pos(d, "vm");
    bool ct = c < d->ctx.nbackends && st->walled[c], vm = v < d->ctx.nbackends && st->walled[v];
    return ct && vm ? DT_WALLS_BOTH : ct ? DT_WALLS_CT : vm ? DT_WALLS_VM : NULL;
}

static void say_memory_verdict(struct demo *d, const struct iso_state *st)
{
    char held[32], avail[32];
    size_t p = backend_pos(d, "process");
    if (p == d->ctx.nbackends || !st->judged[p] || !st->memhog_held[p])
        return;
    vcb_format_size((uint64_t)st->memhog_held[p], held, sizeof(held));
    vcb_format_size(d->mem_available, avail, sizeof(avail));
    if (st->hurt[p])
        demo_say(d, DT_MEM_HURT, held, st->loss[p], avail);
    else
        demo_say(d, DT_MEM_UNHURT, held, avail);
    if (walls(d, st))
        demo_say(d, DT_WALLS, walls(d, st));
}

static double load_average(void)
{
    double load = 0;
    cleanup_fclose FILE *f = fopen("/proc/loadavg", "re");
    if (!f || fscanf(f, "%lf", &load) != 1)
        return 0;
    return load;
}

static void say_cpu_verdict(struct demo *d, const struct iso_state *st)
{
    size_t c = backend_pos(d, "container");
    char cap[16];
    demo_say(d, DT_CPU_LESSON, sysconf(_SC_NPROCESSORS_ONLN), load_average());
    snprintf(cap, sizeof(cap), "%g", d->suite.limits[bench_backend_index("container")].cpus);
    if (c < d->ctx.nbackends && st->judged[c])
        st->hurt[c] ? demo_say(d, DT_CPU_CT_HURT, cap, st->loss[c])
                    : demo_say(d, DT_CPU_CT_OK, cap);
    if (backend_pos(d, "vm") < d->ctx.nbackends)
        demo_say(d, DT_CPU_VM);
}

static void iso_cell(struct demo *d, const char *aggressor, struct iso_state *st)
{
    demo_say(d, DT_BESIDE, aggressor);
    for (size_t b = 0; b < d->ctx.nbackends && !demo_stopped(d); b++) {
        st->judged[b] = false;
        if (!demo_skip(d, b, NULL))
            pair_backend(d, b, aggressor, st);
    }
}

static void say_intro(struct demo *d)
{
    const struct vcb_limits *ct = &d->suite.limits[bench_backend_index("container")],
                            *vm = &d->suite.limits[bench_backend_index("vm")];
    char dur[32], ceil[32], ctm[32], ctc[16], vmm[32], vmc[16];
    vcb_format_duration(VICTIM_NS, dur, sizeof(dur));
    vcb_format_size(d->memhog_ceiling, ceil, sizeof(ceil));
    vcb_format_size(ct->memory_bytes, ctm, sizeof(ctm));
    vcb_format_size(vm->memory_bytes, vmm, sizeof(vmm));
    snprintf(ctc, sizeof(ctc), "%g", ct->cpus);
    snprintf(vmc, sizeof(vmc), "%g", vm->cpus);
    demo_say(d, DT_INTRO4, dur);
    if (backend_pos(d, "process") < d->ctx.nbackends)
        demo_say(d, DT_INTRO4_PROCESS, ceil);
    if (backend_pos(d, "container") < d->ctx.nbackends)
        demo_say(d, DT_INTRO4_CT, ctm, ctc);
    if (backend_pos(d, "vm") < d->ctx.nbackends)
        demo_say(d, DT_INTRO4_VM, vmm, vmc);
}

int demo_step_isolation(struct demo *d)
{
    struct iso_state st = {0};
    d->mem_available = bench_mem_available();
    say_intro(d);
    demo_say(d, DT_SOLO);
    for (size_t b = 0; b < d->ctx.nbackends && !demo_stopped(d); b++) {
        json_t *entry = iso_entry(d, b, "none");
        st.solo[b].entry = entry;
        if (!demo_skip(d, b, entry))
            solo_backend(d, b, &st.solo[b]);
        bench_entry_add_metric(entry, "victim_score", "ops_per_s", &st.solo[b].score, NULL);
        bench_results_add(&d->results, entry); /* its samples stay for the pairs */
    }
    iso_cell(d, "memhog", &st);
    if (!demo_stopped(d))
        say_memory_verdict(d, &st);
    if (!demo_stopped(d)) {
        demo_say(d, DT_CPU_INTRO, aggressor_count("cpu"));
        iso_cell(d, "cpu", &st);
    }
    if (!demo_stopped(d)) {
        say_cpu_verdict(d, &st);
        demo_say(d, DT_TAKEAWAY);
    }
    for (size_t b = 0; b < BENCH_BACKEND_MAX; b++)
        bench_samples_free(&st.solo[b].score);
    return 0;
}
