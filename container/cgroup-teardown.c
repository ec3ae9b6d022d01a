/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cgroup-teardown.c — emptying and removing a group: kill what it lists,
 * then rmdir, each retried briefly while the kernel lets go of dying tasks. */
#include <errno.h>
#include <signal.h>
#include <unistd.h>

#include "container-priv.h"

static void sleep_1ms(void)
{
    vcb_sleep_ns(VCB_NS_PER_MS);
}

/* Kill what cgroup.procs lists; returns how many were listed, -1 on error. */
static int kill_listed(const struct ct_cgroup *cg, int dfd, struct vcb_err *err)
{
    char buf[16384];
    int n = 0;
    if (ct_cg_read(cg, dfd, "cgroup.procs", buf, sizeof buf, err) < 0)
        return errno == ENOENT ? 0 : -1;
    for (char *p = buf; *p;) {
        char *end;
        long pid = strtol(p, &end, 10);
        if (end == p)
            break;
        if (pid > 0 && kill((pid_t)pid, SIGKILL) == 0)
            n++;
        p = *end ? end + 1 : end;
    }
    return n;
}

int ct_cg_kill_procs(const struct ct_cgroup *cg, int dfd, struct vcb_err *err)
{
    if (cg->host->fake || dfd < 0) /* a test tree lists no processes of ours */
        return 0;
    /* Only the slow path loops: normally the pid namespace's init died first
     * and took every process with it, so the first read is empty. */
    for (int tries = 0; tries < 2000; tries++) {
        int n = kill_listed(cg, dfd, err);
        if (n <= 0)
            return n;
        sleep_1ms();
    }
    return vcb_err_set(err, EBUSY, "cgroup %s: processes remain after SIGKILL", cg->name);
}

int ct_cg_rmdir(const struct ct_cgroup *cg, const char *path, struct vcb_err *err)
{
    if (cg->host->fake)
        return vcb_rm_rf(path, err);
    /* A task that has just been reaped can keep the group busy for a moment. */
    for (int tries = 0; tries < 1000; tries++) {
        if (rmdir(path) == 0 || errno == ENOENT)
            return 0;
        if (errno != EBUSY)
            break;
        sleep_1ms();
    }
    return vcb_err_sys(err, errno, "cgroup %s: rmdir %s", cg->name, path);
}
