#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# An I/O limit throttles the scratch volume in one arm (container: blkio /
# io.max on the disk holding it; oci:RUNTIME: linux.resources.blockIO; vm:
# libvirt's <iotune> on the scratch disk): diskio's 4 KiB random IOPS stay
# near the limit, far below what the same volume gives unlimited. A VM
# without a scratch disk has nothing of its own to throttle: refused.
set -eu
backend=$1
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/lib.sh"
case $backend in oci:*)
    command -v "${backend#oci:}" >/dev/null || { echo "skip: no ${backend#oci:}"; exit 77; } ;;
esac
limit=300

if [ "$backend" = vm ]; then
    rc=0
    "$VCBENCH" launch --backend vm --io-read-iops $limit noop >"$tmp/refused" 2>&1 || rc=$?
    [ "$rc" = 125 ] || { cat "$tmp/refused"; fail "vm without a scratch disk: exit $rc, not 125"; }
    grep -q "scratch disk" "$tmp/refused" || fail "vm refusal does not say why: $(cat "$tmp/refused")"
fi

out=$tmp/limited.out
"$VCBENCH" launch --backend "$backend" --scratch 32MiB --scratch-dir "$scr" \
    --io-read-iops $limit --io-write-iops $limit diskio -- --duration 4s >"$out" 2>&1 ||
    { cat "$out"; fail "$backend: diskio under an I/O limit failed"; }
res=$(grep '"workload":"diskio"' "$out") || { cat "$out"; fail "$backend: no diskio result"; }
for k in rand_read_iops rand_write_iops; do
    v=$(echo "$res" | num "$k")
    # the throttles let a short burst through at the start: half again is the bound
    gt "$v" 0 && ! gt "$v" $((limit * 3 / 2)) || fail "$backend: $k $v under a limit of $limit/s"
done
assert_no_scratch

# the same volume unlimited, so the check above is the limit's doing
out=$tmp/free.out
"$VCBENCH" launch --backend "$backend" --scratch 32MiB --scratch-dir "$scr" diskio -- \
    --duration 4s >"$out" 2>&1 || { cat "$out"; fail "$backend: diskio unlimited failed"; }
free=$(grep '"workload":"diskio"' "$out" | num rand_read_iops)
gt "$free" $((limit * 3)) || fail "$backend: unlimited gives $free/s: too close to the limit to tell"
echo "ok: $backend rand read $(echo "$res" | num rand_read_iops)/s limited to $limit, $free/s free"
