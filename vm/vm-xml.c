/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vm-xml.c — domain XML, limit mapping and the guest kernel command line.
 * Pure functions of their inputs, so unit tests compare against files. */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "vm-priv.h"

/* Chosen by measurement through this driver (noop, TCG, 2-core host shared
 * with other jobs, interleaved runs, n=10 each): create -> ready median
 * microvm 2.78 s, pc 2.90 s, q35 3.00 s (load ~4); 1.71 vs 1.81 s microvm vs
 * pc on a quieter host. microvm's kernel phase is the shortest (guest uptime
 * at init 0.71 vs 1.15 s: no PCI, no legacy devices). It needs
 * tsc_early_khz on the command line (see vm_cmdline_build). */
const char *vm_machine_default(void)
{
    return "microvm";
}

const char *vm_profile_name(enum vcb_vm_profile p)
{
    return p == VCB_VM_PROFILE_PLAIN ? "plain" : "lean";
}

void vm_profile_apply(enum vcb_vm_profile p, struct vm_xml_config *c)
{
    bool lean = p != VCB_VM_PROFILE_PLAIN;
    c->page_reporting = lean;
    c->tb_cache_mib = lean ? VM_TB_CACHE_MIB : VM_TB_CACHE_PLAIN_MIB;
}

bool vm_machine_valid(const char *machine)
{
    return machine &&
           (!strcmp(machine, "pc") || !strcmp(machine, "q35") || !strcmp(machine, "microvm"));
}

