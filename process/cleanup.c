/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cleanup.c — process-backend leftovers, the driver's cleanup callback. The process driver runs
 * <state>/images/<image>/rootfs/init in a session of its own, with no cgroup
 * that outlives the run; every process of an instance carries its name in
 * its environment (VCB_INSTANCE=vcb-<run-id>-<n>, inherited by whatever the
 * workload starts). When `vcbench run` dies by SIGKILL, vcb-init kills the
 * workload's tree itself (its parent-death signal); this is the fallback for
 * when that could not happen (vcb-init killed too).
 *
 * A process's run is gone when that run's dir, in the run root the process
 * itself names (its VCB_RUN_DIR, else the default), is missing or has a free
 * lock: a live run always holds its dir's lock. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>

#include "process.h"

/* The run of process pid, if it belongs to a process-backend instance. */
static bool proc_run_id(pid_t pid, char run_id[VCB_RUN_ID_LEN + 1])
{
    char name[VCB_NAME_MAX];
    unsigned n;
    return vcb_proc_env(pid, VCB_INSTANCE_ENV, name, sizeof(name)) == 1 &&
           vcb_instance_name_parse(name, run_id, &n) == 0;
}

/* Is the run this process names gone? Its dir is in its own run root. */
static bool proc_run_gone(pid_t pid, const char *run_id)
{
    char root[PATH_MAX], lock[PATH_MAX + 32];
    if (vcb_proc_env(pid, "VCB_RUN_DIR", root, sizeof(root)) != 1 || !root[0])
        snprintf(root, sizeof(root), "/run/vcbench");
    snprintf(lock, sizeof(lock), "%s/vcb-%s/lock", root, run_id);
    cleanup_close int fd = open(lock, O_RDONLY | O_CLOEXEC);
    return (fd < 0 && errno == ENOENT) || (fd >= 0 && flock(fd, LOCK_SH | LOCK_NB) == 0);
}

static void closedirp(DIR **d)
{
    if (*d)
        closedir(*d);
}

int process_cleanup(const struct vcb_cleanup_req *req, struct vcb_err *err)
{
    char what[128], run_id[VCB_RUN_ID_LEN + 1];
    __attribute__((cleanup(closedirp))) DIR *d = opendir("/proc");
    struct dirent *e;
    (void)err; /* a process that cannot be read is no one's leftover */
    while (d && (e = readdir(d))) {
        pid_t pid = e->d_name[0] >= '1' && e->d_name[0] <= '9' ? atoi(e->d_name) : 0;
        if (pid <= 1 || pid == getpid() || !proc_run_id(pid, run_id))
            continue;
        if (req->only_run ? strcmp(run_id, req->only_run) != 0 : !proc_run_gone(pid, run_id))
            continue;
        if (!req->dry_run && kill(pid, SIGKILL) < 0 && errno != ESRCH)
            continue;
        snprintf(what, sizeof(what), "process %d (process-backend instance of run %s)", (int)pid,
                 run_id);
        req->removed(what, req->ctx);
    }
    return 0;
}
