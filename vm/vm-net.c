/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vm-net.c — a VM's network for netio and netflood: libvirt's user-mode
 * networking, the like of a container's pasta. libvirt 9.0 (Debian 12)
 * refuses <backend type='passt'/> ("Invalid value for attribute 'type' in
 * element 'backend'"), so this is qemu's slirp, libvirt's default for
 * type='user': the guest reaches host loopback at slirp's host address,
 * where its peer listens, and vcb-init gives it no route beyond its /24.
 * libvirt's <bandwidth> shapes a tap; user-mode networking has none, so a
 * rate limit is a usage error, never dropped. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm-priv.h"

int vm_net_plan(const struct vcb_instance_spec *spec, struct vm_xml_config *c, char **cmdline,
                struct vcb_err *err)
{
    if (spec->limits.net_rate)
        return vcb_err_usage(err, "--net-rate: the vm backend cannot limit user-mode networking "
                                  "(libvirt's <bandwidth> applies to tap-based interfaces only)");
    if (spec->net.path == VCB_NET_NONE)
        return 0;
    if (spec->net.path != VCB_NET_USER)
        return vcb_err_usage(err, "vm backend: a network workload goes through user-mode "
                                  "networking only");
    c->net_user = true;
    /* vcb.net=… before " -- ", where init's arguments begin */
    char *dashes = strstr(*cmdline, " -- ");
    size_t head = dashes ? (size_t)(dashes - *cmdline) : strlen(*cmdline);
    char *out = NULL;
    if (asprintf(&out, "%.*s vcb.net=" VM_NET_GUEST_ADDR "/" VM_NET_GUEST_PREFIX "%s", (int)head,
                 *cmdline, *cmdline + head) < 0)
        return vcb_err_sys(err, ENOMEM, "kernel command line");
    free(*cmdline);
    *cmdline = out;
    return 0;
}
