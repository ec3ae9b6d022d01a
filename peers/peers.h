/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* peers.h — `vcbench peers`: our launcher and our VM path timed
 * against their peers (crun, runc, bwrap, unshare, a bare clone, posix_spawn;
 * bare qemu) in one interleaved run, with the harness's statistics, written
 * as a results file (scenario "peers", backend = the peer's name). */
#ifndef BENCH_PEERS_H
#define BENCH_PEERS_H

#include <limits.h>

#include "harness.h"

/* ---- public: what the CLI asks for and gets back -------------------------- */
/* KSM during the VM memory rows: as the host has it, or set on (run 1,
 * use_zero_pages 1) / off (run 0) for those rows alone and put back after. */
enum bench_peers_ksm { BENCH_PEERS_KSM_HOST, BENCH_PEERS_KSM_ON, BENCH_PEERS_KSM_OFF };

struct bench_peers_opts {
    unsigned runs;        /* container samples per peer, after warm-ups */
    unsigned warmup;      /* container warm-ups per peer (discarded) */
    unsigned vm_runs;     /* VM samples per peer and machine type */
    unsigned mem_runs;    /* PSS samples per VM peer and machine type */
    const char *out_dir;  /* NULL: results/peers-<run-id> */
    const char *only;     /* comma list of peers or groups; NULL: all */
    const char *machines; /* "pc,q35,microvm" (NULL: all three) */
    enum bench_peers_ksm ksm;
    struct vcb_backend_opts bopts;
    bool progress;
};

struct bench_peers_result {
    char results_path[PATH_MAX];
    char run_id[VCB_RUN_ID_LEN + 1];
    int stop_signal;
    bool complete;
    json_t *doc;    /* the results document (owned; free with json_decref) */
    json_t *ratios; /* [{name, value, ci95_lo, ci95_hi, target, hit, what}] (owned) */
};

/* Names --only accepts, for --help and errors. */
const char *bench_peers_names(void);
/* "host", "on", "off"; bench_peers_ksm_parse: 0, or -1 for another word. */
const char *bench_peers_ksm_name(enum bench_peers_ksm k);
int bench_peers_ksm_parse(const char *word, enum bench_peers_ksm *out);
int bench_peers_run(const struct bench_peers_opts *o, struct bench_peers_result *res,
                    struct vcb_err *err);
void bench_peers_result_free(struct bench_peers_result *res);

/* ---- internals, shared by peers/peers*.c ------------------------------------ */
#define PEERS_CT_TIMEOUT_NS (20 * VCB_NS_PER_S)
#define PEERS_VM_TIMEOUT_NS (120 * VCB_NS_PER_S)
/* An idle guest's qemu PSS is read every second from 1 s after ready until
 * the readings of the last span lie within PEERS_SETTLE_BAND, or
 * PEERS_SETTLE_MORE_S after the span first fits. The span: PEERS_SETTLE_SPAN_S
 * (longer than the guest kernel's 2 s wait before it reports freed pages);
 * with KSM running, two passes of its scanner over the guest's RAM as its
 * knobs pace them (a page merges only once a pass saw it unchanged). */
#define PEERS_SETTLE_SPAN_S  3
#define PEERS_SETTLE_BAND    (1024.0 * 1024.0)
#define PEERS_SETTLE_MORE_S  27 /* without KSM: at most 30 s after ready */
#define PEERS_SETTLE_CAP_S   120
#define PEERS_IDLE_PSS_MIB   100.0 /* target: an idle guest's settled qemu PSS */
#define PEERS_LAUNCHER_INSTS 8     /* idle containers held to measure our per-instance share */
#define PEERS_MACHINES_MAX   3
/* Progress units: a container sample is 1; a VM boot costs about this many. */
#define PEERS_VM_WEIGHT 100
#define PEERS_WHY_MAX   256

struct peers_ctx;
struct peers_arm;

/* One timed sample: 0 with *ns, or -1 with why (a DNF of that sample). */
typedef int (*peers_once_fn)(struct peers_ctx *pc, struct peers_arm *a, uint64_t *ns, char *why,
                             size_t len);

/* How a row is timed, said in notes.timed, the table and the report: a
 * whole command (posix_spawn -> waitpid, the command's own start-up
 * included) or in-process (a library call or a clone of ours: no exec, no
 * loading of the command). Ratios pair like with like. */
#define PEERS_WHOLE      "whole command"
#define PEERS_IN_PROCESS "in-process"
/* The groups of ratios (notes.ratios[].pairing), printed in this order. */
#define PEERS_PAIR_WHOLE  "whole command vs whole command"
#define PEERS_PAIR_INPROC "in-process vs in-process"
#define PEERS_PAIR_MIXED  "in-process vs whole command (the launcher's target against unshare)"
#define PEERS_PAIR_MEM    "resident memory"
#define PEERS_PAIR_VM     "VM boot (our driver in-process vs the qemu command)"
#define PEERS_VCB_EXIT    "@vcb exit 0" /* vcb-init's last line after the program exited 0 */

/* One peer of the container comparison. */
struct peers_arm {
    const char *name;         /* backend name in the results */
    const char *tool;         /* binary that must be in PATH, NULL: built in */
    const char *what;         /* one line for notes: what exactly is timed */
    const char *program;      /* params.program: what runs (NULL: /init noop in the rootfs) */
    const char *expect;       /* words its stdout must hold to count (NULL: exit 0 is enough) */
    char **argv;              /* external command (NULL: in-process arm) */
    bool in_process;          /* timed in-process, not as a whole command */
    bool ours;                /* vcbench itself (in-process or as a command) */
    int id_arg;               /* argv index replaced by a fresh vcb-<run>-<n> id, or -1 */
    peers_once_fn once;       /* the timed sample */
    bool enabled;             /* selected by --only */
    char skip[PEERS_WHY_MAX]; /* non-empty: skipped, and why (DNF) */
    char version[96];
    struct bench_samples s;     /* start_to_exit */
    struct bench_samples round; /* the round of each sample of s, to pair arms per round */
    struct bench_samples gone;  /* launcher: create_to_gone (teardown excluded) */
    struct bench_samples pss;   /* launcher: its PSS growth per running instance */
    unsigned fails;
    char first_fail[PEERS_WHY_MAX];
};

/* One VM sample set: a machine type × (our driver | bare qemu). */
struct peers_vm_arm {
    const char *name; /* "vm-libvirt" | "qemu" */
    const char *machine;
    bool enabled; /* timed */
    bool mem;     /* PSS of an idle guest */
    char skip[PEERS_WHY_MAX];
    struct bench_samples ready, gone;
    /* Where a boot's time went, split at the guest kernel's clock: the
     * guest's CLOCK_BOOTTIME when vcb-init began ("@vcb init"), and the host
     * time before that clock started (create -> init, less the guest's). */
    struct bench_samples guest_clock, before_guest;
    struct bench_samples pss, pss_1s, settle; /* settled PSS, PSS at +1 s, ready -> settled */
    unsigned at_bound;                        /* samples that had not settled at the bound */
    unsigned fails;
    char first_fail[PEERS_WHY_MAX];
};

#define PEERS_CT_ARMS 13
#define PEERS_VM_ARMS (2 * PEERS_MACHINES_MAX)

struct peers_ctx {
    const struct bench_peers_opts *o;
    struct bench_ctx bctx; /* run id, run dir, images: what bench_inst_launch needs */
    struct bench_backend be_ct, be_vm;
    char rootfs[PATH_MAX], initramfs[PATH_MAX];           /* noop */
    char idle_rootfs[PATH_MAX], idle_initramfs[PATH_MAX]; /* idle */
    char bundle[PATH_MAX];                                /* OCI bundle for crun / runc */
    char self[PATH_MAX];                                  /* the running vcbench binary */
    char kernel[PATH_MAX];
    bool cg_hybrid; /* crun and runc need the cgroup2 mount hidden */
    enum vcb_accel accel;
    char accel_reason[160];
    bool with_ct, with_vm, with_mem;
    struct peers_arm ct[PEERS_CT_ARMS];
    size_t nct;
    struct peers_vm_arm vm[PEERS_VM_ARMS];
    size_t nvm;
    char vm_skip[PEERS_WHY_MAX]; /* the VM arm as a whole cannot run, and why */
    uint64_t launcher_helpers;   /* helper processes seen beside the containers */
    uint64_t launcher_self_pss;  /* the launcher process's own PSS (its base, not per instance) */
    bool launcher_mem_done;
    long ksm_was[2];             /* run, use_zero_pages before --ksm set them */
    bool ksm_set;                /* they are set now: put them back */
    json_t *ksm_used;            /* {"mode", "knobs"} during the VM memory rows (owned) */
    char ksm_why[PEERS_WHY_MAX]; /* --ksm could not be applied: the memory rows are skipped */
    unsigned settle_span_s;      /* PSS settles over this span (PEERS_SETTLE_SPAN_S; 0: that) */
    char launcher_mem_why[PEERS_WHY_MAX];
    struct bench_session session; /* run id, run dir, signals, results, progress */
    unsigned next_id;
    unsigned round; /* the container round being run */
};

/* peers-select.c: the arms, --only, tools present. */
int peers_select(struct peers_ctx *pc, struct vcb_err *err);
bool peers_tool_find(const char *tool, char *path, size_t len);
/* peers-spawn.c: time an external command or the bare clone. */
int peers_once_external(struct peers_ctx *pc, struct peers_arm *a, uint64_t *ns, char *why,
                        size_t len);
int peers_once_clone(struct peers_ctx *pc, struct peers_arm *a, uint64_t *ns, char *why,
                     size_t len);
int peers_once_spawn(struct peers_ctx *pc, struct peers_arm *a, uint64_t *ns, char *why,
                     size_t len);
/* First line of `tool --version`, "" if none. */
void peers_tool_version(const char *tool, char *buf, size_t len);
/* peers-launcher.c: our launcher through ct_driver; its resident share. */
int peers_once_launcher(struct peers_ctx *pc, struct peers_arm *a, uint64_t *ns, char *why,
                        size_t len);
void peers_launcher_memory(struct peers_ctx *pc);
/* peers-oci.c: the OCI bundle crun and runc run (config.json of `crun spec`, adapted). */
int peers_oci_bundle(struct peers_ctx *pc, struct vcb_err *err);
/* peers-vm.c / peers-qemu.c: one VM boot through our driver or bare qemu. */
int peers_vm_prepare(struct peers_ctx *pc, struct vcb_err *err);
int peers_vm_once(struct peers_ctx *pc, struct peers_vm_arm *a, bool idle, char *why, size_t len);
int peers_qemu_once(struct peers_ctx *pc, struct peers_vm_arm *a, bool idle, char *why, size_t len);
/* One timed boot's samples, host stamps from t0: ready, gone and the split
 * at the guest's clock; -1 on ENOMEM or when init came after ready. */
int peers_vm_boot_add(struct peers_vm_arm *a, uint64_t t0, uint64_t init, uint64_t guest_ns,
                      uint64_t ready, uint64_t gone);
/* peers-mem.c: an idle guest's PSS, read until it settles (see PEERS_SETTLE_*);
 * read gives qemu's PSS now. */
typedef int (*peers_pss_fn)(void *ctx, uint64_t *pss, char *why, size_t len);
int peers_mem_settle(const struct peers_ctx *pc, struct peers_vm_arm *a, uint64_t ready_ns,
                     peers_pss_fn read, void *ctx, char *why, size_t len);
/* peers-ksm.c: --ksm on|off around the VM memory rows. check: at set-up, an
 * error when KSM is asked for and the host has none. */
int peers_ksm_check(struct peers_ctx *pc, struct vcb_err *err);
void peers_ksm_apply(struct peers_ctx *pc);
void peers_ksm_restore(struct peers_ctx *pc);
/* peers-results.c: entries and ratios. */
void peers_results_add(struct peers_ctx *pc);
json_t *peers_ratios(struct peers_ctx *pc);
/* peers-loop.c: the interleaved rounds. */
int peers_loop_ct(struct peers_ctx *pc);
int peers_loop_vm(struct peers_ctx *pc);
/* peers-step.c: the next instance name; a progress step. */
void peers_next_name(struct peers_ctx *pc, char out[VCB_NAME_MAX]);
/* Progress step worth `weight` units (the ETA assumes units cost alike). */
void peers_progress(struct peers_ctx *pc, unsigned weight, const char *what, const char *peer,
                    unsigned i, unsigned n);

#endif
