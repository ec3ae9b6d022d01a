/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* process.c — the control arm: vcb-init from the image rootfs as a plain
 * child process. No namespaces, no cgroups, no limits: it shows what the
 * workload costs with no isolation at all. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "process.h"

struct proc_instance {
    struct vcb_instance base;
    char **argv;
    char **envp; /* the caller's, plus VCB_INSTANCE=<name> */
    char rootfs[PATH_MAX];
    int chan[2]; /* the channel: vcb-init's stdout */
    int err[2];  /* vcb-init's stderr, drained into base.log (capped) */
    int epfd;    /* channel + stderr + pidfd, for callers polling many instances */
    int pidfd;
    pid_t pid;
    bool reaped;
    struct vcb_proto proto;
};

static void proc_destroy(struct vcb_instance *inst);

/* The caller's environment plus VCB_INSTANCE=<name>: the name every process
 * of the instance carries (there is no cgroup to carry it), so `vcbench
 * cleanup` and the run's guard can tell whose a leftover process is. */
static char **proc_envp(const char *name)
{
    extern char **environ;
    size_t n = vcb_strv_len(environ), k = 0, klen = strlen(VCB_INSTANCE_ENV);
    char **v = calloc(n + 2, sizeof(char *));
    for (size_t i = 0; v && i < n; i++) {
        if (strncmp(environ[i], VCB_INSTANCE_ENV "=", klen + 1) == 0)
            continue;
        if (!(v[k++] = strdup(environ[i])))
            goto fail;
    }
    if (v && asprintf(&v[k], "%s=%s", VCB_INSTANCE_ENV, name) < 0) {
        v[k] = NULL;
        goto fail;
    }
    return v;
fail:
    vcb_strv_free(v);
    return NULL;
}

static int proc_create(const struct vcb_instance_spec *spec, struct vcb_instance **out,
                       struct vcb_err *err)
{
    uint64_t t0 = vcb_now_ns();
    if (vcb_limits_any(&spec->limits))
        return vcb_err_usage(err, "process backend applies no limits (it is the unisolated "
                                  "control): drop --cpus/--memory/--pids/--cpuset, or use "
                                  "--backend container or vm");
    struct proc_instance *p = calloc(1, sizeof(*p));
    if (!p)
        return vcb_err_sys(err, ENOMEM, "%s: create", spec->name);
    p->chan[0] = p->chan[1] = p->err[0] = p->err[1] = p->pidfd = p->epfd = -1;
    struct vcb_instance *inst = &p->base;
    if (vcb_instance_base_init(inst, &process_driver, spec->name, t0, err) < 0)
        goto fail;
    snprintf(p->rootfs, sizeof(p->rootfs), "%s", spec->rootfs);
    size_t nargs = vcb_strv_len(spec->args);
    p->argv = calloc(nargs + 3, sizeof(char *));
    if (!p->argv)
        goto nomem;
    char init[PATH_MAX + 8];
    snprintf(init, sizeof(init), "%s/init", spec->rootfs);
    if (!(p->argv[0] = strdup(init)) || !(p->argv[1] = strdup(spec->workload)) ||
        !(p->envp = proc_envp(spec->name)))
        goto nomem;
    for (size_t i = 0; i < nargs; i++)
        if (!(p->argv[i + 2] = strdup(spec->args[i])))
            goto nomem;
    if (pipe2(p->chan, O_CLOEXEC) < 0 || fcntl(p->chan[0], F_SETFL, O_NONBLOCK) < 0 ||
        pipe2(p->err, O_CLOEXEC) < 0 || fcntl(p->err[0], F_SETFL, O_NONBLOCK) < 0) {
        vcb_err_sys(err, errno, "%s: pipe", spec->name);
        goto fail;
    }
    if (vcb_instance_log_open(inst, spec, ".log", err) < 0) {
        vcb_err_prefix(err, "%s", spec->name);
        goto fail;
    }
    p->proto.log = &inst->log; /* stray stdout lines */
    *out = inst;
    return 0;
nomem:
    vcb_err_sys(err, ENOMEM, "%s: create", spec->name);
fail:
    proc_destroy(inst);
    return -1;
}

/* Readable when the channel has data or vcb-init has exited. */
static int proc_event_fd(struct vcb_instance *inst)
{
    return ((struct proc_instance *)inst)->epfd;
}

