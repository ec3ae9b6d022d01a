/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ct-netescape — the attacker of test-ct-netescape: from inside a container
 * on a network path, try to reach each ADDR:PORT given (TCP, 1 s each: the
 * host's own addresses, where the test listens) and report how many
 * connections were made, with the last error, as one "@vcb result". */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "guest.h"

/* 0 connected, else the errno that stopped it (ETIMEDOUT after 1 s). */
static int try_connect(const char *target)
{
    char host[64];
    struct sockaddr_in sa = {.sin_family = AF_INET};
    const char *colon = strrchr(target, ':');
    if (!colon || (size_t)(colon - target) >= sizeof host)
        return EINVAL;
    snprintf(host, sizeof host, "%.*s", (int)(colon - target), target);
    sa.sin_port = htons((uint16_t)atoi(colon + 1));
    if (inet_pton(AF_INET, host, &sa.sin_addr) != 1)
        return EINVAL;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return errno;
    int rc = connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0 ? 0 : errno;
    if (rc == EINPROGRESS) {
        struct pollfd p = {.fd = fd, .events = POLLOUT};
        socklen_t len = sizeof rc;
        rc = poll(&p, 1, 1000) == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &rc, &len) == 0
                 ? rc
                 : ETIMEDOUT;
    }
    close(fd);
    return rc;
}

int main(int argc, char **argv)
{
    unsigned reached = 0;
    int last = 0;
    for (int i = 1; i < argc; i++) {
        int rc = try_connect(argv[i]);
        reached += rc == 0;
        last = rc ? rc : last;
    }
    struct wl_json j;
    wl_json_begin(&j, NULL, "netescape");
    wl_json_u64(&j, "tried", (uint64_t)(argc - 1));
    wl_json_u64(&j, "reached", reached);
    wl_json_str(&j, "last_error", last ? strerror(last) : "");
    wl_json_emit(&j, STDOUT_FILENO);
    return 0;
}
