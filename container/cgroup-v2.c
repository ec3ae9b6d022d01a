/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cgroup-v2.c — the unified hierarchy backend: one group per instance under
 * <root>/vcbench, controllers enabled through cgroup.subtree_control. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "container-priv.h"

#define V2 0 /* the one slot a v2 group uses */

/* Is word (without '+') among the space-separated words of list? */
static bool word_in(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; *p;) {
        p += strspn(p, " \n+");
        if (strncmp(p, word, n) == 0 && (p[n] == ' ' || p[n] == '\n' || p[n] == '\0'))
            return true;
        p += strcspn(p, " \n");
    }
    return false;
}

/* Controllers this instance uses: the ones its limits need (an error when the
 * host lacks one) plus memory, pids and cpu for stats when available. */
static int v2_wanted(const struct ct_cgroup *cg, const struct vcb_limits *lim, char *out,
                     size_t len, struct vcb_err *err)
{
    const char *avail = cg->host->v2_controllers;
    const struct {
        const char *ctl, *limit;
        bool needed;
    } t[] = {{"memory", "memory", lim->memory_bytes || lim->memory_soft || lim->memory_low},
             {"pids", "pids", lim->pids > 0},
             {"cpu", "cpus", lim->cpus > 0 || lim->cpu_weight},
             {"cpuset", "cpuset", lim->cpuset[0] != '\0'},
             {"io", "io", vcb_io_limits_any(&lim->io)}};
    out[0] = '\0';
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        if (!word_in(avail, t[i].ctl)) {
            if (t[i].needed)
                return vcb_err_set(err, ENOTSUP,
                                   "cgroup %s: cannot apply the %s limit: controller '%s' is "
                                   "not available (cgroup.controllers: %s)",
                                   cg->name, t[i].limit, t[i].ctl, avail[0] ? avail : "none");
            continue;
        }
        if ((!strcmp(t[i].ctl, "cpuset") || !strcmp(t[i].ctl, "io")) && !t[i].needed)
            continue; /* only when asked: enabling cpuset costs every group a copy */
        snprintf(out + strlen(out), len - strlen(out), "%s+%s", out[0] ? " " : "", t[i].ctl);
    }
    return 0;
}

/* Enable the wanted controllers in <dir>/cgroup.subtree_control, writing only
 * when one is missing (the common case after the first instance: no write). */
static int v2_enable(const struct ct_cgroup *cg, int rootfd, const char *file, const char *wanted,
                     struct vcb_err *err)
{
    char cur[512] = "";
    char missing[256] = "";
    struct vcb_err ignored = {0};
    ct_cg_read(cg, rootfd, file, cur, sizeof cur, &ignored); /* fake trees may lack it */
    for (const char *p = wanted; *p;) {
        char w[32];
        size_t n = strcspn(p, " ");
        snprintf(w, sizeof w, "%.*s", (int)n - 1, p + 1); /* without the "+" */
        if (!word_in(cur, w))
            snprintf(missing + strlen(missing), sizeof missing - strlen(missing), "%s+%s",
                     missing[0] ? " " : "", w);
        p += n + strspn(p + n, " ");
    }
    return missing[0] ? ct_cg_write(cg, rootfd, file, missing, err) : 0;
}

static int v2_limits(struct ct_cgroup *cg, int parent, const struct vcb_limits *lim,
                     struct vcb_err *err)
{
    int fd = cg->dfd[V2];
    if (lim->memory_bytes > 0) {
        if (ct_cg_write_u64(cg, fd, "memory.max", lim->memory_bytes, err) < 0)
            return -1;
        /* No swap escape: the limit is the limit. Absent when swap accounting is off. */
        if (faccessat(parent, "memory.swap.max", F_OK, 0) == 0 &&
            ct_cg_write(cg, fd, "memory.swap.max", "0", err) < 0)
            return -1;
    }
    if (lim->cpus > 0) {
        char v[64];
        snprintf(v, sizeof v, "%llu %llu", (unsigned long long)ct_cpu_quota_us(lim->cpus),
                 (unsigned long long)CT_CPU_PERIOD_US);
        if (ct_cg_write(cg, fd, "cpu.max", v, err) < 0)
            return -1;
    }
    if (lim->pids > 0 && ct_cg_write_u64(cg, fd, "pids.max", lim->pids, err) < 0)
        return -1;
    /* Soft: memory.high throttles and reclaims above it (no OOM kill);
     * memory.low protects below it from reclaim; cpu.weight shares. */
    if (lim->memory_soft && ct_cg_write_u64(cg, fd, "memory.high", lim->memory_soft, err) < 0)
        return -1;
    if (lim->memory_low && ct_cg_write_u64(cg, fd, "memory.low", lim->memory_low, err) < 0)
        return -1;
    if (lim->cpu_weight && ct_cg_write_u64(cg, fd, "cpu.weight", lim->cpu_weight, err) < 0)
        return -1;
    if (lim->cpuset[0] && ct_cg_write(cg, fd, "cpuset.cpus", lim->cpuset, err) < 0)
        return -1;
    return 0;
}

