#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# A suite with its own workloads, run: an image's service booted to its
# port and stopped at once (not waited for), its idle memory measured, and
# an image's batch job as an isolation victim scored by the figure it
# prints, beside a built-in aggressor and beside the service as aggressor;
# in the process and container arms (the process arm's service listens on
# the host's loopback: a port no other test uses, and one instance at a time,
# since two there would share the host's port). The results record the image and the
# form each arm ran it in; the report renders; nothing is left behind.
set -u
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/oci-images.sh"
[ -z "$(oci_images_missing)" ] || { echo "skip: needs$(oci_images_missing)"; exit 77; }
check=$1
oci_image_shell "$tmp/shell" >/dev/null 2>&1 || fail "cannot build the shell test image"
oci_image_tcp "$tmp/tcp" >/dev/null 2>&1 || fail "cannot build the tcp test image"
cat >"$tmp/own.json" <<JSON
{ "name": "own", "backends": ["process", "container"],
  "limits": { "container": { "cpus": 1, "memory": "128MiB" } },
  "timeouts": { "ready": "20s", "exit": "10s" },
  "workloads": {
    "web": { "image": "oci:$tmp/tcp", "ready": "tcp:18081",
             "command": ["httpd", "-f", "-p", "18081", "-h", "/srv"] },
    "loops": { "image": "oci:$tmp/shell", "ready": "exit",
               "command": ["sh", "-c", "n=0; end=\$((\$(date +%s) + 2)); while [ \$(date +%s) -lt \$end ]; do n=\$((n+1)); done; echo loops=\$((n / 2))"],
               "metrics": ["loops:per_s=^loops=([0-9]+)\$"],
               "score": { "metric": "loops", "better": "higher" } } },
  "scenarios": [
    { "type": "boot", "workload": "web", "warmup": 0, "n": 3, "concurrency": [1] },
    { "type": "memory", "workloads": ["web"], "n": 1, "settle": "200ms" },
    { "type": "isolation", "victims": ["loops"], "aggressors": ["cpu", "web"], "n": 1, "duration": "1s" } ] }
JSON
start=$(date +%s)
"$VCBENCH" run --suite "$tmp/own.json" --out "$tmp/out" --no-progress >"$tmp/stdout" 2>"$tmp/stderr" ||
    { cat "$tmp/stderr"; fail "vcbench run exited $?"; }
took=$(($(date +%s) - start))
r=$tmp/out/results.json
"$check" "$r" complete boot,memory,isolation || fail "results do not follow the schema"
py() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); $1" "$r"; }
[ "$(py 'print(sum(len(e.get("dnf") or []) for e in d["results"]))')" = 0 ] ||
    { py 'print([e["dnf"] for e in d["results"] if e.get("dnf")])'; fail "DNFs in the run"; }
[ "$(py 'print(d["run"]["images"]["web"]["forms"]["process"])')" = "rootfs, chrooted" ] ||
    fail "run.images does not record how the process arm ran web"
py 'assert d["run"]["images"]["loops"]["digest"].startswith("sha256:")' || fail "no digest recorded"
py 'assert all(e["notes"].get("end") == "stopped once ready (a service)" for e in d["results"] if e["scenario"] == "boot")' ||
    fail "the service was not noted as stopped once ready"
# a service stopped at once: nothing waits out the 10 s exit timeout
py 'assert all(m["summary"]["median"] < 5e9 for e in d["results"] if e["scenario"] == "boot" for m in e["metrics"] if m["name"] == "ready_to_gone")' ||
    fail "a boot waited for the service to end by itself"
py 'assert all(m["unit"] == "per_s" and m["summary"]["median"] > 0 for e in d["results"] if e["scenario"] == "isolation" for m in e["metrics"] if m["name"] == "victim_score")' ||
    fail "the victim's printed figure is not its score"
[ "$(py 'print(len([e for e in d["results"] if e["scenario"] == "isolation" and e["params"].get("aggressor") == "web"]))')" = 2 ] ||
    fail "the service was not the aggressor in both arms"
"$VCBENCH" report "$r" -o "$tmp/report" >/dev/null 2>&1 || fail "the report does not render"
assert_nothing_left "$r"
for d in $(py 'print(" ".join(v["digest"][:19] for v in d["run"]["images"].values()))'); do
    "$VCBENCH" image rm "$d" >/dev/null
done
echo "ok: $(py 'print(len(d["results"]))') entries in ${took}s"
