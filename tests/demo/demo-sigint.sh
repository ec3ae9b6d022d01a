#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Ctrl-C in the middle of the demo: exit 130, results.json marked incomplete
# (stopped_by SIGINT) holding what finished, and nothing left behind.
set -eu
check=$1
. "$(dirname "$0")/../lib/common.sh"

"$VCBENCH" demo --no-pause --out "$tmp/out" --backends process,container </dev/null \
    >"$tmp/log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do # into the noisy-neighbour step, instances running
    grep -q "^The victim alone" "$tmp/log" 2>/dev/null && break
    sleep 0.1
done
sleep 1
kill -INT "$pid"
rc=0
wait "$pid" || rc=$?
cat "$tmp/log"
[ "$rc" = 130 ] || fail "exit $rc, expected 130"
grep -q "^Stopped: every instance is gone" "$tmp/log" || fail "no word that it stopped"
"$check" "$tmp/out/results.json" incomplete boot,memory || fail "results.json invalid"
grep -q '"stopped_by": "SIGINT"' "$tmp/out/results.json" || fail "stopped_by not SIGINT"
assert_nothing_left "$tmp/out/results.json"
echo "ok"
