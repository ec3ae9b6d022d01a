#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# kill -9 of `vcbench run` in the middle (density under way: many instances
# alive). Alone, the run's guard removes what it left, before any cleanup:
# run dir, cgroups, mounts and instances are gone. Killed together with its
# guard, the leftovers stay and `vcbench cleanup` removes them. Either way
# the results file is valid JSON holding what had finished. Once per
# backend (process, and container where it works).
set -eu
check=$1
. "$(dirname "$0")/../lib/common.sh"
backends=process
if "$VCBENCH" launch --backend container noop >/dev/null 2>&1; then
    backends="process container"
fi
cat >"$tmp/long.json" <<'JSON'
{ "name": "long", "limits": { "container": { "memory": "64MiB", "pids": 64 } },
  "scenarios": [ { "type": "boot", "n": 2 },
                 { "type": "density", "instances_max": 200, "floor": "1GiB",
                   "settle": "100ms" } ] }
JSON

# No instance of ours whose run is gone may be left: orphaned process-backend
# instances (parent 1, executable in our image store), or any process that
# carries an instance name of run $1.
assert_no_orphans() {
    images=${VCB_STATE_DIR:-/var/lib/vcbench}/images/
    for p in /proc/[0-9]*; do
        exe=$(readlink "$p/exe" 2>/dev/null || true)
        case $exe in "$images"*/rootfs/*)
            ppid=$(sed 's/.*) //' "$p/stat" 2>/dev/null | cut -d' ' -f2)
            [ "$ppid" != 1 ] || fail "orphaned instance left: ${p#/proc/} $exe" ;;
        esac
        ! { tr '\0' '\n' <"$p/environ"; } 2>/dev/null | grep -q "^VCB_INSTANCE=vcb-$1-" ||
            fail "a process of run $1 left: ${p#/proc/} $exe"
    done
}

# Nothing of run $1 may stay: run dir, cgroups, mounts, processes.
assert_gone() {
    [ ! -e "$run_root/vcb-$1" ] || fail "$2: run dir still there"
    left=$(find /sys/fs/cgroup -maxdepth 4 -name "vcb-$1-*" 2>/dev/null | head -n 3)
    [ -z "$left" ] || fail "$2: cgroups left: $left"
    ! grep -q "vcb-$1-" /proc/self/mountinfo || fail "$2: mounts left"
    assert_no_orphans "$1"
}

kill_and_check() { # backend, run|both (the run alone, or with its guard)
    out=$tmp/out-$1-$2
    "$VCBENCH" run --suite "$tmp/long.json" --backends "$1" --out "$out" --no-progress \
        >/dev/null 2>"$tmp/err" &
    pid=$!
    for _ in $(seq 1 300); do # until boot is saved and density under way
        grep -q '"scenario"' "$out/results.json" 2>/dev/null && break
        sleep 0.1
    done
    sleep 3
    guard=$(pgrep -P "$pid" -x vcbench-guard) || fail "$1: no guard beside the run"
    if [ "$2" = both ]; then kill -9 "$guard" "$pid"; else kill -9 "$pid"; fi
    wait "$pid" 2>/dev/null || true
    id=$(run_id_of "$out/results.json")
    "$check" "$out/results.json" killed boot || fail "$1: results invalid after kill -9"
    if [ "$2" = run ]; then # the guard cleans up: nothing to wait for but it
        for _ in $(seq 1 100); do
            [ -e "$run_root/vcb-$id" ] || kill -0 "$guard" 2>/dev/null || break
            sleep 0.1
        done
        assert_gone "$id" "$1, before any cleanup"
        "$VCBENCH" cleanup >"$tmp/cleanup" || fail "$1: cleanup exited $?"
        echo "  $1: the guard removed everything; cleanup: $(tail -n 1 "$tmp/cleanup")"
        return
    fi
    [ -d "$run_root/vcb-$id" ] || fail "$1: the run and its guard killed left no run dir (id $id)"
    "$VCBENCH" cleanup >"$tmp/cleanup" || fail "$1: cleanup exited $?"
    sed "s/^/  $1: /" "$tmp/cleanup"
    grep -qF "removed run dir $run_root/vcb-$id" "$tmp/cleanup" || fail "$1: run dir not reported"
    sleep 0.5 # SIGKILLed processes are reaped by init
    assert_gone "$id" "$1, after cleanup"
}

for b in $backends; do
    kill_and_check "$b" run
    kill_and_check "$b" both
done
echo "ok ($backends)"
