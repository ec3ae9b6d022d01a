#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# `vcbench image import|ls|rm`: the four test images through the four kinds
# of SPEC, unpacked as they are (whiteouts, owners, setuid), vcbench's files
# under /.vcbench byte for byte, the VM's forms, the cache, ls and rm.
set -u
vcbench=${VCBENCH:?run through ctest}
[ "$(id -u)" = 0 ] || { echo "skip: needs root (image owners are kept)"; exit 77; }
here=$(dirname "$0")
. "$here/../lib/oci-images.sh"
missing=$(oci_images_missing)
[ -z "$missing" ] || { echo "skip: missing$missing (scripts/setup --dev)"; exit 77; }
. "$here/../lib/checks.sh"

img=$tmp/img
mkdir -p "$img"
oci_image_shell "$img/shell" && oci_image_whiteout "$img/whiteout" &&
    oci_image_entry "$img/entry" && oci_image_tcp "$img/tcp" || { echo "FAIL: test images"; exit 1; }
for i in shell whiteout entry tcp; do
    oci_to_archive "$img/$i" "$img/$i.oci.tar" && oci_to_docker_archive "$img/$i" "$img/$i.docker.tar" ||
        { echo "FAIL: archives of $i"; exit 1; }
done
mkdir -p "$img/shell-dir" && umoci unpack --image "$img/shell:latest" "$img/shell-bundle" >/dev/null &&
    cp -a "$img/shell-bundle/rootfs/." "$img/shell-dir/" || { echo "FAIL: dir of shell"; exit 1; }

# A state dir per SPEC kind, so each kind unpacks (one digest is one entry),
# with two of the guest modules setup unpacks (the others are absent).
new_state() {
    export VCB_STATE_DIR=$tmp/state-$1
    mkdir -p "$VCB_STATE_DIR/kernel/modules"
    echo "virtio ring" >"$VCB_STATE_DIR/kernel/modules/virtio_ring.ko"
    echo "balloon" >"$VCB_STATE_DIR/kernel/modules/virtio_balloon.ko"
    echo "block" >"$VCB_STATE_DIR/kernel/modules/virtio_blk.ko"
}
spec_of() { # KIND IMAGE
    case $1 in
    oci) echo "oci:$img/$2" ;;
    oci-archive) echo "oci-archive:$img/$2.oci.tar:latest" ;;
    docker-archive) echo "docker-archive:$img/$2.docker.tar" ;;
    dir) echo "dir:$img/$2-dir" ;;
    esac
}
# import SPEC: its output line in $out, the entry dir in $entry.
import() {
    out=$("$vcbench" image import "$1" 2>&1)
    rc=$?
    entry=$(sed -n 's/.* rootfs \(.*\)\/fs\/rootfs .*/\1/p' <<<"$out")
}
words() { tr '\0' '|' <"$1"; }
field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))$1)" "$entry/image.json"; }

