/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* isolation-arm.c — bookkeeping of the isolation scenario: entries, how
 * aggressors are bounded, what happened to them, and the victim's
 * degradation against its solo baseline. */
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "isolation.h"

/* The victims: what each scores, in which unit, and which way is better.
 * An aggressor listed here (diskhog) has its own score recorded too. */
static const struct victim_info victims[] = {
    {"cpu", "ops_per_s", "ops_per_s", true},
    {"membw", "mb_per_s_mean", "mb_per_s", true},
    {"lat", "oversleep_p99_ns", "ns", false},
    /* the stream: what a flooding neighbour takes first (bytes through the
     * same stack, bridge or user-mode daemon); its rr_p50/p99_ns are kept */
    {"netio", "stream_mb_per_s", "mb_per_s", true},
    /* small random reads queue behind a neighbour's writes first */
    {"diskio", "rand_read_iops", "per_s", true},
    {"diskhog", "write_iops", "per_s", true},
};

const struct victim_info *iso_victim(const struct iso_params *sc, const char *name)
{
    for (size_t i = 0; i < sc->nown_victims; i++)
        if (strcmp(sc->own_victims[i].name, name) == 0)
            return &sc->own_victims[i];
    for (size_t i = 0; i < sizeof(victims) / sizeof(victims[0]); i++)
        if (strcmp(victims[i].name, name) == 0)
            return &victims[i];
    return NULL;
}

json_t *iso_entry(struct bench_ctx *ctx, const struct iso_cell *c, const struct bench_backend *be)
{
    json_t *params =
        json_pack("{s:s, s:s, s:b}", "victim", c->victim->name, "aggressor",
                  c->aggressor ? c->aggressor : "none", "limited", vcb_limits_any(&be->limits));
    const char *variant = iso_variant_label(c, be);
    if (variant)
        json_object_set_new(params, "variant", json_string(variant));
    if (be->drv && (bench_net_workload(c->victim->name) || bench_net_workload(c->aggressor)))
        json_object_set_new(params, "net_path",
                            json_string(bench_net_arm_label(be->drv->kind, &ctx->bopts)));
    return bench_entry_for(ctx, "isolation", be, params);
}

/* cpu, membw, netflood and diskhog run until stopped, with a time bound
 * past the victim's whole budget (netflood also at 64 GiB sent, diskhog at
 * its volume's end: it writes within it); memhog and forkbomb stop at their
 * own ceilings (1 GiB, 256). */
void iso_aggressor_args(const struct iso_cell *c, const struct bench_suite *su, char buf[32],
                        char *args[6])
{
    if (strcmp(c->aggressor, "cpu") != 0 && strcmp(c->aggressor, "membw") != 0 &&
        strcmp(c->aggressor, "netflood") != 0 && strcmp(c->aggressor, "diskhog") != 0)
        return;
    uint64_t bound = 2 * su->ready_timeout_ns + c->sc->duration_ns + su->exit_timeout_ns;
    snprintf(buf, 32, "%lluns", (unsigned long long)bound);
    args[0] = "--duration";
    args[1] = buf;
    if (strcmp(c->aggressor, "cpu") != 0)
        return;
    /* One loop per host CPU: one loop alone would find a CPU of its own on
     * any multi-core host and hurt nobody; a limit is what must hold it. */
    static char threads[16];
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    snprintf(threads, sizeof(threads), "%ld", n < 1 ? 1 : n > 256 ? 256 : n);
    args[2] = "--threads";
    args[3] = threads;
}

static bool result_true(const struct bench_inst *bi, const char *key)
{
    return bi->result && json_is_true(json_object_get(bi->result, key));
}

static bool result_is(const struct bench_inst *bi, const char *key, const char *value)
{
    json_t *j = bi->result ? json_object_get(bi->result, key) : NULL;
    return json_is_string(j) && strcmp(json_string_value(j), value) == 0;
}

void iso_aggressor_stats(struct bench_inst *ag, struct vcb_stats *st)
{
    struct vcb_err err = {0};
    vcb_stats_init(st);
    bench_inst_wait(ag, 1, VCB_EV_GONE, vcb_now_ns()); /* take what is queued */
    if (ag->vi && !ag->t[VCB_EV_GONE])
        ag->vi->driver->stats(ag->vi, st, &err);
}

