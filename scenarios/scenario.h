/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* scenario.h — what a scenario is to the suite and the runner: a row of
 * ops in one table (table.c). Each scenario file owns its parameters,
 * reads its own fields of a suite's scenario object, says what it will
 * launch and which images it needs, and runs over every backend. */
#ifndef BENCH_SCENARIO_H
#define BENCH_SCENARIO_H

#include "harness.h"
#include "suite-json.h"

/* Called for every workload whose image a scenario's instances boot. */
typedef int (*bench_image_need_fn)(void *arg, const char *workload, struct vcb_err *err);

struct bench_scenario_ops {
    const char *name; /* its "type" in a suite file and its results entries */
    /* Read the scenario object o (at path p, "scenarios[2]"), defaults
     * filled in, into newly allocated parameters; -1 with sj's usage error. */
    int (*parse)(const struct sj *sj, json_t *o, const char *p, void **params);
    /* Planned instance launches over nbackends, for progress and ETA. */
    unsigned (*plan)(const void *params, size_t nbackends);
    /* need() every workload it launches; stops at the first that fails. */
    int (*images)(const void *params, bench_image_need_fn need, void *arg, struct vcb_err *err);
    /* Run over every backend, adding entries to ctx->results; -1 only for
     * errors that end the run. */
    int (*run)(struct bench_ctx *ctx, const void *params);
    void (*free)(void *params);
};

/* Every scenario, NULL-terminated, in the order `--help` lists them. */
extern const struct bench_scenario_ops *const bench_scenarios[];
const struct bench_scenario_ops *bench_scenario_find(const char *name);
/* "boot, memory, density, isolation" */
const char *bench_scenario_names(void);
/* A boot or isolation scenario's max_n: n when not given, never below it. */
int bench_scenario_check_max_n(const struct sj *sj, const char *p, unsigned n, unsigned *max_n);

#endif
