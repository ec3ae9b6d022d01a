#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Two loopback "hosts" with different labels and a destination that refuses
# the connection: exit 0, each host's results fetched into DIR/hosts/<name>/,
# fleet.json right (labels, status, reason, timings, results paths), one
# report with a group per host, the host facts side by side and the refused
# one a DNF row with its reason; the report made again from fleet.json;
# nothing left on either side.
set -eu
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/fleet-lib.sh"
fleet_setup
cat >"$tmp/hosts" <<EOF2
# two loopback hosts and one that refuses
vcb-a gen=zen3 kernel=6.1 vcbench=$VCBENCH
vcb-b name=beta gen=zen4 vcbench=$VCBENCH
vcb-refused   # nothing listens there
EOF2
out=$tmp/out
rc=0
"$VCBENCH" fleet --hosts "$tmp/hosts" --suite "$tmp/suite.json" -o "$out" \
    >"$tmp/stdout" 2>"$tmp/stderr" || rc=$?
cat "$tmp/stderr"
[ $rc = 0 ] || fail "fleet exited $rc, expected 0 (two hosts have results)"
[ "$(cat "$tmp/stdout")" = "$out/report/report.html" ] || fail "stdout is not the report's path"

# progress: each host's states
for l in "vcb-a: connecting" "vcb-a: running fleet-tiny" "vcb-a: running fleet-tiny: \[" \
    "vcb-a: fetching results.json" "vcb-a: done in" "beta: connecting to vcb-b" \
    "beta: done in" "vcb-refused: DNF: .*Connection refused"; do
    grep -q "^$l" "$tmp/stderr" || fail "no progress line '$l'"
done

# fleet.json
f=$out/fleet.json
json_check 'd["schema"] == "vcbench-fleet/1" and d["suite"] == "fleet-tiny" and d["stopped_by"] is None' "$f"
json_check '[h["name"] for h in d["hosts"]] == ["vcb-a", "beta", "vcb-refused"]' "$f"
json_check 'd["hosts"][0]["labels"] == {"gen": "zen3", "kernel": "6.1"} and d["hosts"][1]["labels"] == {"gen": "zen4"}' "$f"
json_check 'd["hosts"][1]["destination"] == "vcb-b"' "$f"
json_check 'all(h["status"] == "done" and h["reason"] is None and h["results"] == "hosts/%s/results.json" % h["name"] for h in d["hosts"][:2])' "$f"
json_check 'all(h["timings"]["run_s"] > 0 and h["timings"]["total_s"] >= h["timings"]["run_s"] for h in d["hosts"][:2])' "$f"
json_check 'd["hosts"][2]["status"] == "dnf" and "Connection refused" in d["hosts"][2]["reason"] and d["hosts"][2]["results"] is None' "$f"
[ ! -e "$out/hosts/vcb-refused" ] || fail "a results dir for the refused host"

# each host's own results, whole, and nothing of either run left
for h in vcb-a beta; do
    r=$out/hosts/$h/results.json
    json_check 'd["run"]["complete"] is True and len(d["results"]) > 0' "$r"
    assert_nothing_left "$r"
done
[ "$(run_id_of "$out/hosts/vcb-a/results.json")" != "$(run_id_of "$out/hosts/beta/results.json")" ] ||
    fail "both hosts' results are one run"

# one report: the fleet section with the DNF, a column per host, the
# comparison across hosts, a group per host in the plots
html=$out/report/report.html
grep -q '<section id="fleet">' "$html" || fail "no fleet section"
grep -q '<td>vcb-refused</td><td>vcb-refused</td><td></td><td>DNF</td>' "$html" || fail "no DNF row"
grep -q 'Connection refused' "$html" || fail "the DNF's reason is not in the report"
grep -q '<th>vcb-a (gen=zen3 kernel=6.1)</th><th>beta (gen=zen4)</th>' "$html" ||
    fail "the host facts table has no column per host"
grep -q '<h3>beta (gen=zen4) against vcb-a (gen=zen3 kernel=6.1)' "$html" ||
    fail "no comparison across hosts"
gp=$out/report/plots/boot-pctl.gp
grep -q 'vcb-a (gen=zen3 kernel=6.1)' "$gp" && grep -q 'beta (gen=zen4)' "$gp" ||
    fail "the plot does not name both hosts"
grep -q '| vcb-refused | vcb-refused |  | DNF |' "$out/report/report.md" || fail "no DNF row in report.md"

# made again from the record alone
"$VCBENCH" report "$f" -o "$tmp/again" >/dev/null 2>&1 || fail "vcbench report fleet.json failed"
grep -q '<section id="fleet">' "$tmp/again/report.html" || fail "the re-made report has no fleet section"

assert_fleet_left_nothing
echo "ok: $(grep -c 'done in' "$tmp/stderr") hosts done, 1 DNF"
