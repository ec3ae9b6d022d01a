/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* memcg.c — what a memory cgroup was charged, split the way the kernel
 * reports it, and which memory cgroup a process is charged to. One reading
 * for every backend: the container's own group, the group libvirt puts qemu
 * in, and vcbench's own group (what the kernel charged there instead). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>

#include "vcb-driver.h"

void vcb_memcg_split_init(struct vcb_memcg_split *m)
{
    memset(m, 0xff, sizeof(*m)); /* every field VCB_STAT_UNSET */
}

/* The parts of the v2 "kernel" line, for kernels older than 5.18 that lack it. */
static uint64_t kernel_from_parts(const struct vcb_memcg_split *m, uint64_t sec_pagetables)
{
    const uint64_t parts[] = {m->kernel_stack, m->pagetables, m->slab,
                              m->percpu,       m->vmalloc,    sec_pagetables};
    uint64_t sum = 0;
    bool any = false;
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
        if (parts[i] != VCB_STAT_UNSET)
            sum += parts[i], any = true;
    return any ? sum : VCB_STAT_UNSET;
}

void vcb_memstat_parse(const char *text, struct vcb_memcg_split *out)
{
    /* v2 names first; v1 calls anonymous memory "rss" and page cache "cache". */
    static const struct {
        const char *key;
        size_t off;
    } keys[] = {
        {"anon", offsetof(struct vcb_memcg_split, anon)},
        {"file", offsetof(struct vcb_memcg_split, file)},
        {"kernel", offsetof(struct vcb_memcg_split, kernel)},
        {"kernel_stack", offsetof(struct vcb_memcg_split, kernel_stack)},
        {"pagetables", offsetof(struct vcb_memcg_split, pagetables)},
        {"slab", offsetof(struct vcb_memcg_split, slab)},
        {"percpu", offsetof(struct vcb_memcg_split, percpu)},
        {"vmalloc", offsetof(struct vcb_memcg_split, vmalloc)},
        {"sock", offsetof(struct vcb_memcg_split, sock)},
    };
    uint64_t rss = VCB_STAT_UNSET, cache = VCB_STAT_UNSET, sec = VCB_STAT_UNSET;
    vcb_memcg_split_init(out);
    for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        char key[64];
        unsigned long long v;
        if (sscanf(p, "%63s %llu", key, &v) != 2)
            continue;
        for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
            if (!strcmp(key, keys[i].key))
                *(uint64_t *)((char *)out + keys[i].off) = v;
        if (!strcmp(key, "rss"))
            rss = v;
        else if (!strcmp(key, "cache"))
            cache = v;
        else if (!strcmp(key, "sec_pagetables"))
            sec = v;
    }
    if (out->anon == VCB_STAT_UNSET)
        out->anon = rss;
    if (out->file == VCB_STAT_UNSET)
        out->file = cache;
    if (out->kernel == VCB_STAT_UNSET)
        out->kernel = kernel_from_parts(out, sec);
}

/* A number file in the group; false when absent or unreadable. */
static bool read_u64_at(int dfd, const char *file, uint64_t *out)
{
    char buf[64], *end;
    cleanup_close int fd = openat(dfd, file, O_RDONLY | O_CLOEXEC);
    ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
    if (n <= 0)
        return false;
    buf[n] = '\0';
    errno = 0;
    unsigned long long v = strtoull(buf, &end, 10);
    if (errno || end == buf)
        return false;
    *out = v;
    return true;
}

