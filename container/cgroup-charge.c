/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cgroup-charge.c — who pays for clone3. The kernel charges what clone3
 * allocates (task struct, kernel stack, the new namespaces) to the memory
 * cgroup of the calling thread: the child's own join, and even
 * CLONE_INTO_CGROUP, take effect only after those objects exist. Left
 * alone, an instance's own kernel objects are charged to vcbench's group.
 * On cgroup v1 one thread may sit in a memory group of its own, so the
 * launching thread steps into the instance's memory group for the clone and
 * back out. cgroup v2 has no per-thread memory groups: there the charge
 * stays with the caller (docs/results-schema.md says so). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "container-priv.h"

/* Write "0" (the calling thread, not its process) to a v1 tasks file. */
static int join_thread(int fd, const char *what, struct vcb_err *err)
{
    if (write(fd, "0", 1) != 1)
        return vcb_err_sys(err, errno, "cgroup: move the launching thread %s", what);
    return 0;
}

int ct_cg_charge_enter(struct ct_cgroup *cg, int *back_fd, struct vcb_err *err)
{
    char text[4096], rel[PATH_MAX], tasks[PATH_MAX * 2];
    *back_fd = -1;
    if (cg->host->fake || cg->host->mode == CT_CG_V2 || cg->procs_fd[CT_CTL_MEMORY] < 0)
        return 0;
    /* Where this thread is charged now: /proc/thread-self/cgroup, "N:memory:/path". */
    cleanup_close int self = open("/proc/thread-self/cgroup", O_RDONLY | O_CLOEXEC);
    ssize_t n = self < 0 ? -1 : read(self, text, sizeof text - 1);
    if (n <= 0)
        return vcb_err_sys(err, n < 0 ? errno : EIO, "cgroup %s: read /proc/thread-self/cgroup",
                           cg->name);
    text[n] = '\0';
    if (!vcb_memcg_proc_path(text, true, rel, sizeof rel))
        return vcb_err_set(err, ENOENT, "cgroup %s: this thread has no v1 memory cgroup", cg->name);
    if (ct_pathf(tasks, sizeof tasks, "%s%s/tasks", cg->host->v1_mnt[CT_CTL_MEMORY],
                 strcmp(rel, "/") ? rel : "") < 0)
        return vcb_err_sys(err, errno, "cgroup %s: tasks file of %s", cg->name, rel);
    cleanup_close int fd = open(tasks, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return vcb_err_sys(err, errno, "cgroup %s: open %s", cg->name, tasks);
    if (join_thread(cg->procs_fd[CT_CTL_MEMORY], "into the instance's memory group", err) < 0)
        return vcb_err_prefix(err, "cgroup %s", cg->name);
    *back_fd = fd;
    fd = -1;
    return 0;
}

int ct_cg_charge_leave(int *back_fd, struct vcb_err *err)
{
    if (*back_fd < 0)
        return 0;
    int rc = join_thread(*back_fd, "back to its own memory group", err);
    vcb_closep(back_fd);
    return rc;
}
