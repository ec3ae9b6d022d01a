/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* child.c — one child process watched: spawn (vfork + exec) or adopt,
 * then its @vcb channel, its stderr and its pidfd in one epoll fd. On exit
 * the pipes are drained before the reap, so no line written before the
 * exit is lost and GONE always comes last. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "child-root.h"
#include "vcb-child.h"

extern char **environ;

int vcb_child_init(struct vcb_child *c, struct vcb_evq *events, struct vcb_logcap *log,
                   struct vcb_err *err)
{
    memset(c, 0, sizeof(*c));
    c->pidfd = c->chan_fd = c->err_fd = -1;
    c->events = events;
    c->log = log;
    c->proto.log = log; /* stray stdout lines */
    if ((c->epfd = epoll_create1(EPOLL_CLOEXEC)) < 0)
        return vcb_err_sys(err, errno, "epoll_create1");
    return 0;
}

static int set_nonblock(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

int vcb_child_pipe(int *rd, int *wr, struct vcb_err *err)
{
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0)
        return vcb_err_sys(err, errno, "pipe");
    if (set_nonblock(p[0]) < 0) {
        int e = errno;
        close(p[0]);
        close(p[1]);
        return vcb_err_sys(err, e, "pipe: set non-blocking");
    }
    *rd = p[0];
    *wr = p[1];
    return 0;
}

int vcb_child_path(const char *name, char *buf, size_t len)
{
    if (strchr(name, '/'))
        return snprintf(buf, len, "%s", name) < (int)len ? 0 : -1;
    const char *path = getenv("PATH");
    if (!path || !*path)
        path = "/usr/local/bin:/usr/bin:/bin";
    for (const char *p = path; *p;) {
        size_t n = strcspn(p, ":");
        if (n > 0 && snprintf(buf, len, "%.*s/%s", (int)n, p, name) < (int)len &&
            access(buf, X_OK) == 0)
            return 0;
        p += n + (p[n] == ':');
    }
    errno = ENOENT;
    return -1;
}

/* Whatever the caller left open must not reach the child: close every fd
 * above stderr (close_range, or one by one on kernels before 5.9). */
static int close_from_3(void)
{
    if (syscall(SYS_close_range, 3U, ~0U, 0U) == 0)
        return 0;
    if (errno != ENOSYS && errno != EINVAL)
        return -1;
    for (long fd = 3, max = sysconf(_SC_OPEN_MAX); fd < max; fd++)
        close((int)fd);
    return 0;
}

/* fd onto target without close-on-exec (dup2 onto itself would keep it). */
static int child_dup(int fd, int target)
{
    return fd == target ? fcntl(fd, F_SETFD, 0) : dup2(fd, target);
}

/* The child of vfork: only async-signal-safe calls, memory shared with the
 * parent, so an exec failure is passed back through *child_errno. With
 * PDEATHSIG it checks its parent is still there once the signal is armed
 * (a parent gone before would never send it). */
static void child_exec(const struct vcb_child_spawn *s, const char *path,
                       const struct child_root *root, pid_t parent, volatile int *child_errno)
{
    sigset_t none;
    sigemptyset(&none);
    if (((s->flags & VCB_CHILD_SESSION) && setsid() < 0) ||
        ((s->flags & VCB_CHILD_PGROUP) && setpgid(0, 0) < 0) ||
        ((s->flags & VCB_CHILD_PDEATHSIG) &&
         (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)) ||
        child_dup(s->stdin_fd, 0) < 0 || child_dup(s->stdout_fd, 1) < 0 ||
        child_dup(s->stderr_fd, 2) < 0 ||
        ((s->flags & VCB_CHILD_CLOSE_FDS) && close_from_3() < 0) ||
        (s->root && child_root_enter(root) < 0) || (s->cwd && chdir(s->cwd) < 0) ||
        sigprocmask(SIG_SETMASK, &none, NULL) < 0)
        goto fail;
    execve(path, s->argv, s->envp ? s->envp : environ);
fail:
    *child_errno = errno ? errno : EINVAL;
    _exit(127);
}

