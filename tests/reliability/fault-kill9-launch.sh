#!/bin/sh
# fault-kill9-launch.sh — kill -9 of `vcbench launch --backend container idle`
# while the container runs; `vcbench cleanup` must then leave nothing of it:
# no cgroup, no run dir, no process.
set -u
. "$(dirname "$0")/lib.sh"
need_vcbench
need_root
track_init
sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' sh "$track" \
    "$VCBENCH" launch --backend container idle >"$tmp/launch.out" 2>&1 &
run_pid=$!
id=""
for _ in $(seq 1 100); do
    id=$(sed -n 's/.* as vcb-\([0-9a-f]\{8\}\)-1 .*/\1/p' "$tmp/launch.out")
    [ -n "$id" ] && grep -q ' ready' "$tmp/launch.out" && break
    sleep 0.1
done
[ -n "$id" ] || { cat "$tmp/launch.out"; fail "launch did not start"; }
kill -9 "$run_pid"
# Whatever happens below, remove what this test made (only run $id's).
trap 'vcb_cgroups | grep "/vcb-$id-" | xargs -r rmdir; rm -rf "$run_root/vcb-$id";
      track_done; rm -rf "$tmp"' EXIT
wait_exit "$run_pid" 10
"$VCBENCH" cleanup >"$tmp/cleanup.out" 2>&1 || { cat "$tmp/cleanup.out"; fail "cleanup: exit $?"; }
sleep 0.5
assert_no_leftovers "$id" "kill -9 of launch, then cleanup"
echo "ok: kill -9 of launch (run $id), cleanup left nothing"
