/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cgroup-v1.c — the v1 backend (also used for the v1 controllers of hybrid
 * hosts): one group per controller hierarchy, <mnt>/vcbench/<name>. Co-mounted
 * controllers ("cpu,cpuacct") share one directory. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "container-priv.h"

/* Which controllers an instance joins, and which its limits need. */
static bool v1_needed(enum ct_cg_ctl c, const struct vcb_limits *lim)
{
    switch (c) {
    case CT_CTL_MEMORY:
        return lim->memory_bytes > 0 || lim->memory_soft > 0;
    case CT_CTL_CPU:
        return lim->cpus > 0 || lim->cpu_weight > 0;
    case CT_CTL_PIDS:
        return lim->pids > 0;
    case CT_CTL_CPUSET:
        return lim->cpuset[0] != '\0';
    case CT_CTL_DEVICES:
        return true; /* the device allowlist is not optional */
    case CT_CTL_BLKIO:
        return vcb_io_limits_any(&lim->io);
    default:
        return false;
    }
}

static bool v1_wanted(enum ct_cg_ctl c, const struct vcb_limits *lim)
{
    /* memory always (stats, OOM count); cpuacct, pids, cpu and cpuset only
     * for a limit: each hierarchy is one more mkdir, join and rmdir per
     * start. Without them pids.current is counted from cgroup.procs, and the
     * cpu time is the driver's once the instance is gone (its init's
     * rusage: every process of a pid namespace is reaped into it). */
    return c == CT_CTL_MEMORY || (c == CT_CTL_CPUACCT && lim->cpus > 0) || v1_needed(c, lim);
}

/* What a controller applies, for errors (indexed by enum ct_cg_ctl). */
static const char *v1_applies(enum ct_cg_ctl c)
{
    static const char *const what[] = {"memory limit", "cpus limit",   "cpuacct stats",
                                       "pids limit",   "cpuset limit", "device allowlist",
                                       "io limits"};
    return what[c];
}

/* A v1 cpuset group is unusable until cpus and mems are set: copy the
 * parent's when empty (the "vcbench" parent starts empty too). */
static int v1_cpuset_inherit(const struct ct_cgroup *cg, int parent, int dfd, const char *file,
                             struct vcb_err *err)
{
    char cur[256] = "", val[256];
    if (ct_cg_read(cg, dfd, file, cur, sizeof cur, err) < 0 && !cg->host->fake)
        return -1; /* a fresh fake group has no file yet: empty, as the kernel's */
    vcb_err_clear(err);
    if (cur[0] != '\0' && cur[0] != '\n')
        return 0;
    if (ct_cg_read(cg, parent, file, val, sizeof val, err) < 0)
        return -1;
    val[strcspn(val, "\n")] = '\0';
    return ct_cg_write(cg, dfd, file, val, err);
}

