/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vcb-driver.h — the one interface every backend implements (process,
 * container, vm), the limits they share, the events they report and the
 * `@vcb` protocol parser they all use. Scenarios talk only to this. */
#ifndef VCB_DRIVER_H
#define VCB_DRIVER_H

#include <sys/types.h>

#include "vcb.h"

/* ---- limits: one struct for all backends; 0 / "" = unlimited -------------- */
/* Block I/O of one disk: throttles (cgroup v2 io.max, v1 blkio.throttle.*,
 * libvirt <iotune>) and a proportional weight (io.weight, blkio.weight,
 * <blkiotune><weight>), which only a weight-aware I/O scheduler honours. */
struct vcb_io_limits {
    uint64_t rbps, wbps;   /* bytes per second */
    uint64_t riops, wiops; /* operations per second */
    uint64_t weight;       /* 1..1000 (v1 and BFQ's range, also valid for io.weight) */
};
bool vcb_io_limits_any(const struct vcb_io_limits *io);

/* The whole disk holding a host file (blockdev.c): stat's st_dev (st_rdev
 * for a block device node) through /sys/dev/block/MAJ:MIN, up from a
 * partition to its disk. sched: the disk's I/O scheduler ("mq-deadline",
 * "bfq", "none"), which decides whether an I/O weight is honoured. */
struct vcb_blockdev {
    unsigned major, minor;
    char name[32];  /* "vda" */
    char sched[32]; /* "mq-deadline" */
};
int vcb_blockdev_of_path(const char *path, struct vcb_blockdev *out, struct vcb_err *err);
struct vcb_limits {
    double cpus;           /* fractional CPUs (cpu.max quota / vCPUs) */
    uint64_t memory_bytes; /* memory.max / guest RAM */
    uint64_t pids;         /* pids.max */
    char cpuset[64];       /* "0-1", "1" */
    /* Soft limits (Sharma et al., Middleware '16): a share of a contended
     * resource, not a ceiling. Each backend's mechanism is its own and not
     * the same thing: see docs/design.md, "Soft limits". */
    uint64_t cpu_weight;     /* v2 cpu.weight scale 1..10000 (v1 cpu.shares, libvirt <shares>) */
    uint64_t memory_soft;    /* v2 memory.high, v1 memory.soft_limit_in_bytes, libvirt soft_limit */
    uint64_t memory_low;     /* v2 memory.low only: refused on v1 and for VMs */
    struct vcb_io_limits io; /* of the whole disk holding the instance's scratch file */
    uint64_t net_rate;       /* bytes/s each way on a container's veth (tc tbf) */
};
bool vcb_limits_any(const struct vcb_limits *l);
/* Validate the limits that are set (non-zero / non-empty), naming each by
 * its option (--cpus, --memory, --pids, --cpuset). */
int vcb_limits_check(const struct vcb_limits *l, struct vcb_err *err);

/* The rule for one limit a user gave (an option or a suite field), the one
 * place CLI and suite parsing share. Given, 0 is never "no limit" (leaving
 * it out is): each is a usage error naming `what` and what is allowed. */
#define VCB_CPUS_MIN   0.01
#define VCB_CPUS_MAX   4096.0
#define VCB_PIDS_MAX   4194304.0 /* the kernel's PID_MAX_LIMIT */
#define VCB_MEMORY_MIN (4ULL << 20)
int vcb_limit_check_cpus(double cpus, const char *what, struct vcb_err *err);
/* At least VCB_MEMORY_MIN and at most this host's memory (a bigger limit
 * limits nothing, and a guest that size overflows libvirt's units). */
int vcb_limit_check_memory(uint64_t bytes, const char *what, struct vcb_err *err);
int vcb_limit_check_pids(double pids, const char *what, struct vcb_err *err);
/* A CPU list ("0-1,3") whose CPUs are online here. */
int vcb_limit_check_cpuset(const char *list, const char *what, struct vcb_err *err);
/* cpu.weight's range, 1..10000 (100 is the kernel's default). */
#define VCB_CPU_WEIGHT_MAX 10000
int vcb_limit_check_cpu_weight(double weight, const char *what, struct vcb_err *err);
/* v1 cpu.shares for a cpu.weight: weight * 1024 / 100, systemd's mapping,
 * so the defaults meet (100 -> 1024); 1..10000 -> 10..102400. */
