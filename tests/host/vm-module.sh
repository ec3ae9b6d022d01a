#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The VM backend is a module loaded on first use: a command that never
# touches a VM does not load libvirt (ld.so's own record says which
# libraries a process opened), one that does loads it, and without the
# module the other arms still run while the VM arm says why it cannot.
set -u
vcbench=${VCBENCH:?VCBENCH must name the vcbench binary}
. "$(dirname "$0")/../lib/checks.sh"

# Which shared objects a command opened, by ld.so's debug output.
opened() { # log, command args…
    local log=$1
    shift
    LD_DEBUG=files LD_DEBUG_OUTPUT=$log "$vcbench" "$@" >"$tmp/out" 2>&1
    cat "$log".* 2>/dev/null
    rm -f "$log".*
}
check "--version opens no libvirt" eval '! opened "$tmp/v" --version | grep -q "libvirt\.so"'
check "--help opens no libvirt" eval '! opened "$tmp/h" --help | grep -q "libvirt\.so"'
check "launch --backend container opens no libvirt" \
    eval '! opened "$tmp/l" launch --backend container noop | grep -q "libvirt\.so"'
check "launch --backend container ran the workload" grep -q "exit .*status 0" "$tmp/out"
# The probe can see a load: doctor checks the VM arm, so it loads the module.
if "$vcbench" doctor >/dev/null 2>&1 || [ $? = 1 ]; then
    check "doctor (VM checks) opens libvirt through the module" \
        eval 'opened "$tmp/d" doctor | grep -q "vcbench-vm\.so"'
fi

# Without the module: containers run, the VM arm is refused with the reason.
export VCB_MODULE_DIR=$tmp/no-such-dir
check "without the module, a container still runs" \
    "$vcbench" launch --backend container noop >/dev/null 2>&1
"$vcbench" launch --backend vm noop >"$tmp/vm.out" 2>&1
rc=$?
check "without the module, launch --backend vm fails (status $rc)" [ $rc != 0 ]
check "… saying the module could not be loaded, and where" \
    grep -q "VM module not loaded: $tmp/no-such-dir/vcbench-vm.so" "$tmp/vm.out"
"$vcbench" doctor >"$tmp/doc.out" 2>&1
check "… doctor names the VM arm as the one that cannot run" grep -q "VM module not loaded" "$tmp/doc.out"
check "… and still checks the container arm" grep -q "namespaces" "$tmp/doc.out"

checks_done
