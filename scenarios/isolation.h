/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* isolation.h — the pieces of the isolation scenario shared by its two
 * files: the run loop (scenario-isolation.c) and the bookkeeping of arms,
 * aggressors and degradation (isolation-arm.c). */
#ifndef BENCH_ISOLATION_H
#define BENCH_ISOLATION_H

#include "scenario.h"

struct victim_info {
    const char *name; /* workload */
    const char *key;  /* its result field that is the score */
    const char *unit; /* schema unit of that score */
    bool higher_better;
};

/* A named set of limits the limited arms run under ("hard", "weight",
 * "cpuset", "mem-soft"): each replaces the suite's limits of the backends
 * it names; a limited backend it does not name sits it out. */
#define ISO_VARIANTS_MAX     8
#define ISO_VARIANT_NAME_MAX 32
struct iso_variant {
    char name[ISO_VARIANT_NAME_MAX];
    struct vcb_limits limits[BENCH_BACKEND_MAX]; /* indexed as the registry */
    bool given[BENCH_BACKEND_MAX];
};

/* The isolation scenario's parameters, as its suite object gives them. */
struct iso_params {
    unsigned n, max_n;
    double ci_target;
    char victims[BENCH_LIST_MAX][BENCH_WORKLOAD_MAX];
    size_t nvictims;
    char aggressors[BENCH_LIST_MAX][BENCH_WORKLOAD_MAX];
    size_t naggressors;
    uint64_t duration_ns; /* victim run time */
    /* The suite's own workloads named as victims, scored by a metric of
     * theirs (their strings are the suite's) */
    struct victim_info own_victims[BENCH_LIST_MAX];
    size_t nown_victims;
    /* none: every arm runs once per cell with the suite's limits */
    struct iso_variant variants[ISO_VARIANTS_MAX];
    size_t nvariants;
};

/* A guest whose vCPUs ran or waited to run this much of the time was held
 * by its vCPU count. */
#define ISO_VCPU_BUSY_HELD_PCT 90.0

/* One figure a victim reports, over the arm's samples (iso-metrics.c). */
#define ISO_METRICS_MAX 24
struct iso_metric {
    char name[48];
    const char *unit;
    struct bench_samples s;
};

struct iso_arm {
    json_t *entry;
    struct iso_metric metrics[ISO_METRICS_MAX]; /* every figure of the victim's */
    size_t nmetrics;
    struct bench_samples score;
    /* the aggressor's side: its own score, the share of CFS periods its CPU
     * quota held it back in, and (VM) how busy its vCPUs were */
    struct bench_samples ag_score, ag_throttled, ag_vcpu_busy;
    json_t *outcomes; /* {"ran": 2, "oom-killed": 1} */
    unsigned runs, fails_in_row;
    bool done;
    bool absent; /* not in this cell: a control outside the first variant, or a
                  * backend the variant does not name */
};

struct iso_cell {
    const struct iso_params *sc;
    const struct victim_info *victim;
    const char *aggressor;             /* NULL: solo baseline */
    const struct iso_variant *variant; /* NULL: the suite has none */
    bool first_variant;                /* the cell whose arms include the control */
    struct iso_arm arms[BENCH_BACKEND_MAX];
};

/* A victim's score: a built-in workload's, or one the suite's own has. */
const struct victim_info *iso_victim(const struct iso_params *sc, const char *name);
json_t *iso_entry(struct bench_ctx *ctx, const struct iso_cell *c, const struct bench_backend *be);
/* Backend b as cell c runs it: its variant's limits where it has one
 * (into *tmp); NULL when the arm is not in the cell (isolation-variant.c). */
const struct bench_backend *iso_arm_backend(const struct bench_ctx *ctx, const struct iso_cell *c,
                                            size_t b, struct bench_backend *tmp);
/* The variant an arm's entry is labelled with: NULL for the control and
 * where the suite has no variants. */
const char *iso_variant_label(const struct iso_cell *c, const struct bench_backend *be);
/* The suite's "variants" object at p into sc (isolation-variant.c). */
int iso_variants_parse(const struct sj *sj, json_t *o, const char *p, struct iso_params *sc);
/* Arguments bounding the aggressor in time; buf holds the strings. */
void iso_aggressor_args(const struct iso_cell *c, const struct bench_suite *su, char buf[32],
                        char *args[6]);

void iso_outcome_count(struct iso_arm *a, const char *outcome);
/* The aggressor's own figures for this sample: how much its quota held it
 * back (stats read while it ran), and for cpu and membw its score, from the
 * result it reports once asked to stop. */
void iso_aggressor_record(const struct iso_cell *c, struct iso_arm *a, struct bench_inst *ag,
                          const struct vcb_stats *st, uint64_t timeout_ns);
/* Take back from the progress total what arms that ended early never ran. */
void iso_cell_unplanned(struct bench_ctx *ctx, const struct iso_cell *c);
/* Add the cell's entries to the results (degradation vs solo when given);
 * the cell's samples stay for iso_cell_free. */
void iso_cell_publish(struct bench_ctx *ctx, struct iso_cell *c, const struct iso_cell *solo);
void iso_cell_free(struct iso_cell *c);

/* An isolation aggressor's host-side stats, read while it may still run. */
void iso_aggressor_stats(struct bench_inst *ag, struct vcb_stats *st);
/* What became of it, from what was recorded: "oom-killed" (a kernel's OOM
 * count), "killed" (SIGKILL, no count), "pids-capped", "mem-capped",
 * "throttled" (cpu.stat, or a guest's vCPUs saturated), "ran", "dnf". */
const char *iso_aggressor_outcome(const struct bench_inst *ag, const struct vcb_stats *st);

/* Every figure of a victim's result with a unit in its name, kept per
 * arm (and how the arm saw a scratch volume, noted); published as
 * "victim.<field>" metrics with summaries (iso-metrics.c). */
void iso_metrics_add(struct iso_arm *a, const struct bench_inst *bi);
void iso_metrics_publish(struct iso_arm *a);
void iso_metrics_free(struct iso_arm *a);

#endif
