/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pagecache.c — how much of an image sits in the host's page cache. The
 * container reads the rootfs files, qemu the initramfs and kernel: those
 * pages are shared by every instance of the image and charged to whichever
 * cgroup touched them first, so they are counted on their own. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "vcb-driver.h"

#define WALK_DEPTH_MAX 16

/* Resident bytes of one open regular file (mincore over a read-only map). */
static int file_cached(int fd, uint64_t size, uint64_t *cached, struct vcb_err *err)
{
    long page = sysconf(_SC_PAGESIZE);
    size_t pages = (size_t)((size + (uint64_t)page - 1) / (uint64_t)page);
    if (size == 0)
        return 0;
    void *map = mmap(NULL, (size_t)size, PROT_READ, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED)
        return vcb_err_sys(err, errno, "mmap");
    cleanup_free unsigned char *vec = malloc(pages);
    int rc = vec ? mincore(map, (size_t)size, vec) : -1;
    int e = vec ? errno : ENOMEM;
    munmap(map, (size_t)size);
    if (rc < 0)
        return vcb_err_sys(err, e, "mincore");
    for (size_t i = 0; i < pages; i++)
        if (vec[i] & 1)
            *cached += (uint64_t)page;
    return 0;
}

static int walk(int dfd, const char *name, int depth, uint64_t *cached, uint64_t *size,
                struct vcb_err *err)
{
    struct stat st;
    /* The path given may be a link (vmlinuz -> vmlinuz-6.1…); inside a tree
     * none is followed, and only files and directories are opened (a fifo
     * would block). */
    if (fstatat(dfd, name, &st, depth > 0 ? AT_SYMLINK_NOFOLLOW : 0) < 0)
        return vcb_err_sys(err, errno, "stat %s", name);
    if (!S_ISREG(st.st_mode) && (!S_ISDIR(st.st_mode) || depth >= WALK_DEPTH_MAX))
        return 0;
    cleanup_close int fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | (depth > 0 ? O_NOFOLLOW : 0));
    if (fd < 0)
        return vcb_err_sys(err, errno, "open %s", name);
    if (S_ISREG(st.st_mode)) {
        *size += (uint64_t)st.st_size;
        return file_cached(fd, (uint64_t)st.st_size, cached, err) < 0
                   ? vcb_err_prefix(err, "%s", name)
                   : 0;
    }
    DIR *d = fdopendir(fd);
    if (!d)
        return vcb_err_sys(err, errno, "opendir %s", name);
    fd = -1; /* the DIR owns it now */
    int rc = 0;
    for (struct dirent *de; rc == 0 && (de = readdir(d));)
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
            rc = walk(dirfd(d), de->d_name, depth + 1, cached, size, err);
    closedir(d);
    return rc;
}

int vcb_path_cached(const char *path, uint64_t *cached, uint64_t *size, struct vcb_err *err)
{
    uint64_t c = 0, s = 0;
    if (walk(AT_FDCWD, path, 0, &c, &s, err) < 0)
        return vcb_err_prefix(err, "page cache of %s", path);
    *cached = c;
    *size = s;
    return 0;
}
