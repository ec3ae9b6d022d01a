/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* container-priv.h — the container backend's internals, opened to its own
 * files and to the unit tests (tests/container/) only. */
#ifndef CONTAINER_PRIV_H
#define CONTAINER_PRIV_H

#include <limits.h>
#include <signal.h>
#include <sys/types.h>

#include <linux/filter.h>

#include "container.h"
#include "vcb-child.h"

/* ---- cgroups ------------------------------------------------------------------
 * The host's mode is detected once (statfs on the root) and drives one backend
 * chosen through a table of functions, as crun's cgroup-internal.h does. All
 * our groups live under a parent "vcbench": <root>/vcbench/<name> on v2,
 * <root>/<controller>/vcbench/<name> on v1 and hybrid (v1 controllers). */
enum ct_cg_mode { CT_CG_V2, CT_CG_HYBRID, CT_CG_V1 };
const char *ct_cg_mode_name(enum ct_cg_mode m);

/* The controllers we use. On v1 each one is a hierarchy (some co-mounted). */
enum ct_cg_ctl {
    CT_CTL_MEMORY,
    CT_CTL_CPU,
    CT_CTL_CPUACCT,
    CT_CTL_PIDS,
    CT_CTL_CPUSET,
    CT_CTL_DEVICES,
    CT_CTL_BLKIO,
    CT_CTL__COUNT
};
const char *ct_cg_ctl_name(enum ct_cg_ctl c);

#define CT_CG_PARENT     "vcbench"
#define CT_CPU_PERIOD_US 100000ULL

struct ct_cg_ops;

struct ct_cg_host {
    enum ct_cg_mode mode;
    bool fake; /* a test tree: files are created on write, as the kernel would have them */
    char root[PATH_MAX];
    char v1_mnt[CT_CTL__COUNT][PATH_MAX]; /* v1/hybrid: hierarchy of each controller, "" if none */
    char v2_controllers[256];             /* v2: the root's cgroup.controllers */
    const struct ct_cg_ops *ops;
};

/* One instance's cgroup(s). dfd/procs_fd are per controller on v1 (co-mounted
 * controllers share the fd of the first); v2 uses slot 0 only. */
struct ct_cgroup {
    struct ct_cg_host *host;
    char name[VCB_NAME_MAX];
    int dfd[CT_CTL__COUNT];
    int procs_fd[CT_CTL__COUNT]; /* v2 cgroup.procs, v1 tasks: the child joins by writing "0" */
    bool owner[CT_CTL__COUNT];   /* this slot owns its fds (not a co-mounted duplicate) */
    bool created;                /* we made a group dir: only then is there something to remove */
    /* I/O limits apply to the whole disk holding this host file (set before
     * create; NULL with I/O limits is an error). */
    const char *io_file;
};

struct ct_cg_ops {
    const char *name;
    /* Create the group(s) and write the limits; a limit the host cannot apply is an error. */
    int (*create)(struct ct_cgroup *cg, const struct vcb_limits *lim, struct vcb_err *err);
    /* The fd for clone3's CLONE_INTO_CGROUP, or -1. */
    int (*clone_fd)(const struct ct_cgroup *cg);
    /* The dir fd whose cgroup.procs lists every process of the instance. */
    int (*procs_dfd)(const struct ct_cgroup *cg);
    int (*stats)(struct ct_cgroup *cg, struct vcb_stats *out, struct vcb_err *err);
    int (*oom_kills)(struct ct_cgroup *cg, uint64_t *out, struct vcb_err *err);
    /* Kill every process left in the group and wait until it is empty. */
    int (*kill_all)(struct ct_cgroup *cg, struct vcb_err *err);
    /* rmdir the group(s); missing is fine. */
    int (*remove)(struct ct_cgroup *cg, struct vcb_err *err);
    /* The I/O limits on dev (after create, the group's fds open). */
    int (*io)(struct ct_cgroup *cg, const struct vcb_io_limits *io, const struct vcb_blockdev *dev,
              struct vcb_err *err);
};
extern const struct ct_cg_ops ct_cg_v2_ops;
/* The I/O limits on one disk, each backend's files (cgroup-io.c). */
int ct_cg_v1_io(struct ct_cgroup *cg, const struct vcb_io_limits *io,
                const struct vcb_blockdev *dev, struct vcb_err *err);
