/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vm-host.c — facts about this host the VM backend needs: the guest
 * kernel's path, the TSC frequency, whether /dev/kvm really creates VMs,
 * whether libvirt's qemu user may open it, and the host's KSM settings. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <linux/kvm.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/stat.h>

#include "vm-priv.h"

const char *vm_kernel_path(const struct vcb_backend_opts *opts, char *buf, size_t len)
{
    if (opts && opts->kernel && opts->kernel[0])
        return opts->kernel;
    snprintf(buf, len, "%s/kernel/vmlinuz", vcb_state_dir());
    return buf;
}

/* "2596.120 MHz" at p → kHz, or 0. */
static uint64_t vm_mhz_to_khz(const char *p)
{
    char *end;
    unsigned long long mhz = strtoull(p, &end, 10);
    uint64_t khz = mhz * 1000;
    if (*end == '.') {
        unsigned scale = 100;
        for (const char *d = end + 1; *d >= '0' && *d <= '9' && scale; d++, scale /= 10)
            khz += (uint64_t)(*d - '0') * scale;
    }
    return khz;
}

/* The kernel's own calibration from its log: the refined value wins. */
static uint64_t vm_tsc_from_klog(void)
{
    int size = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
    if (size <= 0)
        return 0;
    cleanup_free char *buf = malloc((size_t)size + 1);
    if (!buf)
        return 0;
    int n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, size);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    const char *p = strstr(buf, "Refined TSC clocksource calibration: ");
    if (p)
        return vm_mhz_to_khz(p + strlen("Refined TSC clocksource calibration: "));
    p = strstr(buf, "tsc: Detected ");
    return p ? vm_mhz_to_khz(p + strlen("tsc: Detected ")) : 0;
}

static uint64_t vm_tsc_from_cpuinfo(void)
{
    cleanup_fclose FILE *f = fopen("/proc/cpuinfo", "re");
    char line[256];
    while (f && fgets(line, sizeof line, f)) {
        if (strncmp(line, "cpu MHz", 7))
            continue;
        const char *colon = strchr(line, ':');
        return colon ? vm_mhz_to_khz(colon + 1 + strspn(colon + 1, " \t")) : 0;
    }
    return 0;
}

static uint64_t vm_tsc_khz;
static pthread_once_t vm_tsc_once = PTHREAD_ONCE_INIT;

static void vm_tsc_read(void)
{
    uint64_t khz = 0;
    struct vcb_err e = {0};
    if (vcb_read_u64_file("/sys/devices/system/cpu/cpu0/tsc_freq_khz", &khz, &e) == 0 && khz) {
        vm_tsc_khz = khz;
        return;
    }
    khz = vm_tsc_from_klog();
    vm_tsc_khz = khz ? khz : vm_tsc_from_cpuinfo();
}

/* Read once: the kernel log is large and the TSC does not change. */
uint64_t vm_host_tsc_khz(void)
{
    pthread_once(&vm_tsc_once, vm_tsc_read);
    return vm_tsc_khz;
}

bool vm_kvm_dev_works(char *why, size_t len)
{
    cleanup_close int fd = open(VM_KVM_NODE, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        snprintf(why, len, "%s" VM_KVM_NODE ": open: %s", errno == ENOENT ? "no " : "",
                 strerror(errno));
        return false;
    }
    int version = ioctl(fd, KVM_GET_API_VERSION, 0);
    if (version != KVM_API_VERSION) {
        snprintf(why, len, "/dev/kvm: KVM_GET_API_VERSION gave %d", version);
        return false;
    }
    cleanup_close int vm = ioctl(fd, KVM_CREATE_VM, 0);
    if (vm < 0) {
        snprintf(why, len, "/dev/kvm: KVM_CREATE_VM: %s", strerror(errno));
        return false;
    }
    snprintf(why, len, "/dev/kvm opens and KVM_CREATE_VM works");
    return true;
}

