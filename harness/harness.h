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
/* The most backends a build may list (arrays indexed by backend); the
 * registry holds how many there are (bench_backend_count). */
#define BENCH_BACKEND_MAX  8
#define BENCH_LIST_MAX     8
#define BENCH_WORKLOAD_MAX 32

/* ---- workloads from outside (own-workload.c) --------------------------------
 * A user's image and command, run by vcb-init in every arm: `launch --image`
 * or an entry of a suite's "workloads" object, named there. */
#define BENCH_OWN_METRICS_MAX 8
#define BENCH_OWN_MAX         8
struct bench_own_workload {
    char name[BENCH_WORKLOAD_MAX];
    char image[PATH_MAX + 32];               /* SPEC, as workloads/include/wl-oci.h reads it */
    char ready[256];                         /* vcb-init's --ready; "" = start */
    char metric[BENCH_OWN_METRICS_MAX][256]; /* NAME:UNIT=REGEX */
    size_t nmetrics;
    char **command;     /* overrides the image's Cmd (owned); NULL: the image's */
    uint64_t max_image; /* unpacked size allowed; 0 = the importer's default */
    /* Its score as an isolation victim: one of its metrics (a unit results
     * know), and which way is better; "" = not a victim. */
    char score[64], score_unit[32];
    bool score_lower_better;
};
/* The rules of --ready and --metric (a usage error naming `what`). */
int bench_own_ready_check(const char *ready, const char *what, struct vcb_err *err);
int bench_own_metric_check(const char *metric, const char *what, struct vcb_err *err);
/* vcb-init's arguments after its mode word, NULL-terminated (malloc'd). */
char **bench_own_args(const struct bench_own_workload *w);

/* An image as instances boot it: a built-in workload's (args NULL) or one
 * from outside, unpacked, with vcb-init's arguments for its command. */
struct bench_image {
    char rootfs[PATH_MAX], initramfs[PATH_MAX];
    char disk[PATH_MAX]; /* a VM boots from this disk; "" = from the initramfs */
    char digest[80];     /* "" for a built-in workload */
    const char *vm_form; /* "initramfs" or "disk" */
    uint64_t rootfs_bytes;
    bool cached; /* it was unpacked before */
    char **args; /* NULL: a built-in workload */
};
/* Unpack (or find) w's image; a usage error when it has no command at all. */
int bench_own_import(const struct bench_own_workload *w, struct bench_image *out,
                     struct vcb_err *err);
/* What a spec takes from an image from outside. */
void bench_own_spec(const struct bench_image *img, struct vcb_instance_spec *spec);
void bench_image_free(struct bench_image *img);

/* One scenario of a suite: its row of the scenario table (scenarios/
 * scenario.h) and the parameters that row's parse made. */
struct bench_scenario_ops;
struct bench_scenario {
    const struct bench_scenario_ops *ops;
    void *params;
};

/* Each instance of a disk workload gets a file of bytes under dir; 0 = none. */
struct bench_scratch {
    uint64_t bytes;
    const char *dir; /* NULL: BENCH_SCRATCH_DIR_DEFAULT */
};

struct bench_suite {
    char name[64];
    char file[PATH_MAX];
    json_t *json; /* the document as loaded, for results.suite */
    char backends[BENCH_BACKEND_MAX][BENCH_WORKLOAD_MAX]; /* "oci:crun" as much as "vm" */
    size_t nbackends;
    struct vcb_limits limits[BENCH_BACKEND_MAX]; /* index as the registry */
    uint64_t ready_timeout_ns, exit_timeout_ns;
    bool has_seed; /* "seed": the interleaving order to redo */
    unsigned seed;
    uint64_t log_max;               /* each instance's log cap; 0 = not given */
    enum vcb_net_path ct_net;       /* "net": NONE = not given (--net, else bridge) */
    struct bench_scratch scratch;   /* "scratch": the disk workloads' volumes */
    char scratch_dir[PATH_MAX];     /* its "dir" (scratch.dir points here), or "" */
    struct bench_own_workload *own; /* the suite's "workloads": images from outside */
    size_t nown;
    const char *own_names[BENCH_OWN_MAX + 1]; /* theirs, NULL-terminated */
    struct bench_scenario *scen;
    size_t nscen;
};

/* The backends a suite may name, in the registry's order, NULL after the
 * last (registry.c). */
