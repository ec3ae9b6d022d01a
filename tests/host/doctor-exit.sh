#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# `vcbench doctor` on a host where VMs run emulated (TCG) and everything else
# works: exit 0, the KVM lines marked "warn" with what was seen, a last line
# saying VMs run emulated; and where an arm cannot run (no guest binaries):
# a FAIL line and exit 1. Skips (77) where KVM boots (not a TCG-only host).
set -u
vcbench=${VCBENCH:?VCBENCH must name the vcbench binary}
[ "$(id -u)" = 0 ] || { echo "skip: needs root (doctor checks cgroups, libvirtd)"; exit 77; }
fails=0 passes=0
check() { local n=$1; shift; if "$@"; then passes=$((passes + 1)); else echo "FAIL: $n"; fails=$((fails + 1)); fi; }

out=$("$vcbench" doctor 2>&1); rc=$?
echo "$out"
if grep -q '^ok   kvm_boots' <<<"$out"; then echo "skip: KVM boots here: not a TCG-only host"; exit 77; fi
check "kvm_boots is a warning, not a failure" grep -q '^warn kvm_boots *emulated (TCG): ' <<<"$out"
check "no check FAILs on a set-up host (else fix it: scripts/setup)" [ -z "$(grep '^FAIL' <<<"$out")" ]
check "TCG-only host: exit 0" [ $rc = 0 ]
check "the verdict names the emulation" grep -q '^every arm can run; VMs run emulated (TCG)' <<<"$out"
reason=$(sed -n 's/^warn kvm_boots *//p' <<<"$out")
if [ -e /sys/module/kvm_pvm ]; then
    check "kvm_pvm named where it is loaded" grep -q 'kvm_pvm is loaded' <<<"$reason"
else
    check "kvm_pvm not named where it is not loaded" eval '! grep -q kvm_pvm <<<"$reason"'
fi
check "the reason names what was seen" grep -qE 'Permission denied|MSR|hung|no /dev/kvm|/dev/kvm:|stopped|failed' <<<"$reason"

json=$("$vcbench" doctor --json 2>&1); rc=$?
check "--json: exit 0 too" [ $rc = 0 ]
check "--json: kvm_boots carries severity degraded" \
    grep -qzE '"check": "kvm_boots",[^}]*"severity": "degraded"' <<<"$json"
check "--json: libvirt_latency is there" grep -q '"check": "libvirt_latency"' <<<"$json"
check "--json: every check says its severity" \
    [ "$(grep -c '"severity": "\(fail\|degraded\)"' <<<"$json")" = "$(grep -c '"check":' <<<"$json")" ]

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=$(VCB_LIBEXEC_DIR=$tmp/none "$vcbench" doctor 2>&1); rc=$?
check "an arm that cannot run: exit 1" [ $rc = 1 ]
check "... with a FAIL line naming it" grep -q '^FAIL guest binaries' <<<"$out"
check "... and a verdict saying so" grep -q 'check FAIL: an arm cannot run' <<<"$out"

echo "$passes passed, $fails failed"
[ $fails = 0 ]
