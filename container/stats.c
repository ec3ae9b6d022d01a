/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* stats.c — host memory of a container's processes: rss, pss and uss summed
 * over its cgroup's members from /proc/<pid>/smaps_rollup, their page tables
 * and threads from /proc/<pid>/status; and its image's share of the page cache. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "container-priv.h"

/* Add one process's smaps_rollup (kB fields) to s; a process that just
 * exited is skipped. */
static void ct_smaps_add(long pid, struct vcb_stats *s)
{
    char path[64], buf[4096];
    uint64_t rss = 0, pss = 0, pc = 0, pd = 0;
    snprintf(path, sizeof path, "/proc/%ld/smaps_rollup", pid);
    cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
    if (n <= 0)
        return;
    buf[n] = '\0';
    for (char *p = buf; (p = strchr(p, '\n')); p++) { /* "Rss:   123 kB" */
        unsigned long v;
        if (sscanf(p + 1, "Rss: %lu", &v) == 1)
            rss = v;
        else if (sscanf(p + 1, "Pss: %lu", &v) == 1)
            pss = v;
        else if (sscanf(p + 1, "Private_Clean: %lu", &v) == 1)
            pc = v;
        else if (sscanf(p + 1, "Private_Dirty: %lu", &v) == 1)
            pd = v;
    }
    s->rss += rss * 1024;
    s->pss += pss * 1024;
    s->uss += (pc + pd) * 1024;
    uint64_t pte, threads;
    struct vcb_err ignored = {0};
    if (vcb_proc_kernel((pid_t)pid, &pte, &threads, &ignored) == 0) {
        s->proc_pagetables += pte;
        s->proc_threads += threads;
    }
}

int ct_smaps_sum(struct ct_instance *c, struct vcb_stats *s, struct vcb_err *err)
{
    char list[16384];
    int dfd = c->cg.host->ops->procs_dfd(&c->cg);
    s->rss = s->pss = s->uss = s->proc_pagetables = s->proc_threads = 0;
    if (dfd < 0)
        return 0;
    if (ct_cg_read(&c->cg, dfd, "cgroup.procs", list, sizeof list, err) < 0)
        return -1;
    for (char *p = list; *p;) {
        char *end;
        long pid = strtol(p, &end, 10);
        if (end == p)
            break;
        ct_smaps_add(pid, s);
        p = *end ? end + 1 : end;
    }
    return 0;
}

int ct_image_cached(struct ct_instance *c, struct vcb_stats *s, struct vcb_err *err)
{
    return vcb_path_cached(c->rootfs, &s->image_cached, &s->image_bytes, err);
}
