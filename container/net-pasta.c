/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* net-pasta.c — the user-mode path: pasta, started inside the run's
 * namespace, attached to the container's. Its "host" side is then the
 * run's namespace, where the peer listens on the bridge's address: the
 * container's packets cross pasta's tap and user-mode TCP as a VM's cross
 * passt, and never reach the host's own interfaces. The gateway is not
 * mapped to loopback (--no-map-gw: nothing to map in a namespace with no
 * outside), no port is forwarded, IPv4 only. pasta runs as root here
 * (--runas 0): as nobody it cannot join a namespace root made. It joins
 * the container's by a name (ip netns attach, the instance's name): it
 * cannot open /proc/PID/ns/net once it dropped its capabilities. It stays
 * our child (-f), ready once it wrote its pid file. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "container-priv.h"
#include "vcb-tool.h"

#define PASTA_READY_WAIT (5 * VCB_NS_PER_S)

int ct_net_pasta_attach(struct ct_instance *c, pid_t pid, struct vcb_err *err)
{
    char run_ns[128], target[16], log[PATH_MAX];
    if (!c->pasta_pidfile)
        return vcb_err_set(err, EINVAL, "pasta needs a run directory for its pid file");
    snprintf(run_ns, sizeof run_ns, "/run/netns/%s", c->run_netns);
    snprintf(target, sizeof target, "%d", (int)pid);
    char *attach[] = {"ip", "netns", "attach", c->base.name, target, NULL};
    snprintf(log, sizeof log, "%.*s.log", (int)(strlen(c->pasta_pidfile) - 4), c->pasta_pidfile);
    char *argv[] = {"pasta",        "--runas",     "0",         "-f",   "-q",    "-4",
                    "--config-net", "-a",          "10.0.2.15", "-n",   "24",    "-g",
                    "10.0.2.2",     "--no-map-gw", "-t",        "none", "-u",    "none",
                    "-T",           "none",        "-U",        "none", "--pid", c->pasta_pidfile,
                    "--netns",      c->base.name,  NULL};
    cleanup_close int log_fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    unlink(c->pasta_pidfile);
    if (vcb_tool_run(NULL, attach, err) < 0)
        return -1;
    c->netns_named = true;
    c->pasta = vcb_tool_spawn(run_ns, argv, -1, log_fd, err);
    if (c->pasta < 0) {
        c->pasta = 0;
        return -1;
    }
    if (vcb_tool_wait_pidfile(&c->pasta, c->pasta_pidfile, log, PASTA_READY_WAIT, err) < 0)
        return vcb_err_prefix(err, "pasta");
    return 0;
}
