/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* peers-spawn.c — one timed start→exit of a child: an external peer (crun,
 * runc, bwrap, unshare, the wrappers, vcbench's own commands, /bin/true),
 * the bare clone floor, or a plain posix_spawn. Timed from just before
 * posix_spawn/clone to waitpid's return (CLOCK_MONOTONIC); the child's
 * stdout is read to check that it really did its work (vcb-init's "@vcb exit
 * 0", vcbench launch's exit event), its stderr goes to a log in the run dir. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "peers.h"

extern char **environ;

/* What the child prints and how it ended. */
struct peers_child {
    pid_t pid;
    int out_rd, pidfd;
    char out[2048];
    size_t out_len;
    int wstatus;
};

static int log_open(struct peers_ctx *pc, const char *name)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/peer-%s.log", pc->bctx.run_dir, name);
    return open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
}

static void child_read(struct peers_child *c, struct pollfd *p)
{
    char buf[1024];
    ssize_t n = read(c->out_rd, buf, sizeof buf);
    if (n > 0) {
        size_t room = sizeof c->out - 1 - c->out_len, k = (size_t)n < room ? (size_t)n : room;
        memcpy(c->out + c->out_len, buf, k);
        c->out_len += k;
        c->out[c->out_len] = '\0';
    } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        p->fd = -1; /* EOF: every writer (peer and container) is done */
    }
}

/* Read stdout to EOF and wait for the exit, up to the deadline; then reap.
 * Returns 0, or -1 on timeout (the process group is killed and reaped). */
static int child_collect(struct peers_child *c, uint64_t deadline)
{
    struct pollfd p[2] = {{.fd = c->out_rd, .events = POLLIN}, {.fd = c->pidfd, .events = POLLIN}};
    while (p[0].fd >= 0 || p[1].fd >= 0) {
        uint64_t now = vcb_now_ns();
        if (now >= deadline) {
            kill(-c->pid, SIGKILL);
            kill(c->pid, SIGKILL);
            while (waitpid(c->pid, &c->wstatus, 0) < 0 && errno == EINTR)
                ;
            return -1;
        }
        int ms = (int)((deadline - now) / VCB_NS_PER_MS) + 1;
        if (poll(p, 2, ms) < 0 && errno != EINTR)
            return -1;
        if (p[0].fd >= 0 && p[0].revents)
            child_read(c, &p[0]);
        if (p[1].fd >= 0 && p[1].revents)
            p[1].fd = -1;
    }
    while (waitpid(c->pid, &c->wstatus, 0) < 0 && errno == EINTR)
        ;
    return 0;
}

static void child_close(struct peers_child *c)
{
    vcb_closep(&c->out_rd);
    vcb_closep(&c->pidfd);
}

/* `words` in out, runs of blanks counted as one space: a line of
 * `vcbench launch` pads its columns. */
static bool out_has(const char *out, const char *words)
{
    char flat[sizeof((struct peers_child *)0)->out];
    size_t n = 0;
    for (const char *c = out; *c && n + 1 < sizeof flat; c++)
        if (!(*c == ' ' || *c == '\t') || (n && flat[n - 1] != ' '))
            flat[n++] = *c == '\t' ? ' ' : *c;
    flat[n] = '\0';
    return strstr(flat, words) != NULL;
}

/* 0 when it exited 0 with `expect` in its output (NULL: exit 0 is enough);
 * else why. */
static int child_verdict(const struct peers_child *c, int rc, const char *expect, char *why,
                         size_t len)
{
    if (rc < 0) {
        snprintf(why, len, "timeout after %llu s: killed",
                 (unsigned long long)(PEERS_CT_TIMEOUT_NS / VCB_NS_PER_S));
        return -1;
    }
    if (!WIFEXITED(c->wstatus) || WEXITSTATUS(c->wstatus) != 0) {
        if (WIFSIGNALED(c->wstatus))
            snprintf(why, len, "killed by signal %d (see logs/peer-*.log)", WTERMSIG(c->wstatus));
        else
            snprintf(why, len, "exited %d (see logs/peer-*.log)", WEXITSTATUS(c->wstatus));
        return -1;
    }
    if (expect && !out_has(c->out, expect)) {
        snprintf(why, len, "exited 0 but its output lacks '%.*s'", (int)strcspn(expect, "\n"),
                 expect);
        return -1;
    }
    return 0;
}