/* A guest's vCPUs' time running or waiting to run since it started, as a
 * share of all the time they had (libvirt); NAN where not a VM. */
static double vcpu_busy_pct(const struct bench_inst *ag, const struct vcb_stats *st)
{
    uint64_t wall = ag->t[VCB_EV_STARTED] ? vcb_now_ns() - ag->t[VCB_EV_STARTED] : 0;
    if (st->vcpus == VCB_STAT_UNSET || st->vcpu_ns == VCB_STAT_UNSET || !wall || !st->vcpus)
        return NAN;
    return 100.0 * (double)st->vcpu_ns / ((double)wall * (double)st->vcpus);
}

/* Held by its CPU limit, as the host recorded it: the CPU controller ran
 * out of the group's quota in some period (cpu.stat nr_throttled), or a
 * guest's vCPUs were busy or waiting for a host CPU nearly all along, so
 * the vCPU count was what capped it. */
static bool cpu_held(const struct bench_inst *ag, const struct vcb_stats *st)
{
    if (st->throttle.throttled_periods != VCB_STAT_UNSET && st->throttle.throttled_periods > 0)
        return true;
    return vcpu_busy_pct(ag, st) >= ISO_VCPU_BUSY_HELD_PCT;
}

const char *iso_aggressor_outcome(const struct bench_inst *ag, const struct vcb_stats *st)
{
    if (ag->error[0])
        return "dnf";
    /* OOM only where a kernel counted one: the cgroup's memory.events /
     * memory.oom_control (stats or the container's gone detail) or a VM
     * guest's own count on its exit line. A SIGKILL alone is "killed". */
    if ((st->oom_kills != VCB_STAT_UNSET && st->oom_kills > 0) || ag->oom_kills > 0 ||
        strstr(ag->gone_detail, "killed by OOM"))
        return "oom-killed";
    if (ag->exit_status == 128 + SIGKILL || (ag->gone_status >= 0 && WIFSIGNALED(ag->gone_status) &&
                                             WTERMSIG(ag->gone_status) == SIGKILL))
        return "killed";
    if (result_true(ag, "refused"))
        return "pids-capped";
    if (result_is(ag, "reason", "alloc-failed"))
        return "mem-capped";
    return cpu_held(ag, st) ? "throttled" : "ran";
}

void iso_outcome_count(struct iso_arm *a, const char *outcome)
{
    if (!a->outcomes)
        a->outcomes = json_object();
    json_t *n = json_object_get(a->outcomes, outcome);
    json_object_set_new(a->outcomes, outcome, json_integer(n ? json_integer_value(n) + 1 : 1));
}

void iso_aggressor_record(const struct iso_cell *c, struct iso_arm *a, struct bench_inst *ag,
                          const struct vcb_stats *st, uint64_t timeout_ns)
{
    const struct vcb_cpu_throttle *t = &st->throttle;
    const struct victim_info *scored = iso_victim(c->sc, c->aggressor);
    double score;
    double busy = vcpu_busy_pct(ag, st);
    if (t->periods != VCB_STAT_UNSET && t->throttled_periods != VCB_STAT_UNSET && t->periods)
        bench_samples_add(&a->ag_throttled,
                          100.0 * (double)t->throttled_periods / (double)t->periods);
    if (!isnan(busy))
        bench_samples_add(&a->ag_vcpu_busy, busy);
    if (!scored || ag->error[0])
        return;
    struct vcb_err err = {0};
    /* cpu and membw report when asked to stop; the result precedes the exit line */
    if (ag->vi && !ag->t[VCB_EV_EXIT] && !ag->t[VCB_EV_GONE] &&
        ag->vi->driver->stop(ag->vi, &err) == 0)
        bench_inst_wait(ag, 1, VCB_EV_EXIT, vcb_now_ns() + timeout_ns);
    if (bench_result_number(ag, scored->key, &score))
        bench_samples_add(&a->ag_score, score);
}

