#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# bench-root-disk.sh — boot to "@vcb ready" of one image (static busybox
# serving vcb-init's TCP probe, plus PAD_MIB of incompressible data) in the
# two forms vcb-init boots an image: the whole image as the initramfs, and
# the image as a read-only ext4 virtio disk under a boot initramfs of only
# vcb-init, its modules and the root-disk marker. Under qemu TCG (emulated),
# RUNS boots of each, alternating; prints every boot (host ms from starting
# qemu to the ready line, guest ms at vcb-init's start) and the medians.
# Usage: bench-root-disk.sh BUILD_DIR [RUNS] [PAD_MIB]
set -euo pipefail
build=${1:?usage: $0 BUILD_DIR [RUNS] [PAD_MIB]}
runs=${2:-5}
pad=${3:-0}
src=$(cd "$(dirname "$0")/../.." && pwd)
kernel=${VCB_KERNEL:-${VCB_STATE_DIR:-/var/lib/vcbench}/kernel/vmlinuz}
mods=$(dirname "$kernel")/modules
work=$(mktemp -d /tmp/vcb-bench-disk-XXXXXX)
trap 'rm -rf "$work"' EXIT

# The module lists, from the header vcb-init is built with.
list() { sed -n "/define $1 /,/^\$/p" "$src/workloads/guest/guest-modules.h" | grep -o '"[a-z_]*"' | tr -d '"'; }
core=$(list WL_GUEST_MODULES | grep -vx virtio_balloon)
disk=$(list WL_GUEST_DISK_MODULES)

img=$work/image boot=$work/boot
mkdir -p "$img"/{.vcbench/modules,bin,proc,sys,dev,tmp} "$boot/.vcbench/modules"
cp "$build/libexec/vcb-init" "$img/.vcbench/init"
cp "$build/libexec/vcb-init" "$boot/.vcbench/init"
cp /bin/busybox "$img/bin/busybox"
printf 'busybox\0sh\0-c\0exec busybox timeout 30 busybox nc -l -p 8080\0' >"$img/.vcbench/cmd"
for m in $core; do cp "$mods/$m.ko" "$img/.vcbench/modules/"; done
for m in $core $disk; do cp "$mods/$m.ko" "$boot/.vcbench/modules/"; done
: >"$boot/.vcbench/root-disk"
[ "$pad" -gt 0 ] && head -c "${pad}M" /dev/urandom >"$img/pad"
(cd "$img" && find . | cpio -o -H newc --quiet) >"$work/whole.cpio"
(cd "$boot" && find . | cpio -o -H newc --quiet) >"$work/boot.cpio"
truncate -s "$(($(du -sm "$img" | cut -f1) + 16))M" "$work/rootfs.ext4"
mkfs.ext4 -q -d "$img" -L vcbench "$work/rootfs.ext4"

# One boot: prints "<ready ms on the host> <vcb-init start ms in the guest>".
boot_once() {
    local initrd=$1 t0 line ready=- init=-
    shift
    t0=$(date +%s%N)
    while IFS= read -r line; do
        line=${line%$'\r'}
        case $line in
        "@vcb init "*) init=$((${line#@vcb init } / 1000000)) ;;
        "@vcb ready") ready=$((($(date +%s%N) - t0) / 1000000)) ;;
        esac
    done < <(qemu-system-x86_64 -accel tcg -m 256 -smp 1 -nodefaults -display none -no-reboot \
        -kernel "$kernel" -initrd "$initrd" -serial null -serial stdio "$@" \
        -append "rdinit=/.vcbench/init console=ttyS0 quiet panic=-1 vcb.vm=1 -- --image --ready tcp:8080" \
        </dev/null)
    echo "$ready $init"
}

median() { sort -n | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

echo "# emulated (TCG); image $(du -sm "$img" | cut -f1) MiB; whole.cpio $(($(stat -c %s "$work/whole.cpio") >> 10)) KiB, boot.cpio $(($(stat -c %s "$work/boot.cpio") >> 10)) KiB; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "form run ready_ms init_ms"
for i in $(seq "$runs"); do
    echo "initramfs $i $(boot_once "$work/whole.cpio")" | tee -a "$work/initramfs"
    echo "root-disk $i $(boot_once "$work/boot.cpio" -drive "file=$work/rootfs.ext4,if=virtio,format=raw,readonly=on")" |
        tee -a "$work/root-disk"
done
for form in initramfs root-disk; do
    echo "median $form ready_ms $(cut -d' ' -f3 "$work/$form" | median) init_ms $(cut -d' ' -f4 "$work/$form" | median)"
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
