#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# remote-facts.sh — the VM arm's host read over libvirt when the URI is
# remote: `vcbench doctor -c qemu+ssh://…` and a run's results.json record
# that host's facts (hostname, CPU, memory, versions), marked remote with
# the URI and each fact's libvirt call; density reads that host's memory
# through libvirt and says so; the libvirt daemons' memory, which lives in
# that host's /proc, is refused rather than read here; the report names
# each arm's host. The "remote" host is this machine's own libvirtd behind
# a throw-away sshd on loopback (tests/lib/sshd.sh): nothing leaves it.
set -eu
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/sshd.sh"
command -v jq >/dev/null || { echo "skip: no jq (scripts/setup --dev installs it)"; exit 77; }
command -v virsh >/dev/null || { echo "skip: no virsh"; exit 77; }
timeout 20 virsh -c qemu:///system version >/dev/null 2>&1 ||
    { echo "skip: libvirtd not reachable at qemu:///system"; exit 77; }
sshd_start
# The pool its uploads make goes at the end, unless it was there before (a
# user's upload cache stays); also when a check fails.
had_pool=1
if ! timeout 20 virsh -c qemu:///system pool-info vcbench >/dev/null 2>&1; then
    had_pool=0
    trap '"$VCBENCH" -c "$SSHD_URI" cleanup --volumes >/dev/null 2>&1; sshd_stop; rm -rf "$tmp"' EXIT
fi

# What libvirt itself says through the same URI, to hold the facts against.
want_host=$(timeout 20 virsh -c "$SSHD_URI" hostname)
want_cpu=$(timeout 20 virsh -c "$SSHD_URI" capabilities |
    sed -n '/<host>/,/<\/cpu>/s/.*<model>\(.*\)<\/model>.*/\1/p' | head -n 1)
want_lib=$(timeout 20 virsh -c "$SSHD_URI" version --daemon |
    sed -n 's/^Running against daemon: *\([0-9.]*\).*/\1/p')
[ -n "$want_host" ] && [ -n "$want_cpu" ] && [ -n "$want_lib" ] ||
    fail "virsh over $SSHD_URI: hostname '$want_host', cpu '$want_cpu', libvirt '$want_lib'"
mem_total=$(($(sed -n 's/^MemTotal: *\([0-9]*\) kB/\1/p' /proc/meminfo) * 1024))

# facts FILE FILTER: the vm_host facts at FILTER hold what virsh said.
check_facts() {
    jq -e --arg uri "$SSHD_URI" --arg host "$want_host" --arg cpu "$want_cpu" \
        --arg lib "$want_lib" --argjson mem "$mem_total" "$2 |
        .remote == true and .uri == \$uri and .hostname == \$host and .cpu_model == \$cpu and
        .libvirt_version == \$lib and .mem_total_bytes == \$mem and (.cores | . > 0) and
        .sources.hostname == \"virConnectGetHostname\" and
        .sources.cpu_model == \"virConnectGetCapabilities host/cpu/model\" and
        .sources.cores == \"virNodeGetInfo\" and
        (.sources.mem_available_bytes | startswith(\"virNodeGetMemoryStats\"))" "$1" >/dev/null ||
        fail "$1: vm_host is not the remote host's facts over libvirt: $(jq -c "$2" "$1")"
}

# 1. doctor, through the remote URI and through the local one.
"$VCBENCH" doctor -c "$SSHD_URI" --json >"$tmp/doctor.json" || true
check_facts "$tmp/doctor.json" '.[] | select(.check == "vm_host") | .facts'
jq -e '.[] | select(.check == "vm_host") | .value | contains("remote host, over libvirt")' \
    "$tmp/doctor.json" >/dev/null || fail "doctor's vm_host line does not say remote"
"$VCBENCH" doctor -c qemu:///system --json >"$tmp/doctor-local.json" || true
jq -e '.[] | select(.check == "vm_host") | .facts | .remote == false and .uri == "qemu:///system"' \
    "$tmp/doctor-local.json" >/dev/null || fail "local doctor: vm_host not marked local"

# 2. a run: host facts, the memory and density sources. The guests boot
# through the same libvirtd; whether or not they do, the facts and the
# density's source are recorded before the first boot.
cat >"$tmp/suite.json" <<'JSON'
{ "name": "remote-facts", "backends": ["vm"],
  "timeouts": { "ready": "60s", "exit": "10s" },
  "scenarios": [
    { "type": "memory", "workloads": ["idle"], "n": 1, "settle": "100ms" },
    { "type": "density", "instances_max": 1, "floor": "256MiB", "settle": "100ms" } ] }
JSON
r=$tmp/out/results.json
"$VCBENCH" run --suite "$tmp/suite.json" -c "$SSHD_URI" --accel tcg -o "$tmp/out" -q ||
    fail "run against $SSHD_URI failed"
check_facts "$r" '.host.vm_host'
jq -e --arg uri "$SSHD_URI" '.run.options.vm_uri == $uri' "$r" >/dev/null ||
    fail "run.options.vm_uri is not $SSHD_URI"
jq -e --arg host "$want_host" '.results[] | select(.scenario == "density") | .notes |
    (.memory_source | startswith("virNodeGetMemoryStats") and endswith("remote host " + $host))
    and (.daemons_not_measured | contains("/proc"))' "$r" >/dev/null ||
    fail "density did not read the remote host's memory: $(jq -c '.results[] | select(.scenario == "density") | .notes' "$r")"
# A guest that booted is measured by what libvirt says, never by a PSS read here.
jq -e '.results[] | select(.scenario == "memory") | (.dnf | length) > 0 or
    ((.notes.memory_source | startswith("virDomainMemoryStats rss")) and
     ([.metrics[].name] | index("rss") != null and index("pss") == null and
      index("host_cost") == null))' "$r" >/dev/null ||
    fail "remote memory entry: $(jq -c '.results[] | select(.scenario == "memory") | [.notes, [.metrics[].name]]' "$r")"
assert_nothing_left "$r"

# 3. the report names each arm's host.
"$VCBENCH" report "$r" -o "$tmp/report" >/dev/null 2>&1 || fail "report failed"
grep -q "VMs on $want_host, a remote libvirt host ($SSHD_URI" "$tmp/report/report.md" ||
    fail "report.md does not name the VM arm's host"
grep -q "VM arm's host.*$want_host (remote libvirt host, $SSHD_URI)" "$tmp/report/report.md" ||
    fail "report.md's run facts lack the VM arm's host"
if [ $had_pool = 0 ]; then
    "$VCBENCH" -c "$SSHD_URI" cleanup --volumes >/dev/null || fail "cleanup --volumes failed"
    ! timeout 20 virsh -c qemu:///system pool-info vcbench >/dev/null 2>&1 ||
        fail "the pool this test's uploads made is still there"
fi
echo "ok: $SSHD_URI described as $want_host ($want_cpu, libvirt $want_lib), remote"