uint64_t vcb_cpu_weight_to_shares(uint64_t weight);
/* Same rule as --memory (a soft limit below 4MiB is a mistake too). */
int vcb_limit_check_memory_soft(uint64_t bytes, const char *what, struct vcb_err *err);
/* A throughput (bytes/s: at least 4KiB/s) or an operation rate (>= 1/s). */
#define VCB_IO_BPS_MIN    4096
#define VCB_IO_WEIGHT_MAX 1000
int vcb_limit_check_io_bps(uint64_t bps, const char *what, struct vcb_err *err);
int vcb_limit_check_io_iops(double iops, const char *what, struct vcb_err *err);
int vcb_limit_check_io_weight(double weight, const char *what, struct vcb_err *err);
/* The memory limits that must agree: soft <= hard, low < soft and < hard.
 * names: how the caller calls memory, memory_soft, memory_low; where: what
 * the message starts with ("" or "FILE: "). */
int vcb_limits_check_pairs(const struct vcb_limits *l, const char *where,
                           const char *const names[3], struct vcb_err *err);
/* A network rate in bytes per second, 8KB/s (64 kbit/s) to 100GB/s. */
#define VCB_NET_RATE_MIN 8000ULL
#define VCB_NET_RATE_MAX 100000000000ULL
int vcb_limit_check_net_rate(uint64_t bytes_per_s, const char *what, struct vcb_err *err);

/* ---- backend options, read only by the backend they concern --------------- */
enum vcb_accel { VCB_ACCEL_AUTO, VCB_ACCEL_KVM, VCB_ACCEL_TCG };
enum vcb_seccomp_mode { VCB_SECCOMP_DEFAULT, VCB_SECCOMP_OFF };
/* lean: the guest gives freed pages back (virtio-balloon free page
 * reporting) and TCG keeps a smaller translation cache; plain: neither, the
 * configuration earlier results were made with. */
enum vcb_vm_profile { VCB_VM_PROFILE_LEAN, VCB_VM_PROFILE_PLAIN };
/* How an instance reaches the peer of a network workload (netio,
 * netflood). Every packet stays on loopback or in namespaces the run
 * makes: the process arm talks to a peer on host loopback; a container
 * through a veth pair into a bridge in the run's network namespace
 * (docker's default shape) or through pasta (user-mode); a VM through
 * passt (user-mode). NONE: the instance has lo only. */
enum vcb_net_path { VCB_NET_NONE, VCB_NET_LOOPBACK, VCB_NET_BRIDGE, VCB_NET_USER };

struct vcb_backend_opts {
    /* container */
    bool userns;
    enum vcb_seccomp_mode seccomp;
    enum vcb_net_path ct_net; /* --net: NONE = the default (bridge) */
    /* vm */
    const char *vm_uri;  /* NULL = qemu:///system */
    const char *machine; /* NULL = driver's measured default */
    const char *kernel;  /* NULL = the kernel setup unpacked */
    enum vcb_accel accel;
    enum vcb_vm_profile vm_profile;
    /* Where a driver says what it does before an instance's t0 that takes
     * a while ("uploading vmlinuz (13.5 MiB) to qemu+ssh://…"): one line,
     * no newline. NULL: nobody shows progress. */
    void (*progress)(void *ctx, const char *line);
    void *progress_ctx;
    /* Whether the run was asked to stop: the signal (SIGINT, SIGTERM), 0 if
     * not. Long work before t0 (an upload) gives up when it says so. NULL:
     * nothing stops it. */
    int (*stop_requested)(void);
};

