/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vm-smaps.c — which of qemu's mappings is the guest's RAM, and what it
 * holds on the host: the split behind a Firecracker-style "VMM-only"
 * overhead (qemu's PSS minus the guest RAM's PSS). The RAM is the writable
 * anonymous (or memfd / hugetlbfs) region the size of the configured guest
 * RAM; TCG's translation cache is executable, the heap is named, libraries
 * are files, so none of them can pass for it. */
#include <errno.h>
#include <string.h>

#include "vm-priv.h"

struct vma {
    uint64_t start, end, pss, rss;
    bool rw;
    char path[256];
};

/* "7f9fbfe00000-7f9fcfe00000 rw-p 00000000 00:00 0      [path]" */
static bool vma_header(const char *line, struct vma *v)
{
    unsigned long long s, e;
    char perms[8];
    int n = 0;
    if (sscanf(line, "%llx-%llx %7s %*s %*s %*s%n", &s, &e, perms, &n) != 3 || n <= 0)
        return false;
    memset(v, 0, sizeof(*v));
    v->start = s;
    v->end = e;
    v->rw = perms[0] == 'r' && perms[1] == 'w' && perms[2] != 'x';
    const char *p = line + n;
    p += strspn(p, " \t");
    snprintf(v->path, sizeof(v->path), "%.*s", (int)strcspn(p, "\n"), p);
    return true;
}

/* Guest RAM lives in anonymous memory, a memfd or hugetlbfs: never a named
 * file mapping, the heap or a stack. */
static bool vma_may_be_ram(const struct vma *v)
{
    return v->rw && (v->path[0] == '\0' || !strncmp(v->path, "/memfd:", 7) ||
                     strstr(v->path, "hugepages") != NULL);
}

/* Adjacent candidate VMAs, newest last: qemu may split the RAM with
 * madvise, and an unrelated anonymous area may sit right next to it. */
#define RUN_MAX 64
struct run {
    struct {
        uint64_t start, end, pss, rss;
    } v[RUN_MAX];
    size_t n;
};

/* Every window of the run that ends at its newest VMA is a candidate; the
 * one whose size is closest to the guest RAM (not below) wins. */
static void run_consider(const struct run *r, uint64_t guest_ram, struct vm_ram_map *best)
{
    uint64_t slack = guest_ram / 64 + (4ULL << 20); /* alignment, a trailing guard */
    struct vm_ram_map w = {0};
    for (size_t i = r->n; i-- > 0;) {
        w.size += r->v[i].end - r->v[i].start;
        w.pss += r->v[i].pss;
        w.rss += r->v[i].rss;
        w.vmas++;
        if (w.size > guest_ram + slack)
            break;
        if (w.size >= guest_ram && (!best->vmas || w.size - guest_ram < best->size - guest_ram))
            *best = w;
    }
}

static void run_add(struct run *r, const struct vma *v, uint64_t guest_ram, struct vm_ram_map *best)
{
    if (!vma_may_be_ram(v)) {
        r->n = 0;
        return;
    }
    if (r->n == RUN_MAX || (r->n && v->start != r->v[r->n - 1].end))
        r->n = 0;
    r->v[r->n].start = v->start;
    r->v[r->n].end = v->end;
    r->v[r->n].pss = v->pss;
    r->v[r->n++].rss = v->rss;
    run_consider(r, guest_ram, best);
}

int vm_smaps_guest_ram(const char *smaps, uint64_t guest_ram, struct vm_ram_map *out)
{
    struct run run = {.n = 0};
    struct vm_ram_map best = {0};
    struct vma v;
    bool have = false;
    for (const char *p = smaps; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        struct vma next;
        unsigned long long kb;
        if (vma_header(p, &next)) {
            if (have)
                run_add(&run, &v, guest_ram, &best);
            v = next;
            have = true;
        } else if (have && sscanf(p, "Pss: %llu kB", &kb) == 1) {
            v.pss = kb * 1024;
        } else if (have && sscanf(p, "Rss: %llu kB", &kb) == 1) {
            v.rss = kb * 1024;
        }
    }
    if (have)
        run_add(&run, &v, guest_ram, &best);
    if (!best.vmas)
        return -1;
    *out = best;
    return 0;
}

int vm_guest_ram_read(pid_t qemu, uint64_t guest_ram, struct vm_ram_map *out, struct vcb_err *err)
{
    char path[64];
    cleanup_free char *text = NULL;
    snprintf(path, sizeof path, "/proc/%d/smaps", (int)qemu);
    if (vcb_read_file(path, &text, NULL, err) < 0)
        return -1;
    if (vm_smaps_guest_ram(text, guest_ram, out) < 0)
        return vcb_err_set(err, ENOENT, "%s: no mapping the size of the guest RAM (%llu bytes)",
                           path, (unsigned long long)guest_ram);
    return 0;
}