static int proc_watch(struct proc_instance *p, struct vcb_err *err)
{
    p->pidfd = (int)syscall(SYS_pidfd_open, p->pid, 0);
    if (p->pidfd < 0)
        return vcb_err_sys(err, errno, "%s: pidfd_open", p->base.name);
    p->epfd = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event e = {.events = EPOLLIN};
    if (p->epfd < 0 || epoll_ctl(p->epfd, EPOLL_CTL_ADD, p->chan[0], &e) < 0 ||
        epoll_ctl(p->epfd, EPOLL_CTL_ADD, p->err[0], &e) < 0 ||
        epoll_ctl(p->epfd, EPOLL_CTL_ADD, p->pidfd, &e) < 0)
        return vcb_err_sys(err, errno, "%s: epoll", p->base.name);
    return 0;
}

/* Whatever the caller left open must not reach the workload: close every
 * fd above stderr (close_range, or one by one on kernels before 5.9). */
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

/* The child of vfork: only async-signal-safe calls, memory shared with the
 * parent, so an exec failure is passed back through *child_errno. It starts
 * a session of its own (no controlling terminal; its process group is its
 * pid, so destroy() reaches the workload's children) and dies with its
 * parent: PR_SET_PDEATHSIG covers vcb-init only, which then watches the
 * workload's whole tree itself (workloads/guest/init.c: guard_tree). */
static void proc_child(struct proc_instance *p, int null_fd, pid_t parent,
                       volatile int *child_errno)
{
    sigset_t none;
    sigemptyset(&none);
    if (setsid() < 0 || prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent ||
        dup2(null_fd, 0) < 0 || dup2(p->chan[1], 1) < 0 || dup2(p->err[1], 2) < 0 ||
        close_from_3() < 0 || chdir(p->rootfs) < 0 || sigprocmask(SIG_SETMASK, &none, NULL) < 0)
        goto fail;
    execve(p->argv[0], p->argv, p->envp);
fail:
    *child_errno = errno ? errno : EINVAL;
    _exit(127);
}

/* vfork + exec: the cheapest way to start a process. */
static int proc_start(struct vcb_instance *inst, struct vcb_err *err)
{
    struct proc_instance *p = (struct proc_instance *)inst;
    cleanup_close int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null_fd < 0)
        return vcb_err_sys(err, errno, "%s: open /dev/null", inst->name);
    volatile int child_errno = 0;
    pid_t parent = getpid();
    p->pid = vfork();
    if (p->pid == 0)
        proc_child(p, null_fd, parent, &child_errno);
    if (p->pid < 0)
        return vcb_err_sys(err, errno, "%s: vfork", inst->name);
    if (child_errno) {
        waitpid(p->pid, NULL, 0);
        p->reaped = true;
        return vcb_err_sys(err, child_errno, "%s: start %s", inst->name, p->argv[0]);
    }
    uint64_t started = vcb_now_ns();
    vcb_closep(&p->chan[1]);
    vcb_closep(&p->err[1]);
    if (proc_watch(p, err) < 0)
        return -1;
    return vcb_instance_queue(inst, VCB_EV_STARTED, started, err);
}

static void describe_wait(int status, char *buf, size_t len)
{
    if (WIFEXITED(status))
        snprintf(buf, len, "exited %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(buf, len, "killed by signal %d (%s)", WTERMSIG(status),
                 strsignal(WTERMSIG(status)));
    else
        snprintf(buf, len, "wait status %d", status);
}

/* The channel is drained before the exit is reported, so GONE comes last. */
static int proc_reap(struct proc_instance *p, struct vcb_err *err)
{
    int status = 0;
    if (waitpid(p->pid, &status, 0) < 0)
        return vcb_err_sys(err, errno, "%s: waitpid", p->base.name);
    p->reaped = true;
    struct vcb_event ev = {.kind = VCB_EV_GONE, .host_ns = vcb_now_ns(), .status = status};
    describe_wait(status, ev.detail, sizeof(ev.detail));
    if (vcb_evq_push(&p->base.events, &ev) < 0)
        return vcb_err_sys(err, ENOMEM, "%s: queue event", p->base.name);
    return 0;
}

static int proc_read_channel(struct proc_instance *p, struct vcb_err *err)
{
    char buf[4096];
    ssize_t n = read(p->chan[0], buf, sizeof(buf));
    uint64_t now = vcb_now_ns();
    if (n < 0)
        return errno == EINTR || errno == EAGAIN
                   ? 0
                   : vcb_err_sys(err, errno, "%s: read", p->base.name);
    if (n == 0) {
        vcb_closep(p->chan);
        p->chan[0] = -1; /* poll ignores a negative fd; the pidfd tells the end */
        return 0;
    }
    return vcb_proto_feed(&p->proto, buf, (size_t)n, now, &p->base.events, err);
}