/* ---- instance logs, with a ceiling (logcap.c) -------------------------------
 * At most max bytes of an instance's log (its stderr, stray stdout lines)
 * reach the file, the last ones a line saying it was capped; what comes
 * after is counted as dropped, and so is a write the disk refuses (its errno
 * kept): a log is never cut short without a trace. */
#define VCB_LOG_MAX_DEFAULT (4ULL << 20)
#define VCB_LOG_MAX_MIN     (4ULL << 10)
#define VCB_LOG_MAX_MAX     (1ULL << 30)
struct vcb_logcap {
    int fd;           /* -1: not open (yet, while path is set), or counted only */
    char *path;       /* the file to make at the first write, then NULL */
    uint64_t max;     /* bytes the file may hold */
    uint64_t written; /* bytes in the file */
    uint64_t dropped; /* bytes over the cap or refused by the disk */
    int error;        /* errno of the first refused write, 0 if none */
    bool marked;      /* the "capped" line is written */
};
void vcb_logcap_init(struct vcb_logcap *l);
/* The rule for a user's --log-max / suite log_max (4KiB to 1GiB). */
int vcb_logcap_check(uint64_t max, const char *what, struct vcb_err *err);
/* The log at path, created (truncated) at the first write: a silent
 * instance leaves no file. max 0 = VCB_LOG_MAX_DEFAULT. */
int vcb_logcap_open(struct vcb_logcap *l, const char *path, uint64_t max, struct vcb_err *err);
void vcb_logcap_write(struct vcb_logcap *l, const void *data, size_t n);
/* Move what a non-blocking fd holds now into the log: 1 at EOF, 0 once it
 * would block, -1 on a read error (errno). */
int vcb_logcap_drain(struct vcb_logcap *l, int fd);
/* The counters, safe to read while another thread writes. */
void vcb_logcap_stats(const struct vcb_logcap *l, uint64_t *written, uint64_t *dropped, int *error);
void vcb_logcap_close(struct vcb_logcap *l);

/* ---- the scratch volume, as every arm shows it ----------------------------- */
#define VCB_SCRATCH_PATH   "/.vcbench/scratch" /* container bind mount; VM: a link to the disk */
#define VCB_SCRATCH_ENV    "VCB_SCRATCH"       /* process arm: the host file's path */
#define VCB_SCRATCH_SERIAL "vcb-scratch"       /* VM: the virtio-blk disk's serial */

/* ---- what to run ----------------------------------------------------------- */
/* The network an instance gets, filled by the harness for a network
 * workload (path NONE otherwise: lo only). */
struct vcb_net_spec {
    enum vcb_net_path path;
    const char *run_netns; /* BRIDGE, USER: the run's namespace (ip netns name) */
    char addr[16];         /* BRIDGE: the instance's IPv4 address in the bridge's /16 */
    unsigned index;        /* the instance's number: names its veth */
};
struct vcb_instance_spec {
    char name[VCB_NAME_MAX]; /* vcb-<run-id>-<n> */
    const char *run_dir;     /* per-run directory for logs and temp files */
    const char *workload;    /* "idle", "cpu", …; for an image's own command, vcb-init's
                              * mode word "--image" (workloads/guest/guest-image.h) */
    const char *rootfs;      /* image rootfs directory (containers, process) */
    const char *initramfs;   /* image initramfs (VMs) */
    /* VM: the image as a read-only disk (virtio-blk) that vcb-init in the
     * initramfs mounts as its root; NULL: the initramfs is the whole image. */
    const char *disk;
    char *const *args; /* workload arguments (NULL-terminated, may be NULL) */
    /* vcb-init inside the image: NULL = "/init" (a built-in workload's image);
     * an image from outside has it under its own directory. */
    const char *init;
    /* The rootfs is an image from outside, with its own libraries: the
     * process arm (no walls otherwise) enters it with chroot. */
    bool own_rootfs;
    /* The name the run asked for this backend by: a backend that stands for
     * a family ("oci:crun", "oci:runc") learns its member from it. */
    const char *backend;
    uint64_t log_max; /* cap of the instance's log; 0 = VCB_LOG_MAX_DEFAULT */
    struct vcb_net_spec net;
    /* A raw host file the disk workloads write to (O_DIRECT), or NULL: the
     * process arm names it in $VCB_SCRATCH, a container bind-mounts it and
     * a VM attaches it as a virtio-blk disk (workloads/guest/guest-scratch.h). */
    const char *scratch;
    struct vcb_limits limits;
    struct vcb_backend_opts opts;
};

