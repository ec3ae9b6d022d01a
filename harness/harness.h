/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* harness.h — internals of the harness, shared by its files and
 * opened to tests. The public entry points are in bench.h. */
#ifndef BENCH_HARNESS_H
#define BENCH_HARNESS_H

#include <limits.h>
#include <pthread.h>

#include "bench.h"
#include "vcb-json.h"
#include "vcb-stats.h"

/* ---- samples (samples.c); their statistics are core's (vcb-stats.h) ------- */
struct bench_samples {
    double *v;
    size_t n, cap;
};
int bench_samples_add(struct bench_samples *s, double x);
void bench_samples_free(struct bench_samples *s);

/* ---- suites (suite.c) ------------------------------------------------------ */
#define BENCH_BACKEND_MAX  3
#define BENCH_LIST_MAX     8
#define BENCH_WORKLOAD_MAX 32

enum bench_scen_kind { BENCH_BOOT, BENCH_MEMORY, BENCH_DENSITY, BENCH_ISOLATION };

struct bench_scenario {
    enum bench_scen_kind kind;
    unsigned n, max_n, warmup; /* boot, memory, isolation; density: n = repetitions */
    double ci_target;
    char workload[BENCH_WORKLOAD_MAX]; /* boot */
    unsigned concurrency[BENCH_LIST_MAX];
    size_t nconcurrency;
    unsigned rounds;                       /* boot: concurrent rounds per level */
    char workloads[2][BENCH_WORKLOAD_MAX]; /* memory: idle, alloc */
    size_t nworkloads;
    uint64_t alloc_bytes;                             /* memory */
    uint64_t settle_ns;                               /* memory, density */
    unsigned instances_max;                           /* density: the largest cap */
    unsigned instances_cap[BENCH_BACKEND_MAX];        /* density: cap per backend (known order) */
    unsigned step;                                    /* density: least instances per step */
    uint64_t floor_bytes;                             /* density: MemAvailable floor */
    char victims[BENCH_LIST_MAX][BENCH_WORKLOAD_MAX]; /* isolation */
    size_t nvictims;
    char aggressors[BENCH_LIST_MAX][BENCH_WORKLOAD_MAX];
    size_t naggressors;
    uint64_t duration_ns; /* isolation: victim run time */
};

struct bench_suite {
    char name[64];
    char file[PATH_MAX];
    json_t *json; /* the document as loaded, for results.suite */
    char backends[BENCH_BACKEND_MAX][16];
    size_t nbackends;
    struct vcb_limits limits[BENCH_BACKEND_MAX]; /* index as bench_backend_known */
    uint64_t ready_timeout_ns, exit_timeout_ns;
    bool has_seed; /* "seed": the interleaving order to redo */
    unsigned seed;
    uint64_t log_max; /* each instance's log cap; 0 = not given */
    struct bench_scenario *scen;
    size_t nscen;
};

/* "process", "container", "vm": the backends a suite may name. */
extern const char *const bench_backend_known[BENCH_BACKEND_MAX];
int bench_backend_index(const char *name);
const char *bench_scen_kind_name(enum bench_scen_kind k);

/* Find a suite by name (quick, default, full) or take a file path. */
int bench_suite_resolve(const char *name_or_file, char *path, size_t len, struct vcb_err *err);
int bench_suite_load(const char *path, struct bench_suite *s, struct vcb_err *err);
int bench_suite_parse(json_t *doc, const char *file, struct bench_suite *s, struct vcb_err *err);
void bench_suite_free(struct bench_suite *s);

/* ---- run directory (rundir.c, rundir-guard.c, run-roots.c) ------------------ */
/* bench_rundir_create and bench_rundir_is_stale are public: bench.h. */
/* bench_rundir_release and bench_runlock_drop are public: bench.h. */
/* Call fn for every vcb-<run-id> directory under the run root. */
int bench_rundir_each(int (*fn)(const char *run_id, const char *path, void *ctx), void *ctx,
                      struct vcb_err *err);
