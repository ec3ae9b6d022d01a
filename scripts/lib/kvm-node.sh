# SPDX-License-Identifier: LGPL-2.1-or-later
# kvm-node.sh — sourced by scripts/setup (and its test): give the KVM device
# node what Debian's udev rule gives it,
#     KERNEL=="kvm", GROUP="kvm", MODE="0660"
# Hosts without udev (containers, CI runners, minimal VMs) leave /dev/kvm
# root:root 0600. libvirtd then probes qemu as root and finds KVM, but its
# qemu user (libvirt-qemu, in group kvm) cannot open the node, so libvirtd
# throws its capability cache away and probes qemu again on every call that
# looks the capabilities up: seconds per call, domain creation included.

# Set to 1 by kvm_node_apply when it changed the node.
kvm_node_changed=0

# kvm_node_apply DEVICE: when DEVICE exists and the kvm group cannot read and
# write it, make it root:kvm 0660 (creating group kvm if missing) and say so
# in one line. A node that group kvm can already use, or one open to everyone
# (some distributions choose 0666), is left as it is.
kvm_node_apply() {
    local dev=$1 before
    [ -e "$dev" ] || return 0
    if getent group kvm >/dev/null && [ "$(stat -c %G "$dev")" = kvm ] &&
        [ $((0$(stat -c %a "$dev") & 060)) = $((060)) ]; then
        return 0
    fi
    [ $((0$(stat -c %a "$dev") & 06)) != $((06)) ] || return 0
    before=$(stat -c '%U:%G %04a' "$dev")
    getent group kvm >/dev/null || groupadd --system kvm
    chown root:kvm "$dev"
    chmod 0660 "$dev"
    echo "$dev was $before; applied udev's rule for it (root:kvm 0660): no udev on this host"
    kvm_node_changed=1
}
