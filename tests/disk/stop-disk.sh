#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# A run with disk workloads stopped in the middle leaves no scratch volume:
# SIGINT (exit 130, its own teardown), kill -9 of the run (its guard), and
# kill -9 of the run and its guard (then `vcbench cleanup`).
set -eu
check=$1
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/lib.sh"
cat >"$tmp/disk.json" <<JSON
{ "name": "disk", "backends": ["process"], "scratch": { "size": "32MiB", "dir": "$scr" },
  "scenarios": [ { "type": "isolation", "victims": ["diskio"], "aggressors": ["diskhog"],
                   "n": 50, "duration": "2s" } ] }
JSON

stop_run() { # how: int | kill9 | kill9-both
    out=$tmp/out-$1
    "$VCBENCH" run --suite "$tmp/disk.json" --out "$out" --no-progress >/dev/null 2>"$tmp/err" &
    pid=$!
    for _ in $(seq 1 300); do # until a volume is in use
        [ -n "$(find "$scr" -name '*.img' 2>/dev/null)" ] && break
        sleep 0.1
    done
    [ -n "$(find "$scr" -name '*.img')" ] || { kill "$pid"; fail "$1: no volume made"; }
    sleep 1
    guard=$(pgrep -P "$pid" -x vcbench-guard) || fail "$1: no guard beside the run"
    case $1 in
    int) kill -INT "$pid" ;;
    kill9) kill -9 "$pid" ;;
    kill9-both) kill -9 "$guard" "$pid" ;;
    esac
    rc=0
    wait "$pid" 2>/dev/null || rc=$?
    [ "$1" != int ] || [ "$rc" = 130 ] || { cat "$tmp/err"; fail "SIGINT: exit $rc, expected 130"; }
    if [ "$1" = kill9-both ]; then
        [ -n "$(find "$scr" -mindepth 1)" ] || fail "kill9-both: nothing left for cleanup to find"
        "$VCBENCH" cleanup >/dev/null || fail "cleanup failed"
    else # the guard works on its own: give it a moment
        for _ in $(seq 1 100); do
            [ -z "$(find "$scr" -mindepth 1)" ] && break
            sleep 0.1
        done
    fi
    mode=killed
    [ "$1" != int ] || mode=incomplete
    "$check" "$out/results.json" "$mode" || fail "$1: results invalid"
    assert_no_scratch
    assert_nothing_left "$out/results.json"
}

stop_run int
stop_run kill9
stop_run kill9-both
echo "ok"
