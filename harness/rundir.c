/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rundir.c — the per-run directory <run root>/vcb-<run-id>/ and its lock.
 * A live run holds an flock on <dir>/lock for its whole lifetime; the kernel
 * drops it when the process dies (even by SIGKILL), so "lock can be taken"
 * is exactly "the run's process is gone". The directory is made under a
 * hidden name, locked, then renamed into place: `vcbench cleanup` never
 * sees a run dir whose lock is not held yet (rundir-scan.c finds them). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>

#include "harness.h"

#define LOCK_NAME "lock"

static void unborn_path(const char *run_id, char *out, size_t len)
{
    snprintf(out, len, "%s/.vcb-%s.new", vcb_run_root(), run_id);
}

/* mkdir the hidden dir, lock it, rename it into place; *fd gets the lock. */
static int rundir_make_locked(const char *run_id, const char *dir, int *fd, struct vcb_err *err)
{
    char tmp[PATH_MAX], path[PATH_MAX + 8];
    unborn_path(run_id, tmp, sizeof(tmp));
    if (vcb_mkdir_p(vcb_run_root(), 0755, err) < 0)
        return vcb_err_prefix(err, "run directory");
    if (mkdir(tmp, 0755) < 0)
        return vcb_err_sys(err, errno, "run directory %s: mkdir", tmp);
    snprintf(path, sizeof(path), "%s/" LOCK_NAME, tmp);
    cleanup_close int lfd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    char pid[32];
    int n = snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
    int rc = 0;
    if (lfd < 0 || flock(lfd, LOCK_EX | LOCK_NB) < 0)
        rc = vcb_err_sys(err, errno, "run directory %s: lock", dir);
    else if (write(lfd, pid, (size_t)n) != n) /* for people looking; the lock is what counts */
        rc = vcb_err_sys(err, errno, "run directory %s: write lock", dir);
    else if (renameat2(AT_FDCWD, tmp, AT_FDCWD, dir, RENAME_NOREPLACE) < 0)
        rc = vcb_err_sys(err, errno, "run directory %s: rename from %s", dir, tmp);
    if (rc < 0) {
        vcb_rm_rf(tmp, &(struct vcb_err){0});
        return -1;
    }
    *fd = steal_fd(&lfd);
    return 0;
}

int bench_rundir_create(const char *run_id, char *dir, size_t len, struct bench_runlock *lock,
                        struct vcb_err *err)
{
    snprintf(dir, len, "%s/vcb-%s", vcb_run_root(), run_id);
    lock->fd = -1;
    lock->guard = -1;
    if (rundir_make_locked(run_id, dir, &lock->fd, err) < 0)
        return -1;
    lock->guard = bench_rundir_guard_start(run_id, dir, err);
    if (lock->guard < 0) {
        vcb_rm_rf(dir, &(struct vcb_err){0});
        vcb_closep(&lock->fd);
        return -1;
    }
    return 0;
}

void bench_runlock_drop(struct bench_runlock *lock)
{
    bench_rundir_guard_stop(&lock->guard);
    vcb_closep(&lock->fd);
}

void bench_rundir_release(const char *run_dir, const char *results_path, struct bench_runlock *lock)
{
    struct vcb_err ignored = {0};
    if (run_dir[0] && results_path) /* the callers that check keep them first */
        bench_logs_keep(run_dir, results_path, &ignored);
    /* The guard stands down before the dir goes: removing it is ours now. */
    bench_rundir_guard_stop(&lock->guard);
    if (run_dir[0]) {
        bench_scratch_run_remove(run_dir);
        vcb_rm_rf(run_dir, &ignored);
    }
    vcb_closep(&lock->fd); /* the lock goes last: cleanup must not race us */
}
