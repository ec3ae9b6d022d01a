/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cgroup-files.c — the control-file helpers every cgroup file shares: path
 * formatting, reading and writing one file of a group, making a group's
 * directory. They call nothing else in this folder. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>

#include "container-priv.h"

int ct_pathf(char *buf, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= len) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return 0;
}

int ct_cg_write(const struct ct_cgroup *cg, int dfd, const char *file, const char *value,
                struct vcb_err *err)
{
    int flags = O_WRONLY | O_CLOEXEC | (cg->host->fake ? O_CREAT | O_TRUNC : 0);
    cleanup_close int fd = openat(dfd, file, flags, 0644);
    size_t len = strlen(value);
    if (fd < 0)
        return vcb_err_sys(err, errno, "cgroup %s: open %s", cg->name, file);
    ssize_t n = write(fd, value, len);
    if (n < 0)
        return vcb_err_sys(err, errno, "cgroup %s: write %s", cg->name, file);
    if ((size_t)n != len)
        return vcb_err_set(err, EIO, "cgroup %s: write %s: short write", cg->name, file);
    return 0;
}

int ct_cg_write_u64(const struct ct_cgroup *cg, int dfd, const char *file, uint64_t v,
                    struct vcb_err *err)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)v);
    return ct_cg_write(cg, dfd, file, buf, err);
}

int ct_cg_read(const struct ct_cgroup *cg, int dfd, const char *file, char *buf, size_t len,
               struct vcb_err *err)
{
    cleanup_close int fd = openat(dfd, file, O_RDONLY | O_CLOEXEC);
    size_t got = 0;
    ssize_t n = 0;
    if (fd < 0)
        return vcb_err_sys(err, errno, "cgroup %s: open %s", cg->name, file);
    while (got + 1 < len && (n = read(fd, buf + got, len - 1 - got)) > 0)
        got += (size_t)n;
    if (n < 0 && got == 0)
        return vcb_err_sys(err, errno, "cgroup %s: read %s", cg->name, file);
    buf[got] = '\0';
    return 0;
}

int ct_cg_read_u64(const struct ct_cgroup *cg, int dfd, const char *file, uint64_t *out,
                   struct vcb_err *err)
{
    char buf[64], *end;
    if (ct_cg_read(cg, dfd, file, buf, sizeof buf, err) < 0)
        return -1;
    errno = 0;
    unsigned long long v = strtoull(buf, &end, 10);
    if (errno || end == buf || (*end && *end != '\n'))
        return vcb_err_set(err, EINVAL, "cgroup %s: %s: expected a number, got '%.20s'", cg->name,
                           file, buf);
    *out = v;
    return 0;
}

int ct_kv_find(const char *text, const char *key, uint64_t *out)
{
    size_t kl = strlen(key);
    for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        if (strncmp(p, key, kl) == 0 && p[kl] == ' ') {
            char *end;
            errno = 0;
            unsigned long long v = strtoull(p + kl + 1, &end, 10);
            if (errno || end == p + kl + 1)
                return -1;
            *out = v;
            return 0;
        }
    }
    return -1;
}

int ct_cg_read_key(const struct ct_cgroup *cg, int dfd, const char *file, const char *key,
                   uint64_t *out, struct vcb_err *err)
{
    char buf[4096];
    if (ct_cg_read(cg, dfd, file, buf, sizeof buf, err) < 0)
        return -1;
    if (ct_kv_find(buf, key, out) < 0)
        return vcb_err_set(err, EINVAL, "cgroup %s: %s: no '%s' field", cg->name, file, key);
    return 0;
}

int ct_cg_mkdir_open(const struct ct_cgroup *cg, int parent_dfd, const char *dir, bool may_exist,
                     struct vcb_err *err)
{
    if (mkdirat(parent_dfd, dir, 0755) < 0 && !(errno == EEXIST && may_exist))
        return vcb_err_sys(err, errno, "cgroup %s: mkdir %s", cg->name, dir);
    int fd = openat(parent_dfd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return vcb_err_sys(err, errno, "cgroup %s: open %s", cg->name, dir);
    return fd;
}
