/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rundir-guard.c — a run's guard: a child of the run that waits on the
 * run's lock and, if the run dies without releasing its dir (kill -9, a
 * crash), removes what it left: that run's container cgroups, orphaned
 * process-arm instances and the run dir. So nothing of a killed run stays
 * until someone thinks of `vcbench cleanup`. VMs need no guard: libvirt
 * destroys AUTODESTROY domains when the run's connection closes.
 *
 * A run that ends normally stands its guard down (SIGTERM) before it
 * removes the dir itself. The guard is forked while the run is still one
 * thread (at run dir creation) and holds nothing of it: every inherited fd
 * is closed, the run's lock included, else the lock would outlive the run. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "harness.h"

static void guard_detach(void)
{
    sigset_t none;
    sigemptyset(&none);
    syscall(SYS_close_range, 0U, ~0U, 0U);
    int fd = open("/dev/null", O_RDWR | O_CLOEXEC); /* 0, 1, 2: nothing lands there */
    for (int i = 1; fd == 0 && i <= 2; i++)
        dup2(fd, i);
    setsid(); /* out of the terminal's process group: Ctrl-C is the run's to handle */
    signal(SIGINT, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    signal(SIGTERM, SIG_DFL); /* stand down */
    sigprocmask(SIG_SETMASK, &none, NULL);
    prctl(PR_SET_NAME, "vcbench-guard");
}

static _Noreturn void guard_main(const char *run_id, const char *dir)
{
    char lock[PATH_MAX + 8];
    guard_detach();
    snprintf(lock, sizeof(lock), "%s/lock", dir);
    int fd = open(lock, O_RDONLY | O_CLOEXEC);
    while (fd >= 0 && flock(fd, LOCK_EX) < 0 && errno == EINTR)
        ;
    /* The lock is ours: the run is gone. Its dir still there means it
     * died without its teardown (which removes the dir first). */
    if (fd >= 0 && vcb_path_exists(dir)) {
        bench_cleanup_run(run_id);
        bench_scratch_run_remove(dir);
        vcb_rm_rf(dir, NULL);
    }
    _exit(0);
}

pid_t bench_rundir_guard_start(const char *run_id, const char *dir, struct vcb_err *err)
{
    pid_t pid = fork();
    if (pid == 0)
        guard_main(run_id, dir);
    if (pid < 0)
        return vcb_err_sys(err, errno, "run directory %s: start its guard", dir);
    return pid;
}

void bench_rundir_guard_stop(pid_t *guard)
{
    if (*guard <= 0)
        return;
    kill(*guard, SIGTERM);
    while (waitpid(*guard, NULL, 0) < 0 && errno == EINTR)
        ;
    *guard = -1;
}