/* ---- events ------------------------------------------------------------------
 * Every event carries the host CLOCK_MONOTONIC stamp taken when the driver
 * learned of it: host stamps are the measurements. */
enum vcb_event_kind {
    VCB_EV_CREATE,  /* create() was called (t0) */
    VCB_EV_STARTED, /* clone returned / domain running */
    VCB_EV_INIT,    /* "@vcb init <guest-ns>": vcb-init is running */
    VCB_EV_READY,   /* "@vcb ready": the workload is ready */
    VCB_EV_RESULT,  /* "@vcb result {json}" */
    VCB_EV_EXIT,    /* "@vcb exit <status> [oom_kills=<n>]": workload ended with status;
                     * a VM's vcb-init adds how many OOM kills its kernel counted
                     * (/proc/vmstat oom_kill, after minus before the workload) */
    VCB_EV_GONE,    /* the instance is gone (process reaped / domain stopped) */
    VCB_EV__COUNT
};
const char *vcb_event_kind_name(enum vcb_event_kind k);

struct vcb_event {
    enum vcb_event_kind kind;
    uint64_t host_ns;  /* CLOCK_MONOTONIC on arrival */
    uint64_t guest_ns; /* INIT: guest CLOCK_BOOTTIME; else 0 */
    int status;        /* EXIT: workload status; GONE: wait status or -1 */
    char *text;        /* RESULT: the JSON text (owned; vcb_event_clear frees) */
    char detail[128];  /* GONE: why ("exited 0", "killed by OOM", "timeout") */
    /* EXIT: OOM kills the instance's own kernel counted while the workload
     * ran (a VM guest's /proc/vmstat); 0 = none, or not said. */
    uint64_t oom_kills;
};
void vcb_event_clear(struct vcb_event *ev);

/* What a CPU controller recorded (cpu.stat): CFS periods, those in which
 * the group's quota ran out, and the time it was held back. */
struct vcb_cpu_throttle {
    uint64_t periods, throttled_periods, throttled_ns;
};

/* ---- host-side stats of one instance (for the memory scenario) ------------- */
#define VCB_STAT_UNSET UINT64_MAX

/* What a memory cgroup was charged, split as the kernel reports it: cgroup
 * v2 memory.stat; v1 memory.stat (rss, cache) plus memory.kmem.usage_in_bytes
 * and memory.kmem.tcp.usage_in_bytes. VCB_STAT_UNSET where the host does
 * not say (v1 has no kernel_stack … vmalloc parts). */
struct vcb_memcg_split {
    uint64_t anon, file; /* user memory: anonymous; page cache charged to the group */
    uint64_t kernel;     /* all kernel memory but sockets (v2 "kernel"; v1 kmem usage) */
    uint64_t kernel_stack, pagetables, slab, percpu, vmalloc; /* parts of kernel (v2) */
    uint64_t sock;                                            /* socket buffers */
};
void vcb_memcg_split_init(struct vcb_memcg_split *m); /* everything VCB_STAT_UNSET */
/* Fill from a memory.stat text (v2 or v1 names); kernel is summed from its
 * parts where the "kernel" line is missing (before 5.18). */
void vcb_memstat_parse(const char *text, struct vcb_memcg_split *out);
/* memory.stat of the group at dfd, with v1's kmem counters where present. */
int vcb_memcg_read_at(int dfd, struct vcb_memcg_split *out, struct vcb_err *err);
int vcb_memcg_read(const char *dir, struct vcb_memcg_split *out, struct vcb_err *err);
/* The directory of the memory cgroup pid (0: the calling thread) is charged
 * to; *is_root when that is the root group, which the kernel never charges. */
