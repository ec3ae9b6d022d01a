#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# SIGINT to the fleet (and SIGTERM) while both hosts run, each after its
# first scenario: the fleet stops its ssh children, each remote run is
# stopped too (it ends when its session's input closes), saves and removes
# what it made, and what it saved comes back before its temp dir there
# goes; the fleet exits 130 (143) with fleet.json saying who stopped it and
# each host incomplete with its results so far, a report of them; nothing
# left on either side.
set -eu
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/fleet-lib.sh"
fleet_setup
# Long enough to be stopped in the middle: 50 one-second isolation cells.
cat >"$tmp/long.json" <<'JSON'
{ "name": "long", "backends": ["process"],
  "scenarios": [ { "type": "boot", "n": 3 },
                 { "type": "isolation", "victims": ["cpu"], "aggressors": ["cpu"], "n": 50,
                   "duration": "1s" } ] }
JSON
printf 'vcb-a vcbench=%s\nvcb-b vcbench=%s\n' "$VCBENCH" "$VCBENCH" >"$tmp/hosts"

stop_fleet() { # signal exit-code
    out=$tmp/out-$1
    "$VCBENCH" fleet --hosts "$tmp/hosts" --suite "$tmp/long.json" -o "$out" \
        >/dev/null 2>"$tmp/err-$1" &
    pid=$!
    # wait until both remote runs have saved their first scenario, there
    i=0
    while [ "$(grep -l '"scenario"' $(remote_tmp_new | sed 's|$|/out/results.json|') 2>/dev/null |
        wc -l)" -lt 2 ]; do
        i=$((i + 1))
        [ $i -lt 300 ] || { cat "$tmp/err-$1"; fail "SIG$1: the remote runs did not start"; }
        sleep 0.1
    done
    # their run ids, for the check that nothing of them stays
    n=0
    for d in $(remote_tmp_new); do
        n=$((n + 1))
        cp "$d/out/results.json" "$tmp/remote-$1-$n.json"
    done
    sleep 1
    t0=$(date +%s)
    kill -"$1" "$pid"
    rc=0
    wait "$pid" || rc=$?
    took=$(($(date +%s) - t0))
    cat "$tmp/err-$1"
    [ "$rc" = "$2" ] || fail "SIG$1: exit $rc, expected $2"
    [ $took -lt 30 ] || fail "SIG$1: the fleet took $took s to stop"
    json_check "d['stopped_by'] == 'SIG$1'" "$out/fleet.json"
    json_check 'all(h["status"] == "incomplete" and "stopped while vcbench run there" in h["reason"]
        and h["results"] == "hosts/%s/results.json" % h["name"] for h in d["hosts"])' \
        "$out/fleet.json"
    grep -q "^vcb-a: incomplete (its results so far kept): stopped while vcbench run there" \
        "$tmp/err-$1" || fail "SIG$1: no line saying vcb-a is incomplete"
    # each host's results so far: the remote run's, stopped (by the SIGTERM
    # its session's end sends), with the scenario it had saved
    ids=$(for r in "$tmp/remote-$1-"*.json; do run_id_of "$r"; done | sort | tr '\n' ' ')
    kept=$(for h in vcb-a vcb-b; do run_id_of "$out/hosts/$h/results.json"; done | sort | tr '\n' ' ')
    [ "$kept" = "$ids" ] || fail "SIG$1: kept runs '$kept', the remote ones were '$ids'"
    for h in vcb-a vcb-b; do
        json_check '(d["run"]["complete"] is False and d["run"]["stopped_by"] == "SIGTERM"
            and any(e.get("scenario") for e in d["results"]))' "$out/hosts/$h/results.json"
    done
    [ ! -e "$out/hosts/vcb-a/results.json.part" ] || fail "SIG$1: a .part left"
    grep -q '<td>vcb-a</td><td>vcb-a</td><td></td><td>incomplete</td>' "$out/report/report.html" ||
        fail "SIG$1: the report has no incomplete row for vcb-a"
    assert_fleet_left_nothing
    for r in "$tmp/remote-$1-"*.json; do
        assert_nothing_left "$r"
    done
}

stop_fleet INT 130
stop_fleet TERM 143
echo "ok"
