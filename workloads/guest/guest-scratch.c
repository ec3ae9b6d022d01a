/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* guest-scratch.c — open the scratch volume (guest-scratch.h) and the
 * aligned buffers O_DIRECT needs. */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "guest-scratch.h"

static uint64_t volume_bytes(int fd)
{
    struct stat st;
    uint64_t b = 0;
    if (fstat(fd, &st) < 0)
        return 0;
    if (S_ISBLK(st.st_mode))
        return ioctl(fd, BLKGETSIZE64, &b) == 0 ? b : 0;
    return S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
}

int wl_scratch_open(const struct wl_prog *p, const char *path, uint64_t min_bytes, uint64_t *bytes)
{
    if (!path)
        path = getenv(WL_SCRATCH_ENV);
    if (!path || !path[0])
        path = WL_SCRATCH_PATH;
    int fd = open(path, O_RDWR | O_DIRECT | O_CLOEXEC);
    if (fd < 0 && errno == EINVAL)
        wl_usage_fail(p, "scratch volume %s: O_DIRECT refused by its filesystem", path);
    if (fd < 0)
        wl_usage_fail(p, "scratch volume %s: %s (give the instance one: --scratch SIZE)", path,
                      strerror(errno));
    struct statfs fs;
    struct stat st;
    /* a file's filesystem; a device node's (devtmpfs) says nothing */
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && fstatfs(fd, &fs) == 0 &&
        (fs.f_type == TMPFS_MAGIC || fs.f_type == RAMFS_MAGIC))
        wl_usage_fail(p, "scratch volume %s: on tmpfs, where O_DIRECT is the page cache", path);
    *bytes = volume_bytes(fd) / WL_SCRATCH_ALIGN * WL_SCRATCH_ALIGN;
    if (*bytes == 0)
        wl_usage_fail(p, "scratch volume %s: empty (no volume given: --scratch SIZE)", path);
    if (*bytes < min_bytes)
        wl_usage_fail(p, "scratch volume %s: %llu bytes, at least %llu needed", path,
                      (unsigned long long)*bytes, (unsigned long long)min_bytes);
    return fd;
}

void *wl_scratch_buf(const struct wl_prog *p, size_t len)
{
    unsigned char *b = aligned_alloc(WL_SCRATCH_ALIGN, len);
    if (!b) {
        wl_line_fd(STDERR_FILENO, "%s: cannot allocate %zu bytes", p->name, len);
        exit(1);
    }
    for (size_t i = 0; i < len; i++)
        b[i] = (unsigned char)(i * 31 + 7); /* never all zeroes: no shortcut anywhere */
    return b;
}

uint64_t wl_scratch_rand(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545F4914F6CDD1DULL;
}
