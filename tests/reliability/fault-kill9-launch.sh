#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# fault-kill9-launch.sh — kill -9 of `vcbench launch --backend container idle`
# while the container runs. (1) vcbench alone: its guard removes what it
# left before any cleanup: no cgroup, no run dir, no process. (2) vcbench
# and its guard together (nothing of the run survives to clean up): then
# `vcbench cleanup` must leave nothing of it.
set -u
. "$(dirname "$0")/lib.sh"
need_vcbench
need_root
track_init
ids=""
# Whatever happens below, remove what this test made (only its runs').
trap 'for i in $ids; do vcb_cgroups | grep "/vcb-$i-" | xargs -r rmdir; rm -rf "$run_root/vcb-$i"; done;
      track_done; rm -rf "$tmp"' EXIT

# launch_ready NAME: a container launch, ready; sets run_pid, id, guard.
launch_ready() {
    sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' sh "$track" \
        "$VCBENCH" launch --backend container idle >"$tmp/$1.out" 2>&1 &
    run_pid=$!
    name=$(launch_ready_name "$tmp/$1.out") || exit 1
    id=${name#vcb-}
    id=${id%-1}
    ids="$ids $id"
    guard=$(pgrep -P "$run_pid" -x vcbench-guard) || fail "$1: no guard beside the launch"
}

launch_ready alone
kill -9 "$run_pid"
wait_exit "$run_pid" 10
wait_no_leftovers "$id" 20 "kill -9 of launch, before any cleanup"
echo "ok: kill -9 of launch (run $id): its guard left nothing"

launch_ready both
kill -9 "$guard" "$run_pid"
wait_exit "$run_pid" 10
sleep 0.5
vcb_cgroups | grep -q "/vcb-$id-" || fail "launch and guard killed: no cgroup left to clean up"
"$VCBENCH" cleanup >"$tmp/cleanup.out" 2>&1 || { cat "$tmp/cleanup.out"; fail "cleanup: exit $?"; }
grep -qF "removed run dir $run_root/vcb-$id" "$tmp/cleanup.out" ||
    { cat "$tmp/cleanup.out"; fail "cleanup did not remove the run dir"; }
sleep 0.5
assert_no_leftovers "$id" "kill -9 of launch and its guard, then cleanup"
echo "ok: kill -9 of launch and its guard (run $id), cleanup left nothing"
