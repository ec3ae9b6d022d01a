/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* oci-cache.c — unpacked images under <state>/images/oci/<algo>-<hex>/
 * (filled by oci-staging.c): found, listed, removed. The cache directory
 * is 0711 root, and so is every entry; an image's files, which keep their
 * owners, modes and setuid binaries, sit in the entry's 0700 fs/ where no
 * host user may reach them (wl-oci-priv.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "vcb-json.h"
#include "wl-oci-priv.h"

int oci_cache_root(char out[PATH_MAX], struct vcb_err *err)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof(dir), "%s/images", vcb_state_dir());
    if (vcb_mkdir_p(dir, 0755, err) < 0)
        return -1;
    snprintf(dir, sizeof(dir), "%s/images/oci", vcb_state_dir());
    if ((mkdir(dir, 0711) < 0 && errno != EEXIST) || chown(dir, 0, 0) < 0 || chmod(dir, 0711) < 0)
        return vcb_err_sys(err, errno, "mkdir 0711 %s", dir);
    if (!realpath(dir, out))
        return vcb_err_sys(err, errno, "%s", dir);
    return 0;
}

static void entry_paths(const char *dir, struct wl_oci_image *img)
{
    snprintf(img->dir, sizeof(img->dir), "%s", dir);
    snprintf(img->rootfs, sizeof(img->rootfs), "%s/" OCI_ROOTFS_DIR, dir);
}

/* A cache entry as image.json describes it. */
int oci_entry_load(const char *dir, struct wl_oci_image *img)
{
    char path[PATH_MAX + 16];
    snprintf(path, sizeof(path), "%s/image.json", dir);
    cleanup_json json_t *j = json_load_file(path, 0, NULL);
    const char *format = NULL, *spec = NULL, *digest = NULL, *form = NULL;
    json_int_t bytes = 0;
    int has_command = 0;
    if (!j ||
        json_unpack(j, "{s:s, s:s, s:s, s:s, s:I, s:b}", "format", &format, "spec", &spec, "digest",
                    &digest, "vm_form", &form, "rootfs_bytes", &bytes, "has_command",
                    &has_command) < 0 ||
        strcmp(format, OCI_RECORD_FORMAT) != 0)
        return -1;
    memset(img, 0, sizeof(*img));
    snprintf(img->spec, sizeof(img->spec), "%s", spec);
    snprintf(img->digest, sizeof(img->digest), "%s", digest);
    entry_paths(dir, img);
    img->vm_form = strcmp(form, "disk") == 0 ? WL_VM_DISK : WL_VM_INITRAMFS;
    snprintf(img->initramfs, sizeof(img->initramfs), "%s/initramfs.cpio", dir);
    if (img->vm_form == WL_VM_DISK)
        snprintf(img->disk, sizeof(img->disk), "%s/rootfs.ext4", dir);
    img->rootfs_bytes = (uint64_t)bytes;
    img->has_command = has_command;
    img->cached = true;
    return 0;
}

void oci_entry_dir(const char *root, const char *digest, char out[PATH_MAX])
{
    snprintf(out, PATH_MAX, "%s/%.*s-%s", root, (int)strcspn(digest, ":"), digest,
             strchr(digest, ':') + 1);
}

int wl_oci_list(int (*fn)(const struct wl_oci_image *img, void *ctx), void *ctx,
                struct vcb_err *err)
{
    char root[PATH_MAX];
    snprintf(root, sizeof(root), "%s/images/oci", vcb_state_dir());
    DIR *d = opendir(root);
    if (!d)
        return errno == ENOENT ? 0 : vcb_err_sys(err, errno, "list images in %s", root);
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d))) {
        char dir[PATH_MAX];
        struct wl_oci_image img;
        if (e->d_name[0] == '.')
            continue;
        snprintf(dir, sizeof(dir), "%s/%s", root, e->d_name);
        if (oci_entry_load(dir, &img) == 0)
            rc = fn(&img, ctx);
    }
    closedir(d);
    return rc;
}

/* The one entry whose hex digest starts with prefix, into dir. */
static int entry_match(const char *root, const char *what, const char *prefix, char dir[PATH_MAX],
                       struct vcb_err *err)
{
    DIR *d = opendir(root);
    struct dirent *e;
    int found = 0;
    while (d && (e = readdir(d))) {
        if (strncmp(e->d_name, "sha256-", 7) != 0 ||
            strncmp(e->d_name + 7, prefix, strlen(prefix)) != 0)
            continue;
        if (found++ == 0)
            snprintf(dir, PATH_MAX, "%s/%s", root, e->d_name);
    }
    if (d)
        closedir(d);
    if (found == 1)
        return 0;
    if (found == 0)
        return vcb_err_usage(err, "no imported image %s (vcbench image ls lists them)", what);
    return vcb_err_usage(err, "%s: %d imported images start with it; give more digits", what,
                         found);
}

int wl_oci_remove(const char *what, struct vcb_err *err)
{
    const char *hex = what && strncmp(what, "sha256:", 7) == 0 ? what + 7 : what;
    char root[PATH_MAX], dir[PATH_MAX], doomed[PATH_MAX + 64];
    size_t n = hex ? strspn(hex, "0123456789abcdef") : 0;
    if (!hex || n < 12 || hex[n] != '\0' || n > 64)
        return vcb_err_usage(err,
                             "image '%s': expected a digest or its first 12 or more hex "
                             "digits (sha256:<hex>)",
                             what ? what : "");
    snprintf(root, sizeof(root), "%s/images/oci", vcb_state_dir());
    if (entry_match(root, what, hex, dir, err) < 0)
        return -1;
    /* Out of sight first, under a name a killed rm leaves for the next
     * import to remove (unlocked staging). */
    snprintf(doomed, sizeof(doomed), "%s/.staging-rm-%d-%.12s", root, (int)getpid(), hex);
    if (rename(dir, doomed) < 0)
        return vcb_err_sys(err, errno, "rename %s", dir);
    return vcb_rm_rf(doomed, err);
}
