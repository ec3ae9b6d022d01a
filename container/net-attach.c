/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* net-attach.c — the parent's side of a container's network, between the
 * clone and the child's exec: IPv6 off in its namespace (nothing we make
 * sends link-local or autoconf traffic), then the path's device: a veth
 * into the run's bridge, or pasta. The checks made at create. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "container-priv.h"
#include "vcb-tool.h"

int ct_net_check(const struct vcb_instance_spec *spec, struct vcb_err *err)
{
    const struct vcb_net_spec *n = &spec->net;
    if (n->path == VCB_NET_LOOPBACK)
        return vcb_err_usage(err, "--net: a container has no host loopback (expected bridge or "
                                  "user)");
    if (n->path != VCB_NET_NONE && !n->run_netns)
        return vcb_err_usage(err, "--net: the container's path needs the run's namespace");
    if (n->path == VCB_NET_USER && !vcb_tool_in_path("pasta"))
        return vcb_err_usage(err, "--net user: pasta is not in PATH (apt-get install passt)");
    if (n->path != VCB_NET_NONE && !vcb_tool_in_path("ip"))
        return vcb_err_usage(err, "--net: ip is not in PATH (apt-get install iproute2)");
    if (spec->limits.net_rate && n->path != VCB_NET_BRIDGE)
        return vcb_err_usage(err, "--net-rate: a container's network rate is set with tc on its "
                                  "veth, on the bridge path only (--net bridge)");
    if (spec->limits.net_rate && !vcb_tool_in_path("tc"))
        return vcb_err_usage(err, "--net-rate: tc is not in PATH (apt-get install iproute2)");
    return 0;
}

int ct_net_attach(struct ct_instance *c, pid_t pid, struct vcb_err *err)
{
    char ns[64];
    char *v6_off[] = {"sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1", NULL};
    snprintf(ns, sizeof ns, "/proc/%d/ns/net", (int)pid);
    if (vcb_tool_run(ns, v6_off, err) < 0)
        return vcb_err_prefix(err, "network");
    int rc = c->net.path == VCB_NET_BRIDGE ? ct_net_veth_attach(c, ns, err)
                                           : ct_net_pasta_attach(c, pid, err);
    return rc < 0 ? vcb_err_prefix(err, "network") : 0;
}

/* The veth goes with the container's namespace; pasta and the name we
 * gave that namespace for it are ours to remove. */
void ct_net_detach(struct ct_instance *c)
{
    vcb_tool_kill(&c->pasta);
    char *del[] = {"ip", "netns", "del", c->base.name, NULL};
    if (c->netns_named)
        (void)vcb_tool_run(NULL, del, &(struct vcb_err){0});
    c->netns_named = false;
    if (c->pasta_pidfile)
        unlink(c->pasta_pidfile);
    free(c->pasta_pidfile);
    c->pasta_pidfile = NULL;
    free(c->run_netns);
    c->run_netns = NULL;
}
