#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# fault-kill9.sh SCENARIO ARM — kill -9 of `vcbench run` in the middle of one
# scenario (boot, memory, density or isolation) while instances of ARM run:
# process or container (the suite runs both), or vm (VMs forced to TCG).
# Before any `vcbench cleanup`, nothing of the run may stay: no process (the
# run's own, its instances', what the workloads started), no cgroup, mount,
# domain or run dir. The results file must still be one that report/compare
# load (what had finished, complete = false or unset). `vcbench cleanup`
# afterwards still works and finds nothing of the run.
set -u
. "$(dirname "$0")/lib.sh"
scenario=${1:?usage: fault-kill9.sh boot|memory|density|isolation process|container|vm}
arm=${2:?usage: fault-kill9.sh SCENARIO process|container|vm}
need_vcbench
need_root
track_init
backends='"container", "process"' extra=""
if [ "$arm" = vm ]; then
    need_libvirt
    backends='"vm"' extra="--accel tcg"
fi

# Long enough that the kill lands mid-scenario, with instances running. The
# workloads are the ones that outlived a killed run before: cpu (a second
# of loops, so a boot's instance is alive long enough to be seen) and, as
# aggressors, a cpu loop per host CPU and memhog holding memory.
case $scenario in
boot) sc='{"type": "boot", "workload": "cpu", "warmup": 0, "n": 400, "max_n": 400}' ;;
memory) sc='{"type": "memory", "workloads": ["idle", "alloc"], "alloc": "16MiB", "n": 20, "settle": "1s"}' ;;
density) sc='{"type": "density", "instances_max": 12, "floor": "64MiB", "settle": "1s"}' ;;
isolation) sc='{"type": "isolation", "victims": ["cpu"], "aggressors": ["cpu", "memhog"], "n": 10, "duration": "2s"}' ;;
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
# Wait for the first scenario to be saved (VMs under TCG boot in seconds),
# then for the second one's instances.
for _ in $(seq 1 $([ "$arm" = vm ] && echo 2400 || echo 200)); do
    grep -q '"scenario"' "$out/results.json" 2>/dev/null && break
    sleep 0.05
done
case $arm in
process) wait_process_instance "$id" 60 ;; # short-lived: kill at once
*) wait_instance "$id" 60 && sleep 0.3 ;;
esac
kill -9 "$run_pid"
wait_exit "$run_pid" 10
[ "$exit_rc" = 137 ] || fail "kill -9: exit $exit_rc, expected 137"

results_valid "$out/results.json" || fail "results.json after kill -9 is not loadable"
grep -q '"scenario": "boot"' "$out/results.json" || fail "the finished boot scenario was not kept"
grep -q '"complete": true' "$out/results.json" && fail "a killed run claims to be complete"
ls "$out" | grep -q '\.tmp' && fail "a temporary results file was left in $out"

# No cleanup yet: the run's guard, vcb-init and libvirt's AUTODESTROY take it all.
t0=$(date +%s)
wait_no_leftovers "$id" 20 "kill -9 during $scenario ($arm), before any cleanup"
took=$(($(date +%s) - t0))

"$VCBENCH" cleanup >"$tmp/cleanup.out" 2>&1 || { cat "$tmp/cleanup.out"; fail "cleanup: exit $?"; }
grep -q "^removed [0-9]* item" "$tmp/cleanup.out" || { cat "$tmp/cleanup.out"; fail "cleanup: no total"; }
grep -q "vcb-$id" "$tmp/cleanup.out" && { cat "$tmp/cleanup.out"; fail "cleanup found something of the run"; }
assert_no_leftovers "$id" "kill -9 during $scenario ($arm), after cleanup"
echo "ok: kill -9 during $scenario with $arm instances (run $id): nothing left within ${took} s, before any cleanup"
