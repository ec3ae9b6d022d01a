/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* net-inst.c — what a network workload (netio, netflood) gets beside its
 * instance, the same for `run` and `launch`: the path its arm takes (the
 * process arm: host loopback; a container: --net, the bridge unless
 * "user"; a VM: passt), the run's namespace where the path needs
 * it, its own peer, and "--peer ADDR:PORT" after its arguments. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "wl-image.h"

bool bench_net_workload(const char *workload)
{
    return wl_workload_uses_net(workload);
}

const char *bench_net_path_label(enum vcb_net_path path, enum vcb_arm_kind kind)
{
    switch (path) {
    case VCB_NET_LOOPBACK:
        return "host loopback";
    case VCB_NET_BRIDGE:
        return "veth+bridge in run netns";
    case VCB_NET_USER:
        return kind == VCB_ARM_VM ? "passt (user-mode)" : "pasta (user-mode)";
    case VCB_NET_NONE:
        break;
    }
    return "none";
}

static enum vcb_net_path net_path_of(enum vcb_arm_kind kind, const struct vcb_backend_opts *o)
{
    if (kind == VCB_ARM_CONTROL)
        return VCB_NET_LOOPBACK;
    if (kind == VCB_ARM_VM)
        return VCB_NET_USER;
    return o->ct_net == VCB_NET_NONE ? VCB_NET_BRIDGE : o->ct_net;
}

const char *bench_net_arm_label(enum vcb_arm_kind kind, const struct vcb_backend_opts *o)
{
    return bench_net_path_label(net_path_of(kind, o), kind);
}

/* spec->args, then --peer ADDR:PORT. */
static int net_args(struct bench_net *net, char *const *args, struct vcb_err *err)
{
    size_t n = vcb_strv_len(args);
    if (!(net->args = calloc(n + 3, sizeof *net->args)))
        return vcb_err_sys(err, ENOMEM, "the network workload's arguments");
    for (size_t i = 0; i < n; i++)
        net->args[i] = args[i];
    net->args[n] = "--peer";
    net->args[n + 1] = net->peer.addr;
    return 0;
}

int bench_net_setup(const char *run_id, unsigned index, enum vcb_arm_kind kind,
                    struct vcb_instance_spec *spec, struct bench_net *net, struct vcb_err *err)
{
    struct vcb_net_spec *ns = &spec->net;
    memset(net, 0, sizeof *net);
    ns->path = net_path_of(kind, &spec->opts);
    ns->index = index;
    net->label = bench_net_path_label(ns->path, kind);
    const char *listen = "127.0.0.1";
    if (kind != VCB_ARM_CONTROL) { /* the bridge, or pasta's and passt's outside */
        bench_netns_name(run_id, net->run_netns, sizeof net->run_netns);
        if (bench_netns_make(run_id, err) < 0)
            return -1;
        ns->run_netns = net->run_netns;
        listen = BENCH_NET_BRIDGE_ADDR;
        snprintf(ns->addr, sizeof ns->addr, "10.213.%u.%u", 1 + index / 250, 1 + index % 250);
    }
    if (bench_peer_start(ns->run_netns, listen, &net->peer, err) < 0)
        return vcb_err_prefix(err, "%s over %s", spec->workload, net->label);
    if (net_args(net, spec->args, err) < 0) {
        bench_net_release(net);
        return vcb_err_prefix(err, "%s over %s", spec->workload, net->label);
    }
    spec->args = net->args;
    return 0;
}

void bench_net_release(struct bench_net *net)
{
    bench_peer_stop(&net->peer);
    free(net->args);
    net->args = NULL;
}
