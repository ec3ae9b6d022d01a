/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* guest-net.c — the client side shared by netio and netflood: the peer's
 * address and the connection, retried while the path comes up. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "guest-net.h"

int wl_net_parse_addr(const char *s, struct sockaddr_in *out)
{
    char host[INET_ADDRSTRLEN];
    const char *colon = s ? strrchr(s, ':') : NULL;
    uint64_t port;
    if (!colon || (size_t)(colon - s) >= sizeof host || wl_parse_u64(colon + 1, &port) < 0 ||
        port == 0 || port > 65535)
        return -1;
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = '\0';
    memset(out, 0, sizeof *out);
    out->sin_family = AF_INET;
    out->sin_port = htons((uint16_t)port);
    return inet_pton(AF_INET, host, &out->sin_addr) == 1 ? 0 : -1;
}

static int connect_once(const struct sockaddr_in *peer, char mode)
{
    int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    /* Small writes go out at once: the echo mode times single bytes. */
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (const struct sockaddr *)peer, sizeof *peer) < 0 ||
        wl_write_all(fd, &mode, 1) < 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

int wl_net_connect(const struct sockaddr_in *peer, char mode, uint64_t deadline_ns)
{
    for (;;) {
        int fd = connect_once(peer, mode);
        if (fd >= 0)
            return fd;
        int saved = errno;
        bool again = saved == ECONNREFUSED || saved == ENETUNREACH || saved == EHOSTUNREACH ||
                     saved == ETIMEDOUT || saved == EINTR;
        if (!again || wl_now_ns() >= deadline_ns || wl_stop_requested()) {
            errno = saved;
            return -1;
        }
        nanosleep(&(struct timespec){0, 20 * 1000 * 1000}, NULL);
    }
}

#define STREAM_CHUNK (128 * 1024)

int wl_net_stream(int fd, uint64_t deadline_ns, uint64_t max_bytes, uint64_t *bytes,
                  uint64_t *elapsed_ns)
{
    static char buf[STREAM_CHUNK];
    uint64_t sent = 0, t0 = wl_now_ns();
    unsigned n = 0;
    memset(buf, 'x', sizeof buf);
    while (sent < max_bytes && wl_now_ns() < deadline_ns) {
        size_t len = max_bytes - sent < sizeof buf ? (size_t)(max_bytes - sent) : sizeof buf;
        ssize_t w = write(fd, buf, len);
        if (w < 0 && errno != EINTR)
            return -1;
        sent += w > 0 ? (uint64_t)w : 0;
        if ((++n & 63) == 0 && wl_stop_requested())
            break;
    }
    shutdown(fd, SHUT_WR);
    while (read(fd, buf, sizeof buf) > 0) /* the sink closes once it read all */
        ;
    *bytes = sent;
    *elapsed_ns = wl_now_ns() - t0;
    return 0;
}
