/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* oci-user.c — the config's User ("name", "uid", "name:group", "uid:gid")
 * as numbers, from the image's own /etc/passwd and /etc/group. Those are
 * read as the image would see them: an absolute symbolic link in the image
 * resolves inside the rootfs (openat2 RESOLVE_IN_ROOT), never on the host. */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/syscall.h>

#include "wl-oci-priv.h"

#define ID_FILE_MAX (4u << 20)

/* The image's file at rel ("etc/passwd"), whole; NULL with *missing when
 * it is not there. */
static char *image_file(const char *rootfs, const char *rel, bool *missing, struct vcb_err *err)
{
    struct open_how how = {.flags = O_RDONLY | O_CLOEXEC,
                           .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS};
    cleanup_close int root = open(rootfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    cleanup_close int fd = root < 0 ? -1 : (int)syscall(SYS_openat2, root, rel, &how, sizeof(how));
    *missing = fd < 0 && errno == ENOENT;
    if (fd < 0)
        return *missing ? NULL : (vcb_err_sys(err, errno, "open the image's /%s", rel), NULL);
    char *buf = malloc(ID_FILE_MAX + 1);
    size_t len = 0;
    ssize_t n = 1;
    while (buf && len < ID_FILE_MAX && (n = read(fd, buf + len, ID_FILE_MAX - len)) > 0)
        len += (size_t)n;
    if (!buf || n < 0) {
        vcb_err_sys(err, buf ? errno : ENOMEM, "read the image's /%s", rel);
        free(buf);
        return NULL;
    }
    buf[len] = '\0';
    return buf;
}

static bool parse_id(const char *s, size_t n, unsigned *out)
{
    unsigned long long v = 0;
    if (n == 0 || n > 10)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    if (v > 0xfffffffeULL)
        return false;
    *out = (unsigned)v;
    return true;
}

/* In a passwd or group text, the line whose field key (0: name, 2: id)
 * equals want; its field 2 (the id) and 3 (passwd: the group id) out. */
static bool id_lookup(const char *text, int key, const char *want, size_t want_len, unsigned *id,
                      unsigned *gid)
{
    for (const char *line = text, *next; line && *line; line = next) {
        const char *nl = strchr(line, '\n'), *f[5] = {line};
        next = nl ? nl + 1 : NULL;
        size_t nf = 1, end = strcspn(line, "\n");
        for (size_t i = 0; i < end && nf < 5; i++)
            if (line[i] == ':')
                f[nf++] = line + i + 1;
        if (nf < 4 || f[0][0] == '#')
            continue;
        size_t klen = (size_t)(f[key + 1] - f[key] - 1);
        if (klen != want_len || strncmp(f[key], want, want_len) != 0)
            continue;
        bool ok = parse_id(f[2], (size_t)(f[3] - f[2] - 1), id);
        if (gid && nf >= 5)
            ok = ok && parse_id(f[3], (size_t)(f[4] - f[3] - 1), gid);
        return ok;
    }
    return false;
}

static int user_part(const char *rootfs, const char *name, size_t n, unsigned *uid, unsigned *gid,
                     struct vcb_err *err)
{
    bool missing, numeric = parse_id(name, n, uid);
    cleanup_free char *passwd = image_file(rootfs, "etc/passwd", &missing, err);
    if (!passwd && !missing)
        return -1;
    if (numeric) { /* the group of its passwd line, else 0, as docker does */
        char num[16];
        unsigned id;
        snprintf(num, sizeof(num), "%u", *uid);
        if (!passwd || !id_lookup(passwd, 2, num, strlen(num), &id, gid))
            *gid = 0;
        return 0;
    }
    if (!passwd || !id_lookup(passwd, 0, name, n, uid, gid))
        return vcb_err_usage(err, "config User: no user '%.*s' in the image's /etc/passwd%s",
                             (int)n, name, passwd ? "" : " (the image has none)");
    return 0;
}

static int group_part(const char *rootfs, const char *name, unsigned *gid, struct vcb_err *err)
{
    bool missing;
    if (parse_id(name, strlen(name), gid))
        return 0;
    cleanup_free char *group = image_file(rootfs, "etc/group", &missing, err);
    if (!group && !missing)
        return -1;
    if (!group || !id_lookup(group, 0, name, strlen(name), gid, NULL))
        return vcb_err_usage(err, "config User: no group '%s' in the image's /etc/group%s", name,
                             group ? "" : " (the image has none)");
    return 0;
}

int oci_user_resolve(const char *rootfs, const char *user, unsigned *uid, unsigned *gid,
                     struct vcb_err *err)
{
    const char *colon = strchr(user, ':');
    size_t n = colon ? (size_t)(colon - user) : strlen(user);
    if (n == 0)
        return vcb_err_usage(err, "config User: '%s' has no user", user);
    if (user_part(rootfs, user, n, uid, gid, err) < 0)
        return -1;
    return colon ? group_part(rootfs, colon + 1, gid, err) : 0;
}