libexec=${VCB_LIBEXEC_DIR:-$(dirname "$vcbench")/../libexec}
for kind in oci oci-archive docker-archive dir; do
    new_state "$kind"
    import "$(spec_of $kind shell)"
    r=$entry/fs/rootfs
    check "$kind: shell imports" [ $rc = 0 -a -d "$r" ]
    check "$kind: shell is new" grep -q '^imported ' <<<"$out"
    check "$kind: busybox as in the image" cmp -s "$oci_busybox" "$r/bin/busybox"
    check "$kind: sh a relative link" [ "$(readlink "$r/bin/sh")" = busybox ]
    check "$kind: vcb-init copied" cmp -s "$libexec/vcb-init" "$r/.vcbench/init"
    check "$kind: vcb-init executable" [ -x "$r/.vcbench/init" ]
    check "$kind: modules there copied" cmp -s "$VCB_STATE_DIR/kernel/modules/virtio_balloon.ko" "$r/.vcbench/modules/virtio_balloon.ko"
    check "$kind: modules absent skipped" [ ! -e "$r/.vcbench/modules/virtio_pci.ko" ]
    check "$kind: mount points" [ -d "$r/proc" -a -d "$r/sys" -a -d "$r/dev" -a -d "$r/tmp" ]
    check "$kind: cache is 0711" [ "$(stat -c %a "$VCB_STATE_DIR/images/oci")" = 711 ]
    check "$kind: entry is 0711" [ "$(stat -c %a "$entry")" = 711 ]
    check "$kind: its files are root's alone" [ "$(stat -c %a "$entry/fs")" = 700 ]
    check "$kind: initramfs holds the rootfs" sh -c "cpio -it --quiet <'$entry/initramfs.cpio' | grep -qx bin/busybox && cpio -it --quiet <'$entry/initramfs.cpio' | grep -qx .vcbench/init"
    check "$kind: vm form initramfs" [ "$(field '["vm_form"]')" = initramfs ]
    check "$kind: no staging left" [ -z "$(ls -A "$VCB_STATE_DIR/images/oci" | grep -v '^sha256-')" ]
    if [ $kind = dir ]; then
        check "dir: no config, no cmd" [ ! -e "$r/.vcbench/cmd" ]
    else
        check "$kind: cmd NUL-separated" [ "$(words "$r/.vcbench/cmd")" = "sh|-c|echo hello from image|" ]
        check "$kind: no entrypoint" [ ! -e "$r/.vcbench/entrypoint" ]
    fi
    first=$entry
    import "$(spec_of $kind shell)"
    check "$kind: second import cached" grep -q '^cached ' <<<"$out"
    check "$kind: same entry" [ "$entry" = "$first" ]
    [ $kind = dir ] && continue
    for i in whiteout entry tcp; do
        import "$(spec_of $kind $i)"
        check "$kind: $i imports" [ $rc = 0 ]
        eval "entry_$i=\$entry"
    done
    r=$entry_whiteout/fs/rootfs
    check "$kind: whiteout deletes" [ ! -e "$r/data/gone" -a -f "$r/data/kept" ]
    check "$kind: opaque dir emptied" [ "$(cd "$r/opq" && ls -A)" = new ]
    r=$entry_entry/fs/rootfs/.vcbench
    check "$kind: entrypoint" [ "$(words "$r/entrypoint")" = "/bin/sh|-c|" ]
    check "$kind: cmd" [ "$(words "$r/cmd")" = 'echo "$GREETING from $(pwd) as $(id -u):$(id -g)"|' ]
    check "$kind: env" [ "$(words "$r/env")" = "GREETING=hello|MODE=test|" ]
    check "$kind: workdir" [ "$(cat "$r/workdir")" = /srv ]
    check "$kind: user resolved" [ "$(cat "$r/user")" = 1234:2345 ]
    check "$kind: owner kept" [ "$(stat -c %u:%g "$entry_entry/fs/rootfs/srv")" = 1234:2345 ]
    check "$kind: owner kept in initramfs" sh -c "cpio -itv --quiet --numeric-uid-gid <'$entry_entry/initramfs.cpio' | grep -q ' 1234 *2345 .* srv\$'"
    check "$kind: tcp cmd" [ "$(words "$entry_tcp/fs/rootfs/.vcbench/cmd")" = "httpd|-f|-p|8080|-h|/srv|" ]
done

# The same image: one digest through a layout and its oci-archive.
check "oci and oci-archive share the digest" [ -n "$(comm -12 <(ls "$tmp/state-oci/images/oci") <(ls "$tmp/state-oci-archive/images/oci"))" ]

