#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# A network run stopped mid-way leaves nothing: SIGINT (its own teardown)
# and kill -9 (its guard) while netio and netflood run in containers on
# both paths and on the process arm: no run namespace, no container's
# namespace name, no peer, no pasta, no run dir.
set -u
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/net-lib.sh"
cat >"$tmp/long.json" <<'JSON'
{ "name": "long", "backends": ["process", "container"],
  "scenarios": [ { "type": "isolation", "victims": ["netio"], "aggressors": ["netflood"],
                   "n": 50, "duration": "1s" } ] }
JSON
helpers=$(net_helpers)

stop_run() { # net-path signal expected-exit
    out=$tmp/out-$1-$2
    "$VCBENCH" run --net "$1" --suite "$tmp/long.json" --out "$out" --no-progress \
        >/dev/null 2>"$tmp/err" &
    pid=$!
    for _ in $(seq 1 200); do # until a container's network is up
        ls /run/netns 2>/dev/null | grep -q '^vcb-' && [ -e "$out/results.json" ] && break
        sleep 0.1
    done
    sleep 2
    id=$(run_id_of "$out/results.json")
    [ -n "$id" ] || fail "$1 $2: no run id"
    ls /run/netns | grep -q "^vcb-$id" || fail "$1 $2: no network namespace while running"
    kill -"$2" "$pid"
    rc=0
    wait "$pid" || rc=$?
    [ "$rc" = "$3" ] || { cat "$tmp/err"; fail "$1 SIG$2: exit $rc, expected $3"; }
    for _ in $(seq 1 100); do # kill -9: the guard cleans up after the run
        [ ! -e "$run_root/vcb-$id" ] && ! ls /run/netns | grep -q "^vcb-$id" && break
        sleep 0.1
    done
    assert_net_clean "$id" "$helpers"
    [ ! -e "$run_root/vcb-$id" ] || fail "$1 SIG$2: run dir left"
}

stop_run bridge INT 130
stop_run user INT 130
stop_run user KILL 137
echo "ok"
