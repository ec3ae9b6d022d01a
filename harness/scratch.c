/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* scratch.c — scratch volumes: one raw file per instance of a disk
 * workload, in a directory of the run's own (<scratch dir>/vcb-<run-id>.scratch/,
 * 0711 so a VM's qemu can open its file by name), linked from the run dir
 * (<run dir>/scratch) so whoever removes a dead run's dir (its guard,
 * `vcbench cleanup`) finds and removes it too.
 *
 * A file is preallocated and then written once, with O_DIRECT: a file
 * only fallocate()d reads back as zeroes from extents the filesystem
 * marks unwritten, without touching the disk, and a sparse one the same
 * from holes; either would make reads look faster than they are. O_DIRECT
 * also keeps this first write out of the host's page cache. */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "harness.h"

#define SCRATCH_LINK   "scratch"
#define SCRATCH_SUFFIX ".scratch"
#define FILL_BLOCK     (1U << 20)

static const char *scratch_dir(const struct bench_scratch *sc)
{
    return sc->dir ? sc->dir : BENCH_SCRATCH_DIR_DEFAULT;
}

int bench_scratch_check(const struct bench_scratch *sc, const char *what, const char *dir_what,
                        struct vcb_err *err)
{
    uint64_t bytes = sc->bytes;
    const char *dir = scratch_dir(sc);
    struct statfs fs;
    struct statvfs vfs;
    if (bytes < BENCH_SCRATCH_MIN || bytes > BENCH_SCRATCH_MAX || bytes % 4096)
        return vcb_err_usage(err, "%s: %llu bytes: expected a multiple of 4KiB from 4MiB to 1TiB",
                             what, (unsigned long long)bytes);
    if (dir[0] != '/')
        return vcb_err_usage(err, "%s: '%s': expected an absolute directory", dir_what, dir);
    if (access(dir, W_OK | X_OK) < 0 || statfs(dir, &fs) < 0 || statvfs(dir, &vfs) < 0)
        return vcb_err_usage(err, "%s: %s: not a writable directory (%s)", dir_what, dir,
                             strerror(errno));
    if (fs.f_type == TMPFS_MAGIC || fs.f_type == RAMFS_MAGIC)
        return vcb_err_usage(err,
                             "%s: %s is on tmpfs, where O_DIRECT is the page cache: "
                             "expected a directory on a disk",
                             dir_what, dir);
    uint64_t avail = (uint64_t)vfs.f_bavail * vfs.f_frsize;
    if (avail < bytes)
        return vcb_err_usage(err, "%s: %s has %llu bytes free, %s asks for %llu per instance",
                             dir_what, dir, (unsigned long long)avail, what,
                             (unsigned long long)bytes);
    return 0;
}

/* The run's scratch directory, made and linked from the run dir on first use. */
static int run_scratch_dir(const struct bench_scratch *sc, const char *run_dir, const char *run_id,
                           char *out, size_t len, struct vcb_err *err)
{
    char link[PATH_MAX + 16];
    snprintf(out, len, "%s/vcb-%s" SCRATCH_SUFFIX, scratch_dir(sc), run_id);
    snprintf(link, sizeof(link), "%s/" SCRATCH_LINK, run_dir);
    if (vcb_path_exists(link))
        return 0;
    /* the link first: a run that dies between the two leaves nothing unnamed */
    if (symlink(out, link) < 0)
        return vcb_err_sys(err, errno, "scratch: link %s", link);
    if (mkdir(out, 0711) < 0 && errno != EEXIST)
        return vcb_err_sys(err, errno, "scratch: mkdir %s", out);
    return chmod(out, 0711) < 0 ? vcb_err_sys(err, errno, "scratch: chmod %s", out) : 0;
}

static int fill(int fd, uint64_t bytes, const char *path, struct vcb_err *err)
{
    cleanup_free char *buf = aligned_alloc(4096, FILL_BLOCK);
    if (!buf)
        return vcb_err_sys(err, ENOMEM, "scratch %s", path);
    for (size_t i = 0; i < FILL_BLOCK; i++)
        buf[i] = (char)(i * 131 + 17);
    if (fallocate(fd, 0, 0, (off_t)bytes) < 0)
        return vcb_err_sys(err, errno, "scratch %s: fallocate %llu bytes", path,
                           (unsigned long long)bytes);
    for (uint64_t off = 0; off < bytes; off += FILL_BLOCK) {
        size_t n = bytes - off < FILL_BLOCK ? (size_t)(bytes - off) : FILL_BLOCK;
        if (pwrite(fd, buf, n, (off_t)off) != (ssize_t)n)
            return vcb_err_sys(err, errno ? errno : EIO, "scratch %s: write", path);
    }
    return fdatasync(fd) < 0 ? vcb_err_sys(err, errno, "scratch %s: fdatasync", path) : 0;
}

int bench_scratch_make(const struct bench_scratch *sc, const char *run_dir, const char *run_id,
                       const char *name, char *path, size_t len, struct vcb_err *err)
{
    char dir[PATH_MAX];
    path[0] = '\0';
    if (run_scratch_dir(sc, run_dir, run_id, dir, sizeof(dir), err) < 0)
        return -1;
    if ((size_t)snprintf(path, len, "%s/%s.img", dir, name) >= len)
        return vcb_err_usage(err, "scratch: path under %s too long", dir);
    cleanup_close int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_DIRECT | O_CLOEXEC, 0600);
    if (fd < 0)
        return vcb_err_sys(err, errno, "scratch %s: create", path);
    if (fill(fd, sc->bytes, path, err) < 0) {
        unlink(path);
        path[0] = '\0';
        return -1;
    }
    return 0;
}

void bench_scratch_drop(char *path)
{
    if (path[0])
        unlink(path);
    path[0] = '\0';
}

void bench_scratch_run_remove(const char *run_dir)
{
    char link[PATH_MAX + 16], target[PATH_MAX];
    snprintf(link, sizeof(link), "%s/" SCRATCH_LINK, run_dir);
    ssize_t n = readlink(link, target, sizeof(target) - 1);
    if (n <= 0)
        return;
    target[n] = '\0';
    const char *base = strrchr(target, '/');
    size_t blen = base ? strlen(base + 1) : 0;
    /* only what we named: vcb-<run-id>.scratch */
    if (base && target[0] == '/' && strncmp(base + 1, "vcb-", 4) == 0 &&
        blen > strlen(SCRATCH_SUFFIX) &&
        strcmp(base + 1 + blen - strlen(SCRATCH_SUFFIX), SCRATCH_SUFFIX) == 0)
        vcb_rm_rf(target, NULL);
}

json_t *bench_scratch_facts(enum vcb_arm_kind kind, uint64_t bytes)
{
    const char *form = kind == VCB_ARM_VM          ? "virtio-blk disk, raw file"
                       : kind == VCB_ARM_CONTAINER ? "raw file, bind-mounted"
                                                   : "raw file, host path";
    /* qemu opens the file with O_DIRECT (cache=none) and the guest's
     * workload opens the disk with O_DIRECT: no page cache on either side */
    return json_pack("{s:s, s:I, s:s, s:s}", "form", form, "bytes", (json_int_t)bytes, "cache",
                     kind == VCB_ARM_VM ? "none, io=native" : "host O_DIRECT", "page_cache",
                     "kept out: O_DIRECT in the workload");
}
