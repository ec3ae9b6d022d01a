#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# fault-signal.sh — SIGINT and SIGTERM to `vcbench run` while containers run:
# a clean stop within a few seconds (exit 130 / 143), a results file that
# report/compare load with complete = false and stopped_by set, and, with no
# `vcbench cleanup`, nothing of the run left: cgroups, mounts, run dir,
# processes.
set -u
. "$(dirname "$0")/lib.sh"
need_vcbench
need_root
track_init
cat >"$tmp/suite.json" <<'JSON'
{ "name": "rel-signal", "backends": ["process", "container"],
  "timeouts": { "ready": "20s", "exit": "10s" },
  "scenarios": [ { "type": "boot", "workload": "noop", "warmup": 0, "n": 2 },
                 { "type": "isolation", "victims": ["cpu"], "aggressors": ["cpu"], "n": 10,
                   "duration": "2s" } ] }
JSON

# stop SIGNAL EXIT: stop a run mid-isolation, within 5 s. (Not density: see
# density-results.sh for why its file may not load.)
stop() {
    out=$tmp/out-$1
    start_run "$tmp/suite.json" "$out"
    id=$(wait_run_id "$out") || exit 1
    for _ in $(seq 1 200); do
        grep -q '"scenario"' "$out/results.json" 2>/dev/null && break
        sleep 0.05
    done
    wait_instance "$id" 30
    sleep 0.5
    t0=$(date +%s%N)
    kill -"$1" "$run_pid"
    wait_exit "$run_pid" 5
    ms=$((($(date +%s%N) - t0) / 1000000))
    [ "$exit_rc" = "$2" ] || { cat "$run_err"; fail "SIG$1: exit $exit_rc, expected $2"; }
    results_valid "$out/results.json" || fail "SIG$1: results.json not loadable"
    grep -q '"complete": false' "$out/results.json" || fail "SIG$1: complete is not false"
    grep -q "\"stopped_by\": \"SIG$1\"" "$out/results.json" || fail "SIG$1: stopped_by not set"
    grep -q '"scenario": "boot"' "$out/results.json" || fail "SIG$1: finished scenario not kept"
    assert_no_leftovers "$id" "SIG$1 without cleanup"
    echo "ok: SIG$1 stopped run $id in $ms ms, exit $exit_rc, nothing left"
}

stop INT 130
stop TERM 143
