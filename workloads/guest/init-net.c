/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* init-net.c — a VM's network for netio and netflood: when the kernel
 * command line says vcb.net=ADDR/PREFIX, load virtio_net, and give eth0
 * the address with IPv6 off (no link-local or autoconf traffic) and bring
 * it up; lo too. No default route: the peer is on the link (user-mode
 * networking's host address), and nothing else is reachable. ioctls only:
 * the image has no ip. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "guest-modules.h"
#include "init.h"

static void net_modules(const char *dir)
{
    static const char *const core[] = {WL_GUEST_MODULES}, *const net[] = {WL_GUEST_NET_MODULES};
    for (size_t i = 0; i < sizeof core / sizeof core[0]; i++)
        if (strcmp(core[i], "virtio_balloon") != 0)
            init_load_module(dir, core[i]);
    for (size_t i = 0; i < sizeof net / sizeof net[0]; i++)
        init_load_module(dir, net[i]);
}

static int set_addr(int fd, unsigned long req, in_addr_t a)
{
    struct ifreq ifr = {0};
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = a};
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "eth0");
    memcpy(&ifr.ifr_addr, &sa, sizeof sa);
    return ioctl(fd, req, &ifr);
}

static int eth0_up(int fd)
{
    struct ifreq ifr = {0};
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "eth0");
    if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
        return -1;
    ifr.ifr_flags |= IFF_UP;
    return ioctl(fd, SIOCSIFFLAGS, &ifr);
}

static void v6_off(void)
{
    int fd = open("/proc/sys/net/ipv6/conf/eth0/disable_ipv6", O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, "1", 1) != 1)
        init_log("eth0: disable IPv6: %s", strerror(errno));
    if (fd >= 0)
        close(fd);
}

void init_net_up(const char *dir)
{
    char spec[64];
    struct in_addr a;
    if (!init_cmdline_value("vcb.net=", spec, sizeof spec))
        return;
    char *slash = strchr(spec, '/');
    long prefix = slash ? strtol(slash + 1, NULL, 10) : -1;
    if (slash)
        *slash = '\0';
    if (prefix < 1 || prefix > 30 || inet_pton(AF_INET, spec, &a) != 1) {
        init_log("vcb.net=%s: expected ADDR/PREFIX", spec);
        return;
    }
    net_modules(dir);
    init_loopback_up();
    v6_off();
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    in_addr_t mask = htonl(~0u << (32 - prefix));
    if (fd < 0 || set_addr(fd, SIOCSIFADDR, a.s_addr) < 0 ||
        set_addr(fd, SIOCSIFNETMASK, mask) < 0 || eth0_up(fd) < 0)
        init_log("eth0: configure %s/%ld: %s", spec, prefix, strerror(errno));
    if (fd >= 0)
        close(fd);
}
