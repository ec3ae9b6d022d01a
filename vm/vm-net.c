/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vm-net.c — a VM's network for netio and netflood: passt, the like of a
 * container's pasta, started the same way: inside the run's namespace, so
 * its outside is that namespace and the guest's packets reach the peer on
 * the bridge's address without touching the host's interfaces. libvirt
 * 9.0 (Debian 12) refuses <interface type='user'><backend type='passt'/>
 * ("Invalid value for attribute 'type' in element 'backend'"), so we run
 * passt ourselves and qemu joins its socket as a stream netdev (vm-xml.c).
 * libvirt's <bandwidth> shapes a tap; passt has none, so a rate limit is a
 * usage error, never dropped. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vcb-tool.h"
#include "vm-priv.h"

#define PASST_READY_WAIT (5 * VCB_NS_PER_S)

int vm_net_plan(const struct vcb_instance_spec *spec, struct vm_xml_config *c, char **cmdline,
                struct vcb_err *err)
{
    (void)c;
    if (spec->limits.net_rate)
        return vcb_err_usage(err, "--net-rate: the vm backend cannot limit passt's traffic "
                                  "(libvirt's <bandwidth> applies to tap-based interfaces only)");
    if (spec->net.path == VCB_NET_NONE)
        return 0;
    if (spec->net.path != VCB_NET_USER || !spec->net.run_netns || !spec->run_dir)
        return vcb_err_usage(err, "vm backend: a network workload goes through passt in the "
                                  "run's namespace only");
    if (!vcb_tool_in_path("passt"))
        return vcb_err_usage(err, "vm backend: passt is not in PATH (apt-get install passt)");
    if (strchr(spec->run_dir, ',') || strchr(spec->run_dir, '\''))
        return vcb_err_usage(err,
                             "vm backend: passt's socket cannot live under %s (a comma or "
                             "quote there would end qemu's option)",
                             spec->run_dir);
    /* vcb.net=… before " -- ", where init's arguments begin */
    char *dashes = strstr(*cmdline, " -- ");
    size_t head = dashes ? (size_t)(dashes - *cmdline) : strlen(*cmdline);
    char *out = NULL;
    if (asprintf(&out,
                 "%.*s vcb.net=" VM_NET_GUEST_ADDR "/" VM_NET_GUEST_PREFIX "," VM_NET_GATEWAY "%s",
                 (int)head, *cmdline, *cmdline + head) < 0)
        return vcb_err_sys(err, ENOMEM, "kernel command line");
    free(*cmdline);
    *cmdline = out;
    return 0;
}

int vm_net_start(struct vm_instance *vi, const struct vcb_instance_spec *spec,
                 struct vm_xml_config *c, struct vcb_err *err)
{
    char run_ns[128], pidfile[PATH_MAX + 8], log[PATH_MAX + 8];
    if (spec->net.path != VCB_NET_USER)
        return 0;
    snprintf(run_ns, sizeof run_ns, "/run/netns/%s", spec->net.run_netns);
    snprintf(vi->passt_socket, sizeof vi->passt_socket, "%s/%s.passt", spec->run_dir, spec->name);
    snprintf(pidfile, sizeof pidfile, "%s.pid", vi->passt_socket);
    snprintf(log, sizeof log, "%s.log", vi->passt_socket);
    /* one client (-1): it ends with qemu; root (--runas 0), as pasta */
    char *argv[] = {"passt",
                    "--runas",
                    "0",
                    "-f",
                    "-q",
                    "-1",
                    "-4",
                    "-a",
                    VM_NET_GUEST_ADDR,
                    "-n",
                    VM_NET_GUEST_PREFIX,
                    "-g",
                    VM_NET_GATEWAY,
                    "--no-map-gw",
                    "-t",
                    "none",
                    "-u",
                    "none",
                    "-s",
                    vi->passt_socket,
                    "--pid",
                    pidfile,
                    NULL};
    cleanup_close int log_fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    unlink(pidfile);
    vi->passt = vcb_tool_spawn(run_ns, argv, -1, log_fd, err);
    if (vi->passt < 0) {
        vi->passt = 0;
        return vcb_err_prefix(err, "domain %s", spec->name);
    }
    if (vcb_tool_wait_pidfile(&vi->passt, pidfile, log, PASST_READY_WAIT, err) < 0)
        return vcb_err_prefix(err, "domain %s: passt", spec->name);
    /* passt made it as root; qemu runs as libvirt's user */
    if (chmod(vi->passt_socket, 0666) < 0)
        return vcb_err_sys(err, errno, "domain %s: passt's socket %s", spec->name,
                           vi->passt_socket);
    unlink(pidfile);
    c->net_socket = vi->passt_socket;
    return 0;
}

void vm_net_stop(struct vm_instance *vi)
{
    vcb_tool_kill(&vi->passt);
    if (vi->passt_socket[0])
        unlink(vi->passt_socket);
}
