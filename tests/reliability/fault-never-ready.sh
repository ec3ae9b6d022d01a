#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# fault-never-ready.sh [vm] — instances that never become ready in time: a
# ready timeout far below what a boot takes (1 ns for containers; 1 s for a
# VM forced to TCG, which needs 2-3 s to boot). Each must be recorded as a DNF
# with its reason, its resources freed, and the run must go on to the next
# scenario and end complete (exit 0).
set -u
. "$(dirname "$0")/lib.sh"
need_vcbench
need_root
track_init
backend=${1:-container}
extra=""
timeout=1ns
if [ "$backend" = vm ]; then
    need_libvirt
    timeout=1s
    extra="--accel tcg"
fi
cat >"$tmp/suite.json" <<JSON
{ "name": "rel-never-ready", "backends": ["$backend"],
  "timeouts": { "ready": "$timeout", "exit": "10s" },
  "scenarios": [ { "type": "boot", "workload": "noop", "warmup": 0, "n": 2, "max_n": 2 },
                 { "type": "memory", "workloads": ["idle"], "n": 1, "settle": "100ms" } ] }
JSON
out=$tmp/out
start_run "$tmp/suite.json" "$out" $extra
id=$(wait_run_id "$out") || exit 1
wait_exit "$run_pid" 120
[ "$exit_rc" = 0 ] || { cat "$run_err"; fail "run: exit $exit_rc, expected 0 (DNF is not a failure)"; }
results_valid "$out/results.json" || fail "results.json not loadable"
grep -q '"complete": true' "$out/results.json" || fail "run did not go on to the end"
grep -q '"scenario": "memory"' "$out/results.json" || fail "the next scenario did not run"
# A DNF says why: the event it waited for and the timeout.
grep -q '"dnf"' "$out/results.json" || fail "no DNF recorded"
grep -iq 'ready' "$out/results.json" || fail "no DNF reason mentions ready"
grep -q '"reason": "[^"]*timeout after [^"]* waiting for ready' "$out/results.json" ||
    { grep -A3 '"dnf"' "$out/results.json" | head -20; fail "no DNF reason names the timeout and ready"; }
assert_no_leftovers "$id" "never-ready $backend run"
echo "ok: $backend instances not ready within $timeout: DNF with reason, run $id went on, nothing left"