/* Call fn for every hidden dir of a run that died before its dir was renamed
 * into place (lock free or missing, older than a minute). */
int bench_rundir_each_unborn(int (*fn)(const char *path, void *ctx), void *ctx,
                             struct vcb_err *err);
/* The guard of a new run dir (a child process); -1 on error. */
pid_t bench_rundir_guard_start(const char *run_id, const char *dir, struct vcb_err *err);
/* Stand it down and reap it; *guard becomes -1. */
void bench_rundir_guard_stop(pid_t *guard);

/* The run-dir part of bench_cleanup alone (cleanup.c); returns how many. */
int bench_cleanup_run_dirs(bool dry_run, void (*removed)(const char *what, void *ctx), void *ctx,
                           struct vcb_err *err);
/* What the guard of a dead run removes: that run's container cgroups and
 * mounts, and orphaned process-backend instances. */
void bench_cleanup_run(const char *run_id);

/* ---- a run's instance logs (logs.c) ---------------------------------------- */
struct bench_inst;
struct bench_logs {
    pthread_mutex_t lock; /* zeroed = PTHREAD_MUTEX_INITIALIZER */
    uint64_t max;         /* each instance's cap; 0 = VCB_LOG_MAX_DEFAULT */
    const char *scenario; /* the scenario running now, for the list */
    unsigned instances, capped;
    uint64_t written, dropped;
    json_t *list;                     /* the capped instances (the first 64) */
    char kept[PATH_MAX];              /* where they were kept beside the results */
    char keep_error[VCB_ERR_MSG_MAX]; /* or why keeping them failed */
};
/* Count what an instance's log kept and dropped; before its destroy. */
void bench_logs_note(struct bench_logs *l, const struct bench_inst *bi);
/* Set results.json's "logs" to the counts so far. */
void bench_logs_to_results(struct bench_logs *l, json_t *doc);
void bench_logs_free(struct bench_logs *l);
/* <dir of results_path>/logs */
void bench_logs_dir(const char *results_path, char *out, size_t len);
/* Copy (streamed) the logs of run_dir to bench_logs_dir(results_path); the
 * first copy that fails is removed and ends it with err. */
int bench_logs_keep(const char *run_dir, const char *results_path, struct vcb_err *err);

/* ---- the results directory (outdir.c) -------------------------------------- */
/* A dir holding results.json or logs/ is a usage error naming it, unless
 * force: then replaced says what will be replaced ("" when nothing). */
int bench_out_check(const char *dir, bool force, char *replaced, size_t len, struct vcb_err *err);
/* --force, once this run's results.json is in place: remove the earlier logs/. */
int bench_out_drop_prior_logs(const char *results_path, struct vcb_err *err);

/* ---- stop requests (signal.c) ---------------------------------------------- */
int bench_signals_install(struct vcb_err *err);
void bench_signals_restore(void);
int bench_stop_signal(void);   /* 0, SIGINT or SIGTERM */
int bench_stop_fd(void);       /* readable once a stop was asked; -1 before install */
void bench_pause(uint64_t ns); /* sleep that a stop request cuts short */

/* ---- progress on stderr (progress.c) --------------------------------------- */
struct bench_progress {
    bool tty, enabled, dirty;
    uint64_t t_start, t_last;
    unsigned total, done;
};
void bench_progress_init(struct bench_progress *p, bool enabled, unsigned total);
void bench_progress_add_total(struct bench_progress *p, int delta);
void bench_progress_step(struct bench_progress *p, const char *scenario, const char *backend,
                         unsigned i, unsigned n);
void bench_progress_note(struct bench_progress *p, const char *fmt, ...) VCB_PRINTF(2, 3);
void bench_progress_end(struct bench_progress *p);