int vcb_child_spawn(struct vcb_child *c, const struct vcb_child_spawn *s, struct vcb_err *err)
{
    char path[PATH_MAX];
    struct child_root root;
    if (s->root && child_root_prepare(s->root, &root) < 0)
        return vcb_err_sys(err, errno, "start %s in %s: its mount points", s->argv[0], s->root);
    if (s->root) /* a path inside the root, found there once it is entered */
        snprintf(path, sizeof path, "%s", s->argv[0]);
    /* looked up here: the vfork child may not allocate */
    else if (vcb_child_path(s->argv[0], path, sizeof(path)) < 0)
        return vcb_err_sys(err, errno, "start %s", s->argv[0]);
    volatile int child_errno = 0;
    pid_t parent = getpid();
    c->spawn_ns = vcb_now_ns();
    pid_t pid = vfork();
    if (pid == 0)
        child_exec(s, path, &root, parent, &child_errno);
    if (pid < 0)
        return vcb_err_sys(err, errno, "vfork");
    if (child_errno) {
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
            ;
        return vcb_err_sys(err, child_errno, "start %s", path);
    }
    return vcb_child_adopt(c, pid, -1, s->flags & (VCB_CHILD_SESSION | VCB_CHILD_PGROUP), err);
}

int vcb_child_adopt(struct vcb_child *c, pid_t pid, int pidfd, bool group, struct vcb_err *err)
{
    c->pid = pid;
    c->group = group;
    c->reaped = false;
    if (pidfd < 0 && (pidfd = (int)syscall(SYS_pidfd_open, pid, 0)) < 0)
        return vcb_err_sys(err, errno, "pidfd_open");
    c->pidfd = pidfd;
    struct epoll_event e = {.events = EPOLLIN, .data.fd = pidfd};
    if (epoll_ctl(c->epfd, EPOLL_CTL_ADD, pidfd, &e) < 0)
        return vcb_err_sys(err, errno, "epoll: watch the pidfd");
    return 0;
}

int vcb_child_watch(struct vcb_child *c, struct vcb_err *err)
{
    if (c->err_fd >= 0 && !c->log)
        return vcb_err_set(err, EINVAL, "watch stderr: no log to drain it into");
    const int fds[] = {c->chan_fd, c->err_fd};
    for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
        struct epoll_event e = {.events = EPOLLIN, .data.fd = fds[i]};
        if (fds[i] >= 0 &&
            (set_nonblock(fds[i]) < 0 || epoll_ctl(c->epfd, EPOLL_CTL_ADD, fds[i], &e) < 0))
            return vcb_err_sys(err, errno, "epoll: watch the child's fds");
    }
    return 0;
}

/* At EOF: stop watching fd and close it. */
static void child_unwatch(struct vcb_child *c, int *fd)
{
    epoll_ctl(c->epfd, EPOLL_CTL_DEL, *fd, NULL);
    vcb_closep(fd);
}

