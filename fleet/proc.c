/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* proc.c — one local process (ssh, git, tar) started through core's child
 * watcher, in its own process group and killed if we die; its stdin fed
 * from memory (and held open when asked), its stderr read line by line as
 * it comes, a stop request honoured: stdin closed and a grace period when
 * the remote side ends with its stdin, else a kill. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "fleet-priv.h"
#include "vcb-child.h"

struct proc_io {
    const struct fleet_proc *p;
    struct fleet_proc_end *end;
    int in_fd, err_fd;
    size_t in_off;
    char buf[4096];
    size_t used;
};

static void io_line(struct proc_io *io, char *line)
{
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\r' || line[n - 1] == '\n'))
        line[--n] = '\0';
    if (strncmp(line, FLEET_MARK, strlen(FLEET_MARK)) != 0 && n)
        snprintf(io->end->last, sizeof(io->end->last), "%s", line);
    if (io->p->line)
        io->p->line(io->p->ctx, line);
}

/* What stderr holds now, each whole line handed on; a line too long for
 * the buffer goes out in pieces. At EOF the rest is a line too. */
static void io_read_err(struct proc_io *io)
{
    while (io->err_fd >= 0) {
        ssize_t n = read(io->err_fd, io->buf + io->used, sizeof(io->buf) - 1 - io->used);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return;
        if (n <= 0) {
            vcb_closep(&io->err_fd);
            io->buf[io->used] = '\0';
            if (io->used)
                io_line(io, io->buf);
            io->used = 0;
            return;
        }
        io->used += (size_t)n;
        io->buf[io->used] = '\0';
        char *start = io->buf, *nl;
        while ((nl = strchr(start, '\n'))) {
            *nl = '\0';
            io_line(io, start);
            start = nl + 1;
        }
        io->used -= (size_t)(start - io->buf);
        memmove(io->buf, start, io->used);
        if (io->used == sizeof(io->buf) - 1) {
            io->buf[io->used] = '\0';
            io_line(io, io->buf);
            io->used = 0;
        }
    }
}

static void io_write_in(struct proc_io *io)
{
    const struct fleet_proc *p = io->p;
    while (io->in_fd >= 0 && io->in_off < p->in_len) {
        ssize_t n = write(io->in_fd, p->in + io->in_off, p->in_len - io->in_off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return;
        if (n < 0) { /* it closed its stdin: nothing more to give */
            vcb_closep(&io->in_fd);
            return;
        }
        io->in_off += (size_t)n;
    }
    if (io->in_fd >= 0 && !p->hold_stdin)
        vcb_closep(&io->in_fd);
}

static int proc_spawn(const struct fleet_proc *p, struct vcb_child *c, struct proc_io *io,
                      struct vcb_err *err)
{
    int in[2], er[2] = {-1, -1};
    cleanup_close int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null_fd < 0 || pipe2(in, O_CLOEXEC) < 0)
        return vcb_err_sys(err, errno, "start %s: pipe", p->argv[0]);
    if (fcntl(in[1], F_SETFL, O_NONBLOCK) < 0 || vcb_child_pipe(&er[0], &er[1], err) < 0) {
        close(in[0]);
        close(in[1]);
        return err->msg[0] ? -1 : vcb_err_sys(err, errno, "start %s: pipe", p->argv[0]);
    }
    struct vcb_child_spawn s = {
        .argv = p->argv,
        .stdin_fd = in[0],
        .stdout_fd = p->out_fd >= 0 ? p->out_fd : null_fd,
        .stderr_fd = er[1],
        .flags = VCB_CHILD_PGROUP | VCB_CHILD_PDEATHSIG | VCB_CHILD_CLOSE_FDS,
    };
    int r = vcb_child_init(c, NULL, NULL, err) < 0 ? -1 : vcb_child_spawn(c, &s, err);
    close(in[0]);
    close(er[1]);
    io->in_fd = in[1];
    io->err_fd = er[0];
    return r;
}

/* Wait for its exit: the pidfd said so, so this does not block long. */
static void proc_reap(struct vcb_child *c)
{
    while (waitpid(c->pid, &c->wstatus, 0) < 0 && errno == EINTR)
        ;
    c->reaped = true;
}

static int poll_ms(uint64_t deadline)
{
    if (!deadline)
        return -1;
    uint64_t now = vcb_now_ns();
    return now >= deadline ? 0 : (int)((deadline - now) / VCB_NS_PER_MS + 1);
}

/* The loop: stderr, stdin, the stop fd, the exit. */
static void proc_watch(const struct fleet_proc *p, struct vcb_child *c, struct proc_io *io)
{
    uint64_t deadline = 0;
    io_write_in(io);
    while (!c->reaped) {
        struct pollfd f[4] = {
            {.fd = c->pidfd, .events = POLLIN},
            {.fd = io->err_fd, .events = POLLIN},
            {.fd = io->in_off < p->in_len ? io->in_fd : -1, .events = POLLOUT},
            {.fd = io->end->stopped ? -1 : p->stop_fd, .events = POLLIN},
        };
        if (poll(f, 4, poll_ms(deadline)) < 0 && errno != EINTR)
            break;
        if (f[1].revents)
            io_read_err(io);
        if (f[2].revents)
            io_write_in(io);
        if (f[3].revents & POLLIN) {
            io->end->stopped = true;
            vcb_closep(&io->in_fd);
            deadline = vcb_now_ns() + (p->hold_stdin ? p->grace_ns : 0);
        }
        if (f[0].revents) {
            io_read_err(io); /* what it wrote before it went */
            proc_reap(c);
        } else if (deadline && vcb_now_ns() >= deadline) {
            io->end->killed = true;
            vcb_child_kill(c);
            deadline = 0; /* killed once: now the pidfd alone says it went */
        }
    }
    if (!c->reaped) {
        io->end->killed = true;
        vcb_child_kill(c);
    }
}

int fleet_fd_line(int fd, char *buf, size_t len)
{
    ssize_t n = pread(fd, buf, len - 1, 0);
    buf[n > 0 ? n : 0] = '\0';
    buf[strcspn(buf, "\n")] = '\0';
    return n < 0 ? -1 : 0;
}

int fleet_proc_run(const struct fleet_proc *p, struct fleet_proc_end *end, struct vcb_err *err)
{
    struct vcb_child c = {.pidfd = -1, .epfd = -1, .chan_fd = -1, .err_fd = -1};
    struct proc_io io = {.p = p, .end = end, .in_fd = -1, .err_fd = -1};
    memset(end, 0, sizeof(*end));
    int r = proc_spawn(p, &c, &io, err);
    if (r == 0)
        proc_watch(p, &c, &io);
    if (r == 0 && c.reaped) {
        int ws = c.wstatus;
        end->status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + (WIFSIGNALED(ws) ? WTERMSIG(ws) : 0);
    }
    vcb_closep(&io.in_fd);
    vcb_closep(&io.err_fd);
    vcb_child_free(&c);
    return r;
}
