/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* demo-priv.h — the demo's state and helpers, shared by its files:
 * demo.c (setup, steps 1 and 5, teardown), demo-boot.c (steps 2 and 3),
 * demo-iso.c (step 4). The words it says are all in demo-text.h. */
#ifndef BENCH_DEMO_PRIV_H
#define BENCH_DEMO_PRIV_H

#include "bench.h"
#include "harness.h"

#define DEMO_STEPS 5

struct demo {
    const struct bench_demo_opts *opts;
    struct bench_suite suite;
    struct bench_ctx ctx;
    struct bench_results results;
    struct bench_progress progress; /* disabled: the demo narrates instead */
    struct bench_runlock lock;
    bool signals;
    /* A backend that failed to start an instance is skipped afterwards. */
    bool down[BENCH_BACKEND_MAX];
    char down_why[BENCH_BACKEND_MAX][VCB_ERR_MSG_MAX];
    /* What later steps and the closing words quote. */
    double boot_ready_ns[BENCH_BACKEND_MAX]; /* median create→ready, 0: none */
    double mem_cost[BENCH_BACKEND_MAX];      /* idle host cost, 0: none */
    uint64_t memhog_ceiling;
    uint64_t mem_available; /* host MemAvailable before the noisy neighbours */
    bool said_emulated;
};

void demo_say(struct demo *d, const char *fmt, ...) VCB_PRINTF(2, 3);
/* Step heading, its opening words, then (between steps) the pause. */
void demo_heading(struct demo *d, unsigned step);
/* -1 when a stop was asked (Ctrl-C) or the reader chose to stop. */
int demo_pause(struct demo *d);
bool demo_stopped(struct demo *d);

/* The backend's display name, with "(emulated, TCG)" for a guest under TCG. */
const char *demo_backend_label(const struct demo *d, size_t b, bool emulated, char *buf,
                               size_t len);
bool demo_inst_emulated(const struct bench_inst *bi);
bool demo_entry_emulated(json_t *entry);
/* Launch; on failure mark the backend down and say why. */
int demo_launch(struct demo *d, size_t b, const char *workload, char *const *args,
                struct bench_inst *bi);
/* Say the reason once, the first time a guest is seen running under TCG. */
void demo_note_emulated(struct demo *d, const struct bench_inst *bi);
/* Says "skipped" (and notes a DNF in entry, if any) when the backend is down. */
bool demo_skip(struct demo *d, size_t b, json_t *entry);

int demo_step_boot(struct demo *d);
int demo_step_memory(struct demo *d);
int demo_step_isolation(struct demo *d);

#endif
