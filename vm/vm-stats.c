/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vm-stats.c — what an instance costs the host: the qemu process's
 * RSS/PSS/USS when it is local (the same /proc reading every backend uses),
 * split into the guest RAM mapping and the rest, with the kernel memory of
 * its cgroup; libvirt's memory stats when that is all there is; against it
 * the guest RAM configured and what the guest itself reports in use. And
 * the libvirt daemons that serve every domain. */
#include <dirent.h>
#include <errno.h>
#include <string.h>

#include "vm-priv.h"

/* qemu runs with "-name guest=<name>,debug-threads=on": match that. */
static bool vm_pid_is_qemu_of(pid_t pid, const char *name)
{
    char path[64], want[VCB_NAME_MAX + 16];
    snprintf(path, sizeof path, "/proc/%d/cmdline", (int)pid);
    snprintf(want, sizeof want, "guest=%s,", name);
    cleanup_free char *cmd = NULL;
    size_t len = 0;
    struct vcb_err e = {0};
    if (vcb_read_file(path, &cmd, &len, &e) < 0)
        return false;
    for (size_t off = 0; off < len; off += strlen(cmd + off) + 1)
        if (!strncmp(cmd + off, want, strlen(want)))
            return true;
    return false;
}

static pid_t vm_pid_from_file(const char *name)
{
    char path[PATH_MAX];
    uint64_t pid = 0;
    struct vcb_err e = {0};
    snprintf(path, sizeof path, "/run/libvirt/qemu/%s.pid", name);
    if (vcb_read_u64_file(path, &pid, &e) < 0 || pid == 0 || pid > INT32_MAX)
        return 0;
    return vm_pid_is_qemu_of((pid_t)pid, name) ? (pid_t)pid : 0;
}

/* Up to max pids of /proc that match; returns how many. */
static size_t vm_proc_scan(bool (*match)(pid_t pid, const char *arg), const char *arg, pid_t *out,
                           size_t max)
{
    size_t n = 0;
    DIR *d = opendir("/proc");
    struct dirent *de;
    while (d && n < max && (de = readdir(d))) {
        char *end;
        long v = strtol(de->d_name, &end, 10);
        if (!*end && v > 0 && match((pid_t)v, arg))
            out[n++] = (pid_t)v;
    }
    if (d)
        closedir(d);
    return n;
}

pid_t vm_qemu_pid_find(const char *name)
{
    pid_t pid = vm_pid_from_file(name); /* qemu:///system keeps one here */
    if (pid)
        return pid;
    /* session daemons and other layouts */
    return vm_proc_scan(vm_pid_is_qemu_of, name, &pid, 1) ? pid : 0;
}

/* libvirt's daemons that serve every domain: the monolithic one or its
 * modular qemu driver, the log and lock daemons. */
static bool vm_pid_is_daemon(pid_t pid, const char *unused)
{
    static const char *const names[] = {"libvirtd", "virtqemud", "virtlogd", "virtlockd"};
    char path[64], comm[32] = "";
    snprintf(path, sizeof path, "/proc/%d/comm", (int)pid);
    cleanup_fclose FILE *f = fopen(path, "re");
    if (!f || !fgets(comm, sizeof comm, f))
        return false;
    comm[strcspn(comm, "\n")] = '\0';
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(comm, names[i]))
            return true;
    (void)unused;
    return false;
}

int vm_daemons_mem(const struct vcb_backend_opts *opts, struct vcb_proc_mem *out,
                   struct vcb_err *err)
{
    pid_t pids[16];
    if (!vm_uri_is_local(vm_uri(opts)))
        return vcb_err_set(err, ENOTSUP,
                           "libvirt daemons at %s: their memory is in that host's /proc, which "
                           "libvirt does not show",
                           vm_uri(opts));
    size_t n = vm_proc_scan(vm_pid_is_daemon, NULL, pids, 16);
    struct vcb_proc_mem sum = {0};
    if (n == 0)
        return vcb_err_set(err, ESRCH, "libvirt daemons: none running on this host");
    for (size_t i = 0; i < n; i++) {
        struct vcb_proc_mem m;
        if (vcb_proc_mem(pids[i], &m, err) < 0)
            return vcb_err_prefix(err, "libvirt daemons");
        sum.rss += m.rss;
        sum.pss += m.pss;
        sum.uss += m.uss;
    }
    *out = sum;
    return 0;
}

/* What the host spends beside qemu's PSS, and inside it: the guest RAM
 * mapping, qemu's page tables and threads, the memory cgroup libvirt put it
 * in (kernel memory), the image files in the page cache. A part this host
 * cannot show stays unset. */
