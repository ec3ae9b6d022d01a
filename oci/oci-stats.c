/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* oci-stats.c — what an OCI instance costs the host: the runtime's cgroup
 * at the path vcbench gave it (memory charged and its split, peak, OOM
 * kills, pids, CPU time and throttling) and the process tree under the
 * container's init (RSS/PSS/USS, page tables, threads). */
#include <errno.h>
#include <string.h>

#include "oci-priv.h"

/* The number after `key ` in a flat-keyed file (cpu.stat, memory.events,
 * memory.oom_control); key NULL: the file is one number. */
static int read_key(const char *dir, const char *file, const char *key, uint64_t *out,
                    struct vcb_err *err)
{
    char path[PATH_MAX + 64];
    snprintf(path, sizeof(path), "%s/%s", dir, file);
    if (!key)
        return vcb_read_u64_file(path, out, err);
    cleanup_free char *text = NULL;
    size_t len = 0, klen = strlen(key);
    if (vcb_read_file(path, &text, &len, err) < 0)
        return -1;
    for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
        if (strncmp(l, key, klen) == 0 && l[klen] == ' ') {
            *out = strtoull(l + klen + 1, NULL, 10);
            return 0;
        }
    return vcb_err_set(err, ENOENT, "%s: no '%s'", path, key);
}

uint64_t oci_cg_oom_kills(const char *name)
{
    char dir[PATH_MAX];
    uint64_t n = VCB_STAT_UNSET;
    struct vcb_err ignored = {0};
    oci_cg_dir("memory", name, dir, sizeof(dir));
    if (read_key(dir, oci_cg_mode() == OCI_CG_V2 ? "memory.events" : "memory.oom_control",
                 "oom_kill", &n, &ignored) < 0)
        return VCB_STAT_UNSET;
    return n;
}

static int cg_stats_v2(const char *dir, struct vcb_stats *out, struct vcb_err *err)
{
    uint64_t usec = 0;
    if (read_key(dir, "memory.current", NULL, &out->mem_charged, err) < 0 ||
        read_key(dir, "memory.events", "oom_kill", &out->oom_kills, err) < 0 ||
        read_key(dir, "pids.current", NULL, &out->pids, err) < 0 ||
        read_key(dir, "cpu.stat", "usage_usec", &usec, err) < 0)
        return -1;
    struct vcb_err no_peak = {0}; /* memory.peak: since 5.19 */
    if (read_key(dir, "memory.peak", NULL, &out->mem_peak, &no_peak) < 0)
        out->mem_peak = VCB_STAT_UNSET;
    out->cpu_ns = usec * VCB_NS_PER_US;
    return 0;
}

static int cg_stats_v1(const char *name, struct vcb_stats *out, struct vcb_err *err)
{
    char mem[PATH_MAX], pids[PATH_MAX], acct[PATH_MAX];
    oci_cg_dir("memory", name, mem, sizeof(mem));
    oci_cg_dir("pids", name, pids, sizeof(pids));
    oci_cg_dir("cpuacct", name, acct, sizeof(acct));
    if (read_key(mem, "memory.usage_in_bytes", NULL, &out->mem_charged, err) < 0 ||
        read_key(mem, "memory.max_usage_in_bytes", NULL, &out->mem_peak, err) < 0 ||
        read_key(mem, "memory.oom_control", "oom_kill", &out->oom_kills, err) < 0 ||
        read_key(pids, "pids.current", NULL, &out->pids, err) < 0 ||
        read_key(acct, "cpuacct.usage", NULL, &out->cpu_ns, err) < 0)
        return -1;
    return 0;
}

int oci_cg_stats(const char *name, pid_t init, struct vcb_stats *out, struct vcb_err *err)
{
    char mem[PATH_MAX], cpu[PATH_MAX];
    struct vcb_err gone = {0}; /* init exited: the group still says what it was charged */
    vcb_stats_init(out);
    if (init > 0)
        (void)vcb_proc_tree_stats(init, out, &gone);
    oci_cg_dir("memory", name, mem, sizeof(mem));
    oci_cg_dir("cpu", name, cpu, sizeof(cpu));
    int rc = oci_cg_mode() == OCI_CG_V2 ? cg_stats_v2(mem, out, err) : cg_stats_v1(name, out, err);
    if (rc < 0 || vcb_memcg_read(mem, &out->cg, err) < 0)
        return vcb_err_prefix(err, "cgroup %s", name);
    struct vcb_err no_cpu_stat = {0}; /* no cpu controller: throttling stays unknown */
    (void)vcb_cgroup_cpu_throttle(cpu, false, &out->throttle, &no_cpu_stat);
    return 0;
}

int oci_stats(struct vcb_instance *inst, struct vcb_stats *out, struct vcb_err *err)
{
    struct oci_instance *o = (struct oci_instance *)inst;
    pid_t init = o->child.pid > 0 && !o->child.reaped ? o->child.pid : 0;
    if (oci_cg_stats(inst->name, init, out, err) < 0 ||
        vcb_path_cached(o->rootfs, &out->image_cached, &out->image_bytes, err) < 0)
        return vcb_err_prefix(err, "%s: stats", inst->name);
    out->helper_pss = 0; /* the runtime exits after create and start: nothing of it stays */
    return 0;
}
