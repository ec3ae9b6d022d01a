#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# run-variants.sh CHECK — an isolation scenario with two limit variants on
# the process and container arms: every cell runs once per variant for the
# container (its entries labelled and carrying that variant's limits) and
# once for the process control; the report draws one group per variant and
# the control's beside them.
set -u
check=$1
[ "$(id -u)" = 0 ] || { echo "skip: needs root"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat >"$dir/suite.json" <<JSON
{ "name": "variants", "backends": ["process", "container"],
  "timeouts": { "ready": "30s", "exit": "10s" },
  "scenarios": [ { "type": "isolation", "victims": ["cpu"], "aggressors": ["cpu"],
                   "n": 2, "duration": "300ms",
                   "variants": { "hard": { "container": { "cpus": 1 } },
                                 "weight": { "container": { "cpu_weight": 100 } } } } ] }
JSON
"$VCBENCH" run --suite "$dir/suite.json" --out "$dir/out" --no-progress >/dev/null ||
    { echo "FAIL: vcbench run exited $?"; exit 1; }
"$check" "$dir/out/results.json" hard weight || exit 1
"$VCBENCH" report "$dir/out/results.json" -o "$dir/report" -q ||
    { echo "FAIL: vcbench report exited $?"; exit 1; }
want='set xtics ("cpu, control" 0, "cpu, hard" 1, "cpu, weight" 2)'
grep -qF "$want" "$dir/report/plots/isolation.gp" ||
    { echo "FAIL: isolation plot groups: want $want"; grep xtics "$dir/report/plots/isolation.gp"; exit 1; }
grep -q 'in containers (hard)' "$dir/report/report.md" ||
    { echo "FAIL: the answer does not name the variant"; exit 1; }
echo "ok: variants labelled in results, grouped in the plot"
