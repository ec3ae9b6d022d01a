/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vm-doctor.c — host facts for results files and the doctor's checks:
 * what a user needs to know before trusting a VM figure. */
#include <errno.h>
#include <libgen.h>
#include <string.h>

#include "vm-priv.h"

/* libvirt's and the hypervisor's (qemu's) versions over a connection. */
static int vm_versions(const char *uri, char *lib, char *hv, size_t len, struct vcb_err *err)
{
    cleanup_vconn virConnectPtr conn = NULL;
    unsigned long lv = 0, hvv = 0;
    if (vm_conn_open(uri, &conn, err) < 0)
        return -1;
    if (virConnectGetLibVersion(conn, &lv) < 0 || virConnectGetVersion(conn, &hvv) < 0)
        return vm_err_virt(err, "libvirt %s: versions", uri);
    vm_version_str(lv, lib, len);
    vm_version_str(hvv, hv, len);
    return 0;
}

/* The kernel's version file next to it (setup writes one), else its name. */
static void vm_kernel_label(const char *kernel, char *buf, size_t len)
{
    char dir[PATH_MAX], path[PATH_MAX + 16];
    snprintf(dir, sizeof dir, "%s", kernel);
    snprintf(path, sizeof path, "%s/version", dirname(dir));
    cleanup_free char *v = NULL;
    struct vcb_err e = {0};
    if (vcb_read_file(path, &v, NULL, &e) == 0 && v[0]) {
        v[strcspn(v, "\n")] = '\0';
        snprintf(buf, len, "%s", v);
        return;
    }
    snprintf(buf, len, "%s", kernel);
}

int vm_host_facts(const struct vcb_backend_opts *opts, json_t *facts, struct vcb_err *err)
{
    char lib[32], hv[32], reason[256], kbuf[PATH_MAX], label[PATH_MAX];
    enum vcb_accel accel;
    if (vm_versions(vm_uri(opts), lib, hv, sizeof lib, err) < 0 ||
        vm_accel_decide(opts, &accel, reason, sizeof reason, err) < 0)
        return -1;
    vm_kernel_label(vm_kernel_path(opts, kbuf, sizeof kbuf), label, sizeof label);
    json_object_set_new(facts, "libvirt_version", json_string(lib));
    json_object_set_new(facts, "qemu_version", json_string(hv));
    json_object_set_new(facts, "accel", json_string(accel == VCB_ACCEL_KVM ? "kvm" : "tcg"));
    json_object_set_new(facts, "accel_reason", json_string(reason));
    json_object_set_new(facts, "guest_kernel", json_string(label));
    json_object_set_new(facts, "vm_console_log", vm_console_log_policy());
    json_object_set_new(facts, "ksm_knobs", vm_ksm_facts());
    return 0;
}

int vm_run_options(const struct vcb_backend_opts *opts, json_t *out, struct vcb_err *err)
{
    char kbuf[PATH_MAX];
    cleanup_free char *cmdline = NULL;
    const char *machine = opts->machine && opts->machine[0] ? opts->machine : vm_machine_default();
    if (vm_cmdline_build(NULL, NULL, NULL, vm_host_tsc_khz(),
                         opts->vm_profile != VCB_VM_PROFILE_PLAIN, &cmdline, err) < 0)
        return -1;
    json_object_set_new(out, "machine", json_string(machine));
    json_object_set_new(out, "vm_uri", json_string(vm_uri(opts)));
    json_object_set_new(out, "guest_kernel", json_string(vm_kernel_path(opts, kbuf, sizeof kbuf)));
    json_object_set_new(out, "guest_cmdline", json_string(cmdline));
    json_object_set_new(out, "vm_profile", json_string(vm_profile_name(opts->vm_profile)));
    return 0;
}

/* degraded: the VM arm still runs, under TCG, and every figure says so;
 * otherwise a failed check means the arm cannot run or its figures would be
 * wrong, and doctor exits 1. */
static int vm_check_add(json_t *arr, const char *check, bool ok, bool degraded, const char *value,
                        const char *hint, struct vcb_err *err)
{
    json_t *c = json_pack("{s:s, s:b, s:s, s:s, s:s}", "check", check, "ok", ok, "severity",
                          degraded ? "degraded" : "fail", "value", value, "hint", ok ? "" : hint);
    if (!c || json_array_append_new(arr, c) < 0)
        return vcb_err_sys(err, ENOMEM, "doctor: %s", check);
    return 0;
}

#define VM_NODE_FIX                                                                                \
    "scripts/setup gives /dev/kvm udev's owner and mode and restarts libvirtd (by hand: "          \
    "chgrp kvm /dev/kvm && chmod 0660 /dev/kvm, then restart libvirtd)"

