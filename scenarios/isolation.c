/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* scenario-isolation.c — noisy neighbours. A victim (cpu, membw, lat,
 * netio, diskio) runs alone and beside an aggressor (cpu, membw, memhog,
 * forkbomb, netflood, diskhog) started first in a sibling instance with the
 * same limits, for each backend; the process backend is the unlimited pair,
 * the control. Degradation is the victim's loss vs its solo median, with a
 * two-sample bootstrap CI. Every aggressor is bounded: by the limits, by
 * its own ceiling, and in time. */
#include <errno.h>
#include <string.h>

#include "isolation.h"

#define AGGRESSOR_HEADSTART_NS (300 * VCB_NS_PER_MS) /* let it get going first */
#define GIVE_UP_AFTER          3

/* Victim: run for the suite's duration; its result comes before its exit
 * line, so EXIT is enough (a guest's poweroff after it is not waited for). */
static void victim_once(struct bench_ctx *ctx, const struct iso_cell *c,
                        const struct bench_backend *be, struct iso_arm *a, struct bench_inst *bi)
{
    const struct bench_suite *su = ctx->suite;
    char dur[32];
    snprintf(dur, sizeof(dur), "%lluns", (unsigned long long)c->sc->duration_ns);
    char *args[] = {"--duration", dur, NULL};
    int rc = BENCH_WAIT_OK;
    uint64_t budget = su->ready_timeout_ns + c->sc->duration_ns + su->exit_timeout_ns;
    if (bench_inst_launch(ctx, be, c->victim->name, args, bi) == 0)
        rc = bench_inst_wait(bi, 1, VCB_EV_EXIT, vcb_now_ns() + budget);
    bench_entry_mark(a->entry, bi);
    double score;
    if (bench_result_number(bi, c->victim->key, &score) && bi->exit_status == 0) {
        bench_samples_add(&a->score, score);
        iso_metrics_add(a, bi);
        a->fails_in_row = 0;
        return;
    }
    a->fails_in_row++;
    if (!(bi->t[VCB_EV_EXIT] || bi->t[VCB_EV_GONE]) || bi->error[0])
        bench_inst_log_dnf(a->entry, bi, "victim", VCB_EV_EXIT, rc, budget);
    else
        bench_entry_add_dnf(a->entry, "victim %s did not finish: exit %d, %s", c->victim->name,
                            bi->exit_status, bi->gone_detail);
}

/* Start the aggressor and give it a head start; false if it never got going. */
static bool aggressor_start(struct bench_ctx *ctx, const struct iso_cell *c,
                            const struct bench_backend *be, struct iso_arm *a,
                            struct bench_inst *ag)
{
    const struct bench_suite *su = ctx->suite;
    int rc = BENCH_WAIT_OK;
    char buf[32], *args[6] = {0};
    iso_aggressor_args(c, su, buf, args);
    if (bench_inst_launch(ctx, be, c->aggressor, args, ag) == 0)
        rc = bench_inst_wait(ag, 1, VCB_EV_READY, vcb_now_ns() + su->ready_timeout_ns);
    bench_entry_mark(a->entry, ag);
    if (!ag->t[VCB_EV_READY]) {
        bench_inst_log_dnf(a->entry, ag, "aggressor", VCB_EV_READY, rc, su->ready_timeout_ns);
        iso_outcome_count(a, "dnf");
        a->fails_in_row++;
        return false;
    }
    return bench_settle(ag, 1, AGGRESSOR_HEADSTART_NS) == 0;
}

/* One sample: aggressor first (if any), victim beside it, outcome noted;
 * then both destroyed together (their end is not measured). */
static void iso_sample(struct bench_ctx *ctx, const struct iso_cell *c,
                       const struct bench_backend *be, struct iso_arm *a)
{
    struct bench_inst pair[2]; /* aggressor, victim */
    memset(pair, 0, sizeof(pair));
    if (!c->aggressor || aggressor_start(ctx, c, be, a, &pair[0])) {
        victim_once(ctx, c, be, a, &pair[1]);
        if (c->aggressor && !bench_stop_signal()) {
            struct vcb_stats st;
            iso_aggressor_stats(&pair[0], &st);
            iso_outcome_count(a, iso_aggressor_outcome(&pair[0], &st));
            iso_aggressor_record(c, a, &pair[0], &st, ctx->suite->exit_timeout_ns);
        }
    }
    bench_inst_clear_all(pair, 2);
}

/* After n samples, an arm stops once its victim score CI is narrow. */
static bool arm_done(struct iso_arm *a, const struct iso_params *sc)
{
    struct vcb_summary s;
    const char *why = NULL;
    if (a->fails_in_row >= GIVE_UP_AFTER)
        why = "gave up after 3 failures in a row";
    else if (a->runs >= sc->max_n)
        why = "max_n";
    else if (a->runs >= sc->n && a->score.n && vcb_summarize(a->score.v, a->score.n, &s) == 0 &&
             vcb_ci_narrow(&s, sc->ci_target))
        why = "ci_target";
    if (why)
        bench_entry_note(a->entry, "stopped_by", json_string(why));
    return why != NULL;
}

