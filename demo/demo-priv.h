/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* demo-priv.h — the narrator, shared by its files: demo.c (the run, steps 1
 * and 5, the words every step shares), demo-boot.c (steps 2 and 3),
 * demo-iso.c (step 4). The run is the real runner's over the demo suite
 * (suite/suites/demo.json); these files only say what its observer tells
 * them. The words themselves are all in demo-text.h. */
#ifndef BENCH_DEMO_PRIV_H
#define BENCH_DEMO_PRIV_H

#include "demo.h"
#include "harness.h"

struct demo {
    const struct bench_demo_opts *opts;
    const struct bench_ctx *ctx; /* the run's, from its first event */
    bool said_emulated;
    bool live_shown[BENCH_BACKEND_MAX]; /* a boot row was shown as it came */
    /* Entries of the running step, by backend (borrowed from the results). */
    json_t *entry[BENCH_BACKEND_MAX];
    /* [cell: alone, then beside each neighbour][backend] */
    json_t *iso[1 + BENCH_LIST_MAX][BENCH_BACKEND_MAX];
};

/* One step per scenario of the demo suite, by its name. */
struct demo_step {
    const char *scenario;
    const char *title;
    void (*start)(struct demo *d);
    void (*ready)(struct demo *d, const struct bench_inst *bi);
    void (*entry)(struct demo *d, size_t b, json_t *entry);
    void (*end)(struct demo *d);
};
extern const struct demo_step demo_step_boot, demo_step_memory, demo_step_isolation;

void demo_say(struct demo *d, const char *fmt, ...) VCB_PRINTF(2, 3);
/* The backend's display name, with "(emulated, TCG)" for a guest under TCG. */
const char *demo_label(const struct demo *d, size_t b, json_t *entry, char *buf, size_t len);
/* The arm's kind (control, container, VM); -1 when its driver is not built. */
int demo_kind(const struct demo *d, size_t b);
/* The first backend of that kind in this demo, or nbackends. */
size_t demo_find_kind(const struct demo *d, enum vcb_arm_kind kind);
/* Say the reason once, the first time a guest is seen running under TCG. */
void demo_note_emulated(struct demo *d, const struct bench_inst *bi);
/* The entry's metric: its median (and sample count); false when not measured. */
bool demo_metric(json_t *entry, const char *name, double *median, size_t *n);
/* "skipped: why" (not built) or "failed: why" from the entry's first DNF;
 * true when the entry measured nothing and the row was said so. */
bool demo_say_dnf(struct demo *d, size_t b, json_t *entry);
const char *demo_note_string(json_t *entry, const char *key);

#endif