const char *const *bench_backend_names(void);

/* Find a suite by name (quick, default, full) or take a file path. */
int bench_suite_resolve(const char *name_or_file, char *path, size_t len, struct vcb_err *err);
int bench_suite_load(const char *path, struct bench_suite *s, struct vcb_err *err);
int bench_suite_parse(json_t *doc, const char *file, struct bench_suite *s, struct vcb_err *err);
void bench_suite_free(struct bench_suite *s);
/* The suite's "workloads" object (suite-own.c), and freeing what it made. */
struct sj;
int bench_suite_parse_own(const struct sj *sj, json_t *doc, struct bench_suite *s);
void bench_suite_free_own(struct bench_suite *s);
/* The suite's workload from outside of that name, or NULL (s may be NULL). */
const struct bench_own_workload *bench_suite_own(const struct bench_suite *s, const char *name);
struct bench_ctx;
/* Build (or find cached) the image of every workload ctx->suite's
 * scenarios launch (runner.c). */
int bench_suite_images(struct bench_ctx *ctx, struct vcb_err *err);
/* The suite's scenarios in order through their table rows, results saved
 * after each, ctx->observer told as each starts and ends (runner.c). */
int bench_run_scenarios(struct bench_ctx *ctx, struct vcb_err *err);

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
/* with_vm, with_ct: the run has a VM arm, a container arm. A backend's
 * host_facts is asked where the run uses its kind (or always, if it says so). */
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
    /* Told of every entry added, once it is in the document. */
    void (*added)(void *arg, json_t *entry);
    void *added_arg;
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

/* ---- scratch volumes (scratch.c) -------------------------------------------- */
#define BENCH_SCRATCH_DIR_DEFAULT "/var/tmp"
#define BENCH_SCRATCH_MIN         (4ULL << 20)
#define BENCH_SCRATCH_MAX         (1ULL << 40)
#define BENCH_SCRATCH_DEFAULT     (256ULL << 20) /* a suite's, when it gives none */
/* The rule for a size and directory a user gave (what, dir_what: the
 * option or field): a usage error unless the size is 4MiB..1TiB in 4KiB
 * steps and the directory is writable, on a disk (not tmpfs) and has it free. */
int bench_scratch_check(const struct bench_scratch *sc, const char *what, const char *dir_what,
                        struct vcb_err *err);
/* Make instance name's volume (written once) into path, in the run's
 * scratch directory, linked from its run dir. */
int bench_scratch_make(const struct bench_scratch *sc, const char *run_dir, const char *run_id,
                       const char *name, char *path, size_t len, struct vcb_err *err);
void bench_scratch_drop(char *path); /* unlink it; path becomes "" */
/* The scratch directory a run dir links to, removed (before the run dir). */
void bench_scratch_run_remove(const char *run_dir);
/* How an arm of this kind sees a volume of bytes, for results: form,
 * bytes, cache, page_cache (how the page cache is kept out). */
json_t *bench_scratch_facts(enum vcb_arm_kind kind, uint64_t bytes);

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
/* The registry's backend i (no limits); a negative i: none, with why. */
struct bench_backend bench_backend_at(int i);

struct bench_image_cache {
    char workload[16][BENCH_WORKLOAD_MAX];
    struct bench_image img[16];
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
    size_t scen_index;      /* the running scenario's place in the suite (order salt) */
    const struct bench_observer *observer; /* NULL: nobody watches */
    uint32_t order_seed;                   /* the interleaving's seed (results: run.order_seed) */
    struct bench_scratch scratch;          /* disk workloads' volumes (scratch.c) */
    /* Host MemAvailable in bytes for density; NULL: the kernel's, with the
     * per-CPU counters folded in first. Tests plant a model host here. */
    double (*mem_available)(void);
};

/* ---- network workloads (net-run.c, net-peer.c, net-inst.c) ---------------- */
/* The bridge's address in the run's namespace: the peers listen there. */
#define BENCH_NET_BRIDGE_ADDR "10.213.0.1"
void bench_netns_name(const char *run_id, char *buf, size_t len); /* vcb-<run-id> */
/* Make the run's namespace (lo, br0, IPv6 off) unless it is there. */
int bench_netns_make(const char *run_id, struct vcb_err *err);
/* Kill what still runs inside and remove it; false when there was none. */
bool bench_netns_remove(const char *run_id);
/* `vcbench cleanup` and a dead run's guard: the namespaces of stale runs. */
void bench_netns_cleanup(bool (*is_stale)(const char *run_id, void *ctx),
                         void (*removed)(const char *what, void *ctx), void *ctx);

