/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* guest-modules.h — the guest kernel modules an image carries when setup
 * unpacked them (<state>/kernel/modules/<name>.ko → /lib/modules/<name>.ko)
 * and vcb-init loads in a VM, in this order (each needs those before it):
 * the virtio core, its PCI (pc, q35) and MMIO (microvm) transports and the
 * balloon, whose free page reporting gives the guest's freed pages back to
 * the host. Debian's cloud kernel builds them all as modules. */
#ifndef WL_GUEST_MODULES_H
#define WL_GUEST_MODULES_H

#define WL_GUEST_MODULE_DIR "lib/modules"
#define WL_GUEST_MODULES                                                                           \
    "virtio_ring", "virtio", "virtio_pci_legacy_dev", "virtio_pci_modern_dev", "virtio_pci",       \
        "virtio_mmio", "virtio_balloon"

/* What an image too big for an initramfs needs on top, to mount its root
 * disk (ext4 is built into the cloud kernel; the virtio block driver is a
 * module): loaded after the virtio core and transports above. */
#define WL_GUEST_DISK_MODULES "virtio_blk"

/* What a network workload's image carries on top (the virtio-net
 * device passt's socket backs), loaded after the virtio core and transports above. */
#define WL_GUEST_NET_MODULES "failover", "net_failover", "virtio_net"

/* Free page reporting's smallest unit, as a page order (2^5 pages, 128 KiB):
 * the kernel's own, pageblock_order (2 MiB), skips the fragments left after
 * boot and every zone with less than 64 MiB free (the DMA zone, where the
 * loaded kernel image was). */
#define WL_PAGE_REPORTING_ORDER "5"

#endif