static int v2_create(struct ct_cgroup *cg, const struct vcb_limits *lim, struct vcb_err *err)
{
    char wanted[128];
    cleanup_close int rootfd = open(cg->host->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    cleanup_close int parent = -1;
    if (rootfd < 0)
        return vcb_err_sys(err, errno, "cgroup %s: open %s", cg->name, cg->host->root);
    if (v2_wanted(cg, lim, wanted, sizeof wanted, err) < 0 ||
        v2_enable(cg, rootfd, "cgroup.subtree_control", wanted, err) < 0)
        return -1;
    if ((parent = ct_cg_mkdir_open(cg, rootfd, CT_CG_PARENT, true, err)) < 0 ||
        v2_enable(cg, rootfd, CT_CG_PARENT "/cgroup.subtree_control", wanted, err) < 0)
        return -1;
    if ((cg->dfd[V2] = ct_cg_mkdir_open(cg, parent, cg->name, false, err)) < 0)
        return -1;
    cg->owner[V2] = cg->created = true;
    if (v2_limits(cg, parent, lim, err) < 0)
        return -1;
    /* Before the clone: CLONE_INTO_CGROUP starts the child under the policy. */
    if (!cg->host->fake && ct_dev_v2_attach(cg, cg->dfd[V2], err) < 0)
        return -1;
    int flags = O_WRONLY | O_CLOEXEC | (cg->host->fake ? O_CREAT : 0);
    if ((cg->procs_fd[V2] = openat(cg->dfd[V2], "cgroup.procs", flags, 0644)) < 0)
        return vcb_err_sys(err, errno, "cgroup %s: open cgroup.procs", cg->name);
    return 0;
}

static int v2_clone_fd(const struct ct_cgroup *cg)
{
    return cg->host->fake ? -1 : cg->dfd[V2];
}

static int v2_procs_dfd(const struct ct_cgroup *cg)
{
    return cg->dfd[V2];
}

/* A missing stats file leaves the value unset (controller not enabled). */
static int v2_stat(struct ct_cgroup *cg, const char *file, const char *key, uint64_t *out,
                   struct vcb_err *err)
{
    int fd = cg->dfd[V2];
    int rc =
        key ? ct_cg_read_key(cg, fd, file, key, out, err) : ct_cg_read_u64(cg, fd, file, out, err);
    if (rc < 0 && err->code == ENOENT) {
        vcb_err_clear(err);
        *out = VCB_STAT_UNSET;
        return 0;
    }
    return rc;
}

/* memory.stat: anon, file and the kernel's parts. Absent without the memory
 * controller (a controller-less hierarchy): the split stays unset. */
static int v2_mem_split(struct ct_cgroup *cg, struct vcb_memcg_split *out, struct vcb_err *err)
{
    vcb_memcg_split_init(out);
    if (vcb_memcg_read_at(cg->dfd[V2], out, err) == 0)
        return 0;
    if (err->code == ENOENT)
        return vcb_err_clear(err), 0;
    return vcb_err_prefix(err, "cgroup %s", cg->name);
}

static int v2_stats(struct ct_cgroup *cg, struct vcb_stats *out, struct vcb_err *err)
{
    uint64_t usec = 0;
    if (v2_mem_split(cg, &out->cg, err) < 0 ||
        v2_stat(cg, "memory.current", NULL, &out->mem_charged, err) < 0 ||
        v2_stat(cg, "memory.peak", NULL, &out->mem_peak, err) < 0 ||
        v2_stat(cg, "memory.events", "oom_kill", &out->oom_kills, err) < 0 ||
        v2_stat(cg, "pids.current", NULL, &out->pids, err) < 0 ||
        v2_stat(cg, "cpu.stat", "usage_usec", &usec, err) < 0)
        return -1;
    out->cpu_ns = usec == VCB_STAT_UNSET ? VCB_STAT_UNSET : usec * VCB_NS_PER_US;
    return 0;
}

static int v2_oom_kills(struct ct_cgroup *cg, uint64_t *out, struct vcb_err *err)
{
    return v2_stat(cg, "memory.events", "oom_kill", out, err);
}

static int v2_kill_all(struct ct_cgroup *cg, struct vcb_err *err)
{
    if (cg->dfd[V2] < 0)
        return 0;
    /* cgroup.kill (5.14+) kills the whole tree atomically, forks included. */
    if (!cg->host->fake && faccessat(cg->dfd[V2], "cgroup.kill", F_OK, 0) == 0 &&
        ct_cg_write(cg, cg->dfd[V2], "cgroup.kill", "1", err) < 0)
        return -1;
    return ct_cg_kill_procs(cg, cg->dfd[V2], err);
}

static int v2_remove(struct ct_cgroup *cg, struct vcb_err *err)
{
    char path[PATH_MAX];
    if (ct_pathf(path, sizeof path, "%s/%s/%s", cg->host->root, CT_CG_PARENT, cg->name) < 0)
        return vcb_err_sys(err, errno, "cgroup %s: path", cg->name);
    return ct_cg_rmdir(cg, path, err);
}

const struct ct_cg_ops ct_cg_v2_ops = {
    .name = "v2",
    .create = v2_create,
    .clone_fd = v2_clone_fd,
    .procs_dfd = v2_procs_dfd,
    .stats = v2_stats,
    .oom_kills = v2_oom_kills,
    .kill_all = v2_kill_all,
    .remove = v2_remove,
    .io = ct_cg_v2_io,
};
