/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bench.h — the bench module: the driver registry, the process driver (the
 * control arm) and the harness that runs suites through the driver interface. */
#ifndef BENCH_H
#define BENCH_H

#include <limits.h>

#include "vcb-driver.h"
#include "vcb-json.h"

/* ---- the backends (registry.c): the one list of them ---- */
/* How many backends the registry lists, built or not; index 0 to count-1,
 * in the registry's order (the canonical order of suites and reports). */
size_t bench_backend_count(void);
const char *bench_backend_name(size_t i);
enum vcb_arm_kind bench_backend_kind(size_t i);
/* A line that is one backend: neither a family's line ("oci:RUNTIME",
 * listed, never an arm itself) nor one of its members ("oci:crun", which get
 * an index of their own when first named). */
bool bench_backend_fixed(size_t i);
/* A member's host facts (results.json "host"), for a run that uses it. */
void bench_backend_member_facts(size_t i, const struct vcb_backend_opts *opts, json_t *host);
/* NULL when this build leaves it out or its module cannot be loaded;
 * bench_backend_why says why. A module backend is loaded by this call. */
const struct vcb_driver *bench_backend_driver(size_t i);
const char *bench_backend_why(size_t i);
/* The driver if it is there without loading anything (built in, or a module
 * already loaded); else NULL. For work that only concerns backends in use. */
const struct vcb_driver *bench_backend_peek(size_t i);
/* Its command-line options, known without loading a module. */
const struct vcb_driver_opt *bench_backend_options(size_t i);
/* Every backend's name: "process, container, vm", or "process,container,vm". */
const char *bench_backend_list(bool commas);
/* The index of a name, or of the first backend of a kind; -1 if none. A
 * family member's name ("oci:crun") claims its index on first use. */
int bench_backend_index(const char *name);
int bench_backend_of_kind(enum vcb_arm_kind kind);
/* Claim the family members named among an array's strings or an object's
 * keys, so that a list of choices (bench_backend_names) holds them. */
void bench_backend_claim(json_t *names);
/* The driver of that name (loading its module); NULL if unknown, not built
 * or not loadable. */
const struct vcb_driver *bench_driver_find(const char *name);
/* "process, container, vm": the built drivers, for --help and errors. */
const char *bench_driver_names(void);

/* ---- harness ---- */

/* What a run tells whoever watches it as it goes (the demo narrates from
 * it). ctx holds the backends, the suite and the results so far. */
enum bench_obs_kind {
    BENCH_OBS_BEGIN,          /* backends chosen, run dir made; the images come next */
    BENCH_OBS_SCENARIO_START, /* scenario `scenario` is about to run */
    BENCH_OBS_INSTANCE_READY, /* a serial boot's instance said ready (inst) */
    BENCH_OBS_ENTRY,          /* a results entry was added (entry, borrowed) */
    BENCH_OBS_SCENARIO_END,   /* scenario `scenario` ended, its results saved */
};
struct bench_ctx;
struct bench_inst;
struct bench_obs_event {
    enum bench_obs_kind kind;
    const struct bench_ctx *ctx;
    size_t scenario; /* index into ctx->suite->scen */
    const struct bench_inst *inst;
    json_t *entry;
};
struct bench_observer {
    /* -1 stops the run as a stop request would; it is then incomplete,
     * stopped_by says so. NULL: nobody watches. */
    int (*event)(void *arg, const struct bench_obs_event *ev);
    void *arg;
    const char *stopped_by; /* "stopped by the reader" */
};

/* The run directory <run root>/vcb-<run-id>/, visible only once an flock is
 * held on its lock file (made under a hidden name, locked, renamed), for as
 * long as lock->fd stays open. lock->guard is a child that removes what the
 * run leaves if it dies without bench_rundir_release (or bench_runlock_drop,
 * harness.h). `vcbench cleanup` treats a run whose lock can be taken as
 * stale; a dir without a lock file is never judged. Whatever creates
 * instances (run, launch, demo, peers) should hold one. */
struct bench_runlock {
    int fd;
    pid_t guard;
};
int bench_rundir_create(const char *run_id, char *dir, size_t len, struct bench_runlock *lock,
                        struct vcb_err *err);
/* End of a run: keep the logs beside results_path (if any), stand the guard
 * down, remove the run dir, then let go of its lock. */
void bench_rundir_release(const char *run_dir, const char *results_path,
                          struct bench_runlock *lock);
/* Let go of the lock but leave the run dir (logs kept for the user; a later
 * `vcbench cleanup` removes it). */
void bench_runlock_drop(struct bench_runlock *lock);

/* Run roots other than ours that live processes use (their VCB_RUN_DIR, and
 * the default root), for cleanup --orphans. */
#define BENCH_RUN_ROOTS_MAX 16
struct bench_run_roots {
    char dir[BENCH_RUN_ROOTS_MAX][PATH_MAX];
    size_t n;
};
void bench_run_roots_scan(struct bench_run_roots *r);
/* A run whose dir in our root has a free lock is stale. One whose dir is not
 * there is stale only with orphans (--orphans) and when it is in none of
 * those roots either (or has a free lock where it is). */
bool bench_rundir_is_stale(const char *run_id, const struct bench_run_roots *orphans);

/* Remove what runs whose process is gone left behind: cgroups and mounts
 * (container), domains (vm), run directories; with volumes, also what
 * backends keep between runs (a remote VM host's uploaded volumes and
 * their pool). removed() is called for each
 * thing removed (or that would be, with dry_run); returns how many. A part
 * that failed (libvirtd unreachable) does not stop the others: its error is
 * left in err (msg non-empty) beside the count. */
int bench_cleanup(bool dry_run, bool orphans, bool volumes, const struct vcb_backend_opts *bopts,
                  void (*removed)(const char *what, void *ctx), void *ctx, struct vcb_err *err);

#endif
