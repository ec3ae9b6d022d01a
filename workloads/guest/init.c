/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vcb-init — PID 1 of every container and VM (and a plain child in process
 * mode): mount what is missing (PID 1 only), start /bin/<workload>, relay its
 * "@vcb " lines to the channel, reap children, report "@vcb exit <status>" and
 * end the instance (power off in a VM, exit elsewhere). With `--image` it runs
 * an image's own command instead and speaks for it (init-image.c).
 *
 * Channel: /dev/ttyS1 in a VM (vcb.vm=1 on the kernel command line), else
 * stdout. Log: stderr (the kernel console ttyS0 in a VM).
 *
 * Not PID 1 (the process arm), nothing kills the workload's tree when the
 * instance ends or the host side dies, so vcb-init does: it is the
 * subreaper of the workload's orphans, kills whatever is left when it
 * finishes, and its parent's death reaches it as SIGHUP. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guest-image.h"
#include "guest-modules.h"
#include "init-ready.h"
#include "init.h"

/* ---- protocol out -------------------------------------------------------------- */

static void emit_meminfo(struct init *in)
{
    uint64_t total, avail;
    if (init_meminfo(&total, &avail) < 0) {
        init_log("cannot read /proc/meminfo");
        return;
    }
    struct wl_json j;
    wl_json_begin(&j, "from", "vcb-init");
    wl_json_u64(&j, "mem_total_bytes", total);
    wl_json_u64(&j, "mem_available_bytes", avail);
    wl_json_u64(&j, "mem_used_bytes", total > avail ? total - avail : 0);
    wl_json_emit(&j, in->chan_out);
}

void init_emit_ready(struct init *in)
{
    wl_line_fd(in->chan_out, "@vcb ready");
    if (in->vm)
        emit_meminfo(in);
}

void init_write_line(int fd, const char *line)
{
    static char out[INIT_LINE_MAX + 1];
    size_t len = strlen(line);
    memcpy(out, line, len);
    out[len] = '\n'; /* one write per line, unchanged */
    wl_write_all(fd, out, len + 1);
}

/* A line from a built-in workload: protocol lines to the channel, the rest
 * to the log. */
static void relay_line(struct init *in, char *line)
{
    init_write_line(strncmp(line, "@vcb ", 5) == 0 ? in->chan_out : STDERR_FILENO, line);
    if (in->vm && strcmp(line, "@vcb ready") == 0)
        emit_meminfo(in);
}

/* A line from the host (VM channel): stop or meminfo. */
static void host_line(struct init *in, char *line)
{
    line[strcspn(line, "\r")] = '\0';
    if (strcmp(line, "@vcb stop") == 0 && in->child > 0)
        kill(in->child, SIGTERM);
    else if (strcmp(line, "@vcb meminfo") == 0)
        emit_meminfo(in);
}

/* ---- line assembly ----------------------------------------------------------------- */

static void linebuf_feed(struct init *in, struct init_linebuf *lb, const char *data, size_t n,
                         init_line_fn fn)
{
    for (size_t i = 0; i < n; i++) {
        if (data[i] == '\n') {
            lb->buf[lb->len] = '\0';
            if (!lb->overflow)
                fn(in, lb->buf);
            lb->len = 0;
            lb->overflow = false;
        } else if (lb->len < INIT_LINE_MAX - 1) {
            lb->buf[lb->len++] = data[i];
        } else if (!lb->overflow) {
            init_log("dropping a line longer than %d bytes", INIT_LINE_MAX);
            lb->overflow = true;
        }
    }
}

/* Read what fd has into lb. Returns the bytes read, 0 at EOF or error, -1
 * when nothing is there yet (non-blocking fd). */
static ssize_t read_lines(struct init *in, int fd, struct init_linebuf *lb, init_line_fn fn)
{
    char buf[4096];
    ssize_t n;
    do
        n = read(fd, buf, sizeof(buf));
    while (n < 0 && errno == EINTR);
    if (n < 0 && errno == EAGAIN)
        return -1;
    if (n <= 0)
        return 0;
    linebuf_feed(in, lb, buf, (size_t)n, fn);
    return n;
}

