#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# fault-concurrent.sh — two `vcbench run` at once on the process and container
# backends, and a `vcbench cleanup` in the middle of them. Neither may touch
# the other's resources: both end complete (exit 0) with no DNF, under
# different run ids; cleanup removes nothing of either live run; afterwards
# nothing of either is left.
set -u
. "$(dirname "$0")/lib.sh"
need_vcbench
need_root
track_init
cat >"$tmp/suite.json" <<'JSON'
{ "name": "rel-concurrent", "backends": ["process", "container"],
  "timeouts": { "ready": "20s", "exit": "10s" },
  "scenarios": [ { "type": "boot", "workload": "noop", "warmup": 0, "n": 15, "max_n": 15 },
                 { "type": "memory", "workloads": ["idle"], "n": 3, "settle": "500ms" } ] }
JSON
start_run "$tmp/suite.json" "$tmp/a"
pid_a=$run_pid
start_run "$tmp/suite.json" "$tmp/b"
pid_b=$run_pid
id_a=$(run_pid=$pid_a wait_run_id "$tmp/a") || exit 1
id_b=$(run_pid=$pid_b wait_run_id "$tmp/b") || exit 1
[ "$id_a" != "$id_b" ] || fail "both runs got run id $id_a"
wait_instance "$id_a" 30
"$VCBENCH" cleanup >"$tmp/cleanup.out" 2>&1 || fail "cleanup during the runs: exit $?"
grep -E "$id_a|$id_b" "$tmp/cleanup.out" && fail "cleanup removed something of a live run"
for r in "a $pid_a $id_a" "b $pid_b $id_b"; do
    set -- $r
    wait_exit "$2" 120
    [ "$exit_rc" = 0 ] || { cat "$tmp/$1.stderr"; fail "run $1 ($3): exit $exit_rc"; }
    results_valid "$tmp/$1/results.json" || fail "run $1: results not loadable"
    grep -q '"complete": true' "$tmp/$1/results.json" || fail "run $1: not complete"
    grep -q '"reason"' "$tmp/$1/results.json" &&
        { grep -B2 -A2 '"reason"' "$tmp/$1/results.json"; fail "run $1 ($3): a DNF"; }
done
# Only once both have ended: the tracked processes are those of both runs.
assert_no_leftovers "$id_a" "run a"
assert_no_leftovers "$id_b" "run b"
echo "ok: runs $id_a and $id_b side by side (cleanup between them), both complete, nothing left"