int vcb_memcg_dir_of(pid_t pid, char *buf, size_t len, bool *is_root, struct vcb_err *err);
/* Parsers behind vcb_memcg_dir_of, open to tests: the memory path in a
 * /proc/PID/cgroup text and the mount point in a mountinfo text (v1: the
 * hierarchy with "memory"; else cgroup2). */
bool vcb_memcg_proc_path(const char *cgroup, bool v1, char *buf, size_t len);
bool vcb_memcg_mount(const char *mountinfo, bool v1, char *buf, size_t len);

struct vcb_stats {
    uint64_t mem_charged;   /* cgroup memory.current / usage_in_bytes */
    uint64_t mem_peak;      /* cgroup peak */
    uint64_t rss, pss, uss; /* host process(es): workload tree or qemu */
    uint64_t helper_pss;    /* launcher's own resident share, if it stays */
    uint64_t guest_ram;     /* VM: configured guest RAM */
    uint64_t guest_used;    /* VM: what the guest reports in use */
    uint64_t oom_kills;
    uint64_t pids;
    uint64_t cpu_ns;
    /* The breakdown of what the instance costs the host (all bytes). */
    struct vcb_memcg_split cg;          /* its memory cgroup (container: ours; VM: libvirt's) */
    uint64_t proc_pagetables;           /* VmPTE summed over its host processes */
    uint64_t proc_threads;              /* their threads: one kernel stack each */
    uint64_t guest_ram_pss;             /* VM: PSS of qemu's guest-RAM mapping */
    uint64_t image_cached, image_bytes; /* the image's files: in the host page cache, in all */
    struct vcb_cpu_throttle throttle;   /* the instance's cgroup(s); UNSET where none */
    uint64_t vcpus, vcpu_ns;            /* VM: vCPUs, time they ran or waited to run (libvirt) */
    /* Where the memory figures above were read, in words ("qemu PSS, /proc
     * (this host)", "virDomainMemoryStats rss (remote host)"); NULL: the
     * host processes' /proc on this host. A static string. */
    const char *mem_source;
    bool mem_remote; /* read on another host: this host's own figures say nothing of it */
    /* VM on a remote libvirt host, from virDomainMemoryStats: the balloon's
     * current size ("actual"; without a balloon, virDomainGetInfo's memory)
     * and the guest's own total and free memory ("available", "unused"). */
    uint64_t balloon_actual, guest_available, guest_unused;
};
void vcb_stats_init(struct vcb_stats *s); /* everything VCB_STAT_UNSET */

/* ---- host processes, read from /proc (shared so RSS/PSS/USS mean the same
 * for every backend) ---------------------------------------------------------- */
struct vcb_proc_mem {
    uint64_t rss, pss, uss; /* bytes; uss = private clean + dirty */
};
int vcb_proc_mem(pid_t pid, struct vcb_proc_mem *out, struct vcb_err *err);
int vcb_proc_cpu_ns(pid_t pid, uint64_t *out, struct vcb_err *err);
/* pid and its descendants (depth first), at most max; returns the count. */
size_t vcb_proc_tree(pid_t root, pid_t *pids, size_t max);
/* Sum rss/pss/uss/cpu_ns, page tables and threads, and count pids over the
 * tree rooted at root. */
int vcb_proc_tree_stats(pid_t root, struct vcb_stats *out, struct vcb_err *err);
/* VmPTE (bytes) and Threads from /proc/PID/status. */
int vcb_proc_kernel(pid_t pid, uint64_t *pagetables, uint64_t *threads, struct vcb_err *err);
/* The kernel stack of one thread: x86-64's THREAD_SIZE (16 KiB) without
 * KASAN. /proc does not show it per task, so threads × this is an estimate. */
