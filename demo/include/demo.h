/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* demo.h — `vcbench demo`: the demo suite run by the real runner and
 * narrated from its observer. */
#ifndef VCB_DEMO_H
#define VCB_DEMO_H

#include "bench.h"

/* `vcbench demo`, a narrated classroom run of process vs
 * container vs VM (boot, memory, a noisy neighbour), written as a results
 * file. The library never prints: narration goes out through opts->say, and
 * the waits between steps through opts->pause; the CLI owns the terminal. */
struct bench_demo_opts {
    const char *out_dir;  /* NULL: results/demo-<run-id> */
    const char *backends; /* NULL: process,container,vm */
    struct vcb_backend_opts bopts;
    /* Text to show, as it comes (partial lines included: show it at once). */
    void (*say)(void *ctx, const char *text);
    /* Between steps: wait for the reader. stop_fd polls readable once Ctrl-C
     * was pressed. Return 0 to go on, -1 to stop. NULL: no waiting. */
    int (*pause)(void *ctx, int stop_fd);
    void *ctx;
};

struct bench_demo_result {
    char results_path[PATH_MAX];
    char out_dir[PATH_MAX];
    int stop_signal; /* SIGINT / SIGTERM when stopped early, else 0 */
};

/* Run the demo's steps 1-4 and write results.json into the out dir (step 5
 * starts with it; the caller makes the report). A stop (Ctrl-C) returns 0
 * with res->stop_signal set: every instance destroyed, run dir removed,
 * results.json marked incomplete. */
int bench_demo_run(const struct bench_demo_opts *opts, struct bench_demo_result *res,
                   struct vcb_err *err);

#endif