/* ---- host facts (hostfacts.c) ---------------------------------------------- */
json_t *bench_host_facts(const struct vcb_backend_opts *opts, bool with_vm, bool with_ct);
uint64_t bench_mem_available(void); /* /proc/meminfo MemAvailable in bytes, 0 if unknown */

/* ---- results document (results.c) ----------------------------------------- */
#define BENCH_SCHEMA "vcbench-results/1.1" /* minor: fields added, none renamed */
struct bench_results {
    json_t *doc;
    char path[PATH_MAX];
    bool saved;              /* path holds this run's document (a failed first save leaves
                              * whatever was there before) */
    struct bench_logs *logs; /* when set, every save writes its counts ("logs") */
};
int bench_results_init(struct bench_results *r, const char *out_dir, const char *run_id,
                       json_t *host, json_t *suite, struct vcb_err *err);
void bench_results_add(struct bench_results *r, json_t *entry); /* steals entry */
int bench_results_save(struct bench_results *r, struct vcb_err *err);
void bench_results_set_run(struct bench_results *r, const char *key, json_t *value); /* steals */
void bench_results_finish(struct bench_results *r, bool complete, const char *stopped_by);
void bench_results_free(struct bench_results *r);
json_t *bench_entry_new(const char *scenario, const char *backend, json_t *params);
/* unit decides integer (ns, bytes) or real samples. ci may be NULL. */
int bench_entry_add_metric(json_t *entry, const char *name, const char *unit,
                           const struct bench_samples *s, const double ci[2]);
void bench_entry_add_dnf(json_t *entry, const char *fmt, ...) VCB_PRINTF(2, 3);
void bench_entry_note(json_t *entry, const char *key, json_t *value); /* steals value */
json_t *bench_summary_json(const struct vcb_summary *s, bool integer);
void bench_utc_now(char out[32]);

/* ---- a run's life (session.c) --------------------------------------------- */
/* What every command that makes instances holds from start to end: run id,
 * locked run dir, stop signals, results, progress, the instance logs. */
struct bench_session {
    char run_id[VCB_RUN_ID_LEN + 1];
    char run_dir[PATH_MAX];
    struct bench_runlock lock;
    bool signals; /* ours are installed: restore them at close */
    struct bench_results results;
    struct bench_progress progress;
    struct bench_logs *logs; /* the instances' (bench_session_bind), or NULL */
    int stop_signal;         /* after end: SIGINT / SIGTERM when stopped early, else 0 */
    bool complete;           /* after end: what results.json says */
};
/* Zeroed, no lock held, progress on stderr when asked. */
void bench_session_init(struct bench_session *s, bool progress);
/* A new run id, its locked run dir (and guard), SIGINT/SIGTERM as stop requests. */
int bench_session_begin(struct bench_session *s, struct vcb_err *err);
struct bench_ctx;
/* Give ctx the run id and dir, the results and progress; count its logs. */
void bench_session_bind(struct bench_session *s, struct bench_ctx *ctx);
/* <out_dir>/results.json started (host and suite: the document takes its
 * own references). */
int bench_session_results(struct bench_session *s, const char *out_dir, json_t *host, json_t *suite,
                          struct vcb_err *err);
/* End the run as rc says (0, or -1 with err): keep the logs beside the
 * results, mark them complete, stopped (a signal, else stopped_by when not
 * NULL) or failed ("error: ..."), save. Returns rc, or -1 when the final save
 * or keeping the logs failed. */
int bench_session_end(struct bench_session *s, int rc, const char *stopped_by, struct vcb_err *err);
/* Remove the run dir (keep_dir: leave it, with its logs, and let go of the
 * lock), restore the signals, free the results and logs. Safe after any
 * failure of begin. */
void bench_session_close(struct bench_session *s, bool keep_dir);

/* ---- the run context and instances (runner.c, inst.c) ---------------------- */
struct bench_ctx;
/* run.options (the container and VM options in effect), run.suite_sha256
 * and run.command_line (run-options.c). */