int ct_cg_v2_io(struct ct_cgroup *cg, const struct vcb_io_limits *io,
                const struct vcb_blockdev *dev, struct vcb_err *err);
extern const struct ct_cg_ops ct_cg_v1_ops;

/* Mode from the root's statfs magic and whether <root>/unified is cgroup2. */
int ct_cg_mode_from_magic(long f_type, bool unified_is_cgroup2, enum ct_cg_mode *out,
                          struct vcb_err *err);
/* Detect the host layout under root (NULL: $VCB_CGROUP_ROOT or /sys/fs/cgroup).
 * A root that is no cgroup filesystem at all is a fake tree: v2 when it holds
 * cgroup.controllers, else v1 with one directory per hierarchy
 * ("memory", "cpu,cpuacct", …). */
int ct_cg_host_init(struct ct_cg_host *h, const char *root, struct vcb_err *err);
/* The process-wide host layout, detected on first use. */
struct ct_cg_host *ct_cg_host_get(struct vcb_err *err);

void ct_cgroup_init(struct ct_cgroup *cg, struct ct_cg_host *h, const char *name);
int ct_cgroup_create(struct ct_cgroup *cg, const struct vcb_limits *lim, struct vcb_err *err);
/* The I/O limits on the disk holding host_file, through the backend's io
 * op: a weight is refused where the disk's scheduler would ignore it. */
int ct_cgroup_io_apply(struct ct_cgroup *cg, const struct vcb_io_limits *io, const char *host_file,
                       struct vcb_err *err);
/* kill_all + remove + close; safe to call twice. */
int ct_cgroup_destroy(struct ct_cgroup *cg, struct vcb_err *err);
void ct_cgroup_close(struct ct_cgroup *cg);

/* Around the clone (cgroup-charge.c): the calling thread joins the
 * instance's v1 memory group, so the kernel charges the new task and its
 * namespaces there, and goes back to its own (*back_fd: its tasks file).
 * Nothing to do on v2 or a fake tree. */
int ct_cg_charge_enter(struct ct_cgroup *cg, int *back_fd, struct vcb_err *err);
int ct_cg_charge_leave(int *back_fd, struct vcb_err *err);

/* Shared helpers of the cgroup files, leaves they all call (cgroup-files.c):
 * snprintf for paths, -1 (errno ENAMETOOLONG) when it does not fit. */
int ct_pathf(char *buf, size_t len, const char *fmt, ...) VCB_PRINTF(3, 4);

int ct_cg_write(const struct ct_cgroup *cg, int dfd, const char *file, const char *value,
                struct vcb_err *err);
int ct_cg_write_u64(const struct ct_cgroup *cg, int dfd, const char *file, uint64_t v,
                    struct vcb_err *err);
int ct_cg_read(const struct ct_cgroup *cg, int dfd, const char *file, char *buf, size_t len,
               struct vcb_err *err);
int ct_cg_read_u64(const struct ct_cgroup *cg, int dfd, const char *file, uint64_t *out,
                   struct vcb_err *err);
/* "key value" lines (memory.events, cpu.stat, memory.oom_control). */
int ct_cg_read_key(const struct ct_cgroup *cg, int dfd, const char *file, const char *key,
                   uint64_t *out, struct vcb_err *err);
int ct_kv_find(const char *text, const char *key, uint64_t *out);
/* mkdir at dfd (EEXIST fine when may_exist) and open it. */
int ct_cg_mkdir_open(const struct ct_cgroup *cg, int parent_dfd, const char *dir, bool may_exist,
                     struct vcb_err *err);
/* Kill every pid in <dfd>/cgroup.procs until it reads empty (bounded;
 * cgroup-teardown.c, as is ct_cg_rmdir). */
int ct_cg_kill_procs(const struct ct_cgroup *cg, int dfd, struct vcb_err *err);
/* Remove <parent>/<name>; ENOENT fine, EBUSY retried briefly (dying tasks). */
int ct_cg_rmdir(const struct ct_cgroup *cg, const char *path, struct vcb_err *err);
/* cpu.max quota for fractional cpus over CT_CPU_PERIOD_US (at least 1000 us;
 * cgroup-quota.c). */
uint64_t ct_cpu_quota_us(double cpus);

/* ---- devices (devices.c) ----------------------------------------------------
 * The allowlist every container gets, enforced by the kernel: v1 through the
 * devices controller, v2 through a BPF_CGROUP_DEVICE program. */
