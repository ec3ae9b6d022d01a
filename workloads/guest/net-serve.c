/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* net-serve.c — the peer of netio and netflood (`netio --serve ADDR`),
 * started by the host beside each instance: one process, one poll loop,
 * every connection sunk or echoed as its first byte asks. It prints its
 * port once listening, so the host can pick an ephemeral one. */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "guest-net.h"

#define SERVE_CONNS_MAX 64
#define SERVE_BUF       (128 * 1024)

struct serve_conn {
    int fd;
    char mode; /* 0 until the first byte came */
};

static int serve_listen(const char *addr)
{
    struct sockaddr_in sa = {.sin_family = AF_INET};
    socklen_t len = sizeof sa;
    int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || inet_pton(AF_INET, addr, &sa.sin_addr) != 1)
        return -1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, 16) < 0 ||
        getsockname(fd, (struct sockaddr *)&sa, &len) < 0)
        return -1;
    if (wl_line_fd(STDOUT_FILENO, "port %u", (unsigned)ntohs(sa.sin_port)) < 0)
        return -1;
    return fd;
}

/* One readable connection: false when it is done (EOF or error). */
static bool serve_conn_io(struct serve_conn *c, char *buf)
{
    ssize_t n = read(c->fd, buf, SERVE_BUF);
    if (n <= 0)
        return n < 0 && (errno == EINTR || errno == EAGAIN);
    size_t off = 0;
    if (!c->mode) {
        c->mode = buf[0];
        off = 1;
    }
    if (c->mode == WL_NET_MODE_ECHO && (size_t)n > off)
        return wl_write_all(c->fd, buf + off, (size_t)n - off) == 0;
    return c->mode == WL_NET_MODE_SINK || c->mode == WL_NET_MODE_ECHO;
}

static void serve_accept(int lfd, struct serve_conn *conns, size_t *n)
{
    int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0)
        return;
    if (*n == SERVE_CONNS_MAX) {
        close(fd);
        return;
    }
    conns[(*n)++] = (struct serve_conn){.fd = fd};
}

static void serve_loop(int lfd, char *buf)
{
    struct serve_conn conns[SERVE_CONNS_MAX];
    struct pollfd pfd[SERVE_CONNS_MAX + 1];
    size_t n = 0;
    while (!wl_stop_requested()) {
        pfd[0] = (struct pollfd){.fd = lfd, .events = POLLIN};
        for (size_t i = 0; i < n; i++)
            pfd[i + 1] = (struct pollfd){.fd = conns[i].fd, .events = POLLIN};
        if (poll(pfd, n + 1, 200) <= 0)
            continue;
        for (size_t i = n; i-- > 0;) {
            if (!pfd[i + 1].revents || serve_conn_io(&conns[i], buf))
                continue;
            close(conns[i].fd);
            conns[i] = conns[--n];
        }
        if (pfd[0].revents)
            serve_accept(lfd, conns, &n);
    }
}

int wl_net_serve(const char *addr)
{
    static char buf[SERVE_BUF];
    signal(SIGPIPE, SIG_IGN); /* a client gone mid-echo is that connection's end only */
    wl_stop_signals_block();
    int lfd = serve_listen(addr);
    if (lfd < 0) {
        fprintf(stderr, "netio: serve on %s: %s\n", addr, strerror(errno));
        return 1;
    }
    serve_loop(lfd, buf);
    close(lfd);
    return 0;
}
