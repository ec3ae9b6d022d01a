/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* procfs.c — what a host process costs, read from /proc. Shared by every
 * driver so that RSS/PSS/USS mean the same thing for all backends. */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "vcb-driver.h"

/* smaps_rollup fields in kB: Rss, Pss, Private_Clean + Private_Dirty = USS. */
int vcb_proc_mem(pid_t pid, struct vcb_proc_mem *out, struct vcb_err *err)
{
    char path[64], line[256];
    snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", (int)pid);
    cleanup_fclose FILE *f = fopen(path, "re");
    if (!f)
        return vcb_err_sys(err, errno, "read %s", path);
    struct vcb_proc_mem m = {0};
    while (fgets(line, sizeof(line), f)) {
        unsigned long long kb;
        char key[64];
        if (sscanf(line, "%63[^:]: %llu kB", key, &kb) != 2)
            continue;
        if (!strcmp(key, "Rss"))
            m.rss = kb * 1024;
        else if (!strcmp(key, "Pss"))
            m.pss = kb * 1024;
        else if (!strcmp(key, "Private_Clean") || !strcmp(key, "Private_Dirty"))
            m.uss += kb * 1024;
    }
    *out = m;
    return 0;
}

int vcb_proc_cpu_ns(pid_t pid, uint64_t *out, struct vcb_err *err)
{
    char path[64];
    cleanup_free char *stat = NULL;
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    if (vcb_read_file(path, &stat, NULL, err) < 0)
        return -1;
    /* fields after the ")" that ends comm: state is field 3, utime 14, stime 15 */
    const char *p = strrchr(stat, ')');
    unsigned long long ut, st;
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
        return vcb_err_set(err, EINVAL, "%s: unexpected format", path);
    long hz = sysconf(_SC_CLK_TCK);
    *out = (ut + st) * (VCB_NS_PER_S / (uint64_t)(hz > 0 ? hz : 100));
    return 0;
}

/* Depth-first walk of /proc/<pid>/task/<pid>/children. */
static size_t tree_walk(pid_t pid, pid_t *pids, size_t max, size_t n)
{
    if (n >= max)
        return n;
    pids[n++] = pid;
    char path[96];
    snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid, (int)pid);
    cleanup_fclose FILE *f = fopen(path, "re");
    int child;
    while (f && n < max && fscanf(f, "%d", &child) == 1)
        n = tree_walk(child, pids, max, n);
    return n;
}

size_t vcb_proc_tree(pid_t root, pid_t *pids, size_t max)
{
    return tree_walk(root, pids, max, 0);
}

int vcb_proc_tree_stats(pid_t root, struct vcb_stats *out, struct vcb_err *err)
{
    pid_t pids[256];
    size_t n = vcb_proc_tree(root, pids, 256);
    struct vcb_proc_mem sum = {0};
    uint64_t cpu = 0, pte = 0, threads = 0;
    for (size_t i = 0; i < n; i++) {
        struct vcb_proc_mem m;
        uint64_t c, p, t;
        if (vcb_proc_mem(pids[i], &m, err) < 0 || vcb_proc_cpu_ns(pids[i], &c, err) < 0 ||
            vcb_proc_kernel(pids[i], &p, &t, err) < 0) {
            if (i == 0)
                return -1; /* the root itself is gone */
            continue;      /* a child that just exited */
        }
        sum.rss += m.rss;
        sum.pss += m.pss;
        sum.uss += m.uss;
        cpu += c;
        pte += p;
        threads += t;
    }
    out->rss = sum.rss;
    out->pss = sum.pss;
    out->uss = sum.uss;
    out->cpu_ns = cpu;
    out->pids = n;
    out->proc_pagetables = pte;
    out->proc_threads = threads;
    return 0;
}

int vcb_proc_kernel(pid_t pid, uint64_t *pagetables, uint64_t *threads, struct vcb_err *err)
{
    char path[64], line[256];
    bool pte = false, thr = false;
    snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
    cleanup_fclose FILE *f = fopen(path, "re");
    if (!f)
        return vcb_err_sys(err, errno, "read %s", path);
    while (fgets(line, sizeof(line), f)) {
        unsigned long long v;
        if (sscanf(line, "VmPTE: %llu kB", &v) == 1)
            *pagetables = v * 1024, pte = true;
        else if (sscanf(line, "Threads: %llu", &v) == 1)
            *threads = v, thr = true;
    }
    if (!thr)
        return vcb_err_set(err, EINVAL, "%s: no Threads line", path);
    if (!pte)
        *pagetables = 0; /* a kernel thread or a zombie: no mm */
    return 0;
}

int vcb_proc_env(pid_t pid, const char *key, char *out, size_t len)
{
    char path[64];
    cleanup_free char *env = NULL;
    size_t n = 0, klen = strlen(key);
    snprintf(path, sizeof(path), "/proc/%d/environ", (int)pid);
    if (vcb_read_file(path, &env, &n, NULL) < 0)
        return 0;
    for (size_t off = 0; off < n; off += strlen(env + off) + 1) {
        if (strncmp(env + off, key, klen) == 0 && env[off + klen] == '=') {
            snprintf(out, len, "%s", env + off + klen + 1);
            return 1;
        }
    }
    return 0;
}
