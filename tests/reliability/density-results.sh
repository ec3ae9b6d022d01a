#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# density-results.sh — a density run that ends normally must write a results
# file that `report` and `compare` load. The density samples are differences
# of the host's MemAvailable; on a busy host a step can come out negative,
# and the loader refuses negative bytes (docs/reliability.md, B4). Three
# short runs make a noisy host show it.
set -u
. "$(dirname "$0")/lib.sh"
need_vcbench
need_root
track_init
cat >"$tmp/suite.json" <<'JSON'
{ "name": "rel-density", "backends": ["container", "process"],
  "scenarios": [ { "type": "density", "instances_max": 4, "floor": "64MiB", "settle": "300ms" } ] }
JSON
for i in 1 2 3; do
    start_run "$tmp/suite.json" "$tmp/out$i"
    wait_exit "$run_pid" 120
    [ "$exit_rc" = 0 ] || { cat "$run_err"; fail "run $i: exit $exit_rc"; }
    results_valid "$tmp/out$i/results.json" || fail "run $i: vcbench wrote a results file it cannot read"
done
echo "ok: 3 density runs, every results file loads"