void bench_run_options_record(struct bench_results *r, const struct bench_ctx *ctx,
                              const char *suite_file);
struct bench_backend {
    const char *name;
    const struct vcb_driver *drv; /* NULL: not built, see why */
    struct vcb_limits limits;
    char why[160];
};

struct bench_image_cache {
    char workload[16][BENCH_WORKLOAD_MAX];
    char rootfs[16][PATH_MAX];
    char initramfs[16][PATH_MAX];
    size_t n;
};

struct bench_ctx {
    const struct bench_suite *suite;
    struct bench_backend backends[BENCH_BACKEND_MAX];
    size_t nbackends;
    struct vcb_backend_opts bopts;
    char run_id[VCB_RUN_ID_LEN + 1];
    char run_dir[PATH_MAX];
    unsigned next_instance;
    struct bench_image_cache images;
    struct bench_results *results;
    struct bench_progress *progress;
    struct bench_logs logs; /* every instance's log: its cap and what it dropped */
    bool stopped;           /* a stop was asked: scenarios return at once */
    uint32_t order_seed;    /* the interleaving's seed (results: run.order_seed) */
    /* Host MemAvailable in bytes for density; NULL: the kernel's, with the
     * per-CPU counters folded in first. Tests plant a model host here. */
    double (*mem_available)(void);
};

/* One instance as the harness sees it: the driver's handle plus the events
 * seen so far (host stamps; 0 = not seen). */
struct bench_inst {
    struct vcb_instance *vi;
    const struct bench_backend *be;
    uint64_t t[VCB_EV__COUNT];
    uint64_t guest_init_ns;
    json_t *result; /* every @vcb result object, merged */
    int exit_status, gone_status;
    uint64_t oom_kills; /* from the exit line: a VM guest kernel's own count */
    char gone_detail[128];
    char error[VCB_ERR_MSG_MAX]; /* launch or driver error: the DNF reason */
    uint64_t teardown_ns;        /* time destroy() took */
    bool emulated;               /* the driver said so at create (kept past destroy) */
    char emulated_reason[160];
    struct bench_logs *logs; /* the run's: what this one's log dropped goes there */
};

enum bench_wait_rc {
    BENCH_WAIT_OK = 0,      /* every instance reached the event, is gone, or failed */
    BENCH_WAIT_TIMEOUT = 1, /* deadline passed first */
    BENCH_WAIT_STOP = 2,    /* SIGINT/SIGTERM */
};

/* Create and start an instance of a workload (its image was prepared before
 * the run); on failure bi->error says why and nothing is left running. */
int bench_inst_launch(struct bench_ctx *ctx, const struct bench_backend *be, const char *workload,
                      char *const *args, struct bench_inst *bi);
/* bench_inst_launch in two halves: name the instance and fill its spec (in
 * the run's thread), then create and start it (in any thread). */
int bench_inst_prepare(struct bench_ctx *ctx, const struct bench_backend *be, const char *workload,
                       char *const *args, struct bench_inst *bi, struct vcb_instance_spec *spec);
int bench_inst_start(struct bench_inst *bi, const struct vcb_instance_spec *spec);
/* n instances at once, each read on arrival (crowd.c): a thread per
 * instance, all released together, each launching its own instance and then
 * its reader alone, so no event waits for the harness to finish launching
 * the others. Each waits for ready, then gone, then destroys its instance
 * while it is still its parent (the drivers' children die with the thread
 * that started them). Returns the worst bench_wait_rc of the ready waits. */
int bench_inst_launch_crowd(struct bench_ctx *ctx, const struct bench_backend *be,
                            const char *workload, struct bench_inst *v, size_t n);
