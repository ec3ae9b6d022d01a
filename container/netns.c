/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* netns.c — the container's network: its own namespace with only the
 * loopback interface, brought up with one ioctl (no shell-out to ip). */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <net/if.h>
#include <netinet/in.h>

#include "container-priv.h"

int ct_net_lo_up(struct vcb_err *err)
{
    struct ifreq ifr;
    cleanup_close int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return vcb_err_sys(err, errno, "network: socket");
    memset(&ifr, 0, sizeof ifr);
    memcpy(ifr.ifr_name, "lo", 3);
    if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
        return vcb_err_sys(err, errno, "network: get the flags of lo");
    ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
    if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
        return vcb_err_sys(err, errno, "network: bring lo up");
    return 0;
}
