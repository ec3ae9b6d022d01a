#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# fd-leak.sh — the caller's open files must not reach what vcbench starts.
# `vcbench launch` is started holding a marker file open (fd 7, no
# close-on-exec, as a shell leaves it); once the instance is ready, none of
# its processes (vcb-init, the workload) nor the run's guard may hold the
# marker. Process and container arms.
set -u
. "$(dirname "$0")/lib.sh"
need_vcbench
need_root
private_run_root
marker=$tmp/marker-file
: >"$marker"

# holders PID...: the pids among these that have the marker open.
holders() {
    for p in "$@"; do
        for fd in /proc/"$p"/fd/*; do
            [ "$(readlink "$fd" 2>/dev/null)" = "$marker" ] && echo "$p" && break
        done
    done
}

# Processes of instance $1: its process-arm environment or its cgroup (the
# memory group: every container has one, on v1 and v2).
instance_pids() {
    for p in /proc/[0-9]*; do
        { tr '\0' '\n' <"$p/environ"; } 2>/dev/null | grep -qx "VCB_INSTANCE=$1" && echo "${p#/proc/}"
    done
    cat /sys/fs/cgroup/memory/vcbench/"$1"/cgroup.procs /sys/fs/cgroup/vcbench/"$1"/cgroup.procs \
        2>/dev/null
}

for backend in process container; do
    "$VCBENCH" launch --backend "$backend" --stop-after 3s idle >"$tmp/$backend.out" 2>&1 7<"$marker" &
    run_pid=$!
    name=$(launch_ready_name "$tmp/$backend.out") || exit 1
    [ -n "$(holders "$run_pid")" ] || fail "$backend: the test's marker is not even open in vcbench"
    pids=$(instance_pids "$name")
    [ -n "$pids" ] || fail "$backend: no process of $name found"
    guard=$(pgrep -P "$run_pid" -x vcbench-guard) || fail "$backend: no guard"
    leak=$(holders $pids $guard)
    [ -z "$leak" ] || fail "$backend: the caller's fd reached pid(s) $leak"
    wait_exit "$run_pid" 20
    [ "$exit_rc" = 0 ] || { cat "$tmp/$backend.out"; fail "$backend: launch exit $exit_rc"; }
    echo "ok: $backend: $(echo $pids | wc -w) instance process(es) and the guard hold none of the caller's fds"
done
