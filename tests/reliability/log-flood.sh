#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# log-flood.sh FLOOD CHECK — bounded logs. FLOOD (a workload that writes
# 64 MiB to stderr and thousands of stray stdout lines, then ends like noop)
# stands in for noop in a private image store; `vcbench run` on the process
# and container backends must keep each instance's log within its cap (the
# suite's log_max, then --log-max over it), count what was dropped per
# instance in results.json, show it in the report, and stay small itself:
# the logs are streamed, never read whole (peak RSS, measured by CHECK).
# `vcbench launch --log-max` says what it dropped.
set -u
. "$(dirname "$0")/lib.sh"
flood=${1:?usage: log-flood.sh FLOOD CHECK}
check=${2:?usage: log-flood.sh FLOOD CHECK}
need_vcbench
need_root
private_run_root
[ -n "${VCB_LIBEXEC_DIR:-}" ] || skip "VCB_LIBEXEC_DIR is not set (run through ctest)"
mkdir -p "$tmp/libexec" "$tmp/state"
cp -a "$VCB_LIBEXEC_DIR"/. "$tmp/libexec/"
cp "$flood" "$tmp/libexec/wl-noop"
export VCB_LIBEXEC_DIR="$tmp/libexec" VCB_STATE_DIR="$tmp/state"
MIB=1048576
FLOOD=$((64 * MIB))
RSS_MAX_KIB=65536 # a quarter of what the four instances write
cat >"$tmp/suite.json" <<'JSON'
{ "name": "rel-log-flood", "backends": ["process", "container"], "log_max": "2MiB",
  "scenarios": [ { "type": "boot", "workload": "noop", "warmup": 0, "n": 2, "max_n": 2 } ] }
JSON

# flood_run NAME CAP [ARGS...]: a run whose 4 instances each flood; all capped at CAP.
flood_run() {
    name=$1 cap=$2
    shift 2
    out=$tmp/$name
    rc=0
    "$check" rss "$VCBENCH" run --suite "$tmp/suite.json" --out "$out" --no-progress "$@" \
        >"$tmp/$name.stdout" 2>"$tmp/$name.stderr" || rc=$?
    [ "$rc" = 0 ] || { cat "$tmp/$name.stderr"; fail "$name: exit $rc"; }
    "$check" results "$out/results.json" "$cap" 4 $((FLOOD - cap)) || fail "$name: results.json"
    rss=$(sed -n 's/^peak rss \([0-9]*\) KiB$/\1/p' "$tmp/$name.stderr")
    [ -n "$rss" ] && [ "$rss" -lt "$RSS_MAX_KIB" ] ||
        fail "$name: vcbench peaked at ${rss:-?} KiB (expected under $RSS_MAX_KIB) for $((4 * FLOOD / MIB)) MiB of logs"
    n=0
    for f in "$out"/logs/*.log; do
        size=$(stat -c %s "$f")
        [ "$size" -le "$cap" ] || fail "$name: $f holds $size bytes, over the cap $cap"
        grep -q '^\[vcbench: log capped at' "$f" || fail "$name: $f does not say it was capped"
        n=$((n + 1))
    done
    [ "$n" = 4 ] || fail "$name: $n logs kept, expected 4"
    echo "ok: $name: 4 logs of $((FLOOD / MIB)) MiB each capped at $cap bytes; vcbench peaked at $rss KiB"
}

flood_run suite-cap $((2 * MIB))
flood_run option-cap $MIB --log-max 1MiB

# The report says what was dropped.
"$VCBENCH" report "$tmp/option-cap/results.json" -o "$tmp/rep" >/dev/null 2>"$tmp/rep.err" ||
    { cat "$tmp/rep.err"; fail "report: exit $?"; }
grep -q 'logs of 4 instances reached their cap of 1.0 MiB' "$tmp/rep/report.md" ||
    fail "report.md does not say the logs were capped"
grep -q 'logs of 4 instances reached their cap of 1.0 MiB' "$tmp/rep/report.html" ||
    fail "report.html does not say the logs were capped"

# launch says it too.
"$VCBENCH" launch --backend container --log-max 64KiB noop >"$tmp/launch.out" 2>&1 ||
    { cat "$tmp/launch.out"; fail "launch: exit $?"; }
grep -q '^log: .* kept, .* dropped (cap 64.0 KiB)$' "$tmp/launch.out" ||
    { cat "$tmp/launch.out"; fail "launch does not say what it dropped"; }
echo "ok: report and launch say what was dropped"