/* Debian's udev rule: KERNEL=="kvm", GROUP="kvm", MODE="0660". libvirt runs
 * qemu as its own user in group kvm; that user must be able to open the node,
 * else libvirtd discards its capability cache on every look-up. */
int vm_kvm_node_check(const char *path, char *seen, size_t len)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        snprintf(seen, len, "%s: %s", path, strerror(errno));
        return -1;
    }
    struct passwd pwbuf, *pw = NULL;
    struct group grbuf, *gr = NULL;
    char buf[2048], user[32], group[32];
    if (getpwuid_r(st.st_uid, &pwbuf, buf, sizeof buf, &pw) == 0 && pw)
        snprintf(user, sizeof user, "%s", pw->pw_name);
    else
        snprintf(user, sizeof user, "%u", (unsigned)st.st_uid);
    if (getgrgid_r(st.st_gid, &grbuf, buf, sizeof buf, &gr) == 0 && gr)
        snprintf(group, sizeof group, "%s", gr->gr_name);
    else
        snprintf(group, sizeof group, "%u", (unsigned)st.st_gid);
    snprintf(seen, len, "%s:%s %04o", user, group, (unsigned)(st.st_mode & 07777));
    bool group_rw = !strcmp(group, "kvm") && (st.st_mode & 060) == 060;
    return group_rw || (st.st_mode & 06) == 06;
}

bool vm_kvm_pvm_loaded(void)
{
    return access("/sys/module/kvm_pvm", F_OK) == 0;
}

/* One KSM knob, -1 when it cannot be read (no CONFIG_KSM). */
static json_int_t vm_ksm_knob(const char *name)
{
    char path[128];
    uint64_t v = 0;
    struct vcb_err e = {0};
    snprintf(path, sizeof path, VM_KSM_DIR "/%s", name);
    return vcb_read_u64_file(path, &v, &e) == 0 ? (json_int_t)v : -1;
}

json_t *vm_ksm_facts(void)
{
    static const char *const knobs[] = {"run", "use_zero_pages", "pages_to_scan",
                                        "sleep_millisecs"};
    json_t *o = json_object();
    for (size_t i = 0; o && i < sizeof knobs / sizeof knobs[0]; i++)
        json_object_set_new(o, knobs[i], json_integer(vm_ksm_knob(knobs[i])));
    return o;
}

static int vm_ksm_write(const char *name, long v, struct vcb_err *err)
{
    char path[128], text[24];
    snprintf(path, sizeof path, VM_KSM_DIR "/%s", name);
    int n = snprintf(text, sizeof text, "%ld\n", v);
    return vcb_write_file(path, text, (size_t)n, err);
}

int vm_ksm_set(const struct vm_ksm_knobs *want, struct vm_ksm_knobs *was, struct vcb_err *err)
{
    struct vm_ksm_knobs old = {vm_ksm_knob("run"), vm_ksm_knob("use_zero_pages")};
    if (old.run < 0 || old.use_zero_pages < 0)
        return vcb_err_set(err, ENOENT,
                           "KSM: " VM_KSM_DIR "/run or use_zero_pages cannot be read (a kernel "
                           "without CONFIG_KSM?)");
    if (was)
        *was = old;
    /* use_zero_pages first: with run written last, KSM never runs with a
     * mix of the old and the new settings. */
    if (want->use_zero_pages >= 0 && want->use_zero_pages != old.use_zero_pages &&
        vm_ksm_write("use_zero_pages", want->use_zero_pages, err) < 0)
        return vcb_err_prefix(err, "KSM");
    if (want->run >= 0 && want->run != old.run && vm_ksm_write("run", want->run, err) < 0) {
        struct vcb_err e = {0};
        if (want->use_zero_pages >= 0 && want->use_zero_pages != old.use_zero_pages)
            vm_ksm_write("use_zero_pages", old.use_zero_pages, &e); /* undo the half */
        return vcb_err_prefix(err, "KSM");
    }
    return 0;
}
