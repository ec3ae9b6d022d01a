#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# vcbench demo --no-pause end to end on the given backends: exit 0, every
# step heading, a valid results.json (boot, memory and isolation measured),
# no claim about a KVM guest it did not boot, report.html, the report's path
# printed last, and nothing left behind.
#   demo-run.sh CHECK-RESULTS BACKENDS
set -eu
check=$1
backends=$2
. "$(dirname "$0")/../lib/common.sh"

t0=$(date +%s)
rc=0
"$VCBENCH" demo --no-pause --out "$tmp/out" --backends "$backends" </dev/null >"$tmp/log" 2>&1 ||
    rc=$?
t1=$(date +%s)
cat "$tmp/log"
[ "$rc" = 0 ] || fail "vcbench demo exited $rc"
for i in 1 2 3 4 5; do
    grep -q "^== Step $i of 5: " "$tmp/log" || fail "step $i heading missing"
done
"$check" "$tmp/out/results.json" complete boot,memory,isolation || fail "results.json invalid"
# it states only what it measured: an emulated VM's boot is not a KVM figure
if grep -q 'emulated (TCG)' "$tmp/log"; then
    grep -q 'KVM guest boots in' "$tmp/log" && fail "claims a KVM boot time it did not measure"
    grep -q 'was not measured here' "$tmp/log" || fail "does not say the KVM boot was not measured"
fi
[ -s "$tmp/out/report/report.html" ] || fail "no report.html"
last=$(tail -n 1 "$tmp/log")
[ "$last" = "Report: $tmp/out/report/report.html" ] || fail "last line is not the report: $last"
assert_nothing_left "$tmp/out/results.json"
echo "ok: demo on $backends took $((t1 - t0)) s"