static void spawn_actions(posix_spawn_file_actions_t *fa, posix_spawnattr_t *at, int out_wr,
                          int log_fd, const char *cwd)
{
    sigset_t none;
    posix_spawn_file_actions_init(fa);
    posix_spawnattr_init(at);
    posix_spawn_file_actions_addopen(fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(fa, out_wr, 1);
    posix_spawn_file_actions_adddup2(fa, log_fd >= 0 ? log_fd : out_wr, 2);
    if (cwd)
        posix_spawn_file_actions_addchdir_np(fa, cwd);
    /* Own process group: a Ctrl-C on the terminal reaches us, not the peer
     * half-way through; we let the sample end and stop after it. */
    posix_spawnattr_setpgroup(at, 0);
    sigemptyset(&none);
    posix_spawnattr_setsigmask(at, &none);
    posix_spawnattr_setflags(at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);
}

/* posix_spawnp argv; *t0 is stamped right before the call. */
static int spawn_child(struct peers_ctx *pc, const char *name, char *const *argv, const char *cwd,
                       struct peers_child *c, uint64_t *t0, char *why, size_t len)
{
    int p[2];
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    cleanup_close int log_fd = log_open(pc, name);
    if (pipe2(p, O_CLOEXEC) < 0)
        return snprintf(why, len, "pipe: %s", strerror(errno)), -1;
    spawn_actions(&fa, &at, p[1], log_fd, cwd);
    *t0 = vcb_now_ns();
    int rc = posix_spawnp(&c->pid, argv[0], &fa, &at, argv, environ);
    close(p[1]);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    c->out_rd = p[0];
    if (rc != 0)
        return snprintf(why, len, "spawn %s: %s", argv[0], strerror(rc)), -1;
    c->pidfd = (int)syscall(SYS_pidfd_open, c->pid, 0);
    return 0;
}

/* Best effort after a timeout: an OCI runtime's state for this id. */
static void oci_delete(struct peers_ctx *pc, struct peers_arm *a, const char *id)
{
    char *argv[] = {(char *)a->tool, "delete", "--force", (char *)id, NULL};
    struct peers_child c = {.out_rd = -1, .pidfd = -1};
    uint64_t t0;
    char why[64];
    if (spawn_child(pc, a->name, argv, NULL, &c, &t0, why, sizeof why) == 0)
        child_collect(&c, vcb_now_ns() + 5 * VCB_NS_PER_S);
    child_close(&c);
}

int peers_once_external(struct peers_ctx *pc, struct peers_arm *a, uint64_t *ns, char *why,
                        size_t len)
{
    struct peers_child c = {.out_rd = -1, .pidfd = -1};
    char id[VCB_NAME_MAX];
    char *saved = a->id_arg >= 0 ? a->argv[a->id_arg] : NULL;
    uint64_t t0;
    if (saved) { /* crun/runc: a fresh container id, named as our instances are */
        peers_next_name(pc, id);
        a->argv[a->id_arg] = id;
    }
    int rc = spawn_child(pc, a->name, a->argv, NULL, &c, &t0, why, len);
    if (rc == 0) {
        rc = child_collect(&c, t0 + PEERS_CT_TIMEOUT_NS);
        *ns = vcb_now_ns() - t0;
        if (rc < 0 && saved)
            oci_delete(pc, a, id);
        rc = child_verdict(&c, rc, a->expect, why, len);
    }
    if (saved)
        a->argv[a->id_arg] = saved;
    child_close(&c);
    return rc;
}

int peers_once_spawn(struct peers_ctx *pc, struct peers_arm *a, uint64_t *ns, char *why, size_t len)
{
    struct peers_child c = {.out_rd = -1, .pidfd = -1};
    char init[PATH_MAX + 8];
    snprintf(init, sizeof init, "%s/init", pc->rootfs);
    char *argv[] = {init, "noop", NULL};
    uint64_t t0;
    int rc = spawn_child(pc, a->name, argv, pc->rootfs, &c, &t0, why, len);
    if (rc == 0) {
        rc = child_collect(&c, t0 + PEERS_CT_TIMEOUT_NS);
        *ns = vcb_now_ns() - t0;
        rc = child_verdict(&c, rc, PEERS_VCB_EXIT, why, len);
    }
    child_close(&c);
    return rc;
}

/* ---- the floor: what any container start must at least do ---------------- */
struct floor_arg {
    const char *rootfs;
    int out_wr, log_fd;
};

static int floor_child(void *p)
{
    const struct floor_arg *f = p;
    static char *const argv[] = {"/init", "noop", NULL};
    static char *const envp[] = {"PATH=/bin:/sbin", NULL};
    int null_fd = open("/dev/null", O_RDONLY); /* the rootfs has no /dev/null */
    /* Private first: vcb-init (PID 1) mounts /proc, /sys, /tmp in the rootfs,
     * which must not propagate to the host's view of the image. */
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 || chroot(f->rootfs) < 0 ||
        chdir("/") < 0)
        _exit(126);
    if (null_fd >= 0)
        dup2(null_fd, 0);
    if (dup2(f->out_wr, 1) < 0 || (f->log_fd >= 0 && dup2(f->log_fd, 2) < 0))
        _exit(126);
    execve(argv[0], argv, envp);
    _exit(127);
}

