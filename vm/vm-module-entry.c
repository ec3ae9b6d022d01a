/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vm-module-entry.c — the one symbol vcbench looks up in the VM module. */
#include "vm-module.h"
#include "vm-priv.h"
#include "vm.h"

__attribute__((visibility("default"))) const struct vm_module vcb_vm_module = {
    .abi = VM_MODULE_ABI,
    .driver = &vm_driver,
    .accel_decide = vm_accel_decide,
    .libvirt_reachable = vm_libvirt_reachable,
    .cmdline_build = vm_cmdline_build,
    .kernel_path = vm_kernel_path,
    .host_tsc_khz = vm_host_tsc_khz,
    .ksm_facts = vm_ksm_facts,
    .ksm_set = vm_ksm_set,
};