/* Wait until every instance has seen `kind`, is gone, or failed. */
int bench_inst_wait(struct bench_inst *v, size_t n, enum vcb_event_kind kind, uint64_t deadline_ns);
/* Ask it to stop if still running, wait for GONE (bounded), destroy. */
void bench_inst_finish(struct bench_inst *bi, uint64_t timeout_ns);
/* Destroy the driver instance now (timing it); keeps the events and result. */
void bench_inst_destroy(struct bench_inst *bi);
/* Destroy and free everything; safe on a zeroed or finished one. */
void bench_inst_clear(struct bench_inst *bi);
void bench_inst_clearp(struct bench_inst *bi);
/* Clear n instances, destroying them in parallel threads. */
void bench_inst_clear_all(struct bench_inst *v, size_t n);
#define cleanup_inst __attribute__((cleanup(bench_inst_clearp)))
/* b - a in ns, 0 if either event is missing. */
uint64_t bench_inst_span(const struct bench_inst *bi, enum vcb_event_kind a, enum vcb_event_kind b);
/* Why an instance did not reach `kind`, for a DNF entry. */
void bench_inst_why(const struct bench_inst *bi, enum vcb_event_kind kind, int wait_rc,
                    uint64_t timeout_ns, char *buf, size_t len);
bool bench_result_number(const struct bench_inst *bi, const char *key, double *out);
/* Build (or find cached) the image of every workload the suite uses. */
int bench_images_prepare(struct bench_ctx *ctx, struct vcb_err *err);
/* The backends to run: --backends (or the suite's list), each with its
 * driver (NULL + why when not built) and the suite's limits for it. */
int bench_backends_setup(struct bench_ctx *ctx, const struct bench_suite *s, const char *list,
                         struct vcb_err *err);

/* Scenarios: run one suite scenario over every backend, adding entries to
 * ctx->results. Return 0, or -1 only for errors that end the run. */
int bench_scenario_boot(struct bench_ctx *ctx, const struct bench_scenario *sc);
/* The serial boot metrics, shared by the boot scenario and the demo. */
enum {
    BENCH_BOOT_C2S,
    BENCH_BOOT_S2I,
    BENCH_BOOT_I2R,
    BENCH_BOOT_C2R,
    BENCH_BOOT_R2G,
    BENCH_BOOT_TEARDOWN,
    BENCH_BOOT_UPTIME,
    BENCH_BOOT_TO_KERNEL, /* VMs: started → init minus the guest's uptime at init */
    BENCH_BOOT__N
};
extern const char *const bench_boot_metric_names[BENCH_BOOT__N];
/* Add an instance's phase spans, teardown time and (a fresh guest's own)
 * uptime at init, and what that leaves of started → init before the kernel
 * ran (qemu and firmware) to m[BENCH_BOOT__N]. */
void bench_boot_record(struct bench_samples *m, const struct bench_inst *bi);
int bench_scenario_memory(struct bench_ctx *ctx, const struct bench_scenario *sc);
/* The memory scenario's rules, shared with the demo (mem-parts.c): host cost
 * = PSS of the instance's host processes + the kernel memory charged for it;
 * workload use = what a guest reports, or the process tree's PSS (source
 * says which). */
uint64_t bench_mem_host_cost(const struct vcb_stats *st);
uint64_t bench_mem_workload_use(const struct vcb_stats *st, const char **source);
/* Kernel memory charged for the instance: its cgroup's (container; the one
 * libvirt put qemu in), else an estimate from /proc; source says which. */
