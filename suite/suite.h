/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* suite.h — `vcbench run`: a suite file run through the drivers, scenario by
 * scenario, into results.json. */
#ifndef VCB_SUITE_H
#define VCB_SUITE_H

#include "bench.h"

/* What `vcbench run` asks for; the suite says the rest. */
struct bench_run_opts {
    const char *suite;    /* quick | default | full | FILE.json */
    const char *backends; /* "process,container" (NULL: the suite's list) */
    const char *out_dir;  /* NULL: results/<out_prefix><run-id> */
    const char *out_prefix;
    struct vcb_backend_opts bopts;
    uint64_t log_max; /* each instance's log cap; 0: the suite's, else the default */
    bool force;       /* out_dir may hold an earlier run's results: replace them */
    bool progress;    /* bar / lines on stderr */
    struct bench_observer observer;
};

struct bench_run_result {
    char results_path[PATH_MAX];
    char replaced[2 * PATH_MAX + 64]; /* --force: the earlier results replaced, or "" */
    char run_id[VCB_RUN_ID_LEN + 1];
    int stop_signal; /* SIGINT / SIGTERM when stopped early, else 0 */
    bool complete;
    unsigned entries, dnf; /* results entries, and DNFs among them */
};

/* Validate the suite and the out dir (usage errors before anything starts),
 * run it through the drivers and write results.json after every scenario. A
 * run stopped by SIGINT/SIGTERM returns 0 with res->stop_signal set and
 * complete = false. Logs that could not be kept beside the results (a full
 * disk) return -1 with complete = true: the results are whole, and say so. */
int bench_run(const struct bench_run_opts *opts, struct bench_run_result *res, struct vcb_err *err);

/* Is --suite S a file (a '/' or ".json" in it) rather than a suite's name?
 * The rule bench_suite_resolve follows. */
bool bench_suite_is_file(const char *name_or_file);

#endif