int peers_once_clone(struct peers_ctx *pc, struct peers_arm *a, uint64_t *ns, char *why, size_t len)
{
    static char stack[64 * 1024] __attribute__((aligned(16)));
    struct peers_child c = {.out_rd = -1, .pidfd = -1};
    int p[2];
    cleanup_close int log_fd = log_open(pc, a->name);
    if (pipe2(p, O_CLOEXEC) < 0)
        return snprintf(why, len, "pipe: %s", strerror(errno)), -1;
    struct floor_arg f = {.rootfs = pc->rootfs, .out_wr = p[1], .log_fd = log_fd};
    /* CLONE_VM | CLONE_VFORK: the child borrows our memory until its exec,
     * as our launcher's own clone does (posix_spawn's way): the floor must
     * not pay a page-table copy the launcher no longer pays. */
    int flags = CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_VM |
                CLONE_VFORK | SIGCHLD;
    uint64_t t0 = vcb_now_ns();
    c.pid = clone(floor_child, stack + sizeof stack, flags, &f);
    int saved = errno;
    close(p[1]);
    c.out_rd = p[0];
    if (c.pid < 0) {
        child_close(&c);
        return snprintf(why, len, "clone: %s", strerror(saved)), -1;
    }
    c.pidfd = (int)syscall(SYS_pidfd_open, c.pid, 0);
    int rc = child_collect(&c, t0 + PEERS_CT_TIMEOUT_NS);
    *ns = vcb_now_ns() - t0;
    rc = child_verdict(&c, rc, PEERS_VCB_EXIT, why, len);
    child_close(&c);
    return rc;
}

void peers_tool_version(const char *tool, char *buf, size_t len)
{
    struct peers_child c = {.out_rd = -1, .pidfd = -1};
    char *argv[] = {(char *)tool, "--version", NULL};
    int p[2];
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    buf[0] = '\0';
    if (pipe2(p, O_CLOEXEC) < 0)
        return;
    spawn_actions(&fa, &at, p[1], -1, NULL);
    int rc = posix_spawnp(&c.pid, tool, &fa, &at, argv, environ);
    close(p[1]);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    c.out_rd = p[0];
    if (rc == 0) {
        c.pidfd = (int)syscall(SYS_pidfd_open, c.pid, 0);
        child_collect(&c, vcb_now_ns() + 5 * VCB_NS_PER_S);
        snprintf(buf, len, "%.*s", (int)strcspn(c.out, "\n"), c.out);
    }
    child_close(&c);
}