/* stderr into the capped log; at EOF stop reading it. */
static int proc_read_stderr(struct proc_instance *p, struct vcb_err *err)
{
    int rc = vcb_logcap_drain(&p->base.log, p->err[0]);
    if (rc < 0)
        return vcb_err_sys(err, errno, "%s: read stderr", p->base.name);
    if (rc > 0) {
        epoll_ctl(p->epfd, EPOLL_CTL_DEL, p->err[0], NULL);
        vcb_closep(&p->err[0]); /* poll ignores a negative fd */
    }
    return 0;
}

/* Drain whatever the channel and stderr still hold (non-blocking), then reap. */
static int proc_finish(struct proc_instance *p, struct vcb_err *err)
{
    if (p->err[0] >= 0 && proc_read_stderr(p, err) < 0)
        return -1;
    while (p->chan[0] >= 0) {
        char buf[4096];
        ssize_t n = read(p->chan[0], buf, sizeof(buf));
        if (n <= 0) {
            vcb_closep(p->chan);
            p->chan[0] = -1;
            break;
        }
        if (vcb_proto_feed(&p->proto, buf, (size_t)n, vcb_now_ns(), &p->base.events, err) < 0)
            return -1;
    }
    return proc_reap(p, err);
}

static int proc_next_event(struct vcb_instance *inst, uint64_t deadline_ns, struct vcb_event *ev,
                           struct vcb_err *err)
{
    struct proc_instance *p = (struct proc_instance *)inst;
    for (;;) {
        if (vcb_evq_pop(&inst->events, ev))
            return 1;
        if (p->reaped || p->pid <= 0)
            return 0;
        uint64_t now = vcb_now_ns();
        int timeout = deadline_ns <= now ? 0 : (int)((deadline_ns - now + 999999) / VCB_NS_PER_MS);
        /* the pidfd too: a leftover grandchild may hold the channel open */
        struct pollfd pfd[3] = {{.fd = p->chan[0], .events = POLLIN},
                                {.fd = p->pidfd, .events = POLLIN},
                                {.fd = p->err[0], .events = POLLIN}};
        int r = poll(pfd, 3, timeout);
        if (r < 0 && errno != EINTR)
            return vcb_err_sys(err, errno, "%s: poll", inst->name);
        if (r == 0)
            return 0;
        if (r < 0)
            continue;
        if ((pfd[0].revents & POLLIN) && proc_read_channel(p, err) < 0)
            return -1;
        if ((pfd[2].revents & (POLLIN | POLLHUP)) && proc_read_stderr(p, err) < 0)
            return -1;
        if ((pfd[1].revents & POLLIN) && proc_finish(p, err) < 0)
            return -1;
    }
}

static int proc_stats(struct vcb_instance *inst, struct vcb_stats *out, struct vcb_err *err)
{
    struct proc_instance *p = (struct proc_instance *)inst;
    vcb_stats_init(out);
    if (p->pid <= 0 || p->reaped)
        return vcb_err_set(err, ESRCH, "%s: stats: not running", inst->name);
    if (vcb_proc_tree_stats(p->pid, out, err) < 0)
        return vcb_err_prefix(err, "%s: stats", inst->name);
    out->helper_pss = 0; /* no launcher process stays around */
    return 0;
}

static int proc_stop(struct vcb_instance *inst, struct vcb_err *err)
{
    struct proc_instance *p = (struct proc_instance *)inst;
    if (p->pid > 0 && !p->reaped && kill(p->pid, SIGTERM) < 0 && errno != ESRCH)
        return vcb_err_sys(err, errno, "%s: stop", inst->name);
    return 0;
}

static void proc_destroy(struct vcb_instance *inst)
{
    struct proc_instance *p = (struct proc_instance *)inst;
    if (!p)
        return;
    if (p->pid > 0 && !p->reaped) {
        kill(-p->pid, SIGKILL);
        waitpid(p->pid, NULL, 0);
    }
    vcb_closep(p->chan);
    vcb_closep(&p->chan[1]);
    vcb_closep(&p->err[0]);
    vcb_closep(&p->err[1]);
    vcb_closep(&p->pidfd);
    vcb_closep(&p->epfd);
    vcb_proto_free(&p->proto);
    vcb_strv_free(p->argv);
    vcb_strv_free(p->envp);
    vcb_instance_base_free(inst);
    free(p);
}

const struct vcb_driver process_driver = {
    .name = "process",
    .kind = VCB_ARM_CONTROL,
    .create = proc_create,
    .start = proc_start,
    .event_fd = proc_event_fd,
    .next_event = proc_next_event,
    .stats = proc_stats,
    .stop = proc_stop,
    .destroy = proc_destroy,
    .cleanup = process_cleanup,
};
