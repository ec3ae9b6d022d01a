/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* oci-priv.h — the OCI family's own parts: the runtime binary and how it is
 * run (oci-runtime.c), the bundle (oci-bundle.c), the cgroup the runtime
 * makes (oci-cgroup.c, oci-stats.c), leftovers (oci-cleanup.c) and the
 * checks (oci-doctor.c). */
#ifndef OCI_PRIV_H
#define OCI_PRIV_H

#include <limits.h>

#include "oci.h"
#include "vcb-child.h"

#define OCI_PREFIX "oci:"
/* The parent of every instance's cgroup, in each hierarchy: a name of its
 * own, so that the container backend's cleanup (which owns "vcbench")
 * never takes a group a runtime still holds. */
#define OCI_CGROUP_PARENT "vcbench-oci"

/* One runtime, as a member of the family names it. */
struct oci_runtime {
    char backend[PATH_MAX + 8]; /* "oci:crun" */
    char path[PATH_MAX];        /* the binary */
    char root[PATH_MAX];        /* its state root: <run root>/oci/<basename> */
    bool hybrid; /* v1 controllers + a controller-less cgroup2: run without the latter */
};

/* The runtime "oci:NAME" stands for, found (PATH or an absolute path) and
 * its state root made; an unknown one is "runtime 'x' not found in PATH". */
int oci_runtime_find(const char *backend, struct oci_runtime *rt, struct vcb_err *err);
/* The state root of the runtime named by basename. */
void oci_runtime_root(const char *basename, char *buf, size_t len);

/* How one runtime command runs: its stdout and stderr (-1: captured into
 * out, for the error message), and how long it took. */
struct oci_cmd {
    int stdout_fd, stderr_fd;
    const char *log; /* the runtime's --log file, or NULL */
    uint64_t ns;     /* from before the spawn to the reap */
    char out[512];   /* captured output, its last part */
};
/* `RUNTIME --root ROOT ARGS…` with stdin /dev/null, in its own process
 * group (a terminal's Ctrl-C is not its), on a hybrid host in a private
 * mount namespace without /sys/fs/cgroup/unified. Fails unless it exits 0,
 * with what it printed. */
int oci_runtime_run(const struct oci_runtime *rt, const char *const *args, struct oci_cmd *cmd,
                    struct vcb_err *err);
/* The first line of `RUNTIME --version`. */
int oci_runtime_version(const struct oci_runtime *rt, char *buf, size_t len, struct vcb_err *err);
/* `RUNTIME delete --force ID`: 0 also when there was no such container. */
int oci_runtime_delete(const struct oci_runtime *rt, const char *id, struct vcb_err *err);

/* ---- the cgroup a runtime makes for an instance ---- */
enum oci_cg_mode { OCI_CG_V1, OCI_CG_HYBRID, OCI_CG_V2 };
enum oci_cg_mode oci_cg_mode(void);
/* cgroupsPath of the instance: /vcbench-oci/<name>. */
void oci_cg_path(const char *name, char *buf, size_t len);
/* Its directory for a controller ("memory", "cpu", …; v2: one directory). */
void oci_cg_dir(const char *ctl, const char *name, char *buf, size_t len);
/* Host-side stats of the instance: its cgroup and the tree under init. */
int oci_cg_stats(const char *name, pid_t init, struct vcb_stats *out, struct vcb_err *err);
/* OOM kills its memory group counted; VCB_STAT_UNSET when unknown. */
uint64_t oci_cg_oom_kills(const char *name);
/* Remove what is left of its groups (after the runtime's delete), killing
 * what still runs in them; removed() for each one that went. */
int oci_cg_remove(const char *name, void (*removed)(const char *what, void *ctx), void *ctx);

/* ---- the bundle ---- */
/* <run dir>/<name>.oci/config.json from the spec; dir gets the bundle. */
/* The soft and block I/O limits into linux.resources r (oci-resources-soft.c);
 * I/O limits apply to the disk holding io_file. */
int oci_resources_soft(const struct vcb_limits *l, const char *io_file, json_t *r,
                       struct vcb_err *err);
int oci_bundle_write(const struct vcb_instance_spec *spec, char *dir, size_t len,
                     struct vcb_err *err);

/* ---- the driver's other callbacks ---- */
int oci_stats(struct vcb_instance *inst, struct vcb_stats *out, struct vcb_err *err);
int oci_cleanup(const struct vcb_cleanup_req *req, struct vcb_err *err);
int oci_doctor(const struct vcb_backend_opts *opts, json_t *checks, struct vcb_err *err);
int oci_run_options(const struct vcb_backend_opts *opts, json_t *options, struct vcb_err *err);

/* An instance. */
struct oci_instance {
    struct vcb_instance base;
    struct oci_runtime rt;
    char bundle[PATH_MAX];
    char rootfs[PATH_MAX];
    bool created;           /* `create` was run: delete at the end, whatever it said */
    int exit_status;        /* from "@vcb exit", -1 before */
    struct vcb_child child; /* the channel, stderr, and init's pidfd (not our child) */
};

#endif