int vcb_memcg_read_at(int dfd, struct vcb_memcg_split *out, struct vcb_err *err)
{
    char buf[8192];
    size_t got = 0;
    ssize_t n = 0;
    cleanup_close int fd = openat(dfd, "memory.stat", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return vcb_err_sys(err, errno, "open memory.stat");
    while (got + 1 < sizeof(buf) && (n = read(fd, buf + got, sizeof(buf) - 1 - got)) > 0)
        got += (size_t)n;
    if (n < 0)
        return vcb_err_sys(err, errno, "read memory.stat");
    buf[got] = '\0';
    vcb_memstat_parse(buf, out);
    /* v1: memory.stat says nothing of kernel memory; its own counters do. */
    uint64_t v;
    if (read_u64_at(dfd, "memory.kmem.usage_in_bytes", &v))
        out->kernel = v;
    if (read_u64_at(dfd, "memory.kmem.tcp.usage_in_bytes", &v))
        out->sock = v;
    return 0;
}

int vcb_memcg_read(const char *dir, struct vcb_memcg_split *out, struct vcb_err *err)
{
    cleanup_close int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return vcb_err_sys(err, errno, "memory cgroup %s: open", dir);
    if (vcb_memcg_read_at(dfd, out, err) < 0)
        return vcb_err_prefix(err, "memory cgroup %s", dir);
    return 0;
}

/* The mount point of the v1 hierarchy holding "memory", or of cgroup2,
 * from a mountinfo text; false when none. */
bool vcb_memcg_mount(const char *mountinfo, bool v1, char *buf, size_t len)
{
    for (const char *p = mountinfo; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        char mnt[1024], fstype[32], opts[512];
        /* "36 25 0:31 / /sys/fs/cgroup/memory rw,… shared:1 - cgroup cgroup rw,memory" */
        const char *dash = strstr(p, " - ");
        const char *eol = strchr(p, '\n');
        if (!dash || (eol && dash > eol) || sscanf(p, "%*s %*s %*s %*s %1023s", mnt) != 1 ||
            sscanf(dash + 3, "%31s %*s %511s", fstype, opts) != 2)
            continue;
        bool hit = v1 ? !strcmp(fstype, "cgroup") && strstr(opts, "memory") != NULL
                      : !strcmp(fstype, "cgroup2");
        if (v1 && hit) { /* "memory" must be a whole option, not "memory_recursiveprot" */
            hit = false;
            char *save = NULL;
            for (char *o = strtok_r(opts, ",", &save); o && !hit; o = strtok_r(NULL, ",", &save))
                hit = !strcmp(o, "memory");
        }
        if (hit && (size_t)snprintf(buf, len, "%s", mnt) < len)
            return true;
    }
    return false;
}

/* Find in a /proc/PID/cgroup text the path of the v1 "memory" hierarchy
 * ("4:memory:/a/b") or, with v1 false, of the unified one ("0::/a/b"). */
bool vcb_memcg_proc_path(const char *cgroup, bool v1, char *buf, size_t len)
{
    for (const char *p = cgroup; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        const char *c1 = strchr(p, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        const char *eol = strchr(p, '\n');
        if (!c2 || (eol && c2 > eol))
            continue;
        size_t ctl_len = (size_t)(c2 - c1 - 1);
        bool hit = v1 ? false : ctl_len == 0;
        for (const char *c = c1 + 1; v1 && c < c2;) { /* "cpu,memory" */
            size_t n = strcspn(c, ",:");
            hit = hit || (n == 6 && !strncmp(c, "memory", 6));
            c += n + (c[n] == ',');
        }
        if (!hit)
            continue;
        size_t n = eol ? (size_t)(eol - c2 - 1) : strlen(c2 + 1);
        if (n + 1 > len)
            return false;
        memcpy(buf, c2 + 1, n);
        buf[n] = '\0';
        return true;
    }
    return false;
}

int vcb_memcg_dir_of(pid_t pid, char *buf, size_t len, bool *is_root, struct vcb_err *err)
{
    char path[64];
    cleanup_free char *cg = NULL, *mi = NULL;
    snprintf(path, sizeof(path), pid ? "/proc/%d/cgroup" : "/proc/thread-self/cgroup", (int)pid);
    if (vcb_read_file(path, &cg, NULL, err) < 0 ||
        vcb_read_file("/proc/self/mountinfo", &mi, NULL, err) < 0)
        return -1;
    for (int v1 = 1; v1 >= 0; v1--) {
        char mnt[1024], rel[PATH_MAX], dir[PATH_MAX + 1024];
        if (!vcb_memcg_proc_path(cg, v1, rel, sizeof(rel)) ||
            !vcb_memcg_mount(mi, v1, mnt, sizeof(mnt)))
            continue;
        snprintf(dir, sizeof(dir), "%s%s", mnt, strcmp(rel, "/") ? rel : "");
        /* A controller-less cgroup2 (hybrid hosts) has no memory.stat. */
        char stat[sizeof(dir) + 16];
        snprintf(stat, sizeof(stat), "%s/memory.stat", dir);
        if (!vcb_path_exists(stat) && strcmp(rel, "/") != 0)
            continue;
        if ((size_t)snprintf(buf, len, "%s", dir) >= len)
            return vcb_err_set(err, ENAMETOOLONG, "%s: memory cgroup path too long", path);
        *is_root = strcmp(rel, "/") == 0;
        return 0;
    }
    return vcb_err_set(err, ENOENT, "%s: no memory cgroup", path);
}