#define VCB_KSTACK_BYTES (16ULL << 10)
/* Bytes of a file, or of every regular file under a directory, that sit in
 * the host page cache (mincore), and their total size. */
int vcb_path_cached(const char *path, uint64_t *cached, uint64_t *size, struct vcb_err *err);
/* key's value in pid's environment as it started (/proc/<pid>/environ):
 * 1 with out filled, 0 when absent or unreadable. */
int vcb_proc_env(pid_t pid, const char *key, char *out, size_t len);
/* The variable naming the instance a process-backend process belongs to
 * (VCB_INSTANCE=vcb-<run-id>-<n>): the process arm's resource name. */
#define VCB_INSTANCE_ENV "VCB_INSTANCE"

/* ---- the CPU controller's own record (cgroup-cpu.c) ------------------------ */
/* The cgroup directory holding pid for the cpu controller: its v1 "cpu"
 * hierarchy where there is one, else the unified one. */
int vcb_proc_cpu_cgroup(pid_t pid, char *dir, size_t len, struct vcb_err *err);
/* cpu.stat of dir, summed with its subdirectories' when asked (libvirt puts
 * each vCPU in a group of its own under the domain's). */
int vcb_cgroup_cpu_throttle(const char *dir, bool with_children, struct vcb_cpu_throttle *out,
                            struct vcb_err *err);
/* cpu.stat of the group holding pid. */
int vcb_proc_cpu_throttle(pid_t pid, struct vcb_cpu_throttle *out, struct vcb_err *err);

/* ---- event queue and @vcb protocol parser, shared by drivers ------------------ */
struct vcb_evq {
    struct vcb_event *items;
    size_t head, len, cap;
};
int vcb_evq_push(struct vcb_evq *q, const struct vcb_event *ev); /* takes ev->text */
bool vcb_evq_pop(struct vcb_evq *q, struct vcb_event *out);
void vcb_evq_free(struct vcb_evq *q);

/* Parse one protocol line (without newline; trailing \r ignored).
 * Returns 1 and fills ev (host_ns left for caller) for a valid @vcb line,
 * 0 for a line that is not a protocol line, -1 for a malformed @vcb line. */
int vcb_proto_parse_line(const char *line, struct vcb_event *ev, struct vcb_err *err);

/* Line assembler: feed raw bytes, complete lines become events stamped with
 * host_ns. Lines longer than VCB_PROTO_LINE_MAX are dropped (a guest can print
 * anything). Non-protocol lines go to the optional log FILE. */
#define VCB_PROTO_LINE_MAX 65536
struct vcb_proto {
    char *buf;
    size_t len, cap;
    bool overflow;
    struct vcb_logcap *log; /* not owned; NULL: stray lines are not kept */
    unsigned bad_lines;
};
int vcb_proto_feed(struct vcb_proto *p, const char *data, size_t n, uint64_t host_ns,
                   struct vcb_evq *out, struct vcb_err *err);
void vcb_proto_free(struct vcb_proto *p);

/* ---- the driver ------------------------------------------------------------
 * A driver returns a struct vcb_instance whose first member is this base. */
struct vcb_driver;
struct vcb_instance {
    const struct vcb_driver *driver;
    char name[VCB_NAME_MAX];
    struct vcb_evq events;
    bool emulated; /* VM under TCG: every figure is labelled so */
    char emulated_reason[160];
    struct vcb_logcap log; /* stderr and stray stdout (VM: stray channel lines) */
    /* What create() made sure the instance's host has of this host's files
     * before t0 (a remote VM host's volumes; 0: none needed), and what of
     * it had to be sent: bytes, and the time that took. */
    unsigned upload_files;
    uint64_t upload_bytes, upload_ns;
};

/* What kind of wall a backend puts around its instances: the words a
 * report or the demo uses for an arm come from this, never from its name. */
enum vcb_arm_kind {
    VCB_ARM_CONTROL,   /* no wall: a plain process, the control */
    VCB_ARM_CONTAINER, /* the host's kernel, namespaces and cgroups */
    VCB_ARM_VM,        /* a guest kernel on a hypervisor */
};