uint64_t bench_mem_kernel(const struct vcb_stats *st, const char **source);
/* The breakdown's parts, each a metric of the memory scenario. */
enum bench_mem_part {
    BENCH_MEM_KERNEL,
    BENCH_MEM_KERNEL_STACK, /* parts of kernel, cgroup v2 only */
    BENCH_MEM_PAGETABLES,
    BENCH_MEM_SLAB,
    BENCH_MEM_PERCPU,
    BENCH_MEM_VMALLOC,
    BENCH_MEM_SOCK,
    BENCH_MEM_ANON_CHARGED, /* user memory charged to the cgroup */
    BENCH_MEM_FILE_CHARGED,
    BENCH_MEM_PROC_PAGETABLES, /* from /proc, every backend */
    BENCH_MEM_PROC_KSTACKS,
    BENCH_MEM_GUEST_RAM_PSS, /* VM: inside qemu's PSS */
    BENCH_MEM_VMM_OVERHEAD,  /* VM: qemu's PSS - guest RAM PSS */
    BENCH_MEM_IMAGE_CACHED,  /* shared by every instance of the image */
    BENCH_MEM_IMAGE_BYTES,
    BENCH_MEM__N
};
extern const char *const bench_mem_part_names[BENCH_MEM__N];
/* v[] gets every part (VCB_STAT_UNSET where the backend cannot say). */
void bench_mem_parts(const struct vcb_stats *st, uint64_t v[BENCH_MEM__N], const char **source);
/* Kernel memory charged to vcbench's own memory cgroup now; -1 when it is
 * the root group (never charged) or cannot be read. */
int bench_own_kernel(uint64_t *out);
/* An isolation aggressor's host-side stats, read while it may still run. */
void iso_aggressor_stats(struct bench_inst *ag, struct vcb_stats *st);
/* What became of it, from what was recorded: "oom-killed" (a kernel's OOM
 * count), "killed" (SIGKILL, no count), "pids-capped", "mem-capped",
 * "throttled" (cpu.stat, or a guest's vCPUs saturated), "ran", "dnf". */
const char *iso_aggressor_outcome(const struct bench_inst *ag, const struct vcb_stats *st);
int bench_scenario_density(struct bench_ctx *ctx, const struct bench_scenario *sc);
/* density-fit.c: the least-squares fit of y on x and t (the plain line of y
 * on x when x only moved with t) as a results object (regressors,
 * slope_bytes, ci95_lo/hi, drift_bytes_per_s, intercept_bytes, points, r2,
 * resid_sd_bytes, flag), *out filled; NULL when nothing can be fitted. */
struct vcb_linfit;
json_t *bench_fit_json(const struct bench_samples *x, const struct bench_samples *t,
                       const struct bench_samples *y, struct vcb_linfit *out);
/* The fitted slope as a one-sample metric whose CI is the fit's. */
int bench_fit_metric(json_t *entry, const char *name, const struct vcb_linfit *f);
/* "ok", "ci_includes_zero", "negative" or "no_ci" for the median of s as a
 * cost (fewer than 3 samples: no CI). */
const char *bench_samples_cost_flag(const struct bench_samples *s);
int bench_scenario_isolation(struct bench_ctx *ctx, const struct bench_scenario *sc);
/* Planned instance runs of a scenario, for progress and ETA. */
unsigned bench_scenario_plan(const struct bench_scenario *sc, size_t nbackends);
/* A new entry with the backend's limits in notes, and a DNF if it is not built. */
json_t *bench_entry_for(struct bench_ctx *ctx, const char *scenario, const struct bench_backend *be,
                        json_t *params);
/* Label the entry "emulated" when the instance runs under TCG. */
void bench_entry_mark(json_t *entry, const struct bench_inst *bi);
void bench_inst_log_dnf(json_t *entry, const struct bench_inst *bi, const char *what,
                        enum vcb_event_kind kind, int rc, uint64_t timeout);
/* Let instances settle for ns; -1 when a stop was asked meanwhile. */
int bench_settle(struct bench_inst *v, size_t n, uint64_t ns);
bool bench_stopping(struct bench_ctx *ctx);
/* The order of one round's n items (backends, or isolation cells x
 * backends): 0..n-1 shuffled by the run's seed, the scenario's salt and the
 * round, so any round's order can be redone from results.json. */
void bench_round_order(const struct bench_ctx *ctx, uint64_t salt, unsigned round, size_t *order,
                       size_t n);

#endif