char *vm_xml_escape(const char *s)
{
    size_t n = 0;
    for (const char *p = s; *p; p++)
        n += strchr("&<>\"'", *p) ? 6 : 1;
    char *out = malloc(n + 1), *o = out;
    if (!out)
        return NULL;
    for (const char *p = s; *p; p++) {
        const char *rep = *p == '&'    ? "&amp;"
                          : *p == '<'  ? "&lt;"
                          : *p == '>'  ? "&gt;"
                          : *p == '"'  ? "&quot;"
                          : *p == '\'' ? "&apos;"
                                       : NULL;
        if (rep) {
            o = stpcpy(o, rep);
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    return out;
}

int vm_limits_map(const struct vcb_limits *l, struct vm_xml_config *c, struct vcb_err *err)
{
    if (l->pids)
        return vcb_err_usage(err, "vm backend cannot apply --pids (a VM has no pids.max; the "
                                  "guest kernel's own limits apply)");
    double cpus = l->cpus;
    unsigned vcpus = cpus > 0 ? (unsigned)ceil(cpus) : 1;
    if (vcpus < 1)
        vcpus = 1;
    c->vcpus = vcpus;
    c->cpu_quota_us = 0;
    /* libvirt's <quota> is per vCPU: spread the fraction over all of them. */
    if (cpus > 0 && cpus < (double)vcpus)
        c->cpu_quota_us = (uint64_t)llround(cpus / vcpus * (double)VM_CPU_PERIOD_US);
    c->cpuset = l->cpuset[0] ? l->cpuset : NULL;
    if (l->memory_low)
        return vcb_err_usage(err, "vm backend cannot apply --memory-low (libvirt has no "
                                  "memory.low for a domain; --memory-soft is its soft limit)");
    /* libvirt writes <shares> as is: cpu.weight on v2, cpu.shares on v1. */
    c->cpu_shares = !l->cpu_weight      ? 0
                    : c->host_cgroup_v2 ? l->cpu_weight
                                        : vcb_cpu_weight_to_shares(l->cpu_weight);
    c->memory_soft_kib = l->memory_soft >> 10;
    uint64_t bytes = l->memory_bytes ? l->memory_bytes : VM_DEFAULT_MEMORY_BYTES;
    c->memory_mib = (bytes + (1ULL << 20) - 1) >> 20; /* qemu sizes RAM in MiB */
    return 0;
}

/* An init argument the kernel command line can carry: no quotes or control
 * characters; spaces only inside the quotes we add; not "--", where the
 * kernel ends init's arguments. */
static int vm_cmdline_arg(FILE *f, const char *arg, size_t i, struct vcb_err *err)
{
    if (!arg[0] || !strcmp(arg, "--"))
        return vcb_err_usage(err,
                             "vm backend: workload argument %zu is %s, which the kernel "
                             "command line cannot carry",
                             i, arg[0] ? "\"--\"" : "empty");
    for (const char *p = arg; *p; p++)
        if (*p == '"' || (unsigned char)*p < 0x20 || *p == 0x7f)
            return vcb_err_usage(err,
                                 "vm backend: workload argument %zu contains a quote or control "
                                 "character, which the kernel command line cannot carry",
                                 i);
    if (strpbrk(arg, " \t"))
        fprintf(f, " \"%s\"", arg);
    else
        fprintf(f, " %s", arg);
    return 0;
}

int vm_cmdline_build(const char *init, const char *workload, char *const *args, uint64_t tsc_khz,
                     unsigned flags, char **out, struct vcb_err *err)
{
    cleanup_free char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return vcb_err_sys(err, errno, "kernel command line");
    /* loglevel=4 keeps errors (OOM kills, panics) in the console log;
     * rcu_expedited and cryptomgr.notests cut ~0.2 s of a TCG boot;
     * tsc_early_khz skips TSC calibration, which hangs microvm now and then;
     * reboot=t: a panic (panic=-1) resets at once, ~1 s sooner than walking
     * the reboot methods, and on_reboot=destroy ends the domain;
     * every parameter is known to the kernel or dotted, so none leaks to init. */
    fputs("console=ttyS0 quiet loglevel=4 panic=-1 reboot=t 8250.nr_uarts=2 "
          "rcupdate.rcu_expedited=1 cryptomgr.notests no_timer_check "
          "random.trust_cpu=on",
          f);
    if (tsc_khz)
        fprintf(f, " tsc_early_khz=%llu tsc=reliable", (unsigned long long)tsc_khz);
    /* The lean profile's guest kernel keeps less, by options that leave
     * it as strict or stricter (emulated (TCG), idle 256 MiB guest: its
     * free memory 191 -> 204 MiB, qemu's settled PSS 121.6 -> 108.8 MiB;
     * docs/speed.md): lockdown=confidentiality, besides
     * its own guarantees, keeps the kernel from building tracefs at
     * boot (~10 000 inodes and dentries, 9 MiB of slab nobody reads;
     * the modules vcb-init loads are signed, so they still load);
     * percpu_alloc=page maps per-CPU chunks page by page instead of in
     * 2 MiB units, whose cgroup map alone is 4 MiB. */
    if (flags & VM_CMDLINE_BALLOON)
        fputs(" " VM_LEAN_KERNEL_ARGS, f);
    fputs(flags & VM_CMDLINE_BALLOON ? " vcb.vm=1 vcb.balloon=1" : " vcb.vm=1", f);
    if (flags & VM_CMDLINE_SCRATCH)
        fputs(" vcb.scratch=1", f);
    int rc = 0;
    if (init && strcmp(init, "/init") != 0) /* a path of ours: no quotes or spaces */
        fprintf(f, " rdinit=%s", init);
    if (workload) {
        fputs(" --", f);
        rc = vm_cmdline_arg(f, workload, 0, err);
        for (size_t i = 0; rc == 0 && args && args[i]; i++)
            rc = vm_cmdline_arg(f, args[i], i + 1, err);
    }
    fclose(f);
    if (rc < 0)
        return -1;
    if (len >= VM_CMDLINE_MAX)
        return vcb_err_usage(err,
                             "vm backend: kernel command line is %zu bytes, the limit is %d "
                             "(shorten the workload arguments)",
                             len, VM_CMDLINE_MAX - 1);
    *out = steal_pointer(&buf);
    return 0;
}

/* Escaped copies of every string the XML carries; freed together. */
struct vm_xml_strings {
    char *name, *machine, *cpuset, *kernel, *initramfs, *disk, *scratch, *cmdline, *console_log,
        *net_socket;
};

static void vm_xml_strings_free(struct vm_xml_strings *s)
{
    free(s->name);
    free(s->machine);
    free(s->cpuset);
    free(s->kernel);
    free(s->initramfs);
    free(s->disk);
    free(s->scratch);
    free(s->cmdline);
    free(s->console_log);
    free(s->net_socket);
}

static int vm_xml_strings_fill(const struct vm_xml_config *c, struct vm_xml_strings *s)
{
    s->name = vm_xml_escape(c->name);
    s->machine = vm_xml_escape(c->machine);
    s->cpuset = vm_xml_escape(c->cpuset ? c->cpuset : "");
    s->kernel = vm_xml_escape(c->kernel);
    s->initramfs = vm_xml_escape(c->initramfs ? c->initramfs : "");
    s->disk = vm_xml_escape(c->disk ? c->disk : "");
    s->scratch = vm_xml_escape(c->scratch ? c->scratch : "");
    s->cmdline = vm_xml_escape(c->cmdline);
    s->console_log = vm_xml_escape(c->console_log ? c->console_log : "");
    s->net_socket = vm_xml_escape(c->net_socket ? c->net_socket : "");
    bool ok = s->name && s->machine && s->cpuset && s->kernel && s->initramfs && s->disk &&
              s->scratch && s->cmdline && s->console_log && s->net_socket;
    return ok ? 0 : -1;
}

static void vm_xml_head(FILE *f, const struct vm_xml_config *c, const struct vm_xml_strings *s)
{
    fprintf(f, "<domain type='%s'%s>\n", c->accel == VCB_ACCEL_KVM ? "kvm" : "qemu",
            c->net_socket ? " xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'" : "");
    fprintf(f, "  <name>%s</name>\n", s->name);
    fprintf(f, "  <memory unit='MiB'>%llu</memory>\n", (unsigned long long)c->memory_mib);
    if (s->cpuset[0])
        fprintf(f, "  <vcpu placement='static' cpuset='%s'>%u</vcpu>\n", s->cpuset, c->vcpus);
    else
        fprintf(f, "  <vcpu placement='static'>%u</vcpu>\n", c->vcpus);
    if (c->cpu_quota_us || c->cpu_shares)
        fputs("  <cputune>\n", f);
    if (c->cpu_shares)
        fprintf(f, "    <shares>%llu</shares>\n", (unsigned long long)c->cpu_shares);
    if (c->cpu_quota_us)
        fprintf(f, "    <period>%llu</period>\n    <quota>%llu</quota>\n",
                (unsigned long long)VM_CPU_PERIOD_US, (unsigned long long)c->cpu_quota_us);
    if (c->cpu_quota_us || c->cpu_shares)
        fputs("  </cputune>\n", f);
    if (c->blkiotune)
        fputs(c->blkiotune, f);
    if (c->memory_soft_kib)
        fprintf(f, "  <memtune>\n    <soft_limit unit='KiB'>%llu</soft_limit>\n  </memtune>\n",
                (unsigned long long)c->memory_soft_kib);
    fprintf(f, "  <os>\n    <type arch='x86_64' machine='%s'>hvm</type>\n", s->machine);
    fprintf(f, "    <kernel>%s</kernel>\n", s->kernel);
    if (s->initramfs[0])
        fprintf(f, "    <initrd>%s</initrd>\n", s->initramfs);
    fprintf(f, "    <cmdline>%s</cmdline>\n  </os>\n", s->cmdline);
}

/* passt's socket as a virtio NIC, through qemu's stream netdev: libvirt
 * 9.0 refuses its own <backend type='passt'/>, so qemu gets the two
 * arguments directly (libvirt marks such a domain custom-argv). */
static void vm_xml_passt(FILE *f, const struct vm_xml_config *c, const struct vm_xml_strings *s)
{
    bool mmio = !strcmp(c->machine, "microvm");
    fprintf(f,
            "  <qemu:commandline>\n    <qemu:arg value='-netdev'/>\n"
            "    <qemu:arg value='stream,id=vcbnet,server=off,addr.type=unix,addr.path=%s'/>\n"
            "    <qemu:arg value='-device'/>\n    <qemu:arg value='%s,netdev=vcbnet'/>\n"
            "  </qemu:commandline>\n",
            s->net_socket, mmio ? "virtio-net-device" : "virtio-net-pci");
}

static void vm_xml_body(FILE *f, const struct vm_xml_config *c, const struct vm_xml_strings *s)
{
    /* acpi: without it the guest's poweroff hangs instead of ending qemu. */
    fputs("  <features>\n    <acpi/>\n", f);
    if (c->accel != VCB_ACCEL_KVM && c->tb_cache_mib)
        fprintf(f, "    <tcg>\n      <tb-cache unit='MiB'>%u</tb-cache>\n    </tcg>\n",
                c->tb_cache_mib);
    fputs("  </features>\n", f);
    if (c->accel == VCB_ACCEL_KVM)
        fputs("  <cpu mode='host-passthrough' check='none'/>\n", f);
    fputs("  <clock offset='utc'/>\n", f);
    fputs("  <on_poweroff>destroy</on_poweroff>\n  <on_reboot>destroy</on_reboot>\n"
          "  <on_crash>destroy</on_crash>\n",
          f);
    fputs("  <devices>\n", f);
    /* Only what the protocol needs: no network, usb, video; a disk only
     * for an image too big to boot as an initramfs, read-only like the
     * container's root, uncached by the host so its page cache is not
     * counted twice (qemu reads with O_DIRECT). */
    fputs("    <controller type='usb' model='none'/>\n", f);
    if (s->disk[0])
        fprintf(f,
                "    <disk type='file' device='disk'>\n"
                "      <driver name='qemu' type='raw' cache='none' io='native'/>\n"
                "      <source file='%s'/>\n      <target dev='vda' bus='virtio'/>\n"
                "      <readonly/>\n%s    </disk>\n",
                s->disk,
                !strcmp(c->machine, "microvm") ? "      <address type='virtio-mmio'/>\n" : "");
    /* The scratch volume: the host file the other arms open with O_DIRECT,
     * opened so by qemu too (cache='none'), its serial how vcb-init finds it. */
    if (s->scratch[0])
        fprintf(f,
                "    <disk type='file' device='disk'>\n"
                "      <driver name='qemu' type='raw' cache='none' io='native'/>\n"
                "      <source file='%s'/>\n      <target dev='vdb' bus='virtio'/>\n"
                "      <serial>" VCB_SCRATCH_SERIAL "</serial>\n%s    </disk>\n",
                s->scratch,
                !strcmp(c->machine, "microvm") ? "      <address type='virtio-mmio'/>\n" : "");
    /* No file for a remote host's guest: its kernel console is a pty read
     * through a stream (vm-console-kernel.c). */
    if (s->console_log[0])
        fprintf(f,
                "    <serial type='file'>\n      <source path='%s'/>\n"
                "      <target port='0'/>\n    </serial>\n",
                s->console_log);
    else
        fputs("    <serial type='pty'>\n      <target port='0'/>\n    </serial>\n", f);
    if (c->protocol_pty)
        fputs("    <serial type='pty'>\n      <target port='1'/>\n    </serial>\n", f);
    /* Free page reporting: the guest hands pages it freed (the unpacked
     * initramfs, the kernel's boot-time buffers) back to the host, which
     * drops them; no target size is ever set. */
    if (c->page_reporting && !strcmp(c->machine, "microvm")) /* no PCI bus there */
        fputs("    <memballoon model='virtio' freePageReporting='on'>\n"
              "      <address type='virtio-mmio'/>\n    </memballoon>\n",
              f);
    else if (c->page_reporting)
        fputs("    <memballoon model='virtio' freePageReporting='on'/>\n", f);
    else
        fputs("    <memballoon model='none'/>\n", f);
    fputs("  </devices>\n", f);
    if (c->net_socket)
        vm_xml_passt(f, c, s);
    fputs("</domain>\n", f);
}

int vm_xml_build(const struct vm_xml_config *c, char **out, struct vcb_err *err)
{
    struct vm_xml_strings s = {0};
    cleanup_free char *buf = NULL;
    size_t len = 0;
    if (vm_xml_strings_fill(c, &s) < 0) {
        vm_xml_strings_free(&s);
        return vcb_err_sys(err, ENOMEM, "domain %s: XML", c->name);
    }
    FILE *f = open_memstream(&buf, &len);
    if (!f) {
        vm_xml_strings_free(&s);
        return vcb_err_sys(err, errno, "domain %s: XML", c->name);
    }
    vm_xml_head(f, c, &s);
    vm_xml_body(f, c, &s);
    int bad = ferror(f);
    fclose(f);
    vm_xml_strings_free(&s);
    if (bad)
        return vcb_err_sys(err, ENOMEM, "domain %s: XML", c->name);
    *out = steal_pointer(&buf);
    return 0;
}
