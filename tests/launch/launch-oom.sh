#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# An out-of-memory kill is counted where it happens and named alike in both
# isolating arms: `vcbench launch --memory … memhog` says "killed by OOM" for
# a container (its cgroup's OOM count) and for a VM (the guest kernel's own
# count on vcb-init's exit line), and the VM's exit line carries the count.
# The VM half is skipped without a guest kernel or libvirt; the whole test
# without root (77).
set -u
vcbench=${VCBENCH:?VCBENCH must name the vcbench binary}
[ "$(id -u)" = 0 ] || { echo "skip: needs root (cgroups)"; exit 77; }
export VCB_RUN_DIR=$(mktemp -d)
trap 'rm -rf "$VCB_RUN_DIR"' EXIT
fails=0
check() { # name, condition...
    local name=$1; shift
    if "$@"; then echo "ok: $name"; else echo "FAIL: $name"; fails=$((fails + 1)); fi
}

out=$("$vcbench" launch --backend container --memory 64MiB --timeout 60s memhog 2>&1); rc=$?
echo "$out" | tail -3
check "container: exit status 137" [ $rc = 137 ]
check "container: killed by OOM (the cgroup's count)" grep -q ' gone .*killed by OOM' <<<"$out"

kernel=${VCB_STATE_DIR:-/var/lib/vcbench}/kernel/vmlinuz
if [ ! -r "$kernel" ] || [ ! -S /var/run/libvirt/libvirt-sock ]; then
    echo "skip: VM half (no guest kernel at $kernel or no libvirtd)"
else
    out=$("$vcbench" launch --backend vm --memory 128MiB --timeout 300s memhog 2>&1); rc=$?
    echo "$out" | tail -3
    check "vm: exit status 137" [ $rc = 137 ]
    check "vm: the guest kernel's count on the exit line" \
        grep -qE ' exit +status 137, [1-9][0-9]* OOM kill' <<<"$out"
    check "vm: killed by OOM, named as for a container" grep -q ' gone .*killed by OOM' <<<"$out"
fi
[ $fails = 0 ]