struct bench_peer {
    pid_t pid;     /* our child; 0: none */
    char addr[32]; /* "A.B.C.D:PORT" it listens on */
};
/* netio --serve on addr (port 0) in the namespace named netns (NULL: ours). */
int bench_peer_start(const char *netns, const char *addr, struct bench_peer *p,
                     struct vcb_err *err);
void bench_peer_stop(struct bench_peer *p);

struct bench_net {
    struct bench_peer peer;
    char **args;       /* the workload's, then --peer ADDR:PORT or --listen PORT (not owned) */
    const char *label; /* the path, as results name it: "host loopback", … */
    char run_netns[64];
};
bool bench_net_workload(const char *workload); /* netio, netflood */
const char *bench_net_path_label(enum vcb_net_path path, enum vcb_arm_kind kind);
/* The label of the path a network workload takes in an arm of this kind. */
const char *bench_net_arm_label(enum vcb_arm_kind kind, const struct vcb_backend_opts *o);
/* For a network workload: the path of an arm of this kind, the run's
 * namespace where it needs one, the peer; spec->net and spec->args set
 * (args then point into net until bench_net_release). */
int bench_net_setup(const char *run_id, unsigned index, enum vcb_arm_kind kind,
                    struct vcb_instance_spec *spec, struct bench_net *net, struct vcb_err *err);
void bench_net_release(struct bench_net *net);

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
    struct bench_net net;    /* a network workload's peer and path */
    char scratch[PATH_MAX];  /* its scratch volume's file, removed at destroy; "" = none */
    /* What the driver sent its host before t0 (kept past destroy). */
    unsigned upload_files;
    uint64_t upload_bytes, upload_ns;
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
 * the others. Each waits for ready, then until every other is ready or has
 * failed (no teardown inside the round's window), then for gone, then
 * destroys its instance while it is still its parent (the drivers' children
 * die with the thread that started them). Returns the worst bench_wait_rc
 * of the ready waits. */
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
/* Build (or find cached) a workload's image, before anything is timed: a
 * built-in one, or one the suite's "workloads" brings from outside. */
int bench_image_add(struct bench_ctx *ctx, const char *workload, struct vcb_err *err);
void bench_images_free(struct bench_image_cache *c);
/* A service: a suite's own workload that is ready before it ends (any
 * readiness but exit), which a scenario stops once it has what it measures
 * instead of waiting for an end that never comes. */
bool bench_workload_serves(const struct bench_ctx *ctx, const char *workload);
/* The image prepared for a workload, or NULL. */
const struct bench_image *bench_image_of(const struct bench_ctx *ctx, const char *workload);
/* The backends to run: --backends (or the suite's list), each with its
 * driver (NULL + why when not built) and the suite's limits for it. */
int bench_backends_setup(struct bench_ctx *ctx, const struct bench_suite *s, const char *list,
                         struct vcb_err *err);
/* What instances will need of this host (a scratch volume, a network),
 * put to a driver's check_spec before any of it is made: 0 when the
 * driver takes it (or has no check, or is not loaded: its launch says why). */
int bench_driver_check_needs(const struct vcb_driver *drv, const struct vcb_backend_opts *o,
                             const struct vcb_spec_needs *needs, struct vcb_err *err);
/* The same for every backend of the run, under ctx->bopts. */
int bench_backends_check_needs(const struct bench_ctx *ctx, const struct vcb_spec_needs *needs,
                               struct vcb_err *err);

/* The scenarios themselves are rows of a table: scenarios/scenario.h. */
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
/* Tell ctx->observer (if any) of an event of the running scenario; a -1
 * from it stops the run (ctx->stopped). */
void bench_observe(struct bench_ctx *ctx, enum bench_obs_kind kind, const struct bench_inst *bi,
                   json_t *entry);
/* The order of one round's n items (backends, or isolation cells x
 * backends): 0..n-1 shuffled by the run's seed, the scenario's salt and the
 * round, so any round's order can be redone from results.json. */
void bench_round_order(const struct bench_ctx *ctx, uint64_t salt, unsigned round, size_t *order,
                       size_t n);

#endif
