#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Stopping vcbench while an OCI container runs, for each runtime installed.
# Ctrl-C (SIGINT) during a launch — while the runtime creates it, and once
# it is ready — leaves no container in the state root, no cgroup and no
# bundle (the run dir stays, as launch keeps it on any failure, with the
# logs). kill -9 of launch alone: its run's guard deletes the container.
# kill -9 of launch and its guard: the container outlives both, and
# `vcbench cleanup` deletes it (and its init is gone).
set -eu
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/oci-lib.sh"
own_run_root

start_idle() { # runtime → $pid, $out
    out=$tmp/$1.$2.out
    "$VCBENCH" launch --backend "oci:$1" idle >"$out" 2>&1 &
    pid=$!
}

# Until launch catches SIGINT: a background job of a non-interactive shell
# starts with SIGINT ignored, so a signal sent before launch installs its
# handler is lost (a slow start, as under ASan, made "creating" flaky).
wait_catching() {
    for _ in $(seq 1 400); do
        cgt=$(sed -n 's/^SigCgt:[[:space:]]*//p' "/proc/$pid/status" 2>/dev/null)
        [ -n "$cgt" ] && [ $((0x$cgt & 2)) != 0 ] && return 0
        sleep 0.005
    done
    fail "$1: launch never caught SIGINT"
}

wait_ready() {
    for _ in $(seq 1 100); do
        grep -q ' ready' "$out" && return 0
        sleep 0.05
    done
    cat "$out"
    fail "$1: not ready"
}

# Whether process $1 ends within 3 s (SIGKILLed, it is reaped by init).
gone_soon() {
    for _ in $(seq 1 60); do
        kill -0 "$1" 2>/dev/null || return 0
        sleep 0.05
    done
    return 1
}

# The init of the container vcb-$1-1 (its pid file in the bundle).
init_pid() {
    cat "$run_root/vcb-$1/vcb-$1-1.oci/pid" 2>/dev/null
}

for rt in $runtimes; do
    for when in creating ready; do
        start_idle "$rt" "int-$when"
        if [ $when = ready ]; then wait_ready "$rt"; else wait_catching "$rt"; fi
        kill -INT "$pid"
        rc=0
        wait "$pid" || rc=$?
        [ "$rc" = 130 ] || { cat "$out"; fail "$rt SIGINT ($when): exit $rc, expected 130"; }
        id=$(launch_run_id "$out")
        [ -n "$id" ] || fail "$rt SIGINT ($when): no run id"
        assert_oci_clean "$id" "$rt SIGINT ($when)"
    done

    # kill -9 of launch: the guard deletes the container
    start_idle "$rt" kill9
    wait_ready "$rt"
    id=$(launch_run_id "$out")
    init=$(init_pid "$id")
    kill -9 "$pid"
    wait "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
        [ -e "$run_root/vcb-$id" ] || break
        sleep 0.1
    done
    assert_oci_clean "$id" "$rt kill -9 (the guard)"
    gone_soon "$init" || fail "$rt kill -9 (the guard): init $init still runs"

    # kill -9 of launch and its guard: `vcbench cleanup` deletes it
    start_idle "$rt" kill9both
    wait_ready "$rt"
    id=$(launch_run_id "$out")
    init=$(init_pid "$id")
    guard=$(pgrep -P "$pid" -x vcbench-guard) || fail "$rt: no guard beside launch"
    kill -9 "$guard" "$pid"
    wait "$pid" 2>/dev/null || true
    ls "$run_root/oci/$rt" | grep -q "^vcb-$id-1$" || fail "$rt: the container did not outlive vcbench"
    kill -0 "$init" 2>/dev/null || fail "$rt: its init $init did not outlive vcbench"
    "$VCBENCH" cleanup >"$tmp/cleanup" 2>&1 || { cat "$tmp/cleanup"; fail "$rt: cleanup exited"; }
    grep -q "OCI container vcb-$id-1" "$tmp/cleanup" || { cat "$tmp/cleanup"; fail "$rt: not reported"; }
    assert_oci_clean "$id" "$rt kill -9 + cleanup"
    gone_soon "$init" || fail "$rt kill -9 + cleanup: init $init still runs"
    echo "ok: $rt"
done
