/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vm-module.h — the VM backend as vcbench sees it: a module loaded on first
 * use (<exe dir>/../lib/vcbench/vcbench-vm.so, or $VCB_MODULE_DIR), because libvirt brings some
 * 55 shared libraries whose loading costs more than a whole container start.
 * A command that never touches a VM (launch --backend container, --version,
 * report) never loads it; a host without libvirt still runs the other arms,
 * and the VM arm is then listed with the loader's reason. */
#ifndef VM_MODULE_H
#define VM_MODULE_H

#include "vcb-driver.h"
#include "vcb-json.h"

/* The two KSM knobs a measurement sets; -1: leave as it is (in want) or
 * not readable (in was). */
struct vm_ksm_knobs {
    long run, use_zero_pages;
};

/* What the module exports, under VM_MODULE_SYMBOL. The functions are those
 * of vm.h that other folders (peers) call. */
struct vm_module {
    unsigned abi; /* VM_MODULE_ABI: a module from another build is refused */
    const struct vcb_driver *driver;
    int (*accel_decide)(const struct vcb_backend_opts *opts, enum vcb_accel *out, char *reason,
                        size_t reason_len, struct vcb_err *err);
    int (*libvirt_reachable)(const struct vcb_backend_opts *opts, struct vcb_err *err);
    int (*cmdline_build)(const char *init, const char *workload, char *const *args,
                         uint64_t tsc_khz, unsigned flags, char **out, struct vcb_err *err);
    const char *(*kernel_path)(const struct vcb_backend_opts *opts, char *buf, size_t len);
    uint64_t (*host_tsc_khz)(void);
    json_t *(*ksm_facts)(void);
    int (*ksm_set)(const struct vm_ksm_knobs *want, struct vm_ksm_knobs *was, struct vcb_err *err);
};
#define VM_MODULE_SYMBOL "vcb_vm_module"
#define VM_MODULE_FILE   "vcbench-vm.so"
/* Bumped whenever struct vm_module, struct vcb_driver or the instance spec
 * changes shape. */
#define VM_MODULE_ABI 4

/* What a guest gets, for a bare qemu that must boot the same way (peers). */
#define VM_DEFAULT_MEMORY_BYTES (256ULL << 20) /* unlimited memory: the guest still needs RAM */
/* TCG translation cache: qemu's default costs ~30 MiB more. The lean
 * profile (the default) keeps half the plain profile's: 8 MiB less resident
 * per guest (emulated (TCG), measured with bare qemu on an idle guest). */
#define VM_TB_CACHE_MIB       8
#define VM_TB_CACHE_PLAIN_MIB 16

/* Load the module once per process (thread-safe); NULL with why filled
 * ("<path>: <dlerror>") when it cannot be loaded. */
const struct vm_module *vm_module_load(char *why, size_t len);
/* The registry's loader: the module's driver, or NULL with why. */
const struct vcb_driver *vm_driver_load(char *why, size_t len);

/* The backend's command-line options, known without loading the module. */
extern const struct vcb_driver_opt vm_options[];

#endif
