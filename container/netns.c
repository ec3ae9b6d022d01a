/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* netns.c — the container's network, the child's side: its own namespace
 * with the loopback interface brought up with one ioctl (no shell-out to
 * ip), and on the bridge path the eth0 the parent moved in, addressed and
 * brought up the same way. */
#include <arpa/inet.h>
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

static int eth_set_addr(int fd, unsigned long req, in_addr_t a, const char *what,
                        struct vcb_err *err)
{
    struct ifreq ifr;
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = a};
    memset(&ifr, 0, sizeof ifr);
    memcpy(ifr.ifr_name, "eth0", 5);
    memcpy(&ifr.ifr_addr, &sa, sizeof sa);
    if (ioctl(fd, req, &ifr) < 0)
        return vcb_err_sys(err, errno, "network: set the %s of eth0", what);
    return 0;
}

int ct_net_eth_up(const char *addr, struct vcb_err *err)
{
    struct ifreq ifr;
    struct in_addr a;
    cleanup_close int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return vcb_err_sys(err, errno, "network: socket");
    if (inet_pton(AF_INET, addr, &a) != 1)
        return vcb_err_set(err, EINVAL, "network: '%s' is not an IPv4 address", addr);
    if (eth_set_addr(fd, SIOCSIFADDR, a.s_addr, "address", err) < 0 ||
        eth_set_addr(fd, SIOCSIFNETMASK, htonl(0xffff0000u), "netmask", err) < 0)
        return -1;
    memset(&ifr, 0, sizeof ifr);
    memcpy(ifr.ifr_name, "eth0", 5);
    if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
        return vcb_err_sys(err, errno, "network: get the flags of eth0");
    ifr.ifr_flags |= IFF_UP;
    if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
        return vcb_err_sys(err, errno, "network: bring eth0 up");
    return 0;
}
