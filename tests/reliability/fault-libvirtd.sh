#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# fault-libvirtd.sh — libvirtd stopped and restarted while a run boots VMs:
# the VM instances caught by it fail with a clear reason (a DNF naming
# libvirt), the container arm goes on untouched, the run ends complete, and
# no domain, cgroup or run dir is left. Restarts the host's libvirtd: meant
# for CI and dedicated hosts (RUN_SERIAL, label slow).
set -u
. "$(dirname "$0")/lib.sh"
need_vcbench
need_root
need_libvirt
track_init
cat >"$tmp/suite.json" <<JSON
{ "name": "rel-libvirtd", "backends": ["container", "vm"],
  "timeouts": { "ready": "60s", "exit": "20s" },
  "scenarios": [ { "type": "boot", "workload": "noop", "warmup": 0, "n": 4, "max_n": 4 } ] }
JSON
out=$tmp/out
start_run "$tmp/suite.json" "$out" --accel tcg
id=$(wait_run_id "$out") || exit 1
# Wait for the first domain of the run, then take libvirtd away under it.
for _ in $(seq 1 600); do
    [ -n "$(vcb_domains "$id")" ] && break
    sleep 0.1
done
[ -n "$(vcb_domains "$id")" ] || fail "run $id: no domain appeared within 60 s"
old=$(pidof libvirtd)
kill $old
# The new daemon must not start before the old one let go of its pid file.
for _ in $(seq 1 100); do
    kill -0 $old 2>/dev/null || break
    sleep 0.1
done
sleep 1
libvirtd -d
up=0
for _ in $(seq 1 100); do
    timeout 5 virsh -q -c qemu:///system version >/dev/null 2>&1 && { up=1; break; }
    sleep 0.2
done
[ $up = 1 ] || fail "libvirtd did not come back after the restart (later VM tests need it)"
wait_exit "$run_pid" 300
[ "$exit_rc" = 0 ] || { cat "$run_err"; fail "run: exit $exit_rc, expected 0 (a DNF is not a failure)"; }
results_valid "$out/results.json" || fail "results.json not loadable"
python3 - "$out/results.json" <<'PY' || fail "results do not show the expected outcome (above)"
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["run"]["complete"], "run not complete"
ct = [e for e in doc["results"] if e["backend"] == "container"]
vm = [e for e in doc["results"] if e["backend"] == "vm"]
assert ct and all(not e.get("dnf") for e in ct), "container arm hurt: %s" % [e.get("dnf") for e in ct]
c2r = [m for e in ct if e["params"].get("mode") == "serial" for m in e["metrics"] if m["name"] == "create_to_ready"]
assert c2r and all(m["summary"]["n"] == 4 for m in c2r), "container boots missing: %s" % [m["summary"]["n"] for m in c2r]
reasons = [d["reason"] for e in vm for d in e.get("dnf", [])]
print("vm DNF reasons:", reasons)
assert any("libvirt" in r.lower() or "connection" in r.lower() for r in reasons), "no VM DNF names libvirt"
PY
assert_no_leftovers "$id" "libvirtd restart run"
echo "ok: libvirtd restarted under run $id: VM DNFs name libvirt, containers unaffected, nothing left"
