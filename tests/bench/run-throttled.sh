#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# run-throttled.sh BACKEND CHECK-ISO — a CPU aggressor held by cpus = 1 while
# it runs one loop per host CPU: the outcome comes from what the host
# recorded (a container's cgroup cpu.stat; a VM's vCPUs busy all along, from
# libvirt), sample by sample, and the aggressor's own ops/s is kept. On a busy
# shared host an aggressor may never get as much CPU as its quota: that
# sample is honestly "ran", and its record says so. The results are then
# reported, as a user would.
set -u
backend=$1 check=$2
[ "$(id -u)" = 0 ] || { echo "skip: needs root"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat >"$dir/suite.json" <<JSON
{ "name": "throttled", "backends": ["$backend"],
  "limits": { "$backend": { "cpus": 1, "memory": "256MiB" } },
  "timeouts": { "ready": "60s", "exit": "20s" },
  "scenarios": [ { "type": "isolation", "victims": ["cpu"], "aggressors": ["cpu"],
                   "n": 3, "duration": "1s" } ] }
JSON
"$VCBENCH" run --suite "$dir/suite.json" --out "$dir/out" --no-progress >/dev/null ||
    { echo "FAIL: vcbench run exited $?"; exit 1; }
case $backend in
container) "$check" "$dir/out/results.json" container cpu aggressor_throttled 1e-9 ;;
vm) "$check" "$dir/out/results.json" vm cpu aggressor_vcpu_busy 90 ;;
esac || exit 1
# What a run with this backend records, the report reads (host facts included).
"$VCBENCH" report "$dir/out/results.json" -o "$dir/report" -q ||
    { echo "FAIL: vcbench report of the run's results exited $?"; exit 1; }