# dir: setuid kept, device nodes skipped, a changed tree is another image,
# a large tree boots from a disk.
new_state dir2
src=$tmp/tree
mkdir -p "$src/bin" "$src/dev"
cp "$oci_busybox" "$src/bin/busybox" && chmod 4755 "$src/bin/busybox"
mknod "$src/dev/null" c 1 3
ln -s /bin/busybox "$src/bin/sh"
import "dir:$src"
check "dir: setuid kept" [ "$(stat -c %a "$entry/fs/rootfs/bin/busybox")" = 4755 ]
check "dir: device node not made" [ ! -e "$entry/fs/rootfs/dev/null" ]
check "dir: device node counted" [ "$(field '["skipped_device_nodes"]')" = 1 ]
check "dir: absolute link kept" [ "$(readlink "$entry/fs/rootfs/bin/sh")" = /bin/busybox ]
small=$entry
echo more >"$src/extra"
import "dir:$src"
check "dir: changed tree, new digest" [ $rc = 0 -a "$entry" != "$small" ]
truncate -s 70M "$src/big" # sparse: cheap to copy, over the initramfs limit
import "dir:$src"
check "dir: large tree imports" [ $rc = 0 ]
check "dir: large tree is a disk" [ "$(field '["vm_form"]')" = disk -a -s "$entry/rootfs.ext4" ]
check "dir: disk labelled" [ "$(dumpe2fs -h "$entry/rootfs.ext4" 2>/dev/null | sed -n 's/^Filesystem volume name: *//p')" = vcbench ]
check "dir: disk holds the tree" sh -c "debugfs -R 'stat /big' '$entry/rootfs.ext4' 2>/dev/null | grep -q 'Size: 73400320'"
check "dir: boot initramfs holds /.vcbench only" [ "$(cpio -it --quiet <"$entry/initramfs.cpio" | grep -vc '^\.vcbench')" = 0 ]
check "dir: boot initramfs has init" sh -c "cpio -it --quiet <'$entry/initramfs.cpio' | grep -qx .vcbench/init"
check "dir: boot initramfs says the root is the disk" sh -c "cpio -it --quiet <'$entry/initramfs.cpio' | grep -qx .vcbench/root-disk"
check "dir: the disk and the rootfs do not" sh -c "[ ! -e '$entry/fs/rootfs/.vcbench/root-disk' ] && ! debugfs -R 'stat /.vcbench/root-disk' '$entry/rootfs.ext4' 2>/dev/null | grep -q Inode"
check "dir: the block driver is in the boot part" sh -c "cpio -it --quiet <'$entry/initramfs.cpio' | grep -qx .vcbench/modules/virtio_blk.ko"
rm -f "$src/big"
echo new >"$src/new" # not in the cache: the limit bounds an unpack
"$vcbench" image import --max-image 1MiB "dir:$src" >/dev/null 2>&1
check "dir: --max-image refuses, exit 2" [ $? = 2 ]

mkdir -p "$tmp/own/.vcbench"
"$vcbench" image import "dir:$tmp/own" 2>/dev/null
check "dir: a tree with /.vcbench refused, exit 2" [ $? = 2 ]

# A staging dir whose import died (its lock free) goes with the next
# import; one whose import still runs (locked) stays.
cache=$VCB_STATE_DIR/images/oci
mkdir "$cache/.staging-dead" "$cache/.staging-alive"
exec {alive}<"$cache/.staging-alive" # this shell holds its lock
flock -n $alive
echo again >"$src/again"
import "dir:$src"
check "a dead import's staging removed" [ ! -e "$cache/.staging-dead" ]
check "a live import's staging kept" [ -d "$cache/.staging-alive" ]
exec {alive}<&-
rm -rf "$cache/.staging-alive"

# ls shows imported images beside built-in ones; rm removes by prefix.
ls_out=$("$vcbench" image ls)
digest=$(basename "$small" | sed 's/^sha256-//')
check "ls shows digest and spec" grep -q "^sha256:${digest:0:12} .* dir:$src" <<<"$ls_out"
check "ls shows the vm form" grep -q "vm disk " <<<"$ls_out"
"$vcbench" image rm "${digest:0:12}" >/dev/null
check "rm removes by prefix" [ ! -e "$small" ]
check "rm leaves the others" [ "$(ls "$VCB_STATE_DIR/images/oci" | wc -l)" = 3 ]
"$vcbench" image rm "${digest:0:12}" 2>/dev/null
check "rm of a gone image exits 2" [ $? = 2 ]
"$vcbench" image rm abc 2>/dev/null
check "rm of a short prefix exits 2" [ $? = 2 ]
"$vcbench" image import "oci:$tmp/nowhere" 2>/dev/null
check "import of a missing layout exits 2" [ $? = 2 ]
"$vcbench" image build noop >/dev/null 2>&1
check "ls keeps the built-in images" sh -c "'$vcbench' image ls | grep -q '^noop '"
check "--help names import and rm" sh -c "'$vcbench' image --help | grep -q 'image rm DIGEST'"
checks_done
