#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# --ksm on sets KSM (run 1, use_zero_pages 1) for the VM memory rows, records
# it in their notes, and a Ctrl-C during those rows still puts the host's
# values back (exit 130, results incomplete, nothing left behind).
set -eu
check=$1
. "$(dirname "$0")/../lib/common.sh"
k=/sys/kernel/mm/ksm
[ -w $k/run ] || { echo "skip: no KSM on this host"; exit 77; }
command -v qemu-system-x86_64 >/dev/null && [ -e /var/lib/vcbench/kernel/vmlinuz ] ||
    { echo "skip: no qemu or guest kernel"; exit 77; }
run0=$(cat $k/run) zero0=$(cat $k/use_zero_pages)
[ "$run0" != 1 ] || { echo "skip: KSM already runs here: nothing to see set"; exit 77; }
"$VCBENCH" peers --only qemu --mem-runs 5 --machines microvm --ksm on --out "$tmp/out" \
    --no-progress >/dev/null 2>"$tmp/err" &
pid=$!
i=0
while [ "$(cat $k/run)" != 1 ] && [ $i -lt 1200 ] && kill -0 "$pid" 2>/dev/null; do
    sleep 0.1
    i=$((i + 1))
done
[ "$(cat $k/run)" = 1 ] || { kill -INT "$pid"; wait "$pid" || :; cat "$tmp/err"; fail "KSM never set"; }
on_zero=$(cat $k/use_zero_pages)
kill -INT "$pid"
rc=0
wait "$pid" || rc=$?
[ "$rc" = 130 ] || { cat "$tmp/err"; fail "exit $rc, expected 130"; }
[ "$on_zero" = 1 ] || fail "use_zero_pages was $on_zero while KSM was on"
[ "$(cat $k/run) $(cat $k/use_zero_pages)" = "$run0 $zero0" ] ||
    fail "KSM not put back: run $(cat $k/run) use_zero_pages $(cat $k/use_zero_pages), was $run0 $zero0"
"$check" "$tmp/out/results.json" incomplete 0 0 "" "" || fail "results invalid"
grep -q '"mode": "on"' "$tmp/out/results.json" || fail "the KSM mode is not recorded"
assert_nothing_left "$tmp/out/results.json"
echo ok
