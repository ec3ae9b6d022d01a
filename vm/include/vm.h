/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vm.h — the VM backend: a transient libvirt domain per instance, direct
 * kernel boot of the image's initramfs, the @vcb protocol on ttyS1 read
 * through libvirt's console stream. KVM only when a probe boot proves it
 * works on this host (kvm_pvm passes every capability check and then hangs
 * stock kernels), else TCG, and then every figure is labelled emulated. */
#ifndef VM_H
#define VM_H

#include "vcb-driver.h"
#include "vcb-json.h"
#include "vm-module.h"

extern const struct vcb_driver vm_driver; /* name "vm" */

/* Decide acceleration for these opts: --accel overrides; else a cached
 * verdict for this host boot and guest kernel; else a probe boot under KVM.
 * reason says what was seen ("KVM probe boot reached the end of kernel boot
 * in 0.4 s", "no /dev/kvm: …", "qemu could not open /dev/kvm as libvirt's
 * qemu user (… Permission denied): …", "qemu aborted on an MSR under KVM
 * (…)", "KVM probe boot hung: …"). */
int vm_accel_decide(const struct vcb_backend_opts *opts, enum vcb_accel *out, char *reason,
                    size_t reason_len, struct vcb_err *err);

/* Host facts: adds "libvirt_version", "qemu_version", "accel" ("kvm"|"tcg"),
 * "accel_reason", "guest_kernel", "vm_console_log" (what bounds the
 * console log: vm_console_log_policy) and "ksm_knobs" (the host's KSM
 * knobs, an object; "ksm" is the harness's string of /sys/kernel/mm/ksm/run)
 * to facts. */
int vm_host_facts(const struct vcb_backend_opts *opts, json_t *facts, struct vcb_err *err);

/* The options a VM figure depends on, as this run uses them: "machine"
 * (the default named), "vm_uri", "guest_kernel" (its path) and
 * "guest_cmdline" (the fixed part; "-- <workload> <args>" follows) and
 * "vm_profile" (lean or plain). */
int vm_run_options(const struct vcb_backend_opts *opts, json_t *out, struct vcb_err *err);

/* doctor: appends {"check","ok","value","hint"} objects for /dev/kvm
 * (open + KVM_CREATE_VM), whether KVM really boots (cached verdict or a
 * probe), libvirtd reachable + versions, the qemu binary, the guest kernel. */
int vm_doctor_checks(const struct vcb_backend_opts *opts, json_t *checks_array,
                     struct vcb_err *err);

/* {"written_by": "virtlogd", "max_size_bytes", "max_backups", "bounded",
 * "from"}: virtlogd rolls a console log over at max_size and keeps
 * max_backups old files, from its config file or libvirt's defaults. */
json_t *vm_console_log_policy(void);

/* "lean" or "plain". */
const char *vm_profile_name(enum vcb_vm_profile p);
/* Kernel command line: fast quiet boot, then `-- workload args…`.
 * init: vcb-init's path in the initramfs (NULL: /init, the kernel's own
 * default); tsc_khz 0 = leave calibration to the kernel; flags: what
 * vcb-init sets up: VM_CMDLINE_BALLOON (1, so `true` still means it) the
 * balloon's modules and a guest kernel that keeps less (the lean profile;
 * plain boots without either),
 * VM_CMDLINE_SCRATCH the scratch disk (its driver and its link). */
#define VM_CMDLINE_BALLOON 1U
#define VM_CMDLINE_SCRATCH 2U
int vm_cmdline_build(const char *init, const char *workload, char *const *args, uint64_t tsc_khz,
                     unsigned flags, char **out, struct vcb_err *err);
/* The guest kernel: opts->kernel or <state>/kernel/vmlinuz. */
const char *vm_kernel_path(const struct vcb_backend_opts *opts, char *buf, size_t len);
/* Host TSC in kHz (sysfs, else the kernel's boot message, else cpuinfo); 0 if unknown. */
uint64_t vm_host_tsc_khz(void);
/* libvirtd answers at the opts' URI: a connection opened and closed. */
int vm_libvirt_reachable(const struct vcb_backend_opts *opts, struct vcb_err *err);

/* cleanup: destroy (and undefine if persistent) every domain named
 * vcb-<run-id>-* for which is_stale(run_id, ctx) holds; calls
 * removed("domain vcb-…", ctx) for each. */
int vm_cleanup(const struct vcb_backend_opts *opts, bool (*is_stale)(const char *run_id, void *ctx),
               void (*removed)(const char *what, void *ctx), void *ctx, struct vcb_err *err);

#endif
