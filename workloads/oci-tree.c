/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* oci-tree.c — a root filesystem directory as an image (dir:PATH): its
 * digest from a walk in a fixed order, its size, and its copy into the
 * cache under the rules every layer keeps. */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "wl-oci-priv.h"
#include "sha256.h"

typedef int (*tree_fn)(const char *path, const char *rel, const struct stat *st, void *ctx,
                       struct vcb_err *err);

static int name_order(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name); /* not the locale's order */
}

/* Every entry under dir (its own name rel), in strcmp order, depth first,
 * never following a link. */
static int tree_walk(const char *dir, const char *rel, tree_fn fn, void *ctx, struct vcb_err *err)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, name_order);
    if (n < 0)
        return vcb_err_sys(err, errno, "read %s", dir);
    int rc = 0;
    for (int i = 0; i < n; i++) {
        const char *d = names[i]->d_name;
        char path[PATH_MAX], sub[PATH_MAX];
        struct stat st;
        if (rc == 0 && strcmp(d, ".") && strcmp(d, "..")) {
            snprintf(path, sizeof(path), "%s/%s", dir, d);
            snprintf(sub, sizeof(sub), "%s%s%s", rel, rel[0] ? "/" : "", d);
            if (lstat(path, &st) < 0)
                rc = vcb_err_sys(err, errno, "stat %s", path);
            else if ((rc = fn(path, sub, &st, ctx, err)) == 0 && S_ISDIR(st.st_mode))
                rc = tree_walk(path, sub, fn, ctx, err);
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

static void hash_u32(struct wl_sha256 *s, uint32_t v)
{
    wl_sha256_update(s, &v, sizeof(v));
}

static int hash_file(struct wl_sha256 *s, const char *path, struct vcb_err *err)
{
    char buf[65536];
    ssize_t n;
    cleanup_close int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return vcb_err_sys(err, errno, "read %s", path);
    while ((n = read(fd, buf, sizeof(buf))) > 0)
        wl_sha256_update(s, buf, (size_t)n);
    return n < 0 ? vcb_err_sys(err, errno, "read %s", path) : 0;
}

static int digest_one(const char *path, const char *rel, const struct stat *st, void *ctx,
                      struct vcb_err *err)
{
    struct wl_sha256 *s = ctx;
    char target[PATH_MAX];
    if (!S_ISREG(st->st_mode) && !S_ISDIR(st->st_mode) && !S_ISLNK(st->st_mode))
        return 0; /* never copied */
    wl_sha256_update(s, rel, strlen(rel) + 1);
    hash_u32(s, (uint32_t)(st->st_mode & S_IFMT) >> 12);
    hash_u32(s, (uint32_t)(st->st_mode & 07777));
    hash_u32(s, (uint32_t)st->st_uid);
    hash_u32(s, (uint32_t)st->st_gid);
    if (S_ISLNK(st->st_mode)) {
        ssize_t n = readlink(path, target, sizeof(target) - 1);
        if (n < 0)
            return vcb_err_sys(err, errno, "readlink %s", path);
        target[n] = '\0'; /* readlink does not end it; the NUL separates it from what follows */
        wl_sha256_update(s, target, (size_t)n + 1);
    } else if (S_ISREG(st->st_mode)) {
        uint64_t size = (uint64_t)st->st_size;
        wl_sha256_update(s, &size, sizeof(size));
        return hash_file(s, path, err);
    }
    return 0;
}

int oci_tree_digest(const char *dir, char out[80], struct vcb_err *err)
{
    struct wl_sha256 s;
    char hex[65];
    wl_sha256_init(&s);
    wl_sha256_update(&s, OCI_RECORD_FORMAT, sizeof(OCI_RECORD_FORMAT));
    if (tree_walk(dir, "", digest_one, &s, err) < 0)
        return -1;
    wl_sha256_hex(&s, hex);
    snprintf(out, 80, "sha256:%s", hex);
    return 0;
}

struct tree_size {
    uint64_t bytes;
    struct oci_pathset links; /* "dev:ino" of files with more than one name */
};

static int size_one(const char *path, const char *rel, const struct stat *st, void *ctx,
                    struct vcb_err *err)
{
    struct tree_size *t = ctx;
    char key[64];
    if (S_ISREG(st->st_mode) && st->st_nlink > 1) {
        snprintf(key, sizeof(key), "%llu:%llu", (unsigned long long)st->st_dev,
                 (unsigned long long)st->st_ino);
        if (oci_pathset_has(&t->links, key))
            return 0;
        if (oci_pathset_add(&t->links, key) < 0)
            return vcb_err_sys(err, ENOMEM, "size of %s", path);
    }
    if (S_ISREG(st->st_mode) || S_ISLNK(st->st_mode))
        t->bytes += (uint64_t)st->st_size;
    return 0;
}

int oci_tree_bytes(const char *dir, uint64_t *out, struct vcb_err *err)
{
    struct tree_size t = {0};
    int rc = tree_walk(dir, "", size_one, &t, err);
    oci_pathset_clear(&t.links);
    if (rc == 0)
        *out = t.bytes;
    return rc;
}

static struct archive *disk_reader(const char *src, struct vcb_err *err)
{
    struct archive *a = archive_read_disk_new();
    if (!a || archive_read_disk_set_symlink_physical(a) != ARCHIVE_OK ||
        archive_read_disk_set_behavior(a, ARCHIVE_READDISK_NO_XATTR | ARCHIVE_READDISK_NO_ACL |
                                              ARCHIVE_READDISK_NO_FFLAGS) != ARCHIVE_OK ||
        archive_read_disk_open(a, src) != ARCHIVE_OK) {
        vcb_err_usage(err, "%s: %s", src, a ? archive_error_string(a) : "out of memory");
        archive_read_free(a);
        return NULL;
    }
    return a;
}

int oci_tree_copy(struct oci_unpack *u, const char *src, struct vcb_err *err)
{
    struct archive *a = disk_reader(src, err);
    if (!a)
        return -1;
    struct archive_entry *e = archive_entry_new();
    size_t skip = strlen(src);
    int rc = 0, r;
    u->what = "directory";
    while (rc == 0 && (r = archive_read_next_header2(a, e)) == ARCHIVE_OK) {
        const char *rel = archive_entry_pathname(e) + skip;
        while (*rel == '/') /* "" for src itself; src may be "/" */
            rel++;
        archive_entry_copy_pathname(e, rel);
        if (archive_read_disk_can_descend(a))
            archive_read_disk_descend(a);
        rc = oci_unpack_entry(u, a, e, err);
    }
    if (rc == 0 && r != ARCHIVE_EOF)
        rc = vcb_err_usage(err, "%s: %s", src, archive_error_string(a));
    archive_entry_free(e);
    archive_read_free(a);
    return rc;
}
