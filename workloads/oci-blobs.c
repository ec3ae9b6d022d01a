/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* oci-blobs.c — the files of an image layout, from its directory or from a
 * tarball (oci-archive, docker-archive). A tarball's member is extracted
 * into the staging dir when asked for: one pass over the tarball each, so
 * only the member in use takes disk space beside the rootfs. */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "vcb-json.h"
#include "wl-oci-priv.h"

struct archive *oci_tar_open(const char *path, struct vcb_err *err)
{
    struct archive *a = archive_read_new();
    if (!a) {
        vcb_err_sys(err, ENOMEM, "read %s", path);
        return NULL;
    }
    archive_read_support_filter_gzip(a);
    archive_read_support_filter_zstd(a);
    archive_read_support_format_tar(a);
    if (archive_read_open_filename(a, path, 65536) != ARCHIVE_OK) {
        vcb_err_usage(err, "%s: %s", path, archive_error_string(a));
        archive_read_free(a);
        return NULL;
    }
    return a;
}

/* "./blobs/x" and "blobs/x" are the same member. */
static const char *member_name(struct archive_entry *e)
{
    const char *n = archive_entry_pathname(e);
    while (n && n[0] == '.' && n[1] == '/')
        n += 2;
    return n ? n : "";
}

static int copy_out(struct archive *a, const char *member, uint64_t limit, int fd,
                    struct vcb_err *err)
{
    char buf[65536];
    uint64_t total = 0;
    la_ssize_t n;
    while ((n = archive_read_data(a, buf, sizeof(buf))) > 0) {
        total += (uint64_t)n;
        if (total > limit)
            return vcb_err_usage(err, "%s: more than %llu bytes", member,
                                 (unsigned long long)limit);
        for (la_ssize_t off = 0; off < n;) {
            ssize_t w = write(fd, buf + off, (size_t)(n - off));
            if (w < 0 && errno != EINTR)
                return vcb_err_sys(err, errno, "extract %s", member);
            off += w > 0 ? w : 0;
        }
    }
    if (n < 0)
        return vcb_err_usage(err, "%s: %s", member, archive_error_string(a));
    return 0;
}

static int tar_extract(struct oci_blobs *b, const char *member, uint64_t limit, char out[PATH_MAX],
                       struct vcb_err *err)
{
    struct archive *a = oci_tar_open(b->spec->path, err);
    if (!a)
        return -1;
    struct archive_entry *e;
    int rc = 1, r;
    while (rc == 1 && (r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
        if (archive_entry_filetype(e) != AE_IFREG || strcmp(member_name(e), member) != 0)
            continue;
        char flat[256];
        snprintf(flat, sizeof(flat), "%s", member);
        for (char *p = flat; *p; p++)
            *p = *p == '/' ? '_' : *p;
        snprintf(out, PATH_MAX, "%s/%s", b->tmp, flat);
        cleanup_close int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd < 0)
            rc = vcb_err_sys(err, errno, "extract %s to %s", member, out);
        else
            rc = copy_out(a, member, limit, fd, err);
    }
    if (rc == 1)
        rc = r == ARCHIVE_EOF
                 ? vcb_err_usage(err, "%s: no member '%s'", b->spec->path, member)
                 : vcb_err_usage(err, "%s: %s", b->spec->path, archive_error_string(a));
    archive_read_free(a);
    return rc;
}

int oci_blob_path(struct oci_blobs *b, const char *member, uint64_t limit, char out[PATH_MAX],
                  struct vcb_err *err)
{
    if (oci_path_check(member, member, err) < 0)
        return -1;
    if (b->spec->kind != OCI_LAYOUT)
        return tar_extract(b, member, limit, out, err);
    struct stat st;
    snprintf(out, PATH_MAX, "%s/%s", b->spec->path, member);
    if (stat(out, &st) < 0)
        return errno == ENOENT ? vcb_err_usage(err, "%s: missing", out)
                               : vcb_err_sys(err, errno, "%s", out);
    if (!S_ISREG(st.st_mode))
        return vcb_err_usage(err, "%s: not a regular file", out);
    if ((uint64_t)st.st_size > limit)
        return vcb_err_usage(err, "%s: more than %llu bytes", out, (unsigned long long)limit);
    return 0;
}

json_t *oci_blob_json(struct oci_blobs *b, const char *member, struct vcb_err *err)
{
    char path[PATH_MAX];
    if (oci_blob_path(b, member, OCI_JSON_MAX, path, err) < 0)
        return NULL;
    json_error_t je;
    json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!j)
        vcb_err_usage(err, "%s: not valid JSON (line %d: %s)", member, je.line, je.text);
    return j;
}
