/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-libvirt-latency.c — the host as scripts/setup leaves it: two domain
 * capability look-ups in a row against the real libvirtd, the second one
 * from libvirtd's cache, under 1 s. Where libvirtd throws that cache away on
 * every call (a /dev/kvm its qemu user cannot open), each look-up and each
 * domain creation costs seconds and every VM figure includes them: this
 * fails then. Prints both times. Exit 77 when not root or no libvirtd. */
#include <string.h>

#include "vm-priv.h"

int main(void)
{
    if (geteuid() != 0) {
        printf("SKIP: needs root (qemu:///system)\n");
        return 77;
    }
    if (access("/run/libvirt/libvirt-sock", F_OK) != 0) {
        printf("SKIP: no libvirtd (/run/libvirt/libvirt-sock): run scripts/setup\n");
        return 77;
    }
    uint64_t took[2];
    struct vcb_err err = {0};
    if (vm_caps_latency(VM_DEFAULT_URI, took, &err) < 0) {
        fprintf(stderr, "FAIL: %s\n", err.msg);
        return 1;
    }
    printf("capability look-ups: %.3f s, then %.3f s (limit %.1f s)\n", (double)took[0] / 1e9,
           (double)took[1] / 1e9, (double)VM_CAPS_SLOW_NS / 1e9);
    if (took[1] <= VM_CAPS_SLOW_NS)
        return 0;
    char seen[128];
    int node = vm_kvm_node_check(VM_KVM_NODE, seen, sizeof seen);
    fprintf(stderr,
            "FAIL: the second look-up took %.3f s: libvirtd probes qemu on every call%s%s\n",
            (double)took[1] / 1e9, node == 0 ? "; " VM_KVM_NODE " is " : "", node == 0 ? seen : "");
    return 1;
}