static void vm_stats_breakdown(struct vm_instance *vi, struct vcb_stats *out)
{
    struct vm_ram_map ram;
    struct vcb_err e = {0};
    char dir[PATH_MAX];
    bool root = true;
    uint64_t c1, s1, c2, s2;
    if (vm_guest_ram_read(vi->qemu_pid, vi->guest_ram, &ram, &e) == 0)
        out->guest_ram_pss = ram.pss;
    vcb_proc_kernel(vi->qemu_pid, &out->proc_pagetables, &out->proc_threads, &e);
    if (vcb_memcg_dir_of(vi->qemu_pid, dir, sizeof dir, &root, &e) == 0 && !root)
        vcb_memcg_read(dir, &out->cg, &e);
    if (vcb_path_cached(vi->kernel, &c1, &s1, &e) == 0 &&
        vcb_path_cached(vi->initramfs, &c2, &s2, &e) == 0) {
        out->image_cached = c1 + c2;
        out->image_bytes = s1 + s2;
    }
}

static int vm_stats_local(struct vm_instance *vi, struct vcb_stats *out, struct vcb_err *err)
{
    if (!vi->qemu_pid)
        vi->qemu_pid = vm_qemu_pid_find(vi->base.name);
    if (!vi->qemu_pid)
        return vcb_err_set(err, ESRCH, "domain %s: stats: qemu process not found", vi->base.name);
    struct vcb_proc_mem m;
    if (vcb_proc_mem(vi->qemu_pid, &m, err) < 0)
        return vcb_err_prefix(err, "domain %s: stats", vi->base.name);
    out->rss = m.rss;
    out->pss = m.pss;
    out->uss = m.uss;
    uint64_t cpu;
    if (vcb_proc_cpu_ns(vi->qemu_pid, &cpu, err) == 0)
        out->cpu_ns = cpu;
    vm_stats_breakdown(vi, out);
    return 0;
}

void vm_memstats_apply(const virDomainMemoryStatStruct *st, int n, struct vcb_stats *out)
{
    for (int i = 0; i < n; i++) {
        uint64_t bytes = st[i].val * 1024; /* KiB */
        if (st[i].tag == VIR_DOMAIN_MEMORY_STAT_RSS)
            out->rss = bytes;
        else if (st[i].tag == VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON)
            out->balloon_actual = bytes;
        else if (st[i].tag == VIR_DOMAIN_MEMORY_STAT_AVAILABLE)
            out->guest_available = bytes;
        else if (st[i].tag == VIR_DOMAIN_MEMORY_STAT_UNUSED)
            out->guest_unused = bytes;
    }
}

/* Remote: what libvirt says of qemu (its RSS) and of the guest (the
 * balloon, the guest's own figures where its balloon driver sends them);
 * PSS, USS and the breakdown need that host's /proc and stay unset. */
static int vm_stats_remote(struct vm_instance *vi, struct vcb_stats *out, struct vcb_err *err)
{
    virDomainMemoryStatStruct st[VIR_DOMAIN_MEMORY_STAT_NR];
    int n = virDomainMemoryStats(vi->dom, st, VIR_DOMAIN_MEMORY_STAT_NR, 0);
    if (n < 0)
        return vm_err_virt(err, "domain %s: memory stats", vi->base.name);
    vm_memstats_apply(st, n, out);
    out->mem_source = VM_MEM_SOURCE_REMOTE;
    out->mem_remote = true;
    virDomainInfo info;
    if (virDomainGetInfo(vi->dom, &info) == 0) {
        out->cpu_ns = info.cpuTime;
        if (out->balloon_actual == VCB_STAT_UNSET)
            out->balloon_actual = (uint64_t)info.memory * 1024; /* no balloon: what it has */
    }
    return 0;
}

/* Ask vcb-init for a fresh meminfo result and wait briefly for it. */
static void vm_meminfo_refresh(struct vm_instance *vi)
{
    pthread_mutex_lock(&vi->lock);
    bool live = vi->ready && !vi->exited && !vi->stopped;
    unsigned seq = vi->meminfo_seq;
    pthread_mutex_unlock(&vi->lock);
    struct vcb_err e = {0};
    if (!live || vm_console_send(vi, "@vcb meminfo\n", &e) < 0)
        return;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t at = (uint64_t)ts.tv_sec * VCB_NS_PER_S + (uint64_t)ts.tv_nsec + VM_MEMINFO_WAIT_NS;
    ts.tv_sec = (time_t)(at / VCB_NS_PER_S);
    ts.tv_nsec = (long)(at % VCB_NS_PER_S);
    pthread_mutex_lock(&vi->lock);
    while (vi->meminfo_seq == seq && !vi->stopped)
        if (pthread_cond_timedwait(&vi->cond, &vi->lock, &ts) == ETIMEDOUT)
            break;
    pthread_mutex_unlock(&vi->lock);
}

int vm_stats_collect(struct vm_instance *vi, struct vcb_stats *out, struct vcb_err *err)
{
    struct vcb_stats s;
    vcb_stats_init(&s);
    vm_meminfo_refresh(vi);
    pthread_mutex_lock(&vi->lock);
    s.guest_ram = vi->guest_ram;
    if (vi->meminfo_seq)
        s.guest_used = vi->guest_used;
    pthread_mutex_unlock(&vi->lock);
    int rc = vi->local ? vm_stats_local(vi, &s, err) : vm_stats_remote(vi, &s, err);
    if (rc < 0)
        return -1;
    *out = s;
    return 0;
}