/* What the channel holds now, each read stamped as it returns. */
static int child_read_channel(struct vcb_child *c, struct vcb_err *err)
{
    char buf[4096];
    while (c->chan_fd >= 0) {
        ssize_t n = read(c->chan_fd, buf, sizeof(buf));
        uint64_t now = vcb_now_ns();
        if (n > 0) {
            if (vcb_proto_feed(&c->proto, buf, (size_t)n, now, c->events, err) < 0)
                return -1;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return 0;
        if (n < 0)
            return vcb_err_sys(err, errno, "read the channel");
        child_unwatch(c, &c->chan_fd);
    }
    return 0;
}

/* stderr into the capped log; at EOF stop watching it. */
static int child_read_stderr(struct vcb_child *c, struct vcb_err *err)
{
    int rc = c->err_fd >= 0 ? vcb_logcap_drain(c->log, c->err_fd) : 0;
    if (rc < 0)
        return vcb_err_sys(err, errno, "read stderr");
    if (rc > 0)
        child_unwatch(c, &c->err_fd);
    return 0;
}

void vcb_child_exit_text(int wstatus, const char *oom_limit, char *buf, size_t len)
{
    if (oom_limit) { /* the count says so, whatever the status */
        snprintf(buf, len, "killed by OOM (%s)", oom_limit);
    } else if (WIFEXITED(wstatus)) {
        snprintf(buf, len, "exited %d", WEXITSTATUS(wstatus));
    } else if (WIFSIGNALED(wstatus)) {
        const char *what = sigdescr_np(WTERMSIG(wstatus)); /* strsignal is not thread-safe */
        snprintf(buf, len, "killed by signal %d (%s)", WTERMSIG(wstatus),
                 what ? what : "unknown signal");
    } else {
        snprintf(buf, len, "wait status %d", wstatus);
    }
}

/* user + system time of a reaped child (its own and its reaped descendants') */
static uint64_t child_cpu_ns(const struct rusage *ru)
{
    return ((uint64_t)ru->ru_utime.tv_sec + (uint64_t)ru->ru_stime.tv_sec) * VCB_NS_PER_S +
           ((uint64_t)ru->ru_utime.tv_usec + (uint64_t)ru->ru_stime.tv_usec) * VCB_NS_PER_US;
}

/* The child exited: drain both pipes (to EOF, or to empty when a leftover
 * grandchild still holds them), reap, then queue GONE with the exit text. */
static int child_gone(struct vcb_child *c, struct vcb_err *err)
{
    int st = -1;
    struct rusage ru = {0};
    if (child_read_channel(c, err) < 0 || child_read_stderr(c, err) < 0)
        return -1;
    while (!c->foreign && wait4(c->pid, &st, 0, &ru) < 0)
        if (errno != EINTR)
            return vcb_err_sys(err, errno, "waitpid");
    c->reaped = true;
    c->wstatus = st;
    c->cpu_ns = child_cpu_ns(&ru);
    struct vcb_event ev = {.kind = VCB_EV_GONE, .host_ns = vcb_now_ns(), .status = st};
    const char *oom = c->oom_limit ? c->oom_limit(c->oom_arg) : NULL;
    if (c->foreign && !oom)
        snprintf(ev.detail, sizeof(ev.detail), "gone (not our child: no wait status)");
    else
        vcb_child_exit_text(st, oom, ev.detail, sizeof(ev.detail));
    if (vcb_evq_push(c->events, &ev) < 0)
        return vcb_err_set(err, ENOMEM, "queue GONE: out of memory");
    return 0;
}

static int timeout_ms(uint64_t deadline_ns)
{
    uint64_t now = vcb_now_ns();
    if (deadline_ns <= now)
        return 0;
    uint64_t ms = (deadline_ns - now + VCB_NS_PER_MS - 1) / VCB_NS_PER_MS;
    return ms > 3600000 ? 3600000 : (int)ms;
}

int vcb_child_wait(struct vcb_child *c, uint64_t deadline_ns, struct vcb_err *err)
{
    struct epoll_event evs[3];
    bool exited = false;
    int n = epoll_wait(c->epfd, evs, 3, timeout_ms(deadline_ns));
    if (n < 0)
        return errno == EINTR ? 1 : vcb_err_sys(err, errno, "epoll_wait");
    for (int i = 0; i < n; i++) {
        if (evs[i].data.fd == c->pidfd)
            exited = true;
        else if (evs[i].data.fd == c->err_fd && child_read_stderr(c, err) < 0)
            return -1;
        else if (evs[i].data.fd == c->chan_fd && child_read_channel(c, err) < 0)
            return -1;
    }
    if (exited && !c->reaped && child_gone(c, err) < 0)
        return -1;
    return n > 0 ? 1 : 0;
}

int vcb_child_next_event(struct vcb_child *c, uint64_t deadline_ns, struct vcb_event *ev,
                         struct vcb_err *err)
{
    for (;;) {
        if (vcb_evq_pop(c->events, ev))
            return 1;
        if (c->reaped || c->pid <= 0)
            return 0;
        int rc = vcb_child_wait(c, deadline_ns, err);
        if (rc <= 0)
            return rc;
    }
}

int vcb_child_signal(struct vcb_child *c, int sig, struct vcb_err *err)
{
    if (c->pid <= 0 || c->reaped)
        return 0;
    if (syscall(SYS_pidfd_send_signal, c->pidfd, sig, NULL, 0) < 0 && errno != ESRCH)
        return vcb_err_sys(err, errno, "send signal %d", sig);
    return 0;
}

void vcb_child_kill(struct vcb_child *c)
{
    if (c->pid <= 0 || c->reaped)
        return;
    if (c->foreign) { /* through its pidfd only: no pid reuse can be hit, nothing to wait for */
        (void)syscall(SYS_pidfd_send_signal, c->pidfd, SIGKILL, NULL, 0);
        c->reaped = true;
        return;
    }
    if (c->group)
        kill(-c->pid, SIGKILL);
    else if (c->pidfd < 0 || syscall(SYS_pidfd_send_signal, c->pidfd, SIGKILL, NULL, 0) < 0)
        kill(c->pid, SIGKILL);
    struct rusage ru = {0};
    while (wait4(c->pid, &c->wstatus, 0, &ru) < 0 && errno == EINTR)
        ;
    c->reaped = true;
    c->cpu_ns = child_cpu_ns(&ru);
}

void vcb_child_free(struct vcb_child *c)
{
    vcb_child_kill(c);
    vcb_closep(&c->chan_fd);
    vcb_closep(&c->err_fd);
    vcb_closep(&c->pidfd);
    vcb_closep(&c->epfd);
    vcb_proto_free(&c->proto);
}