/* One sample of one arm, with its progress. */
static void iso_arm_step(struct bench_ctx *ctx, struct iso_cell *c, size_t b)
{
    struct iso_arm *a = &c->arms[b];
    struct bench_backend tmp;
    int units = c->aggressor ? 2 : 1;
    if (a->runs >= c->sc->n)
        bench_progress_add_total(ctx->progress, units);
    iso_sample(ctx, c, iso_arm_backend(ctx, c, b, &tmp), a);
    a->runs++;
    char label[120];
    snprintf(label, sizeof(label), "isolation %s+%s%s%s", c->victim->name,
             c->aggressor ? c->aggressor : "none", c->variant ? " " : "",
             c->variant ? c->variant->name : "");
    for (int k = 0; k < units; k++)
        bench_progress_step(ctx->progress, label, ctx->backends[b].name, a->runs, c->sc->n);
    a->done = arm_done(a, c->sc);
}

/* Every cell of one victim (solo and each aggressor) over every backend:
 * one sample per arm per round, the arms of a round in a fresh random
 * order, so neither a backend nor the solo baseline always goes first. */
static void iso_cells_run(struct bench_ctx *ctx, struct iso_cell *cells, size_t ncells,
                          uint64_t salt)
{
    size_t nb = ctx->nbackends, left = 0, n = ncells * nb;
    size_t order[n ? n : 1];
    for (size_t c = 0; c < ncells; c++) {
        for (size_t b = 0; b < nb; b++) {
            struct bench_backend tmp;
            const struct bench_backend *be = iso_arm_backend(ctx, &cells[c], b, &tmp);
            cells[c].arms[b].absent = !be;
            cells[c].arms[b].entry = be ? iso_entry(ctx, &cells[c], be) : NULL;
            cells[c].arms[b].done = !be || !be->drv;
            left += !cells[c].arms[b].done;
        }
    }
    for (unsigned round = 0; left && !bench_stopping(ctx); round++) {
        bench_round_order(ctx, salt, round, order, n);
        for (size_t k = 0; k < n && !bench_stopping(ctx); k++) {
            struct iso_cell *c = &cells[order[k] / nb];
            size_t b = order[k] % nb;
            if (c->arms[b].done)
                continue;
            iso_arm_step(ctx, c, b);
            left -= c->arms[b].done;
        }
    }
    for (size_t c = 0; c < ncells; c++)
        iso_cell_unplanned(ctx, &cells[c]);
}

/* A cell none of whose arms ran (a stop came first) leaves no entries. */
static bool iso_cell_ran(const struct bench_ctx *ctx, const struct iso_cell *c)
{
    for (size_t b = 0; b < ctx->nbackends; b++)
        if (c->arms[b].runs)
            return true;
    return false;
}

/* One victim's cells: solo and each aggressor, once per variant (or once). */
static void iso_cells_make(const struct iso_params *sc, size_t v, struct iso_cell *cells,
                           size_t per)
{
    size_t nvar = sc->nvariants ? sc->nvariants : 1;
    for (size_t k = 0; k < nvar; k++) {
        for (size_t c = 0; c < per; c++) {
            struct iso_cell *cell = &cells[k * per + c];
            cell->sc = sc;
            cell->victim = iso_victim(sc, sc->victims[v]);
            cell->aggressor = c ? sc->aggressors[c - 1] : NULL;
            cell->variant = sc->nvariants ? &sc->variants[k] : NULL;
            cell->first_variant = k == 0;
        }
    }
}

static int iso_run(struct bench_ctx *ctx, const void *params)
{
    const struct iso_params *sc = params;
    size_t per = 1 + sc->naggressors, ncells = per * (sc->nvariants ? sc->nvariants : 1);
    cleanup_free struct iso_cell *cells = calloc(ncells, sizeof(*cells));
    if (!cells)
        return -1; /* out of memory before any instance: nothing to record */
    for (size_t v = 0; v < sc->nvictims && !bench_stopping(ctx); v++) {
        memset(cells, 0, ncells * sizeof(*cells));
        iso_cells_make(sc, v, cells, per);
        iso_cells_run(ctx, cells, ncells, (uint64_t)ctx->scen_index << 16 | (v + 1) << 8);
        /* each variant's aggressor cells against that variant's solo cell */
        for (size_t c = 0; c < ncells; c++)
            if (iso_cell_ran(ctx, &cells[c]))
                iso_cell_publish(ctx, &cells[c], c % per ? &cells[c - c % per] : NULL);
        for (size_t c = 0; c < ncells; c++)
            iso_cell_free(&cells[c]);
    }
    return 0;
}

