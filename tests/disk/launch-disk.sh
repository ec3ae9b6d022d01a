#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# diskio and diskhog in one arm (process, container, oci:RUNTIME, vm):
# each sees its scratch volume, measures on it with O_DIRECT and reports
# figures that make sense, diskhog stops when asked; the volume is gone once
# launch returns.
set -eu
backend=$1
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/lib.sh"
case $backend in oci:*)
    command -v "${backend#oci:}" >/dev/null || { echo "skip: no ${backend#oci:}"; exit 77; } ;;
esac

out=$tmp/diskio.out
"$VCBENCH" launch --backend "$backend" --scratch 32MiB --scratch-dir "$scr" diskio -- \
    --duration 1s >"$out" 2>&1 || { cat "$out"; fail "$backend: diskio failed"; }
grep -q '^scratch: ' "$out" || fail "$backend: no scratch line"
res=$(grep '"workload":"diskio"' "$out") || { cat "$out"; fail "$backend: no diskio result"; }
for k in seq_write_mb_per_s seq_read_mb_per_s rand_read_iops rand_write_iops; do
    gt "$(echo "$res" | num "$k")" 0 || fail "$backend: $k not > 0: $res"
done
[ "$(echo "$res" | num span_bytes)" = 33554432 ] || fail "$backend: span is not the volume: $res"
p50=$(echo "$res" | num rand_read_p50_ns) p99=$(echo "$res" | num rand_read_p99_ns)
gt "$p50" 0 && ! gt "$p50" "$p99" || fail "$backend: p50 $p50 p99 $p99"
grep -q '"o_direct":true' "$out" || fail "$backend: not O_DIRECT"
assert_no_scratch

# diskhog runs until stopped (its bound is an hour): a stop request ends it,
# with its figures, as it does an isolation aggressor
out=$tmp/diskhog.out
"$VCBENCH" launch --backend "$backend" --scratch 16MiB --scratch-dir "$scr" --stop-after 1s \
    --timeout 120s diskhog -- --jobs 2 >"$out" 2>&1 || { cat "$out"; fail "$backend: diskhog failed"; }
res=$(grep '"workload":"diskhog"' "$out") || { cat "$out"; fail "$backend: no diskhog result"; }
gt "$(echo "$res" | num writes)" 0 || fail "$backend: diskhog wrote nothing: $res"
gt "$(echo "$res" | num write_iops)" 0 || fail "$backend: no write_iops: $res"
[ "$(echo "$res" | num failed_jobs)" = 0 ] || fail "$backend: a writer failed: $res"
assert_no_scratch
echo "ok"
