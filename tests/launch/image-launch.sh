#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Users' images through `vcbench launch --image` in every arm (OCI runtimes
# too, where installed): the image's
# own command runs (its output reaches vcb-init: --ready line: matches it),
# with its config's Env, WorkingDir and User, its layers' whiteouts, a
# command after -- replacing Cmd, each readiness kind and a --metric; the
# VM arm boots the same bytes. Bad input exits 125 naming what was wrong,
# with no run dir and no half-unpacked image left.
set -u
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/oci-images.sh"
[ -z "$(oci_images_missing)" ] || { echo "skip: needs$(oci_images_missing)"; exit 77; }
vcbench=$VCBENCH
export VCB_RUN_DIR=$tmp/run
mkdir -p "$VCB_RUN_DIR"
fails=0 passes=0
check() { # name, condition...
    local name=$1; shift
    if "$@"; then passes=$((passes + 1)); else echo "FAIL: $name"; fails=$((fails + 1)); fi
}
launch() { # backend, args... → $out, $rc
    local b=$1; shift
    out=$("$vcbench" launch --backend "$b" --timeout 90s "$@" 2>&1); rc=$?
}
has_event() { awk -v e="$1" '$3 == e {f=1} END {exit !f}' <<<"$out"; }
no_event() { ! has_event "$1"; }
digests=()
import() { # LAYOUT → its digest, removed at the end
    local d
    d=$("$vcbench" image import "oci:$1" | sed -n 's/.* \(sha256:[0-9a-f]\{12\}\).*/\1/p')
    [ -n "$d" ] && digests+=("$d")
}
trap 'for d in "${digests[@]}"; do "$vcbench" image rm "$d" >/dev/null 2>&1; done; rm -rf "$tmp"' EXIT

for i in shell entry tcp whiteout; do
    "oci_image_$i" "$tmp/$i" >/dev/null 2>&1 || fail "cannot build the $i test image"
    import "$tmp/$i"
done

arms=(process container)
for rt in crun runc; do command -v $rt >/dev/null && arms+=("oci:$rt"); done
for b in "${arms[@]}"; do
    launch "$b" --image "oci:$tmp/shell" --ready 'line:^hello from image$'
    check "$b: shell's Cmd ran and its output reached vcb-init" [ $rc = 0 ]
    check "$b: ready on its line" has_event ready

    launch "$b" --image "oci:$tmp/entry" --ready 'line:^hello from /srv as 1234:2345$'
    check "$b: Entrypoint+Cmd with Env, WorkingDir and User applied" [ $rc = 0 ]
    check "$b: ... ready on that line" has_event ready

    launch "$b" --image "oci:$tmp/whiteout" --ready exit -- \
        sh -c 'test -e /data/kept && test ! -e /data/gone && test ! -e /opq/old && test -e /opq/new'
    check "$b: whiteouts honoured, -- replaces Cmd, ready at exit 0" [ $rc = 0 ]
    check "$b: ... ready reported" has_event ready

    launch "$b" --image "oci:$tmp/whiteout" --ready exit -- sh -c 'exit 3'
    check "$b: --ready exit and a failing command: its status, never ready" [ $rc = 3 ]
    check "$b: ... no ready" no_event ready

    launch "$b" --image "oci:$tmp/shell" --metric 'rate:ops_per_s=rate=([0-9.]+)' -- \
        sh -c 'echo rate=42.5'
    check "$b: --metric relayed as a result" grep -q '"metric":"rate","value":42.5,"unit":"ops_per_s"' <<<"$out"

    launch "$b" --image "oci:$tmp/tcp" --ready tcp:8080 --stop-after 100ms
    check "$b: --ready tcp: the port accepted inside, then stopped" has_event ready
    check "$b: ... ended by the stop (SIGTERM)" [ $rc = 143 ]
done

