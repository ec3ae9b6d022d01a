/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* oci-unpack.c — members written into a rootfs with libarchive, each one
 * checked first (oci-member.c, oci-whiteout.c) and libarchive's secure
 * extraction on top. Owners, modes and setuid bits are kept as the image
 * has them (numeric ids, never mapped through the host's names); the cache
 * above the rootfs is 0700 root, so no host user reaches them. Device
 * nodes and fifos are never made: an image gets its /dev from the arm.
 * With ARCHIVE_EXTRACT_UNLINK, libarchive's SECURE_SYMLINKS removes a
 * symbolic link in a member's path instead of refusing it: safe, but it
 * would change the image silently, so oci_parents_check refuses first. */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "wl-oci-priv.h"

/* A member costs at least its header: a layer of a million empty files is
 * not free. */
#define MEMBER_COST 512

#define EXTRACT_FLAGS                                                                              \
    (ARCHIVE_EXTRACT_OWNER | ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_TIME |                         \
     ARCHIVE_EXTRACT_UNLINK | ARCHIVE_EXTRACT_SECURE_SYMLINKS | ARCHIVE_EXTRACT_SECURE_NODOTDOT |  \
     ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS)

int oci_unpack_open(struct oci_unpack *u, const char *image, const char *rootfs, uint64_t max_bytes,
                    struct vcb_err *err)
{
    memset(u, 0, sizeof(*u));
    u->image = image;
    u->max_bytes = max_bytes;
    u->saved_cwd = -1;
    if (mkdir(rootfs, 0755) < 0 && errno != EEXIST)
        return vcb_err_sys(err, errno, "mkdir %s", rootfs);
    u->disk = archive_write_disk_new();
    if (!u->disk || archive_write_disk_set_options(u->disk, EXTRACT_FLAGS) != ARCHIVE_OK)
        return vcb_err_sys(err, ENOMEM, "unpack into %s", rootfs);
    u->saved_cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (u->saved_cwd < 0 || chdir(rootfs) < 0) {
        int e = errno;
        oci_unpack_close(u);
        return vcb_err_sys(err, e, "chdir %s", rootfs);
    }
    return 0;
}

void oci_unpack_close(struct oci_unpack *u)
{
    if (u->disk) {
        archive_write_close(u->disk); /* directory modes and times, still relative */
        archive_write_free(u->disk);
        u->disk = NULL;
    }
    if (u->saved_cwd >= 0) {
        if (fchdir(u->saved_cwd) < 0)
            (void)chdir("/");
        close(u->saved_cwd);
        u->saved_cwd = -1;
    }
    oci_pathset_clear(&u->seen);
}

/* This layer wrote path and so every directory above it. */
static int seen_add(struct oci_unpack *u, const char *path, struct vcb_err *err)
{
    char p[PATH_MAX];
    snprintf(p, sizeof(p), "%s", path);
    while (!oci_pathset_has(&u->seen, p)) {
        if (oci_pathset_add(&u->seen, p) < 0)
            return vcb_err_sys(err, ENOMEM, "unpack %s", path);
        char *slash = strrchr(p, '/');
        if (!slash)
            break;
        *slash = '\0';
    }
    return 0;
}

static int disk_fail(struct oci_unpack *u, const char *path, struct vcb_err *err)
{
    int e = archive_errno(u->disk);
    if (e == ENOSPC || e == EDQUOT || e == EIO || e == ENOMEM)
        return vcb_err_sys(err, e, "member '%s'", path);
    return vcb_err_usage(err, "member '%s': %s", path, archive_error_string(u->disk));
}

static int copy_data(struct oci_unpack *u, struct archive *in, const char *path,
                     struct vcb_err *err)
{
    const void *buf;
    size_t len;
    la_int64_t off;
    int r;
    while ((r = archive_read_data_block(in, &buf, &len, &off)) == ARCHIVE_OK)
        if (archive_write_data_block(u->disk, buf, len, off) < ARCHIVE_OK)
            return disk_fail(u, path, err);
    if (r != ARCHIVE_EOF)
        return vcb_err_usage(err, "member '%s': %s", path, archive_error_string(in));
    return 0;
}

/* What the member may not do to the tree already there. */
static int entry_place(struct oci_unpack *u, struct archive_entry *e, const char *path,
                       struct vcb_err *err)
{
    const char *hard = archive_entry_hardlink(e);
    if (oci_parents_check(path, path, err) < 0 || (hard && oci_parents_check(hard, path, err) < 0))
        return -1;
    uint64_t size = archive_entry_size_is_set(e) ? (uint64_t)archive_entry_size(e) : 0;
    u->bytes += MEMBER_COST + size;
    if (u->bytes > u->max_bytes)
        return vcb_err_usage(err, "member '%s': more than %llu bytes unpacked (--max-image)", path,
                             (unsigned long long)u->max_bytes);
    return 0;
}

int oci_unpack_entry(struct oci_unpack *u, struct archive *in, struct archive_entry *e,
                     struct vcb_err *err)
{
    char path[PATH_MAX];
    if (oci_member_check(e, path, sizeof(path), err) < 0)
        return -1;
    mode_t type = archive_entry_filetype(e);
    if (!path[0])
        return 0; /* the root: ours */
    if (type == AE_IFCHR || type == AE_IFBLK || type == AE_IFIFO || type == AE_IFSOCK) {
        u->skipped++;
        return 0;
    }
    int wh = oci_whiteout_apply(u, path, err);
    if (wh != 0)
        return wh < 0 ? -1 : 0;
    if (entry_place(u, e, path, err) < 0)
        return -1;
    archive_entry_set_pathname(e, path);
    if (archive_write_header(u->disk, e) < ARCHIVE_WARN)
        return disk_fail(u, path, err);
    if (type == AE_IFREG && archive_entry_size(e) > 0 && copy_data(u, in, path, err) < 0)
        return -1;
    if (archive_write_finish_entry(u->disk) < ARCHIVE_WARN)
        return disk_fail(u, path, err);
    return seen_add(u, path, err);
}

int oci_unpack_layer(struct oci_unpack *u, const char *blob, const char *what, struct vcb_err *err)
{
    struct archive *a = oci_tar_open(blob, err);
    if (!a)
        return vcb_err_prefix(err, "%s", what);
    u->what = what;
    oci_pathset_clear(&u->seen);
    struct archive_entry *e;
    int rc = 0, r;
    while (rc == 0 && (r = archive_read_next_header(a, &e)) == ARCHIVE_OK)
        rc = oci_unpack_entry(u, a, e, err);
    if (rc == 0 && r != ARCHIVE_EOF)
        rc = vcb_err_usage(err, "not a layer vcbench can read: %s", archive_error_string(a));
    archive_read_free(a);
    return rc < 0 ? vcb_err_prefix(err, "%s", what) : 0;
}