/* Opens as root, and libvirt's qemu user (group kvm) may open it too. */
static int vm_check_kvm_device(json_t *arr, struct vcb_err *err)
{
    char why[256], seen[128], value[384];
    bool dev = vm_kvm_dev_works(why, sizeof why);
    if (dev && vm_kvm_node_check(VM_KVM_NODE, seen, sizeof seen) == 0) {
        snprintf(value, sizeof value,
                 VM_KVM_NODE " is %s, udev's rule gives root:kvm 0660: libvirt's qemu user "
                             "cannot open it",
                 seen);
        return vm_check_add(arr, "kvm_device", false, true, value, VM_NODE_FIX, err);
    }
    return vm_check_add(arr, "kvm_device", dev, true, why,
                        "no usable /dev/kvm: VMs run emulated (TCG); load kvm_intel or kvm_amd, "
                        "or enable nested virtualisation",
                        err);
}

static const char *vm_kvm_boots_hint(const char *why)
{
    if (strstr(why, "Permission denied"))
        return VM_NODE_FIX;
    if (vm_kvm_pvm_loaded())
        return "VMs run emulated (TCG), labelled so in every figure: kvm_pvm runs no stock guest "
               "kernel (load kvm_intel or kvm_amd instead where the host allows it)";
    return "VMs run emulated (TCG), labelled so in every figure; --accel kvm forces KVM";
}

static int vm_check_kvm(const struct vcb_backend_opts *opts, json_t *arr, struct vcb_err *err)
{
    char why[256], value[288];
    if (vm_check_kvm_device(arr, err) < 0)
        return -1;
    struct vcb_backend_opts auto_opts = *opts;
    auto_opts.accel = VCB_ACCEL_AUTO; /* the doctor reports the host, not --accel */
    enum vcb_accel accel = VCB_ACCEL_TCG;
    struct vcb_err e = {0};
    if (vm_accel_decide(&auto_opts, &accel, why, sizeof why, &e) < 0)
        snprintf(why, sizeof why, "%.250s", e.msg);
    bool kvm = accel == VCB_ACCEL_KVM;
    snprintf(value, sizeof value, "%s%s", kvm ? "" : "emulated (TCG): ", why);
    return vm_check_add(arr, "kvm_boots", kvm, true, value, vm_kvm_boots_hint(why), err);
}

/* The emulator libvirt would use, from the domain capabilities. */
static void vm_emulator_path(const char *uri, char *buf, size_t len)
{
    cleanup_vconn virConnectPtr conn = NULL;
    struct vcb_err e = {0};
    snprintf(buf, len, "?");
    if (vm_conn_open(uri, &conn, &e) < 0)
        return;
    cleanup_free char *caps =
        virConnectGetDomainCapabilities(conn, NULL, "x86_64", NULL, "qemu", 0);
    const char *p = caps ? strstr(caps, "<path>") : NULL;
    if (p) {
        p += strlen("<path>");
        snprintf(buf, len, "%.*s", (int)strcspn(p, "<"), p);
    }
}

/* Two capability look-ups in a row; a slow second one names the cause when
 * it is the one known (the /dev/kvm node). */
static int vm_check_latency(const char *uri, json_t *arr, struct vcb_err *err)
{
    uint64_t took[2];
    char value[512], seen[128];
    struct vcb_err e = {0};
    if (vm_caps_latency(uri, took, &e) < 0)
        return vm_check_add(arr, "libvirt_latency", false, false, e.msg,
                            "see the message; libvirtd's log says more", err);
    bool ok = took[1] <= VM_CAPS_SLOW_NS;
    bool node_bad = vm_uri_is_local(uri) && vm_kvm_node_check(VM_KVM_NODE, seen, sizeof seen) == 0;
    int w = snprintf(value, sizeof value, "capability look-ups took %.3f s, then %.3f s",
                     (double)took[0] / 1e9, (double)took[1] / 1e9);
    char *tail = value + w;
    size_t room = sizeof value - (size_t)w;
    if (!ok && node_bad)
        snprintf(tail, room,
                 ": libvirtd probes qemu again on every call because " VM_KVM_NODE
                 " is %s, which its qemu user cannot open",
                 seen);
    else if (!ok)
        snprintf(tail, room, ": libvirtd probes qemu again on every call");
    return vm_check_add(arr, "libvirt_latency", ok, false, value,
                        node_bad ? VM_NODE_FIX
                                 : "its log says why (log_filters=\"1:qemu.qemu_capabilities\" "
                                   "in libvirtd.conf: look for \"not available now\"); restart "
                                   "libvirtd once it is fixed",
                        err);
}