struct ct_dev_rule {
    char type;        /* 'c' or 'b'; 0 ends the table */
    int major, minor; /* -1: any */
};
extern const struct ct_dev_rule ct_dev_allowed[];
/* "c 1:3 rwm", as devices.allow takes it. */
int ct_dev_rule_format(const struct ct_dev_rule *r, char *buf, size_t len);
/* v1: the group at dfd denies everything but the table: inherited from the
 * parent (checked) or written. */
int ct_dev_v1_apply(const struct ct_cgroup *cg, int dfd, struct vcb_err *err);
/* v1: give the parent group the table too, once per process, if the kernel
 * lets us (it has no children), so that new groups inherit it. */
void ct_dev_v1_parent(const struct ct_cgroup *cg, int parent);
/* v2: the program, loaded once per process (its fd, or -1). */
int ct_dev_v2_program_fd(struct vcb_err *err);
/* v2: attach the program to the group at dfd. */
int ct_dev_v2_attach(const struct ct_cgroup *cg, int dfd, struct vcb_err *err);
struct bpf_insn;
/* The program for the table, into prog (room for 128); returns its length. */
size_t ct_dev_program(struct bpf_insn *prog);

/* ---- capabilities ---------------------------------------------------------- */
/* The Docker/crun default set: CHOWN DAC_OVERRIDE FSETID FOWNER MKNOD NET_RAW
 * SETGID SETUID SETFCAP SETPCAP NET_BIND_SERVICE SYS_CHROOT KILL AUDIT_WRITE. */
uint64_t ct_caps_default(void);
/* Bounding set reduced to mask, ambient cleared, capset(eff = perm = mask,
 * inh = 0). Async-signal-safe (runs in the cloned child). */
int ct_caps_apply(uint64_t mask, struct vcb_err *err);

/* ---- seccomp ---------------------------------------------------------------- */
struct ct_seccomp_group {
    const char *group;           /* "modules", "kexec", … */
    const char *const *syscalls; /* NULL-terminated: EPERM unconditionally */
};
/* The profile's unconditional groups, NULL-terminated (seccomp-profile.c). */
extern const struct ct_seccomp_group ct_seccomp_groups[];
/* Compile the profile with libseccomp (build time: vcb-seccomp-gen; and
 * tests); the program is malloc'ed. */
int ct_seccomp_compile(struct sock_fprog *out, struct vcb_err *err);
/* The program compiled when vcbench was built (seccomp-prebuilt.c, in the
 * build tree). */
extern const struct sock_filter ct_seccomp_prebuilt[];
extern const unsigned short ct_seccomp_prebuilt_len;
/* The default profile's program: the built-in one. */
int ct_seccomp_program(const struct sock_fprog **out, struct vcb_err *err);
/* Install a compiled program (needs no_new_privs). Async-signal-safe. */
int ct_seccomp_install(const struct sock_fprog *prog, struct vcb_err *err);

/* ---- the launcher -------------------------------------------------------------
 * Everything the cloned child needs, prepared by the parent so the child does
 * no allocation: it runs after a raw clone3 in a copy of the parent. */
struct ct_child_cfg {
    const char *rootfs;
    const char *scratch; /* bound on the image's scratch mount point; NULL: none */
    const char *hostname;
    char *const *argv; /* "/init", workload, args… */
    char *const *envp;
    int chan_wr;                 /* becomes stdout: the @vcb channel */
    int log_fd;                  /* becomes stderr */
    int null_fd;                 /* becomes stdin */
    int err_wr;                  /* O_CLOEXEC: a struct vcb_err on failure, EOF on exec */
    int sync_rd;                 /* userns, network: the parent's "maps written, network
                                  * attached", else -1 */
    int procs_fd[CT_CTL__COUNT]; /* join by writing "0" (-1: skip) */
    bool userns;
    const char *net_addr;             /* bridge path: eth0's IPv4 address; NULL: none */
    const struct sock_fprog *seccomp; /* NULL: off */
    bool restore_mask;                /* set sigmask just before exec (clone.c blocked all) */
    sigset_t sigmask;
};
/* The child side: never returns (execs /init or writes an error and exits). */
_Noreturn void ct_child_main(const struct ct_child_cfg *cfg);

