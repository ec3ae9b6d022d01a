/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fs.c — small file helpers: mkdir -p, rm -rf (same filesystem only),
 * whole-file reads and atomic writes. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

#include "vcb.h"

int vcb_mkdir_p(const char *path, unsigned mode, struct vcb_err *err)
{
    char buf[PATH_MAX];
    if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
        return vcb_err_set(err, ENAMETOOLONG, "mkdir %s: path too long", path);
    for (char *p = buf + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char saved = *p;
        *p = '\0';
        if (mkdir(buf, mode) < 0 && errno != EEXIST)
            return vcb_err_sys(err, errno, "mkdir %s", buf);
        *p = saved;
        if (!saved)
            break;
    }
    return 0;
}

/* Remove the contents of dirfd, never crossing into another filesystem. */
static int rm_rf_at(int dirfd, dev_t dev, const char *path, struct vcb_err *err)
{
    DIR *d = fdopendir(dirfd);
    if (!d) {
        close(dirfd);
        return vcb_err_sys(err, errno, "rm -rf %s: opendir", path);
    }
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        struct stat st;
        if (fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            if (st.st_dev != dev) {
                rc = vcb_err_set(err, EBUSY, "rm -rf %s/%s: a mount point, not removed", path,
                                 e->d_name);
                break;
            }
            int sub = openat(dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sub < 0 || rm_rf_at(sub, dev, path, err) < 0)
                rc = sub < 0 ? vcb_err_sys(err, errno, "rm -rf %s/%s", path, e->d_name) : -1;
            else if (unlinkat(dirfd, e->d_name, AT_REMOVEDIR) < 0)
                rc = vcb_err_sys(err, errno, "rm -rf %s/%s", path, e->d_name);
        } else if (unlinkat(dirfd, e->d_name, 0) < 0) {
            rc = vcb_err_sys(err, errno, "rm -rf %s/%s", path, e->d_name);
        }
    }
    closedir(d);
    return rc;
}

int vcb_rm_rf(const char *path, struct vcb_err *err)
{
    struct stat st;
    if (lstat(path, &st) < 0)
        return errno == ENOENT ? 0 : vcb_err_sys(err, errno, "rm -rf %s", path);
    if (!S_ISDIR(st.st_mode)) {
        if (unlink(path) < 0)
            return vcb_err_sys(err, errno, "rm %s", path);
        return 0;
    }
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return vcb_err_sys(err, errno, "rm -rf %s", path);
    if (rm_rf_at(fd, st.st_dev, path, err) < 0)
        return -1;
    if (rmdir(path) < 0)
        return vcb_err_sys(err, errno, "rmdir %s", path);
    return 0;
}

int vcb_read_file(const char *path, char **out, size_t *len, struct vcb_err *err)
{
    cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return vcb_err_sys(err, errno, "open %s", path);
    size_t cap = 4096, n = 0;
    cleanup_free char *buf = malloc(cap);
    if (!buf)
        return vcb_err_sys(err, ENOMEM, "read %s", path);
    for (;;) {
        if (n + 1 >= cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb)
                return vcb_err_sys(err, ENOMEM, "read %s", path);
            buf = nb;
        }
        ssize_t r = read(fd, buf + n, cap - n - 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return vcb_err_sys(err, errno, "read %s", path);
        if (r == 0)
            break;
        n += (size_t)r;
    }
    buf[n] = '\0';
    if (len)
        *len = n;
    *out = steal_pointer(&buf);
    return 0;
}

static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, data, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        data += w;
        len -= (size_t)w;
    }
    return 0;
}

int vcb_write_file(const char *path, const char *data, size_t len, struct vcb_err *err)
{
    cleanup_close int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return vcb_err_sys(err, errno, "open %s", path);
    if (write_all(fd, data, len) < 0)
        return vcb_err_sys(err, errno, "write %s", path);
    return 0;
}

int vcb_write_file_atomic(const char *path, const char *data, size_t len, struct vcb_err *err)
{
    char tmp[PATH_MAX];
    if (snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid()) >= (int)sizeof(tmp))
        return vcb_err_set(err, ENAMETOOLONG, "write %s: path too long", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return vcb_err_sys(err, errno, "write %s: create %s", path, tmp);
    int saved = 0;
    if (write_all(fd, data, len) < 0 || fsync(fd) < 0)
        saved = errno;
    if (close(fd) < 0 && !saved)
        saved = errno;
    if (!saved && rename(tmp, path) < 0)
        saved = errno;
    if (saved) {
        unlink(tmp); /* the earlier file, if any, stays intact */
        return vcb_err_sys(err, saved, "write %s", path);
    }
    return 0;
}

/* Streamed through one buffer, whatever the size (a log may be large). A
 * copy that fails half-way is removed: no truncated file looks whole. */
int vcb_copy_file(const char *src, const char *dst, unsigned mode, struct vcb_err *err)
{
    char buf[65536];
    ssize_t n;
    cleanup_close int in = open(src, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return vcb_err_sys(err, errno, "copy %s: open", src);
    cleanup_close int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (out < 0)
        return vcb_err_sys(err, errno, "copy %s to %s", src, dst);
    while ((n = read(in, buf, sizeof(buf))) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 || write_all(out, buf, (size_t)n) < 0)
            break;
    }
    int saved = n != 0 ? errno : 0;
    if (!saved && (fchmod(out, mode) < 0 || close(steal_fd(&out)) < 0))
        saved = errno;
    if (saved) {
        unlink(dst);
        return vcb_err_sys(err, saved, "copy %s to %s", src, dst);
    }
    return 0;
}

bool vcb_path_exists(const char *path)
{
    return access(path, F_OK) == 0;
}

int vcb_read_u64_file(const char *path, uint64_t *out, struct vcb_err *err)
{
    char buf[64];
    cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return vcb_err_sys(err, errno, "open %s", path);
    ssize_t n = read(fd, buf, sizeof(buf) - 1);
    if (n < 0)
        return vcb_err_sys(err, errno, "read %s", path);
    buf[n] = '\0';
    char *end;
    errno = 0;
    unsigned long long v = strtoull(buf, &end, 10);
    if (end == buf || errno || (*end && *end != '\n'))
        return vcb_err_set(err, EINVAL, "%s: expected a number, got \"%.*s\"", path, (int)n, buf);
    *out = v;
    return 0;
}