static int vm_check_libvirt(const struct vcb_backend_opts *opts, json_t *arr, struct vcb_err *err)
{
    char lib[32], hv[32], value[PATH_MAX + 64], emu[PATH_MAX];
    struct vcb_err e = {0};
    bool ok = vm_versions(vm_uri(opts), lib, hv, sizeof lib, &e) == 0;
    if (ok)
        snprintf(value, sizeof value, "libvirt %s at %s", lib, vm_uri(opts));
    else
        snprintf(value, sizeof value, "%s", e.msg);
    if (vm_check_add(arr, "libvirtd", ok, false, value,
                     "start it: scripts/setup (or virtlogd -d && libvirtd -d)", err) < 0)
        return -1;
    if (ok) {
        vm_emulator_path(vm_uri(opts), emu, sizeof emu);
        snprintf(value, sizeof value, "%s (QEMU %s)", emu, hv);
    }
    if (vm_check_add(arr, "qemu", ok, false, ok ? value : "unknown (libvirtd unreachable)",
                     "install it: apt-get install qemu-system-x86", err) < 0)
        return -1;
    return ok ? vm_check_latency(vm_uri(opts), arr, err) : 0;
}

/* The profile, and whether the guest can do what lean asks of it: the
 * balloon needs the modules setup unpacked. */
static int vm_check_profile(const struct vcb_backend_opts *opts, json_t *arr, struct vcb_err *err)
{
    char value[PATH_MAX + 160], path[PATH_MAX];
    struct vm_xml_config c = {0};
    vm_profile_apply(opts->vm_profile, &c);
    snprintf(path, sizeof path, "%s/kernel/modules/virtio_balloon.ko", vcb_state_dir());
    bool mods = vcb_path_exists(path);
    snprintf(value, sizeof value,
             "%s: free page reporting %s, TCG cache %u MiB, guest kernel %s%s%s",
             vm_profile_name(opts->vm_profile), c.page_reporting ? "on" : "off", c.tb_cache_mib,
             c.page_reporting ? VM_LEAN_KERNEL_ARGS : "as it boots",
             c.page_reporting && !mods ? "; no guest balloon module at " : "",
             c.page_reporting && !mods ? path : "");
    return vm_check_add(arr, "vm_profile", !c.page_reporting || mods, false, value,
                        "run scripts/setup (it unpacks the guest's virtio modules), or "
                        "--vm-profile plain",
                        err);
}

/* KSM is the host's: shown, never changed (a run records it in host facts). */
static int vm_check_ksm(json_t *arr, struct vcb_err *err)
{
    cleanup_json json_t *k = vm_ksm_facts();
    char value[160];
    json_int_t run = json_integer_value(json_object_get(k, "run"));
    snprintf(value, sizeof value, "%s (" VM_KSM_DIR "/run %lld, use_zero_pages %lld)",
             run == 1 ? "on" : "off", (long long)run,
             (long long)json_integer_value(json_object_get(k, "use_zero_pages")));
    return vm_check_add(arr, "ksm", true, false, value, "", err);
}

/* The host that runs the guests, as a run records it (host.vm_host), in
 * "facts" too; nothing when libvirtd cannot be reached (its check says). */
static int vm_check_node(const struct vcb_backend_opts *opts, json_t *arr, struct vcb_err *err)
{
    cleanup_json json_t *facts = vm_node_facts(opts);
    char value[512];
    if (!facts)
        return vcb_err_sys(err, ENOMEM, "doctor: vm_host");
    if (json_object_get(facts, "error"))
        return 0;
    vm_node_facts_text(facts, value, sizeof value);
    if (vm_check_add(arr, "vm_host", true, false, value, "", err) < 0)
        return -1;
    json_object_set_new(json_array_get(arr, json_array_size(arr) - 1), "facts",
                        steal_pointer(&facts));
    return 0;
}

int vm_doctor_checks(const struct vcb_backend_opts *opts, json_t *checks_array, struct vcb_err *err)
{
    char kbuf[PATH_MAX], value[PATH_MAX * 2 + 8], label[PATH_MAX];
    const char *kernel = vm_kernel_path(opts, kbuf, sizeof kbuf);
    bool have = vcb_path_exists(kernel);
    vm_kernel_label(kernel, label, sizeof label);
    snprintf(value, sizeof value, have ? "%s (%s)" : "%s: not found", kernel, label);
    if (vm_check_add(checks_array, "guest_kernel", have, false, value,
                     "run scripts/setup, or pass --kernel", err) < 0 ||
        vm_check_libvirt(opts, checks_array, err) < 0 ||
        vm_check_node(opts, checks_array, err) < 0 || vm_check_kvm(opts, checks_array, err) < 0 ||
        vm_check_profile(opts, checks_array, err) < 0 || vm_check_ksm(checks_array, err) < 0)
        return -1;
    return 0;
}