/* <mnt>/vcbench/<name> for controller c; returns the group dir fd. */
static int v1_mkgroup(struct ct_cgroup *cg, enum ct_cg_ctl c, struct vcb_err *err)
{
    const char *mnt = cg->host->v1_mnt[c];
    cleanup_close int mfd = open(mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    cleanup_close int parent = -1;
    if (mfd < 0)
        return vcb_err_sys(err, errno, "cgroup %s: open %s", cg->name, mnt);
    if ((parent = ct_cg_mkdir_open(cg, mfd, CT_CG_PARENT, true, err)) < 0)
        return -1;
    if (c == CT_CTL_DEVICES)
        ct_dev_v1_parent(cg, parent);
    if (c == CT_CTL_CPUSET && (v1_cpuset_inherit(cg, mfd, parent, "cpuset.cpus", err) < 0 ||
                               v1_cpuset_inherit(cg, mfd, parent, "cpuset.mems", err) < 0))
        return -1;
    int fd = ct_cg_mkdir_open(cg, parent, cg->name, false, err);
    cg->created = cg->created || fd >= 0;
    if (fd >= 0 && c == CT_CTL_CPUSET && v1_cpuset_inherit(cg, parent, fd, "cpuset.mems", err) < 0)
        return vcb_closep(&fd), -1;
    return fd;
}

static int v1_join_slot(struct ct_cgroup *cg, enum ct_cg_ctl c, struct vcb_err *err)
{
    for (int d = 0; d < CT_CTL__COUNT; d++) {
        if (d != (int)c && cg->owner[d] && strcmp(cg->host->v1_mnt[d], cg->host->v1_mnt[c]) == 0) {
            cg->dfd[c] = cg->dfd[d]; /* co-mounted: same directory */
            return 0;
        }
    }
    if ((cg->dfd[c] = v1_mkgroup(cg, c, err)) < 0)
        return -1;
    cg->owner[c] = true;
    /* The child joins through "tasks", not cgroup.procs: writing "0" (itself,
     * one thread) there skips the global threadgroup rwsem, whose write side
     * waits for an RCU grace period (~10 ms here) when it was idle. */
    int flags = O_WRONLY | O_CLOEXEC | (cg->host->fake ? O_CREAT : 0);
    if ((cg->procs_fd[c] = openat(cg->dfd[c], "tasks", flags, 0644)) < 0)
        return vcb_err_sys(err, errno, "cgroup %s: open %s/tasks", cg->name, ct_cg_ctl_name(c));
    return 0;
}

static int v1_memory(struct ct_cgroup *cg, int fd, const struct vcb_limits *lim,
                     struct vcb_err *err)
{
    /* The soft limit is no memory.high: v1 reclaims a group down to it only
     * under global memory pressure, and never throttles it. */
    if (lim->memory_soft &&
        ct_cg_write_u64(cg, fd, "memory.soft_limit_in_bytes", lim->memory_soft, err) < 0)
        return -1;
    if (!lim->memory_bytes)
        return 0;
    if (ct_cg_write_u64(cg, fd, "memory.limit_in_bytes", lim->memory_bytes, err) < 0)
        return -1;
    /* memory+swap = memory: no swap escape (present with swap accounting). */
    if (faccessat(fd, "../memory.memsw.limit_in_bytes", F_OK, 0) == 0)
        return ct_cg_write_u64(cg, fd, "memory.memsw.limit_in_bytes", lim->memory_bytes, err);
    return 0;
}

static int v1_cpu(struct ct_cgroup *cg, int fd, const struct vcb_limits *lim, struct vcb_err *err)
{
    if (lim->cpu_weight &&
        ct_cg_write_u64(cg, fd, "cpu.shares", vcb_cpu_weight_to_shares(lim->cpu_weight), err) < 0)
        return -1;
    if (!lim->cpus)
        return 0;
    if (ct_cg_write_u64(cg, fd, "cpu.cfs_period_us", CT_CPU_PERIOD_US, err) < 0)
        return -1;
    return ct_cg_write_u64(cg, fd, "cpu.cfs_quota_us", ct_cpu_quota_us(lim->cpus), err);
}

static int v1_limit(struct ct_cgroup *cg, enum ct_cg_ctl c, const struct vcb_limits *lim,
                    struct vcb_err *err)
{
    int fd = cg->dfd[c];
    switch (c) {
    case CT_CTL_MEMORY:
        return v1_memory(cg, fd, lim, err);
    case CT_CTL_CPU:
        return v1_cpu(cg, fd, lim, err);
    case CT_CTL_PIDS:
        return ct_cg_write_u64(cg, fd, "pids.max", lim->pids, err);
    case CT_CTL_CPUSET:
        return ct_cg_write(cg, fd, "cpuset.cpus", lim->cpuset, err);
    case CT_CTL_DEVICES:
        return ct_dev_v1_apply(cg, fd, err);
    default:
        return 0;
    }
}

static int v1_create(struct ct_cgroup *cg, const struct vcb_limits *lim, struct vcb_err *err)
{
    if (lim->memory_low)
        return vcb_err_usage(err,
                             "cgroup %s: --memory-low needs cgroup v2's memory.low; v1 has "
                             "none (its soft limit is --memory-soft)",
                             cg->name);
    for (int c = 0; c < CT_CTL__COUNT; c++) {
        if (!v1_wanted(c, lim))
            continue;
        if (cg->host->v1_mnt[c][0] == '\0') {
            if (!v1_needed(c, lim))
                continue; /* only a stat is lost */
            return vcb_err_set(err, ENOTSUP,
                               "cgroup %s: cannot apply the %s: no v1 '%s' hierarchy is "
                               "mounted under %s",
                               cg->name, v1_applies(c), ct_cg_ctl_name(c), cg->host->root);
        }
        if (v1_join_slot(cg, c, err) < 0)
            return -1;
        if (v1_needed(c, lim) && v1_limit(cg, c, lim, err) < 0)
            return -1;
    }
    return 0;
}

static int v1_clone_fd(const struct ct_cgroup *cg)
{
    return -1; /* CLONE_INTO_CGROUP is for the unified hierarchy only */
}

static int v1_procs_dfd(const struct ct_cgroup *cg)
{
    static const enum ct_cg_ctl order[] = {CT_CTL_MEMORY, CT_CTL_PIDS,   CT_CTL_CPUACCT,
                                           CT_CTL_CPU,    CT_CTL_CPUSET, CT_CTL_DEVICES,
                                           CT_CTL_BLKIO};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        if (cg->dfd[order[i]] >= 0)
            return cg->dfd[order[i]];
    return -1;
}

static int v1_stat(struct ct_cgroup *cg, enum ct_cg_ctl c, const char *file, const char *key,
                   uint64_t *out, struct vcb_err *err)
{
    int fd = cg->dfd[c];
    *out = VCB_STAT_UNSET;
    if (fd < 0)
        return 0; /* hierarchy not mounted: the stat stays unset */
    return key ? ct_cg_read_key(cg, fd, file, key, out, err)
               : ct_cg_read_u64(cg, fd, file, out, err);
}

/* memory.stat (rss, cache) and the kmem counters: what the charge is made of.
 * A fake tree without memory.stat leaves the split unset. */
static int v1_mem_split(struct ct_cgroup *cg, struct vcb_memcg_split *out, struct vcb_err *err)
{
    vcb_memcg_split_init(out);
    if (cg->dfd[CT_CTL_MEMORY] < 0 || vcb_memcg_read_at(cg->dfd[CT_CTL_MEMORY], out, err) == 0)
        return 0;
    if (err->code == ENOENT && cg->host->fake)
        return vcb_err_clear(err), 0;
    return vcb_err_prefix(err, "cgroup %s", cg->name);
}

/* pids.current, or without a pids group the processes its other groups
 * list (every hierarchy holds the same ones). */
static int v1_pids(struct ct_cgroup *cg, uint64_t *out, struct vcb_err *err)
{
    char list[16384];
    int dfd = v1_procs_dfd(cg);
    if (cg->dfd[CT_CTL_PIDS] >= 0 || dfd < 0)
        return v1_stat(cg, CT_CTL_PIDS, "pids.current", NULL, out, err);
    if (ct_cg_read(cg, dfd, "cgroup.procs", list, sizeof list, err) < 0)
        return -1;
    *out = 0;
    for (const char *p = list; *p; p++)
        *out += *p == '\n';
    return 0;
}

static int v1_stats(struct ct_cgroup *cg, struct vcb_stats *out, struct vcb_err *err)
{
    if (v1_mem_split(cg, &out->cg, err) < 0 ||
        v1_stat(cg, CT_CTL_MEMORY, "memory.usage_in_bytes", NULL, &out->mem_charged, err) < 0 ||
        v1_stat(cg, CT_CTL_MEMORY, "memory.max_usage_in_bytes", NULL, &out->mem_peak, err) < 0 ||
        v1_stat(cg, CT_CTL_MEMORY, "memory.oom_control", "oom_kill", &out->oom_kills, err) < 0 ||
        v1_pids(cg, &out->pids, err) < 0 ||
        v1_stat(cg, CT_CTL_CPUACCT, "cpuacct.usage", NULL, &out->cpu_ns, err) < 0)
        return -1;
    return 0;
}

static int v1_oom_kills(struct ct_cgroup *cg, uint64_t *out, struct vcb_err *err)
{
    return v1_stat(cg, CT_CTL_MEMORY, "memory.oom_control", "oom_kill", out, err);
}

static int v1_kill_all(struct ct_cgroup *cg, struct vcb_err *err)
{
    /* Every hierarchy holds the same processes: emptying one empties all. */
    return ct_cg_kill_procs(cg, v1_procs_dfd(cg), err);
}

static int v1_remove(struct ct_cgroup *cg, struct vcb_err *err)
{
    int rc = 0;
    for (int c = 0; c < CT_CTL__COUNT; c++) {
        const char *mnt = cg->host->v1_mnt[c];
        bool seen = false;
        for (int d = 0; d < c; d++)
            seen = seen || strcmp(cg->host->v1_mnt[d], mnt) == 0;
        if (mnt[0] == '\0' || seen)
            continue;
        char path[PATH_MAX];
        if (ct_pathf(path, sizeof path, "%s/%s/%s", mnt, CT_CG_PARENT, cg->name) < 0 ||
            ct_cg_rmdir(cg, path, rc < 0 ? &(struct vcb_err){0} : err) < 0)
            rc = -1;
    }
    return rc;
}

const struct ct_cg_ops ct_cg_v1_ops = {
    .name = "v1",
    .create = v1_create,
    .clone_fd = v1_clone_fd,
    .procs_dfd = v1_procs_dfd,
    .stats = v1_stats,
    .oom_kills = v1_oom_kills,
    .kill_all = v1_kill_all,
    .remove = v1_remove,
    .io = ct_cg_v1_io,
};