/* The most frequent outcome names the arm; all counts go along. */
static void note_outcomes(struct iso_arm *a)
{
    const char *key, *best = NULL;
    json_t *val;
    json_int_t most = 0;
    json_object_foreach(a->outcomes, key, val)
    {
        if (json_integer_value(val) > most) {
            most = json_integer_value(val);
            best = key;
        }
    }
    if (!best)
        return;
    bench_entry_note(a->entry, "aggressor_outcome", json_string(best));
    bench_entry_note(a->entry, "aggressor_outcomes", json_incref(a->outcomes));
}

void iso_cell_unplanned(struct bench_ctx *ctx, const struct iso_cell *c)
{
    int units = c->aggressor ? 2 : 1;
    for (size_t b = 0; b < ctx->nbackends; b++)
        if (ctx->backends[b].drv && c->arms[b].runs < c->sc->n) /* absent arms too */
            bench_progress_add_total(ctx->progress, -(int)(c->sc->n - c->arms[b].runs) * units);
}

static double deg_higher(double solo, double x)
{
    return (solo - x) / solo * 100.0; /* throughput lost */
}

static double deg_lower(double solo, double x)
{
    return (x - solo) / solo * 100.0; /* latency gained */
}

/* Degradation per sample vs the solo median; CI by resampling both sides. */
static void add_degradation(json_t *entry, const struct victim_info *v,
                            const struct bench_samples *solo, const struct bench_samples *arm)
{
    double (*f)(double, double) = v->higher_better ? deg_higher : deg_lower;
    double med = vcb_median(solo->v, solo->n), ci[2];
    if (med == 0) {
        bench_entry_add_dnf(entry, "solo baseline median is 0: no degradation");
        return;
    }
    struct bench_samples d = {0};
    for (size_t i = 0; i < arm->n; i++)
        bench_samples_add(&d, f(med, arm->v[i]));
    vcb_bootstrap_ratio_ci(solo->v, solo->n, arm->v, arm->n, f, VCB_STATS_SEED, VCB_BOOTSTRAP_B,
                           &ci[0], &ci[1]);
    bench_entry_add_metric(entry, "degradation", "pct", &d, ci);
    bench_samples_free(&d);
}

void iso_cell_publish(struct bench_ctx *ctx, struct iso_cell *c, const struct iso_cell *solo)
{
    for (size_t b = 0; b < ctx->nbackends; b++) {
        struct iso_arm *a = &c->arms[b];
        if (a->absent)
            continue;
        bench_entry_add_metric(a->entry, "victim_score", c->victim->unit, &a->score, NULL);
        if (c->aggressor && iso_victim(c->sc, c->aggressor))
            bench_entry_add_metric(a->entry, "aggressor_score",
                                   iso_victim(c->sc, c->aggressor)->unit, &a->ag_score, NULL);
        bench_entry_add_metric(a->entry, "aggressor_throttled", "pct", &a->ag_throttled, NULL);
        bench_entry_add_metric(a->entry, "aggressor_vcpu_busy", "pct", &a->ag_vcpu_busy, NULL);
        if (solo && a->score.n && solo->arms[b].score.n)
            add_degradation(a->entry, c->victim, &solo->arms[b].score, &a->score);
        else if (solo && a->score.n)
            bench_entry_add_dnf(a->entry, "no solo baseline to compare with");
        note_outcomes(a);
        iso_metrics_publish(a);
        bench_results_add(ctx->results, steal_pointer(&a->entry));
    }
}

void iso_cell_free(struct iso_cell *c)
{
    for (size_t b = 0; b < BENCH_BACKEND_MAX; b++) {
        bench_samples_free(&c->arms[b].score);
        bench_samples_free(&c->arms[b].ag_score);
        bench_samples_free(&c->arms[b].ag_throttled);
        bench_samples_free(&c->arms[b].ag_vcpu_busy);
        iso_metrics_free(&c->arms[b]);
        json_decref(c->arms[b].outcomes);
        json_decref(c->arms[b].entry);
        c->arms[b].outcomes = c->arms[b].entry = NULL;
    }
}
