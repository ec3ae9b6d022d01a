#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The VM arm through a remote libvirt URI (qemu+ssh:// over a throw-away
# sshd on loopback, reaching this host's libvirtd as a remote host would
# be reached): the guest's kernel and initramfs travel as volumes of the
# "vcbench" pool, named by content, and the domain XML names their paths
# there, never this host's files; the kernel console comes back through a
# stream; a second run uploads nothing; an image's disk is a volume too;
# `cleanup --volumes` removes the volumes and the pool, but not a volume a
# running domain uses nor a part volume being uploaded; a part volume left
# days ago goes; nothing of a run is left.
set -u
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/sshd.sh"
state=${VCB_STATE_DIR:-/var/lib/vcbench}
kernel=$state/kernel/vmlinuz # volumes are named after the path the driver is given
[ -r "$kernel" ] || { echo "skip: no guest kernel at $kernel"; exit 77; }
command -v virsh >/dev/null && pgrep -x libvirtd >/dev/null ||
    { echo "skip: no libvirtd or virsh"; exit 77; }
pool_dir=/var/lib/libvirt/images/vcbench
sshd_start
V() { virsh -q -c qemu:///system "$@"; }

# An upload cache from before would make the first run send nothing.
"$VCBENCH" -c "$SSHD_URI" cleanup --volumes >/dev/null || fail "cleanup --volumes before the test"
V pool-info vcbench >/dev/null 2>&1 && fail "pool vcbench still there before the test"

# --- first run: launch, the domain's XML read from libvirtd while it is up --
: >"$tmp/l1"
"$VCBENCH" -c "$SSHD_URI" launch --backend vm --timeout 300s noop >"$tmp/l1" 2>"$tmp/l1.err" &
pid=$!
name=
while kill -0 $pid 2>/dev/null; do
    [ -n "$name" ] || name=$(sed -n 's/^launch noop as \(vcb-[0-9a-f]*-1\) .*/\1/p' "$tmp/l1")
    [ -n "$name" ] && V dumpxml "$name" >"$tmp/xml" 2>/dev/null && [ -s "$tmp/xml" ] && break
    sleep 0.1
done
wait $pid || fail "remote launch exited $?: $(cat "$tmp/l1" "$tmp/l1.err")"
[ -s "$tmp/xml" ] || fail "the domain $name was never seen in libvirtd"
grep -q 'create→ready' "$tmp/l1" || fail "remote launch: never ready: $(cat "$tmp/l1")"

ksum=$(sha256sum "$kernel" | cut -c1-16)
grep -q "<kernel>$pool_dir/$(basename "$kernel")-$ksum</kernel>" "$tmp/xml" ||
    fail "XML kernel is not the pool volume named by its content: $(grep '<kernel>' "$tmp/xml")"
grep -q "<initrd>$pool_dir/initramfs.cpio-[0-9a-f]\{16\}</initrd>" "$tmp/xml" ||
    fail "XML initrd is not a pool volume: $(grep '<initrd>' "$tmp/xml")"
! grep -q "$state\|$run_root" "$tmp/xml" || fail "XML names this host's files: $(grep "$state\|$run_root" "$tmp/xml")"
! grep -q "<serial type='file'>" "$tmp/xml" || fail "a serial port is a file of this host"
[ "$(grep -c "<serial type='pty'>" "$tmp/xml")" = 2 ] || fail "serial0 and serial1 are not ptys"
# What the volume holds is the file's bytes, sent through libvirt.
cmp -s "$kernel" "$pool_dir/$(basename "$kernel")-$ksum" || fail "the kernel volume differs from $kernel"
initrd=$(sed -n 's|.*<initrd>\(.*\)</initrd>.*|\1|p' "$tmp/xml")
[ "$(sha256sum "$initrd" | cut -c1-16)" = "${initrd##*-}" ] || fail "$initrd: content is not its name"

grep -q "^upload: 2 files on the instance's host, [0-9.]* MiB sent" "$tmp/l1" ||
    fail "first run: no upload of MiB reported: $(grep upload "$tmp/l1")"
grep -q "uploading $(basename "$kernel") ([0-9.]* MiB) to $SSHD_URI" "$tmp/l1.err" ||
    fail "first run: no progress line for the kernel: $(cat "$tmp/l1.err")"
echo "first run: $(grep '^upload:' "$tmp/l1"); $(grep 'create→ready' "$tmp/l1")"

# --- a part volume an upload left a day ago goes when the pool is next opened -
V vol-create-as vcbench "vmlinuz-0123456789abcdef.0badf00d.part" 1M >/dev/null ||
    fail "a part volume in pool vcbench"
touch -d '2 days ago' "$pool_dir/vmlinuz-0123456789abcdef.0badf00d.part" && V pool-refresh vcbench >/dev/null

# --- second run: a suite run, whose results record what was sent ------------
cat >"$tmp/suite.json" <<'EOF'
{
  "name": "remote-tiny",
  "description": "One VM boot through a remote URI.",
  "backends": ["vm"],
  "timeouts": { "ready": "240s", "exit": "60s" },
  "scenarios": [ { "type": "boot", "workload": "noop", "warmup": 0, "n": 1, "max_n": 1,
                   "concurrency": [1] } ]
}
EOF
"$VCBENCH" -c "$SSHD_URI" run --suite "$tmp/suite.json" --out "$tmp/out" --no-progress \
    >"$tmp/r2" 2>"$tmp/r2.err" || fail "remote run exited $?: $(cat "$tmp/r2.err")"
res=$tmp/out/results.json
[ "$(jq '[.results[] | .dnf // [] | length] | add' "$res")" = 0 ] ||
    fail "remote run: DNF: $(jq -c '[.results[] | .dnf]' "$res")"
up=$(jq -c '[.results[] | select(.backend == "vm") | .notes.upload] | first' "$res")
[ "$(jq '.bytes' <<<"$up")" = 0 ] || fail "second run uploaded something: $up"
[ "$(jq '.instances' <<<"$up")" -ge 1 ] || fail "second run: no upload note: $up"
! grep -q uploading "$tmp/r2.err" || fail "second run: an upload line: $(cat "$tmp/r2.err")"
[ "$(jq -r '.run.options.vm_uri' "$res")" = "$SSHD_URI" ] || fail "run.options.vm_uri is not the URI"
# The kernel console, read through its stream, kept with the run's logs.
clog=$(ls "$tmp/out/logs/"*.console.log 2>/dev/null | head -n 1)
[ -s "$clog" ] || fail "no kernel console log came back: $(ls "$tmp/out/logs" 2>&1)"
grep -qa 'Power down\|reboot' "$clog" || fail "console log is not the kernel's: $(head -c 300 "$clog")"
echo "second run: notes.upload $up; console log $(wc -c <"$clog") bytes"
! V vol-info --pool vcbench "vmlinuz-0123456789abcdef.0badf00d.part" >/dev/null 2>&1 ||
    fail "a part volume two days old survived the second run's pool"
assert_nothing_left "$res"

# --- an image too big for an initramfs: its disk travels as a volume too -------
if file -L /bin/busybox 2>/dev/null | grep -q 'statically linked'; then
    mkdir -p "$tmp/big/bin" && cp /bin/busybox "$tmp/big/bin/busybox" &&
        ln -s busybox "$tmp/big/bin/sh" && truncate -s 70M "$tmp/big/pad"
    # the guest checks that its root is the read-only virtio disk
    "$VCBENCH" -c "$SSHD_URI" launch --backend vm --timeout 300s --image "dir:$tmp/big" \
        --ready exit -- /bin/sh -c 'busybox grep -q ^/dev/vda./.ext4.ro, /proc/mounts' \
        >"$tmp/l3" 2>"$tmp/l3.err"
    rc=$?
    d=$("$VCBENCH" image ls | grep -F " dir:$tmp/big " | awk '{print $1}')
    [ -z "$d" ] || "$VCBENCH" image rm "$d" >/dev/null
    [ $rc = 0 ] || fail "big image through $SSHD_URI: exit $rc: $(cat "$tmp/l3" "$tmp/l3.err")"
    grep -q "uploading rootfs.ext4 ([0-9.]* MiB) to $SSHD_URI" "$tmp/l3.err" ||
        fail "big image: its disk was not uploaded: $(cat "$tmp/l3.err")"
    grep -q "^upload: 3 files on the instance's host, [0-9.]* MiB sent" "$tmp/l3" ||
        fail "big image: $(grep upload "$tmp/l3")"
    echo "big image: $(grep '^upload:' "$tmp/l3")"
else
    echo "skip: the big image (no static /bin/busybox)"
fi

# --- cleanup --volumes spares a live run's volumes and an upload in flight -------
# A paused domain named as an instance of a live run (its run dir is not here:
# cleanup takes such a run for live) boots from the pool's kernel volume.
kvol=$pool_dir/$(basename "$kernel")-$ksum
live=vcb-0badf00d-1
cat >"$tmp/live.xml" <<EOF
<domain type='qemu'><name>$live</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type><kernel>$kvol</kernel></os></domain>
EOF
V create --paused "$tmp/live.xml" >/dev/null || fail "a paused domain booting $kvol"
fresh=initramfs.cpio-0123456789abcdef.0badf00d.part
V vol-create-as vcbench "$fresh" 1M >/dev/null || fail "a fresh part volume in pool vcbench"
"$VCBENCH" -c "$SSHD_URI" cleanup --volumes >"$tmp/cl" 2>&1
rc=$?
V destroy "$live" >/dev/null 2>&1
[ $rc = 0 ] || fail "cleanup --volumes beside a live domain exited $rc: $(cat "$tmp/cl")"
[ -e "$kvol" ] || fail "cleanup --volumes removed $kvol, which a running domain boots"
! grep -q "removed volume $(basename "$kvol") " "$tmp/cl" ||
    fail "reported a kept volume: $(cat "$tmp/cl")"
[ -e "$pool_dir/$fresh" ] || fail "cleanup --volumes removed a part volume made a moment ago"
grep -q "^removed volume initramfs.cpio-[0-9a-f]\{16\} of pool vcbench" "$tmp/cl" ||
    fail "cleanup --volumes: the unused initramfs volume did not go: $(cat "$tmp/cl")"
! grep -q "storage pool" "$tmp/cl" ||
    fail "reported the pool removed while it keeps volumes: $(cat "$tmp/cl")"
V pool-info vcbench >/dev/null 2>&1 || fail "the pool went though it keeps volumes"
echo "beside a live domain: $(grep -c '^removed' "$tmp/cl") removed; $(basename "$kvol") and a fresh part kept"
# Now as an upload that died two days ago would leave it: it goes below.
touch -d '2 days ago' "$pool_dir/$fresh" && V pool-refresh vcbench >/dev/null

# --- cleanup --volumes -----------------------------------------------------------
"$VCBENCH" -c "$SSHD_URI" cleanup >"$tmp/c0" || fail "plain cleanup failed"
V pool-info vcbench >/dev/null 2>&1 || fail "plain cleanup removed the upload cache"
"$VCBENCH" -c "$SSHD_URI" cleanup --volumes >"$tmp/c1" || fail "cleanup --volumes exited $?"
grep -q "^removed volume $(basename "$kernel")-$ksum of pool vcbench on $SSHD_URI" "$tmp/c1" ||
    fail "cleanup --volumes: $(cat "$tmp/c1")"
grep -q "^removed storage pool vcbench" "$tmp/c1" || fail "cleanup --volumes: no pool: $(cat "$tmp/c1")"
! V pool-info vcbench >/dev/null 2>&1 || fail "pool vcbench left after cleanup --volumes"
[ ! -e "$pool_dir" ] || fail "$pool_dir left: $(ls -la "$pool_dir")"
! V pool-list --all --name | grep -qx vcbench || fail "pool vcbench still defined"
echo "ok"