/* Set up the root filesystem under cfg->rootfs and pivot into it (rootfs.c). */
int ct_rootfs_setup(const char *rootfs, const char *scratch, bool userns, struct vcb_err *err);
/* Bring the loopback interface of the current netns up (netns.c). */
int ct_net_lo_up(struct vcb_err *err);
/* Give eth0 (the veth end the parent moved in) addr/16 and bring it up. */
int ct_net_eth_up(const char *addr, struct vcb_err *err);
/* The userns mapping: container root 0..65535 -> host 100000..165535. */
#define CT_USERNS_HOST_BASE 100000
#define CT_USERNS_SIZE      65536
int ct_userns_write_maps(pid_t pid, struct vcb_err *err);

/* Clone into the namespaces (and into cgroup_fd when >= 0) and run
 * ct_child_main(cfg) in the child (clone.c); returns the pid in the parent,
 * -1 on error. Without a user namespace or cgroup_fd the child shares our
 * memory and this returns once it has exec'd (or failed). *pidfd gets a
 * pidfd, *into_cgroup whether CLONE_INTO_CGROUP was used, *started_ns when
 * the child began. */
pid_t ct_clone(struct ct_child_cfg *cfg, int cgroup_fd, int *pidfd, bool *into_cgroup,
               uint64_t *started_ns, struct vcb_err *err);

/* ---- the driver's instance (driver.c, instance.c, events.c) ---- */
struct ct_instance {
    struct vcb_instance base;
    struct ct_cgroup cg;
    char *rootfs;
    char *scratch; /* the scratch volume's host file, or NULL */
    char **argv;   /* "/init", workload, args…, NULL */
    bool userns;
    const struct sock_fprog *seccomp; /* NULL: off */
    const char *oom_file;             /* what the OOM detail names: memory.max or … */
    int null_fd;
    /* clone3's child, adopted: its channel, its stderr (a pipe drained into
     * base.log, <run_dir>/<name>.log, capped) and its pidfd */
    struct vcb_child child;
    bool into_cgroup;        /* clone3 placed it with CLONE_INTO_CGROUP */
    struct vcb_net_spec net; /* run_netns points into the spec's owner (the harness) */
    char *run_netns;
    uint64_t net_rate;   /* bytes/s, 0: none */
    pid_t pasta;         /* user path: pasta, our child */
    char *pasta_pidfile; /* where pasta says it is ready */
    bool netns_named;    /* /run/netns/<name> is this container's (for pasta) */
};

/* The network of a started container whose child waits (net-attach.c):
 * the bridge path's veth (net-veth.c) or pasta (net-pasta.c), before the
 * parent lets the child go on. */
int ct_net_attach(struct ct_instance *c, pid_t pid, struct vcb_err *err);
void ct_net_detach(struct ct_instance *c);
int ct_net_veth_attach(struct ct_instance *c, const char *ns_path, struct vcb_err *err);
int ct_net_pasta_attach(struct ct_instance *c, pid_t pid, struct vcb_err *err);
/* What a container's network needs, checked at create: a usage error
 * naming the option when the path or a limit cannot be had. */
int ct_net_check(const struct vcb_instance_spec *spec, struct vcb_err *err);

void ct_instance_init_fds(struct ct_instance *c);
/* Everything create() does after the base: cgroups, argv, log, seccomp. */
int ct_instance_prepare(struct ct_instance *c, const struct vcb_instance_spec *spec,
                        struct vcb_err *err);
/* Kill, reap, remove the cgroups, free. */
void ct_instance_free(struct ct_instance *c);
int ct_pipe(int *rd, int *wr, struct vcb_err *err);
/* rss/pss/uss summed over the cgroup's processes (smaps_rollup), with their
 * page tables and threads (status). */
int ct_smaps_sum(struct ct_instance *c, struct vcb_stats *s, struct vcb_err *err);
/* The rootfs files in the host page cache, and their size. */
int ct_image_cached(struct ct_instance *c, struct vcb_stats *s, struct vcb_err *err);

/* What the driver adds beyond instances (backend.c): host facts, doctor,
 * cleanup and its command-line options, for ct_driver's optional callbacks. */
void ct_backend_host_facts(const struct vcb_backend_opts *opts, json_t *host);
int ct_backend_doctor(const struct vcb_backend_opts *opts, json_t *checks, struct vcb_err *err);
int ct_backend_cleanup(const struct vcb_cleanup_req *req, struct vcb_err *err);
extern const struct vcb_driver_opt ct_options[];

#endif
