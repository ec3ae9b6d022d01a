/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* net-veth.c — the bridge path, docker's default shape: a veth pair made
 * in the run's namespace, one end moved into the container's as eth0 (the
 * child addresses it), the other put in the run's bridge; with a rate, tc
 * tbf on both ends, so each direction is shaped where it leaves. ip and tc
 * from iproute2 rather than rtnetlink by hand: a tbf qdisc alone is a few
 * hundred lines of netlink attributes, and these run once per instance,
 * outside every timed figure of the other workloads. */
#include <stdio.h>

#include "container-priv.h"
#include "vcb-tool.h"

/* tbf on dev at rate bytes/s; the burst holds 20 ms of it (at least 64KiB:
 * a GSO packet bigger than the bucket would be split first). */
static int veth_shape(const char *ns, const char *dev, uint64_t rate, struct vcb_err *err)
{
    char r[32], b[32];
    uint64_t burst = rate / 50 > 65536 ? rate / 50 : 65536;
    snprintf(r, sizeof r, "%llubps", (unsigned long long)rate); /* tc: bps = bytes/s */
    snprintf(b, sizeof b, "%llu", (unsigned long long)burst);
    char *tc[] = {"tc",   "qdisc", "add",   "dev", (char *)dev, "root", "tbf",
                  "rate", r,       "burst", b,     "latency",   "50ms", NULL};
    return vcb_tool_run(ns, tc, err);
}

int ct_net_veth_attach(struct ct_instance *c, const char *ns_path, struct vcb_err *err)
{
    char run_ns[128], host_end[16], pid[16];
    snprintf(run_ns, sizeof run_ns, "/run/netns/%s", c->run_netns);
    snprintf(host_end, sizeof host_end, "veth%u", c->net.index);
    snprintf(pid, sizeof pid, "%d", (int)c->child.pid);
    char *add[] = {"ip",   "link", "add",  host_end, "type", "veth",
                   "peer", "name", "eth0", "netns",  pid,    NULL};
    char *master[] = {"ip", "link", "set", host_end, "master", "br0", "up", NULL};
    if (vcb_tool_run(run_ns, add, err) < 0 || vcb_tool_run(run_ns, master, err) < 0)
        return -1;
    if (!c->net_rate)
        return 0;
    if (veth_shape(run_ns, host_end, c->net_rate, err) < 0 ||
        veth_shape(ns_path, "eth0", c->net_rate, err) < 0)
        return vcb_err_prefix(err, "--net-rate");
    return 0;
}
