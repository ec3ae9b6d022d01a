#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Ctrl-C during the container rounds: exit 130, a valid results file with
# complete=false holding what was measured, and nothing left behind.
set -eu
check=$1
. "$(dirname "$0")/../lib/common.sh"
"$VCBENCH" peers --only launcher,crun,clone-floor --runs 100000 --warmup 0 --out "$tmp/out" \
    --no-progress >/dev/null 2>"$tmp/err" &
pid=$!
sleep 3
kill -INT "$pid"
rc=0
wait "$pid" || rc=$?
[ "$rc" = 130 ] || { cat "$tmp/err"; fail "exit $rc, expected 130"; }
"$check" "$tmp/out/results.json" incomplete 0 0 "" "" || fail "results invalid"
grep -q '"start_to_exit"' "$tmp/out/results.json" || fail "what was measured is not kept"
grep -q '"stopped_by": "SIGINT"' "$tmp/out/results.json" || fail "stopped_by not set"
assert_nothing_left "$tmp/out/results.json"
echo ok
