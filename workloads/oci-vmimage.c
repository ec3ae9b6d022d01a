/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* oci-vmimage.c — what a VM boots from an imported image: the whole rootfs
 * as a newc initramfs while it is small (WL_OCI_INITRAMFS_MAX), else an
 * ext4 disk image of it and a small initramfs holding only /.vcbench
 * (vcb-init and the modules it loads to reach the disk). */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>

#include "guest/guest-image.h"
#include "vcb-child.h"
#include "wl-oci-priv.h"

/* The ext4 image: the files plus 30 % for what ext4 adds to them (4 KiB
 * blocks round every small file up, inode tables, directories), plus 16 MiB
 * for the fixed part (journal, group descriptors, reserved blocks) that a
 * small image would otherwise not fit. */
#define EXT4_SLACK_NUM   13
#define EXT4_SLACK_DEN   10
#define EXT4_FIXED_BYTES (16ULL << 20)

static int cpio_data(struct archive *out, struct archive_entry *e, struct vcb_err *err)
{
    char buf[65536];
    ssize_t n;
    const char *src = archive_entry_sourcepath(e);
    if (archive_entry_filetype(e) != AE_IFREG || archive_entry_size(e) == 0)
        return 0;
    cleanup_close int fd = open(src, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return vcb_err_sys(err, errno, "read %s", src);
    while ((n = read(fd, buf, sizeof(buf))) > 0)
        if (archive_write_data(out, buf, (size_t)n) < 0)
            return vcb_err_set(err, archive_errno(out), "cpio: %s", archive_error_string(out));
    return n < 0 ? vcb_err_sys(err, errno, "read %s", src) : 0;
}

static int cpio_put(struct archive *out, struct archive_entry *e, struct vcb_err *err)
{
    if (archive_write_header(out, e) < ARCHIVE_WARN)
        return vcb_err_set(err, archive_errno(out), "cpio %s: %s", archive_entry_pathname(e),
                           archive_error_string(out));
    return cpio_data(out, e, err);
}

/* Hard links go through the resolver: newc carries the data once, with the
 * last of the names, as the kernel's unpacker expects. */
static int cpio_link(struct archive *out, struct archive_entry_linkresolver *res,
                     struct archive_entry *e, struct vcb_err *err)
{
    struct archive_entry *spare = NULL;
    archive_entry_linkify(res, &e, &spare);
    int rc = e ? cpio_put(out, e, err) : 0;
    if (rc == 0 && spare)
        rc = cpio_put(out, spare, err);
    archive_entry_free(spare);
    return rc;
}

static int cpio_walk(struct archive *in, struct archive *out, const char *rootfs,
                     struct vcb_err *err)
{
    struct archive_entry_linkresolver *res = archive_entry_linkresolver_new();
    archive_entry_linkresolver_set_strategy(res, ARCHIVE_FORMAT_CPIO_SVR4_NOCRC);
    size_t skip = strlen(rootfs);
    int rc = 0, r;
    for (;;) {
        struct archive_entry *e = archive_entry_new();
        if ((r = archive_read_next_header2(in, e)) != ARCHIVE_OK) {
            archive_entry_free(e);
            break;
        }
        archive_read_disk_descend(in);
        const char *name = archive_entry_pathname(e);
        if (name[skip] == '/') { /* the root itself is the initramfs's own */
            archive_entry_copy_pathname(e, name + skip + 1);
            rc = cpio_link(out, res, e, err);
        }
        archive_entry_free(e);
        if (rc < 0)
            break;
    }
    if (rc == 0 && r != ARCHIVE_EOF)
        rc = vcb_err_set(err, archive_errno(in), "walk %s: %s", rootfs, archive_error_string(in));
    struct archive_entry *e = NULL, *spare = NULL;
    while (rc == 0 && (archive_entry_linkify(res, &e, &spare), e)) /* links still held */
        rc = cpio_put(out, e, err);
    archive_entry_linkresolver_free(res);
    return rc;
}

int oci_cpio_write(const char *rootfs, const char *sub, const char *path, struct vcb_err *err)
{
    char start[PATH_MAX];
    snprintf(start, sizeof(start), "%s%s%s", rootfs, sub[0] ? "/" : "", sub);
    struct archive *in = archive_read_disk_new(), *out = archive_write_new();
    int rc = -1;
    if (!in || !out)
        rc = vcb_err_sys(err, ENOMEM, "cpio %s", path);
    else if (archive_read_disk_set_symlink_physical(in) != ARCHIVE_OK ||
             archive_read_disk_set_behavior(in, ARCHIVE_READDISK_NO_XATTR |
                                                    ARCHIVE_READDISK_NO_ACL) != ARCHIVE_OK ||
             archive_read_disk_open(in, start) != ARCHIVE_OK)
        rc = vcb_err_set(err, archive_errno(in), "walk %s: %s", start, archive_error_string(in));
    else if (archive_write_set_format_cpio_newc(out) != ARCHIVE_OK ||
             archive_write_add_filter_none(out) != ARCHIVE_OK ||
             archive_write_open_filename(out, path) != ARCHIVE_OK)
        rc = vcb_err_set(err, archive_errno(out), "cpio %s: %s", path, archive_error_string(out));
    else
        rc = cpio_walk(in, out, rootfs, err);
    if (rc == 0 && archive_write_close(out) != ARCHIVE_OK)
        rc = vcb_err_set(err, archive_errno(out), "cpio %s: %s", path, archive_error_string(out));
    archive_read_free(in);
    archive_write_free(out);
    return rc;
}

/* mkfs.ext4 -d: e2fsprogs copies a tree into a new file system with owners
 * and modes, and has no library call for it. */
static int ext4_make(const char *rootfs, const char *path, uint64_t bytes, struct vcb_err *err)
{
    char size[32];
    uint64_t kib = (bytes * EXT4_SLACK_NUM / EXT4_SLACK_DEN + EXT4_FIXED_BYTES) >> 10;
    snprintf(size, sizeof(size), "%lluk", (unsigned long long)kib);
    pid_t pid = fork();
    if (pid < 0)
        return vcb_err_sys(err, errno, "mkfs.ext4 %s", path);
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        dup2(null, STDIN_FILENO);
        dup2(null, STDOUT_FILENO);
        execlp("mkfs.ext4", "mkfs.ext4", "-q", "-d", rootfs, "-L", "vcbench", path, size,
               (char *)NULL);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return vcb_err_sys(err, errno, "mkfs.ext4 %s", path);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    char how[96];
    vcb_child_exit_text(status, NULL, how, sizeof(how));
    return vcb_err_set(err, 0, "mkfs.ext4 -d %s %s %s: %s%s", rootfs, path, size, how,
                       WIFEXITED(status) && WEXITSTATUS(status) == 127
                           ? " (not found: apt-get install e2fsprogs)"
                           : "");
}

int oci_vmimage_make(const char *dir, struct wl_oci_image *img, struct vcb_err *err)
{
    snprintf(img->initramfs, sizeof(img->initramfs), "%s/initramfs.cpio", dir);
    img->disk[0] = '\0';
    img->vm_form = img->rootfs_bytes <= WL_OCI_INITRAMFS_MAX ? WL_VM_INITRAMFS : WL_VM_DISK;
    if (img->vm_form == WL_VM_INITRAMFS)
        return oci_cpio_write(img->rootfs, "", img->initramfs, err);
    snprintf(img->disk, sizeof(img->disk), "%s/rootfs.ext4", dir);
    if (ext4_make(img->rootfs, img->disk, img->rootfs_bytes, err) < 0)
        return -1;
    /* The boot part alone says the image is on the disk: the marker goes
     * into the cpio, not onto the disk or into the other arms' rootfs. */
    char marker[PATH_MAX];
    snprintf(marker, sizeof(marker), "%s" WL_OWN_ROOT_DISK, img->rootfs);
    int fd = open(marker, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return vcb_err_sys(err, errno, "create %s", marker);
    close(fd);
    int rc = oci_cpio_write(img->rootfs, WL_OWN_DIR + 1, img->initramfs, err);
    unlink(marker);
    return rc;
}
