/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vm-latency.c — how long libvirtd takes to look its qemu capabilities up,
 * twice in a row. The first may probe qemu; the second must come from
 * libvirtd's cache. A slow second one means libvirtd throws the cache away
 * on every call (a /dev/kvm its qemu user cannot open does that), and every
 * domain creation pays seconds of probing that a VM figure would then
 * include. */
#include "vm-priv.h"

int vm_caps_latency(const char *uri, uint64_t took_ns[2], struct vcb_err *err)
{
    cleanup_vconn virConnectPtr conn = NULL;
    if (vm_conn_open(uri, &conn, err) < 0)
        return -1;
    for (int i = 0; i < 2; i++) {
        uint64_t t0 = vcb_now_ns();
        cleanup_free char *caps = virConnectGetDomainCapabilities(conn, NULL, NULL, NULL, NULL, 0);
        took_ns[i] = vcb_now_ns() - t0;
        if (!caps)
            return vm_err_virt(err, "libvirt %s: domain capabilities (look-up %d)", uri, i + 1);
    }
    return 0;
}
