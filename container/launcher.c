/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* launcher.c — the child's side, from the clone (clone.c) up to exec:
 * new session, join the cgroups, cgroup namespace, hostname, loopback, root filesystem,
 * (user namespace: wait for the maps), stdio, capabilities, no_new_privs,
 * seccomp, exec /init. No helper process, no shell-out: one clone, one exec.
 * The network namespace's lo is brought up as crun, bwrap and docker do:
 * a workload may talk to 127.0.0.1, and a start that skipped it would be
 * compared with peers that pay for it (about 0.15 ms).
 *
 * The child runs in a copy of the parent, or in the parent's own memory
 * until its exec (clone.c), so it only makes syscalls on memory the parent
 * prepared (struct ct_child_cfg). A failure is
 * sent to the parent as a struct vcb_err over a close-on-exec pipe: EOF there
 * means the exec happened. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "container-priv.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

int ct_userns_write_maps(pid_t pid, struct vcb_err *err)
{
    static const char *const files[] = {"uid_map", "gid_map"};
    char path[64], map[64];
    int len = snprintf(map, sizeof map, "0 %d %d\n", CT_USERNS_HOST_BASE, CT_USERNS_SIZE);
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, files[i]);
        cleanup_close int fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write(fd, map, (size_t)len) != len)
            return vcb_err_sys(err, errno, "user namespace: write %s", path);
    }
    return 0;
}

/* fd onto target without close-on-exec (dup2 onto itself would keep it). */
static int child_dup(int fd, int target, struct vcb_err *err)
{
    int rc = fd == target ? fcntl(fd, F_SETFD, 0) : dup2(fd, target);
    if (rc < 0)
        return vcb_err_sys(err, errno, "stdio: dup %d to %d", fd, target);
    return 0;
}

static int child_join_cgroups(const struct ct_child_cfg *cfg, struct vcb_err *err)
{
    /* "0" is the writer itself: no pid translation across namespaces. */
    for (int c = 0; c < CT_CTL__COUNT; c++)
        if (cfg->procs_fd[c] >= 0 && write(cfg->procs_fd[c], "0", 1) != 1)
            return vcb_err_sys(err, errno, "cgroup: join %s", ct_cg_ctl_name(c));
    if (unshare(CLONE_NEWCGROUP) < 0)
        return vcb_err_sys(err, errno, "unshare the cgroup namespace");
    return 0;
}

/* Wait for the parent: user namespace maps written, network attached. */
static int child_wait_parent(const struct ct_child_cfg *cfg, struct vcb_err *err)
{
    char c;
    ssize_t n;
    while ((n = read(cfg->sync_rd, &c, 1)) < 0 && errno == EINTR)
        ;
    if (n != 1)
        return vcb_err_set(err, EPIPE, "the parent did not finish the user namespace or network");
    return 0;
}

/* User namespace: become root inside once the parent wrote the maps. */
static int child_become_root(struct vcb_err *err)
{
    if (setresgid(0, 0, 0) < 0 || setgroups(0, NULL) < 0 || setresuid(0, 0, 0) < 0)
        return vcb_err_sys(err, errno, "user namespace: become root");
    /* A credential change clears the parent-death signal: set it again. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
        return vcb_err_sys(err, errno, "prctl PDEATHSIG");
    return 0;
}

static int child_setup(const struct ct_child_cfg *cfg, struct vcb_err *err)
{
    /* A session of its own and no controlling terminal: the user's terminal
     * (TIOCSTI, /dev/tty) stays out of reach, as with runc and crun. */
    if (setsid() < 0)
        return vcb_err_sys(err, errno, "setsid");
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0) /* launcher killed: container too */
        return vcb_err_sys(err, errno, "prctl PDEATHSIG");
    if (child_join_cgroups(cfg, err) < 0)
        return -1;
    if (sethostname(cfg->hostname, strlen(cfg->hostname)) < 0)
        return vcb_err_sys(err, errno, "sethostname %s", cfg->hostname);
    if (ct_net_lo_up(err) < 0)
        return -1;
    /* In a user namespace, files can only be made (in /dev) by a mapped
     * user: become root inside first. The rootfs path must then be
     * searchable by the mapped root (o+x on its parents). */
    if (cfg->sync_rd >= 0 && child_wait_parent(cfg, err) < 0)
        return -1;
    if (cfg->userns && child_become_root(err) < 0)
        return -1;
    if (cfg->net_addr && ct_net_eth_up(cfg->net_addr, err) < 0)
        return -1;
    umask(0); /* device nodes 0666, /dev/shm 1777 as asked */
    if (ct_rootfs_setup(cfg->rootfs, cfg->scratch, cfg->userns, err) < 0)
        return -1;
    umask(022);
    if (child_dup(cfg->null_fd, 0, err) < 0 || child_dup(cfg->chan_wr, 1, err) < 0 ||
        child_dup(cfg->log_fd, 2, err) < 0)
        return -1;
    /* Whatever the caller left open must not reach the container. */
    if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
        return vcb_err_sys(err, errno, "close_range");
    if (ct_caps_apply(ct_caps_default(), err) < 0)
        return -1;
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        return vcb_err_sys(err, errno, "prctl NO_NEW_PRIVS");
    /* Last before exec: from here on mount, unshare, … fail with EPERM. */
    if (cfg->seccomp && ct_seccomp_install(cfg->seccomp, err) < 0)
        return -1;
    return 0;
}

_Noreturn void ct_child_main(const struct ct_child_cfg *cfg)
{
    struct vcb_err err = {0};
    if (child_setup(cfg, &err) == 0) {
        if (cfg->restore_mask) /* the mask we had: signals reach the container's init */
            sigprocmask(SIG_SETMASK, &cfg->sigmask, NULL);
        execve(cfg->argv[0], cfg->argv, cfg->envp);
        vcb_err_sys(&err, errno, "exec %s", cfg->argv[0]);
    }
    ssize_t n = write(cfg->err_wr, &err, sizeof err);
    (void)n;
    _exit(127);
}