# The VM arm: the same bytes as its initramfs, vcb-init at /.vcbench/init.
if [ -e "${VCB_STATE_DIR:-/var/lib/vcbench}/kernel/vmlinuz" ] && "$vcbench" doctor >/dev/null 2>&1; then
    launch vm --image "oci:$tmp/tcp" --ready tcp:8080 --stop-after 100ms
    check "vm: --ready tcp inside the guest" has_event ready
    check "vm: ... stopped" [ $rc = 143 ]
    launch vm --image "oci:$tmp/entry" --ready 'line:^hello from /srv as 1234:2345$'
    check "vm: Entrypoint+Cmd with Env, WorkingDir and User applied" [ $rc = 0 ]
    check "vm: ... ready on that line" has_event ready
    launch vm --image "oci:$tmp/whiteout" --ready exit -- \
        sh -c 'test -e /data/kept && test ! -e /data/gone && test -e /opq/new'
    check "vm: -- replaces Cmd (the words reach the guest's vcb-init)" [ $rc = 0 ]
    check "vm: ... ready at its exit" has_event ready
    # an image too big for an initramfs: a read-only disk, vcb-init's root
    # (no double quotes in a VM's command: the kernel command line has none)
    mkdir -p "$tmp/big/bin" && cp "$oci_busybox" "$tmp/big/bin/busybox" &&
        ln -s busybox "$tmp/big/bin/sh" && truncate -s 70M "$tmp/big/pad"
    launch vm --image "dir:$tmp/big" --ready exit -- \
        /bin/sh -c 'busybox grep -q ^/dev/vda./.ext4.ro, /proc/mounts && ! busybox touch /x 2>/dev/null'
    check "vm: a big image boots from its read-only disk" [ $rc = 0 ]
    check "vm: ... ready at its exit" has_event ready
    d=$("$vcbench" image ls | grep -F " dir:$tmp/big " | awk '{print $1}')
    [ -z "$d" ] || digests+=("$d")
else
    echo "note: no guest kernel or libvirt here, the VM arm is not tried"
fi

# Bad input: 125, the message names it, nothing left behind.
bad() { # name, expected text, args...
    local name=$1 want=$2; shift 2
    launch process "$@"
    check "$name: exit 125" [ $rc = 125 ]
    check "$name: says '$want'" grep -qF -- "$want" <<<"$out"
}
bad "missing layout" "$tmp/nowhere" --image "oci:$tmp/nowhere"
bad "missing tag" "latest" --image "oci:$tmp/shell:v9"
bad "unknown scheme" "docker://" --image "docker://busybox"
bad "bad --ready" "--ready" --image "oci:$tmp/shell" --ready soon
bad "bad --metric" "NAME:UNIT=REGEX" --image "oci:$tmp/shell" --metric nounit
bad "--ready without --image" "go with --image" --ready exit noop
bad "command not after --" "after --" --image "oci:$tmp/shell" echo hi
launch container --userns --image "oci:$tmp/shell"
check "--userns with an image from outside: exit 125" [ $rc = 125 ]
check "--userns with an image from outside: says why" grep -q "setuid binaries" <<<"$out"
mkdir -p "$tmp/bare/bin" && cp "$oci_busybox" "$tmp/bare/bin/busybox"
bad "image without a command" "no Entrypoint or Cmd" --image "dir:$tmp/bare"
check "no run dir left" [ -z "$(ls -A "$VCB_RUN_DIR" | grep -vx oci)" ]
check "no OCI container left" [ -z "$(find "$VCB_RUN_DIR/oci" -mindepth 2 -maxdepth 2 -type d 2>/dev/null)" ]
check "no staging dir left" [ -z "$(ls -A "${VCB_STATE_DIR:-/var/lib/vcbench}/images/oci" | grep '^\.')" ]
"$vcbench" image rm "$("$vcbench" image import "dir:$tmp/bare" | sed -n 's/.* \(sha256:[0-9a-f]\{12\}\).*/\1/p')" >/dev/null 2>&1

echo "$passes passed, $fails failed"
[ $fails = 0 ]