/* The workload is gone: take what a pipe still holds, without waiting for
 * orphans that may keep it open, and relay a final unterminated line. */
static void drain_pipe(struct init *in, int *fd, struct init_linebuf *lb)
{
    if (*fd >= 0) {
        fcntl(*fd, F_SETFL, O_NONBLOCK);
        while (read_lines(in, *fd, lb, in->on_line) > 0)
            ;
        close(*fd);
        *fd = -1;
    }
    if (lb->len > 0)
        linebuf_feed(in, lb, "\n", 1, in->on_line);
}

/* ---- children and signals ------------------------------------------------------------ */

static void reap_children(struct init *in)
{
    int st;
    pid_t pid;
    while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
        if (pid != in->child)
            continue; /* an orphan: reaping it is all PID 1 owes it */
        in->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        in->child = 0;
    }
}

/* Kill every descendant: our children first; theirs come to us then (we
 * are their subreaper) and are found on the next round. Bounded, so a
 * process that will not die cannot keep vcb-init from ending. */
static void kill_tree(struct init *in)
{
    pid_t kids[256];
    for (int round = 0; round < 500; round++) {
        size_t n = init_children(kids, sizeof(kids) / sizeof(kids[0]));
        for (size_t i = 0; i < n; i++)
            kill(kids[i], SIGKILL);
        while (waitpid(-1, NULL, WNOHANG) > 0)
            ;
        if (n == 0 && waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD)
            break;
        usleep(2000);
    }
    in->child = 0;
}

static void handle_signals(struct init *in)
{
    struct signalfd_siginfo si;
    while (read(in->sig_fd, &si, sizeof(si)) == sizeof(si)) {
        if (si.ssi_signo == SIGCHLD) {
            reap_children(in);
        } else if (si.ssi_signo == SIGHUP) {
            kill_tree(in); /* the host side is gone: so is the instance */
            _exit(128 + SIGHUP);
        } else if (in->child > 0) {
            kill(in->child, (int)si.ssi_signo); /* SIGTERM / SIGINT: pass it on */
        }
    }
}

/* Process arm: the workload's orphans come back to us, and our parent's
 * death (the host side) arrives as SIGHUP, blocked for the signalfd before
 * it is asked for. The parent-death signal the host set (SIGKILL) covers
 * the time before: no workload runs yet. */
static void guard_tree(const struct init *in)
{
    if (in->pid1)
        return; /* PID 1: its end takes the whole namespace or guest */
    if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0 || prctl(PR_SET_PDEATHSIG, SIGHUP) < 0)
        init_log("prctl: %s", strerror(errno));
}

static int setup_signals(struct init *in)
{
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGCHLD);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    if (!in->pid1)
        sigaddset(&mask, SIGHUP); /* the host side died: guard_tree */
    sigprocmask(SIG_BLOCK, &mask, NULL);
    signal(SIGPIPE, SIG_IGN); /* a gone reader must not kill init */
    in->sig_fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
    if (in->sig_fd < 0)
        init_log("signalfd: %s", strerror(errno));
    return in->sig_fd < 0 ? -1 : 0;
}

/* The workload starts with a clean signal state, whatever the host gave
 * vcb-init (a shell's `&` ignores SIGINT, for one). */
