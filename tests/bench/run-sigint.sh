#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# SIGINT (and SIGTERM) in the middle of a run: exit 130 (143), a valid
# results.json with complete=false and stopped_by set, holding what
# finished, and nothing of the run left in the run root.
set -eu
check=$1
. "$(dirname "$0")/../lib/common.sh"
cat >"$tmp/long.json" <<'JSON'
{ "name": "long", "backends": ["process"],
  "scenarios": [ { "type": "boot", "n": 3 },
                 { "type": "isolation", "victims": ["cpu"], "aggressors": ["cpu"], "n": 50,
                   "duration": "1s" } ] }
JSON

stop_run() { # signal exit-code
    out=$tmp/out-$1
    "$VCBENCH" run --suite "$tmp/long.json" --out "$out" --no-progress >/dev/null 2>"$tmp/err" &
    pid=$!
    # wait until the first scenario has been saved, then stop it mid-isolation
    for _ in $(seq 1 100); do
        grep -q '"scenario"' "$out/results.json" 2>/dev/null && break
        sleep 0.1
    done
    sleep 1
    kill -"$1" "$pid"
    rc=0
    wait "$pid" || rc=$?
    [ "$rc" = "$2" ] || { cat "$tmp/err"; fail "SIG$1: exit $rc, expected $2"; }
    "$check" "$out/results.json" incomplete boot || fail "SIG$1: results invalid"
    grep -q "\"stopped_by\": \"SIG$1\"" "$out/results.json" || fail "SIG$1: stopped_by not set"
    assert_nothing_left "$out/results.json"
}

stop_run INT 130
stop_run TERM 143
echo "ok"
