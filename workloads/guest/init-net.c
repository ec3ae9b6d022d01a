/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* init-net.c — a VM's network for netio and netflood: when the kernel
 * command line says vcb.net=ADDR/PREFIX,GATEWAY, load virtio_net, give
 * eth0 the address with IPv6 off (no link-local or autoconf traffic), bring
 * it up and route through the gateway (passt, whose outside is the run's
 * namespace: the peer is there); lo too. ioctls only: the image has no ip. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <net/route.h>
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

static int default_route(int fd, in_addr_t gw)
{
    struct rtentry rt = {0};
    struct sockaddr_in any = {.sin_family = AF_INET}, via = {.sin_family = AF_INET};
    via.sin_addr.s_addr = gw;
    memcpy(&rt.rt_dst, &any, sizeof any);
    memcpy(&rt.rt_genmask, &any, sizeof any);
    memcpy(&rt.rt_gateway, &via, sizeof via);
    rt.rt_flags = RTF_UP | RTF_GATEWAY;
    rt.rt_dev = "eth0";
    return ioctl(fd, SIOCADDRT, &rt);
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
    struct in_addr a, gw;
    if (!init_cmdline_value("vcb.net=", spec, sizeof spec))
        return;
    char *slash = strchr(spec, '/'), *comma = strchr(spec, ',');
    long prefix = slash ? strtol(slash + 1, NULL, 10) : -1;
    if (slash)
        *slash = '\0';
    if (prefix < 1 || prefix > 30 || inet_pton(AF_INET, spec, &a) != 1 || !comma ||
        inet_pton(AF_INET, comma + 1, &gw) != 1) {
        init_log("vcb.net=%s: expected ADDR/PREFIX,GATEWAY", spec);
        return;
    }
    net_modules(dir);
    init_loopback_up();
    v6_off();
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    in_addr_t mask = htonl(~0u << (32 - prefix));
    if (fd < 0 || set_addr(fd, SIOCSIFADDR, a.s_addr) < 0 ||
        set_addr(fd, SIOCSIFNETMASK, mask) < 0 || eth0_up(fd) < 0 ||
        default_route(fd, gw.s_addr) < 0)
        init_log("eth0: configure %s/%ld: %s", spec, prefix, strerror(errno));
    if (fd >= 0)
        close(fd);
}