/* The suite's own workloads that have a score: victims too. */
static void iso_own_victims(const struct sj *sj, const char **out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; sj->suite && i < sj->suite->nown && n + 1 < cap; i++)
        if (sj->suite->own[i].score[0])
            out[n++] = sj->suite->own[i].name;
    out[n] = NULL;
}

/* What each own victim is scored by: its metric, kept under the metric's
 * name in its results (harness/inst.c). */
static int iso_own_scores(const struct sj *sj, struct iso_params *sc)
{
    for (size_t v = 0; v < sc->nvictims; v++) {
        const struct bench_own_workload *w = bench_suite_own(sj->suite, sc->victims[v]);
        if (w)
            sc->own_victims[sc->nown_victims++] =
                (struct victim_info){w->name, w->score, w->score_unit, !w->score_lower_better};
    }
    return 0;
}

static int iso_parse(const struct sj *sj, json_t *o, const char *p, void **params)
{
    static const char *const keys[] = {"type",      "victims",  "aggressors", "n", "max_n",
                                       "ci_target", "duration", "variants",   NULL};
    const char *victim_choices[64] = {"cpu", "membw", "lat", "netio", "diskio"};
    iso_own_victims(sj, victim_choices + 5, 64 - 5);
    static const char *const builtin_aggressors[] = {"cpu",      "membw",   "memhog", "forkbomb",
                                                     "netflood", "diskhog", NULL};
    const char *need[] = {"victims", "aggressors"}, *aggressor_choices[64];
    /* a suite's own workload may be the noisy neighbour (its own command,
     * bounded by the limits and stopped with the victim's end); a victim
     * needs a score the scenario knows how to read: built-in ones only */
    sj_with_own(sj, builtin_aggressors, aggressor_choices, 64);
    for (size_t i = 0; i < 2; i++) {
        char path[256];
        sj_path(path, sizeof(path), p, need[i]);
        if (!json_object_get(o, need[i]))
            return sj_bad(sj, path, "missing (expected an array of workload names)");
    }
    cleanup_free struct iso_params *sc = malloc(sizeof(*sc));
    if (!sc)
        return vcb_err_sys(sj->err, ENOMEM, "%s: %s", sj->file, p);
    *sc = (struct iso_params){.n = 3,
                              .ci_target = 0.1,
                              .duration_ns = 2 * VCB_NS_PER_S,
                              .nvictims = 1,
                              .victims = {"cpu"}};
    if (sj_keys(sj, o, p, keys) < 0 ||
        sj_choice_list(sj, o, p, "victims", "victim", victim_choices, sc->victims, BENCH_LIST_MAX,
                       &sc->nvictims) < 0 ||
        sj_choice_list(sj, o, p, "aggressors", "aggressor", aggressor_choices, sc->aggressors,
                       BENCH_LIST_MAX, &sc->naggressors) < 0 ||
        sj_uint(sj, o, p, "n", 1, 10000, &sc->n) < 0 ||
        sj_uint(sj, o, p, "max_n", 1, 10000, &sc->max_n) < 0 ||
        sj_double(sj, o, p, "ci_target", 0.001, 10, &sc->ci_target) < 0 ||
        sj_duration(sj, o, p, "duration", &sc->duration_ns) < 0 ||
        bench_scenario_check_max_n(sj, p, sc->n, &sc->max_n) < 0 || iso_own_scores(sj, sc) < 0 ||
        iso_variants_parse(sj, o, p, sc) < 0)
        return -1;
    *params = steal_pointer(&sc);
    return 0;
}

/* Each victim alone, then beside each aggressor (two instances). */
static unsigned iso_plan(const void *params, size_t nbackends)
{
    const struct iso_params *sc = params;
    size_t nvar = sc->nvariants ? sc->nvariants : 1; /* arms a variant leaves out come off later */
    return (unsigned)(sc->nvictims * (1 + 2 * sc->naggressors) * nvar) * sc->n *
           (unsigned)nbackends;
}

static int iso_images(const void *params, bench_image_need_fn need, void *arg, struct vcb_err *err)
{
    const struct iso_params *sc = params;
    for (size_t v = 0; v < sc->nvictims; v++)
        if (need(arg, sc->victims[v], err) < 0)
            return -1;
    for (size_t g = 0; g < sc->naggressors; g++)
        if (need(arg, sc->aggressors[g], err) < 0)
            return -1;
    return 0;
}

const struct bench_scenario_ops bench_isolation_ops = {.name = "isolation",
                                                       .parse = iso_parse,
                                                       .plan = iso_plan,
                                                       .images = iso_images,
                                                       .run = iso_run,
                                                       .free = free};