static void reset_signals(void)
{
    sigset_t none;
    sigemptyset(&none);
    signal(SIGPIPE, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

_Noreturn void init_exec_failed(int status_fd, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (n > 0)
        wl_write_all(status_fd, msg, (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1);
    _exit(127);
}

/* Wait for the child's exec: its status pipe closes (CLOEXEC) with nothing
 * in it, or holds why the child gave up. */
static int exec_outcome(int status_fd)
{
    char msg[1024];
    size_t len = 0;
    ssize_t n;
    while (len < sizeof(msg) - 1 && ((n = read(status_fd, msg + len, sizeof(msg) - 1 - len)) > 0 ||
                                     (n < 0 && errno == EINTR)))
        len += n > 0 ? (size_t)n : 0;
    close(status_fd);
    msg[len] = '\0';
    if (len > 0)
        init_log("%s", msg);
    return len > 0 ? -1 : 0;
}

static void close_pipes(int (*p)[2], size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (int end = 0; end < 2; end++)
            if (p[i][end] >= 0)
                close(p[i][end]);
}

int init_spawn(struct init *in, init_exec_fn exec_fn, void *ctx, bool capture_stderr)
{
    int p[3][2] = {{-1, -1}, {-1, -1}, {-1, -1}}; /* stdout, status, stderr */
    for (size_t i = 0; i < (capture_stderr ? 3u : 2u); i++)
        if (pipe2(p[i], O_CLOEXEC) < 0) {
            init_log("pipe: %s", strerror(errno));
            close_pipes(p, 3);
            return -1;
        }
    pid_t self = getpid(), pid = fork();
    if (pid < 0) {
        init_log("fork: %s", strerror(errno));
        close_pipes(p, 3);
        return -1;
    }
    if (pid == 0) {
        /* vcb-init killed outright (SIGKILL, the OOM killer): the workload too */
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != self)
            init_exec_failed(p[1][1], "vcb-init is gone");
        dup2(p[0][1], STDOUT_FILENO);
        if (capture_stderr)
            dup2(p[2][1], STDERR_FILENO);
        reset_signals();
        exec_fn(ctx, p[1][1]);
        init_exec_failed(p[1][1], "exec returned"); /* exec_fn does not come back */
    }
    in->child = pid;
    in->out_pipe = p[0][0];
    in->err_pipe = p[2][0];
    close(p[0][1]);
    close(p[1][1]);
    if (capture_stderr)
        close(p[2][1]);
    return exec_outcome(p[1][0]);
}

struct builtin {
    const char *path;
    char **argv;
};

static void exec_builtin(void *ctx, int status_fd)
{
    const struct builtin *b = ctx;
    execv(b->path, b->argv);
    init_exec_failed(status_fd, "cannot run workload %s: %s", b->path, strerror(errno));
}

/* ---- the loop -------------------------------------------------------------------- */

/* Relay what a pipe of the workload holds; at EOF stop polling it (the
 * workload may still run). */
static void pipe_ready(struct init *in, int *fd, struct init_linebuf *lb)
{
    if (read_lines(in, *fd, lb, in->on_line) == 0) {
        close(*fd);
        *fd = -1;
    }
}

static void event_loop(struct init *in)
{
    while (in->child > 0) {
        struct pollfd fds[5] = {{in->sig_fd, POLLIN, 0},
                                {in->out_pipe, POLLIN, 0},
                                {in->chan_in, POLLIN, 0},
                                {in->err_pipe, POLLIN, 0},
                                {-1, 0, 0}};
        int timeout_ms = -1;
        if (in->watch)
            init_watch_poll_prepare(in->watch, &fds[4], &timeout_ms);
        if (poll(fds, 5, timeout_ms) < 0) {
            if (errno != EINTR)
                init_log("poll: %s", strerror(errno));
            continue;
        }
        if (fds[1].revents)
            pipe_ready(in, &in->out_pipe, &in->wl_lines);
        if (fds[3].revents)
            pipe_ready(in, &in->err_pipe, &in->err_lines);
        if (fds[2].revents && read_lines(in, in->chan_in, &in->chan_lines, host_line) == 0)
            in->chan_in = -1; /* host side gone: stop polling it */
        if (in->watch)
            init_watch_poll_done(in, fds[4].revents);
        if (fds[0].revents)
            handle_signals(in);
    }
    drain_pipe(in, &in->out_pipe, &in->wl_lines);
    drain_pipe(in, &in->err_pipe, &in->err_lines);
}

/* Report the status and end the instance; never returns. In a VM the
 * kernel is the instance's own, so its OOM count is the instance's: the
 * kills during the workload go with the status, measured, not guessed from
 * a SIGKILL. (In a container or a process /proc/vmstat is the host's.) */
static _Noreturn void finish(struct init *in, int status)
{
    uint64_t after;
    if (!in->pid1)
        kill_tree(in); /* what the workload left running ends with it */
    if (in->oom_known && init_oom_kills(&after) == 0 && after >= in->oom_before)
        wl_line_fd(in->chan_out, "@vcb exit %d oom_kills=%llu", status,
                   (unsigned long long)(after - in->oom_before));
    else
        wl_line_fd(in->chan_out, "@vcb exit %d", status);
    if (in->vm) {
        sync();
        reboot(RB_POWER_OFF);
        init_log("reboot(RB_POWER_OFF): %s", strerror(errno)); /* exiting panics */
    }
    _exit(status);
}

/* 0, or 127 when an image's root disk is not there: main reports it after
 * the "@vcb init" line every instance starts with. */
static int setup_system(struct init *in, bool image)
{
    in->pid1 = getpid() == 1;
    in->chan_out = STDOUT_FILENO;
    in->chan_in = -1;
    in->out_pipe = -1;
    in->err_pipe = -1;
    in->sig_fd = -1;
    in->on_line = relay_line;
    if (in->pid1)
        init_mount_basics(); /* never on the host: process mode is not PID 1 */
    init_fix_stdio(in->pid1);
    in->vm = in->pid1 && init_is_vm();
    if (in->vm) {
        /* the lean profile's balloon; an image on a disk, the block driver */
        bool balloon = init_cmdline_has("vcb.balloon=1");
        bool disk = image && access(WL_OWN_ROOT_DISK, F_OK) == 0;
        bool scratch = init_cmdline_has("vcb.scratch=1"); /* guest-scratch.h */
        init_load_modules(image ? WL_OWN_MODULES : "/" WL_GUEST_MODULE_DIR, balloon,
                          disk || scratch);
        if (image) /* a user's service may listen on it; --ready tcp probes it */
            init_loopback_up();
        if (!image)
            init_net_up("/" WL_GUEST_MODULE_DIR);
        int fd = init_open_channel();
        in->chan_out = fd >= 0 ? fd : STDOUT_FILENO;
        in->chan_in = fd;
        in->oom_known = init_oom_kills(&in->oom_before) == 0;
        if (disk && init_root_disk() < 0)
            return 127; /* nothing to run: the image is not there */
        if (scratch)
            init_scratch_link();
    }
    return 0;
}

/* A built-in workload: /bin/<name> beside vcb-init; its own lines say
 * when it is ready. */
static int start_builtin(struct init *in, const char *path, char **argv)
{
    static struct builtin b;
    b.path = path;
    b.argv = argv;
    return init_spawn(in, exec_builtin, &b, false) < 0 ? 127 : 0;
}

int main(int argc, char **argv)
{
    uint64_t boot_ns = wl_boottime_ns(); /* first: splits kernel boot from init */
    static struct init in;
    bool image = argc >= 2 && strcmp(argv[1], WL_IMAGE_MODE_ARG) == 0;
    int sys = setup_system(&in, image);
    wl_line_fd(in.chan_out, "@vcb init %llu", (unsigned long long)boot_ns);
    if (sys != 0)
        finish(&in, sys);
    if (argc < 2) {
        init_log("usage: init <workload> [args...] | init " WL_IMAGE_MODE_ARG " [options]");
        finish(&in, 2);
    }
    static char path[4096];
    int st = image ? init_image_prepare(&in, argc, argv) : 0;
    if (!image && init_workload_path(argv[1], path, sizeof(path)) < 0) {
        init_log("invalid workload name '%s'", argv[1]);
        st = 127;
    }
    if (st == 0 && setup_signals(&in) < 0)
        st = 127;
    if (st != 0)
        finish(&in, st);
    guard_tree(&in);
    st = image ? init_image_start(&in) : start_builtin(&in, path, argv + 1);
    if (st != 0 && in.child == 0)
        finish(&in, st); /* nothing forked */
    event_loop(&in);
    if (in.watch)
        init_watch_exited(&in);
    finish(&in, in.status);
}
