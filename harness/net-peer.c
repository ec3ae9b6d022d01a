/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* net-peer.c — the peer of one network instance: the static netio binary
 * in its serve mode, started on the host side where the path puts it
 * (host loopback, or the run's namespace), on a port the kernel picks,
 * which it prints once listening. Killed and reaped with its instance;
 * killed with the run's thread if the run dies (PDEATHSIG). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "vcb-tool.h"

#define PEER_READY_MS 5000

/* The "port N" line, within PEER_READY_MS. */
static int peer_read_port(int fd, unsigned *port, struct vcb_err *err)
{
    char line[64] = "";
    size_t got = 0;
    uint64_t end = vcb_now_ns() + PEER_READY_MS * VCB_NS_PER_MS;
    while (got < sizeof line - 1 && !memchr(line, '\n', got)) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        uint64_t now = vcb_now_ns();
        if (now >= end || poll(&p, 1, (int)((end - now) / VCB_NS_PER_MS) + 1) == 0)
            return vcb_err_set(err, ETIMEDOUT, "the peer did not say its port within 5 s");
        ssize_t n = read(fd, line + got, sizeof line - 1 - got);
        if (n <= 0 && !(n < 0 && errno == EINTR))
            return vcb_err_set(err, EIO, "the peer ended before it listened");
        got += n > 0 ? (size_t)n : 0;
    }
    line[got] = '\0';
    if (sscanf(line, "port %u", port) != 1 || *port == 0 || *port > 65535)
        return vcb_err_set(err, EPROTO, "the peer said '%.40s', not its port", line);
    return 0;
}

int bench_peer_start(const char *netns, const char *addr, struct bench_peer *p, struct vcb_err *err)
{
    char bin[PATH_MAX], ns[128];
    int fds[2];
    unsigned port = 0;
    snprintf(bin, sizeof bin, "%s/wl-netio", vcb_libexec_dir());
    if (netns)
        snprintf(ns, sizeof ns, "/run/netns/%s", netns);
    char *argv[] = {bin, "--serve", (char *)addr, NULL};
    if (pipe2(fds, O_CLOEXEC) < 0)
        return vcb_err_sys(err, errno, "the peer: pipe");
    p->pid = vcb_tool_spawn(netns ? ns : NULL, argv, fds[1], -1, err);
    close(fds[1]);
    int rc = p->pid < 0 ? -1 : peer_read_port(fds[0], &port, err);
    close(fds[0]);
    if (rc < 0) {
        bench_peer_stop(p);
        return vcb_err_prefix(err, "the peer (%s --serve %s)", bin, addr);
    }
    snprintf(p->addr, sizeof p->addr, "%s:%u", addr, port);
    return 0;
}

void bench_peer_stop(struct bench_peer *p)
{
    if (p->pid < 0)
        p->pid = 0;
    vcb_tool_kill(&p->pid);
}
