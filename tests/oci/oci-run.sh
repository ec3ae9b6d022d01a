#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The tiny suite with the process, container and oci:crun arms: every
# scenario has an oci:crun entry without DNF, results.json names the
# runtime, its version and this arm's seccomp ("none (runtime default)"),
# the report renders with it; nothing of the run is left. A suite naming a
# runtime that is not installed gets a DNF saying so, and the other arms run.
set -eu
check=$1
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/oci-lib.sh"
case " $runtimes " in *" crun "*) ;; *) echo "skip: crun is not installed"; exit 77 ;; esac
suite=$(dirname "$0")/../bench/tiny.json
sed 's/"backends": \["process"\]/"backends": ["process", "container", "oci:crun"]/' "$suite" \
    >"$tmp/tiny-oci.json"
grep -q '"oci:crun"' "$tmp/tiny-oci.json" || fail "could not name oci:crun in a copy of $suite"

"$VCBENCH" run --suite "$tmp/tiny-oci.json" --out "$tmp/out" --no-progress >"$tmp/log" 2>&1 ||
    { cat "$tmp/log"; fail "run exited $?"; }
res=$tmp/out/results.json
"$check" "$res" complete boot,memory,density,isolation || fail "results invalid"
python3 - "$res" <<'PY' || fail "the oci:crun arm's results"
import json, sys
r = json.load(open(sys.argv[1]))
oci = [e for e in r["results"] if e["backend"] == "oci:crun"]
scen = {e["scenario"] for e in oci}
assert scen >= {"boot", "memory", "density", "isolation"}, scen
for e in oci:
    assert not e.get("dnf"), (e["scenario"], e["dnf"])
    assert e["metrics"], (e["scenario"], "no metrics")
rt = r["host"]["oci_runtimes"]["oci:crun"]
assert rt["path"].endswith("/crun") and rt["version"].startswith("crun version"), rt
assert r["run"]["options"]["oci_seccomp"] == "none (runtime default)"
PY
assert_nothing_left "$res"
assert_oci_clean "$(run_id_of "$res")" "tiny suite"
"$VCBENCH" report "$res" -o "$tmp/report" >/dev/null 2>&1 || fail "report exited $?"
grep -q 'oci:crun: crun version' "$tmp/report/report.html" || fail "report: no runtime and version"
grep -q 'title "oci:crun"' "$tmp/report/plots/boot-ecdf.gp" || fail "report: no oci:crun series"

cat >"$tmp/nosuch.json" <<'JSON'
{ "name": "nosuch", "backends": ["process", "oci:nosuch"],
  "scenarios": [ { "type": "boot", "workload": "noop", "n": 2 } ] }
JSON
"$VCBENCH" run --suite "$tmp/nosuch.json" --out "$tmp/nosuch" --no-progress >"$tmp/log" 2>&1 ||
    { cat "$tmp/log"; fail "run with oci:nosuch exited $?"; }
python3 - "$tmp/nosuch/results.json" <<'PY' || fail "oci:nosuch: no DNF with the reason"
import json, sys
r = json.load(open(sys.argv[1]))
e = {x["backend"]: x for x in r["results"]}
assert e["process"]["metrics"], "the process arm did not run"
dnf = json.dumps(e["oci:nosuch"]["dnf"])
assert "runtime 'nosuch' not found in PATH" in dnf, dnf
PY
echo "ok"
