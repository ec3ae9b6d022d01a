/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* oci-own.c — what vcbench adds to every imported rootfs: vcb-init and the
 * VM's virtio modules under the directory no image may have
 * (guest/guest-image.h), and the mount points vcb-init needs. The
 * container arm's root is read-only, so a mount point the image lacks
 * could not be made at start: it is made here, empty. */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>

#include "guest/guest-image.h"
#include "sha256.h"
#include "guest/guest-modules.h"
#include "wl-oci-priv.h"

static const char *const own_module_names[] = {WL_GUEST_MODULES, WL_GUEST_DISK_MODULES};

/* What this build adds does not change while it runs: hashed once. */
static char stamp[65];
static pthread_once_t stamp_once = PTHREAD_ONCE_INIT;

static void stamp_make(void)
{
    struct wl_sha256 s;
    char path[PATH_MAX], hex[65];
    struct vcb_err ignored = {0};
    wl_sha256_init(&s);
    snprintf(path, sizeof(path), "%s/vcb-init", vcb_libexec_dir());
    if (wl_sha256_file(path, hex, &ignored) == 0)
        wl_sha256_update(&s, hex, sizeof(hex));
    for (size_t i = 0; i < sizeof(own_module_names) / sizeof(own_module_names[0]); i++) {
        snprintf(path, sizeof(path), "%s/kernel/modules/%s.ko", vcb_state_dir(),
                 own_module_names[i]);
        if (wl_sha256_file(path, hex, &ignored) == 0) { /* absent: not added either */
            wl_sha256_update(&s, own_module_names[i], strlen(own_module_names[i]) + 1);
            wl_sha256_update(&s, hex, sizeof(hex));
        }
    }
    wl_sha256_hex(&s, stamp);
}

int oci_own_stamp(char out[65])
{
    pthread_once(&stamp_once, stamp_make);
    memcpy(out, stamp, sizeof(stamp));
    return 0;
}

static int own_modules(const char *rootfs, struct vcb_err *err)
{
    const char *const *modules = own_module_names;
    char src[PATH_MAX], dst[PATH_MAX];
    snprintf(dst, sizeof(dst), "%s%s", rootfs, WL_OWN_MODULES);
    if (mkdir(dst, 0755) < 0)
        return vcb_err_sys(err, errno, "mkdir %s", dst);
    for (size_t i = 0; i < sizeof(own_module_names) / sizeof(own_module_names[0]); i++) {
        snprintf(src, sizeof(src), "%s/kernel/modules/%s.ko", vcb_state_dir(), modules[i]);
        snprintf(dst, sizeof(dst), "%s%s/%s.ko", rootfs, WL_OWN_MODULES, modules[i]);
        if (vcb_path_exists(src) && vcb_copy_file(src, dst, 0644, err) < 0)
            return -1; /* absent: setup did not unpack it, the guest runs without */
    }
    return 0;
}

int oci_own_add(const char *rootfs, struct vcb_err *err)
{
    static const char *const mount_points[] = {"proc", "sys", "dev", "tmp"};
    char path[PATH_MAX], init[PATH_MAX];
    struct stat st;
    snprintf(path, sizeof(path), "%s%s", rootfs, WL_OWN_DIR);
    if (mkdir(path, 0755) < 0 || chmod(path, 0755) < 0) /* whatever the umask */
        return vcb_err_sys(err, errno, "mkdir %s", path);
    snprintf(init, sizeof(init), "%s/vcb-init", vcb_libexec_dir());
    snprintf(path, sizeof(path), "%s%s", rootfs, WL_OWN_INIT);
    if (vcb_copy_file(init, path, 0755, err) < 0)
        return vcb_err_prefix(err, "vcb-init (build vcbench first?)");
    if (own_modules(rootfs, err) < 0)
        return -1;
    for (size_t i = 0; i < sizeof(mount_points) / sizeof(mount_points[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", rootfs, mount_points[i]);
        unsigned mode = strcmp(mount_points[i], "tmp") == 0 ? 01777 : 0755;
        if (lstat(path, &st) == 0)
            continue;
        if (errno != ENOENT || mkdir(path, mode) < 0 || chmod(path, mode) < 0)
            return vcb_err_sys(err, errno, "mkdir %s", path);
    }
    return 0;
}