/* One command-line option of a backend (--accel, --userns, …). Every
 * command that starts or checks instances takes every backend's options,
 * parsed by one parser built from these tables. */
struct vcb_driver_opt {
    const char *name; /* long option without "--"; NULL ends a table */
    const char *arg;  /* what its value is called in --help ("A"); NULL: a flag */
    const char *help; /* one line, after "<backend>: " in --help */
    /* Check arg and write it into opts; a bad value is a usage error naming
     * opt (the option as spelled) and what is allowed. arg is NULL for a flag. */
    int (*apply)(struct vcb_backend_opts *opts, const char *opt, const char *arg,
                 struct vcb_err *err);
};

/* What `vcbench cleanup` (and a dead run's guard) asks of a backend: remove
 * the leftovers of runs that are gone. */
struct vcb_cleanup_req {
    /* Whether the run owning a resource named vcb-<run_id>-… is gone, so
     * that resource may go. In a dry run it says no (and reports the run). */
    bool (*is_stale)(const char *run_id, void *ctx);
    /* Called once for each thing removed ("domain vcb-1a2b3c4d-1"). */
    void (*removed)(const char *what, void *ctx);
    void *ctx;
    bool dry_run;         /* say what would go, remove nothing */
    const char *only_run; /* a dead run's guard: only this run's; NULL: every stale run */
    const struct vcb_backend_opts *opts;
    /* Also what a backend keeps on its host between runs (a remote VM
     * host's uploaded volumes and their pool): asked for, never stale. */
    bool volumes;
};

struct json_t; /* jansson's, for the callbacks that fill results and checks */

/* The memory of a host a backend's instances run on, when it is not this
 * one (node_mem): bytes, and where they were read, in words. */
struct vcb_node_mem {
    uint64_t total, available;
    char source[192];
};

/* What an instance will need of this host, put to a backend before any of
 * it is made (check_spec): the words that asked for each, as an error
 * names them; NULL where it is not needed. */
struct vcb_spec_needs {
    const char *scratch; /* a scratch volume: the option or field ("--scratch") */
    const char *net;     /* a network workload ("netio"): its peer and path made here */
};

/* A backend, as the registry (harness/registry.c) lists it. In libvirt's
 * style some callbacks are mandatory and some optional:
 *   mandatory: name, kind, create, start, event_fd, next_event, stats,
 *              stop, destroy;
 *   optional (NULL: the backend has nothing of that kind): check_spec,
 *              daemons_mem, node_mem, host_facts, doctor, cleanup, options.
 * Nothing outside a driver's own folder and the registry names a backend:
 * host facts, doctor, cleanup and the command line all come through here. */
struct vcb_driver {
    const char *name; /* "process", "container", "vm": what suites and --backends say */
    enum vcb_arm_kind kind;
    /* Allocate and prepare (cgroups, domain XML, …); queues VCB_EV_CREATE. */
    int (*create)(const struct vcb_instance_spec *spec, struct vcb_instance **out,
                  struct vcb_err *err);
    /* Start it running; queues VCB_EV_STARTED. */
    int (*start)(struct vcb_instance *inst, struct vcb_err *err);
    /* An fd that polls readable when next_event may have something, or -1. */
    int (*event_fd)(struct vcb_instance *inst);
    /* Wait until deadline (CLOCK_MONOTONIC ns; 0 = don't wait) for an event.
     * Returns 1 with *ev filled, 0 on timeout, -1 on error. After GONE, no more. */
    int (*next_event)(struct vcb_instance *inst, uint64_t deadline_ns, struct vcb_event *ev,
                      struct vcb_err *err);
    int (*stats)(struct vcb_instance *inst, struct vcb_stats *out, struct vcb_err *err);
    /* Ask the workload to stop (SIGTERM / "@vcb stop" on the channel). */
    int (*stop)(struct vcb_instance *inst, struct vcb_err *err);
    /* Kill whatever still runs and free every host resource. */
    void (*destroy)(struct vcb_instance *inst);

