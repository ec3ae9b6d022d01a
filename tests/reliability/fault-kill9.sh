#!/bin/sh
# fault-kill9.sh SCENARIO [vm] — kill -9 of `vcbench run` in the middle of
# one scenario (boot, memory, density or isolation) on the process and
# container backends (or, with vm, on VMs forced to TCG). Then `vcbench cleanup` must leave 0 cgroups, mounts, domains, run
# dirs and processes of that run, and the results file must still be one that
# report/compare load (what had finished, complete = false or unset).
set -u
. "$(dirname "$0")/lib.sh"
scenario=${1:?usage: fault-kill9.sh boot|memory|density|isolation [vm]}
need_vcbench
need_root
track_init
backends='"container", "process"' extra=""
if [ "${2:-}" = vm ]; then
    need_libvirt
    backends='"vm"' extra="--accel tcg"
fi

# Long enough that the kill lands mid-scenario, with containers running.
case $scenario in
boot) sc='{"type": "boot", "workload": "noop", "warmup": 0, "n": 400, "max_n": 400}' ;;
memory) sc='{"type": "memory", "workloads": ["idle", "alloc"], "alloc": "16MiB", "n": 20, "settle": "1s"}' ;;
density) sc='{"type": "density", "instances_max": 12, "floor": "64MiB", "settle": "1s"}' ;;
isolation) sc='{"type": "isolation", "victims": ["cpu"], "aggressors": ["memhog"], "n": 10, "duration": "2s"}' ;;
*) fail "unknown scenario '$scenario'" ;;
esac
# The first scenario finishes (so there is something to keep), the second is killed.
cat >"$tmp/suite.json" <<EOF
{ "name": "rel-kill9-$scenario", "backends": [$backends],
  "timeouts": { "ready": "20s", "exit": "10s" },
  "scenarios": [ { "type": "boot", "workload": "noop", "warmup": 0, "n": 2 }, $sc ] }
EOF

out=$tmp/out
start_run "$tmp/suite.json" "$out" $extra
id=$(wait_run_id "$out") || exit 1
# Wait for the first scenario to be saved, then for the second one's containers.
for _ in $(seq 1 200); do
    grep -q '"scenario"' "$out/results.json" 2>/dev/null && break
    sleep 0.05
done
wait_instance "$id" 60
sleep 0.3
kill -9 "$run_pid"
wait_exit "$run_pid" 10
[ "$exit_rc" = 137 ] || fail "kill -9: exit $exit_rc, expected 137"

results_valid "$out/results.json" || fail "results.json after kill -9 is not loadable"
grep -q '"scenario": "boot"' "$out/results.json" || fail "the finished boot scenario was not kept"
grep -q '"complete": true' "$out/results.json" && fail "a killed run claims to be complete"

"$VCBENCH" cleanup >"$tmp/cleanup.out" 2>&1 || { cat "$tmp/cleanup.out"; fail "cleanup: exit $?"; }
grep -q "^removed [0-9]* item" "$tmp/cleanup.out" || { cat "$tmp/cleanup.out"; fail "cleanup: no total"; }
sleep 0.5 # SIGKILLed process groups are reaped by init
assert_no_leftovers "$id" "kill -9 during $scenario, then cleanup"
ls "$out" | grep -q '\.tmp' && fail "a temporary results file was left in $out"
echo "ok: kill -9 during $scenario (run $id), cleanup left nothing; $(grep -c '^removed ' "$tmp/cleanup.out") lines from cleanup"
