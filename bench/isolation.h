/* isolation.h — the pieces of the isolation scenario shared by its two
 * files: the run loop (scenario-isolation.c) and the bookkeeping of arms,
 * aggressors and degradation (isolation-arm.c). */
#ifndef BENCH_ISOLATION_H
#define BENCH_ISOLATION_H

#include "harness.h"

struct victim_info {
    const char *name; /* workload */
    const char *key;  /* its result field that is the score */
    const char *unit; /* schema unit of that score */
    bool higher_better;
};

struct iso_arm {
    json_t *entry;
    struct bench_samples score;
    json_t *outcomes; /* {"ran": 2, "oom-killed": 1} */
    unsigned runs, fails_in_row;
    bool done;
};

struct iso_cell {
    const struct bench_scenario *sc;
    const struct victim_info *victim;
    const char *aggressor; /* NULL: solo baseline */
    struct iso_arm arms[BENCH_BACKEND_MAX];
};

const struct victim_info *iso_victim(const char *name);
json_t *iso_entry(struct bench_ctx *ctx, const struct iso_cell *c, const struct bench_backend *be);
/* Arguments bounding the aggressor in time; buf holds the strings. */
void iso_aggressor_args(const struct iso_cell *c, const struct bench_suite *su, char buf[32],
                        char *args[6]);

void iso_outcome_count(struct iso_arm *a, const char *outcome);
/* Take back from the progress total what arms that ended early never ran. */
void iso_cell_unplanned(struct bench_ctx *ctx, const struct iso_cell *c);
/* Add the cell's entries to the results (degradation vs solo when given);
 * the cell's samples stay for iso_cell_free. */
void iso_cell_publish(struct bench_ctx *ctx, struct iso_cell *c, const struct iso_cell *solo);
void iso_cell_free(struct iso_cell *c);

#endif