    /* Optional: refuse, before anything is made or sent, what this backend
     * cannot give an instance under these options (a VM on a remote
     * libvirt host sees no file or network of this host): a usage error
     * naming what asked for it. NULL: it takes whatever a spec asks. */
    int (*check_spec)(const struct vcb_backend_opts *opts, const struct vcb_spec_needs *needs,
                      struct vcb_err *err);
    /* Optional: memory of the shared host daemons the backend's instances
     * need (libvirtd, virtlogd), whatever runs now; -1 where they cannot be
     * read (on a remote host). */
    int (*daemons_mem)(const struct vcb_backend_opts *opts, struct vcb_proc_mem *out,
                       struct vcb_err *err);
    /* Optional: the memory of the host the instances run on when it is not
     * this one (a VM arm on a remote libvirt host), for density. 1 with *out
     * filled; 0: this host (its /proc/meminfo applies); -1: elsewhere, and
     * it cannot be read (err says why). */
    int (*node_mem)(const struct vcb_backend_opts *opts, struct vcb_node_mem *out,
                    struct vcb_err *err);
    /* Optional: add the backend's own keys to results.json's "host" object.
     * Asked only when a run uses the backend, unless host_facts_always (facts
     * about the host itself that every run records, such as the cgroup
     * mode). Never fails the run: what it cannot learn, it records under
     * its own keys with the reason. */
    void (*host_facts)(const struct vcb_backend_opts *opts, struct json_t *host);
    bool host_facts_always;
    /* Optional: add the backend's keys to results.json's run.options, the
     * options its figures depend on, when a run uses it. */
    int (*run_options)(const struct vcb_backend_opts *opts, struct json_t *options,
                       struct vcb_err *err);
    /* Optional: append `vcbench doctor` checks {"check", "ok", "value",
     * "hint"[, "severity"]} to the array. -1: the checks themselves could
     * not be made (doctor shows a failed "<name> backend" line). */
    int (*doctor)(const struct vcb_backend_opts *opts, struct json_t *checks, struct vcb_err *err);
    /* Optional: remove what runs that are gone left behind (see the request);
     * -1 with err when part of it could not be looked at. */
    int (*cleanup)(const struct vcb_cleanup_req *req, struct vcb_err *err);
    /* Optional: the backend's command-line options, NULL-name terminated. A
     * backend in a module leaves this NULL: its registry line holds them, so
     * they are known without loading it. */
    const struct vcb_driver_opt *options;
};

/* Convenience for callers: next_event through the driver table. */
static inline int vcb_instance_next_event(struct vcb_instance *i, uint64_t deadline_ns,
                                          struct vcb_event *ev, struct vcb_err *err)
{
    return i->driver->next_event(i, deadline_ns, ev, err);
}
static inline void vcb_instance_destroy(struct vcb_instance *i)
{
    if (i)
        i->driver->destroy(i);
}
void vcb_instance_destroyp(struct vcb_instance **i);
#define cleanup_instance __attribute__((cleanup(vcb_instance_destroyp)))

/* For drivers: fill the base (driver, name, a log not yet open) and queue
 * VCB_EV_CREATE at t0. */
int vcb_instance_base_init(struct vcb_instance *inst, const struct vcb_driver *drv,
                           const char *name, uint64_t t0, struct vcb_err *err);
/* For drivers: queue an event of `kind` stamped now (or at host_ns if != 0). */
int vcb_instance_queue(struct vcb_instance *inst, enum vcb_event_kind kind, uint64_t host_ns,
                       struct vcb_err *err);
void vcb_instance_base_free(struct vcb_instance *inst);
/* For drivers: open the base's log <run_dir>/<name><suffix> capped at
 * spec->log_max; without a run dir the log is only counted. */
int vcb_instance_log_open(struct vcb_instance *inst, const struct vcb_instance_spec *spec,
                          const char *suffix, struct vcb_err *err);

#endif
