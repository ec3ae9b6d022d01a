/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* init-rootdisk.c — an image too big to boot as an initramfs: the VM's
 * initramfs holds only vcb-init and its modules, and the image itself is a
 * read-only ext4 disk (/dev/vda). vcb-init mounts it and makes it the root,
 * moving the mounts it already made (/proc, /sys, /dev, /tmp) along, so the
 * image's command sees the same tree as in every other arm. The small
 * initramfs stays in memory beneath it (a few MiB: vcb-init and modules). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "guest-image.h"
#include "init.h"

#define ROOT_DISK_MOUNT WL_OWN_DIR "/disk"
#define DISK_WAIT_MS    5000 /* the block driver's probe makes the node; bounded */

/* devtmpfs makes the node once the driver found the device. */
static int wait_for_node(const char *dev)
{
    struct timespec ms = {0, 1000000};
    for (int i = 0; i < DISK_WAIT_MS; i++) {
        if (access(dev, F_OK) == 0)
            return 0;
        nanosleep(&ms, NULL);
    }
    init_log(
        "%s: no such device after %d ms (no disk attached, or no virtio block driver in the image)",
        dev, DISK_WAIT_MS);
    return -1;
}

int init_root_disk(void)
{
    static const char *const moved[] = {"/proc", "/sys", "/dev", "/tmp"};
    char target[64];
    if (wait_for_node(WL_ROOT_DISK_DEV) < 0)
        return -1;
    if ((mkdir(ROOT_DISK_MOUNT, 0755) < 0 && errno != EEXIST) ||
        mount(WL_ROOT_DISK_DEV, ROOT_DISK_MOUNT, "ext4", MS_RDONLY | MS_NODEV, NULL) < 0) {
        init_log("mount %s on %s: %s", WL_ROOT_DISK_DEV, ROOT_DISK_MOUNT, strerror(errno));
        return -1;
    }
    for (size_t i = 0; i < sizeof(moved) / sizeof(moved[0]); i++) {
        snprintf(target, sizeof target, ROOT_DISK_MOUNT "%s", moved[i]);
        if (mount(moved[i], target, NULL, MS_MOVE, NULL) < 0) {
            init_log("move %s to the disk's %s: %s", moved[i], moved[i], strerror(errno));
            return -1;
        }
    }
    if (chdir(ROOT_DISK_MOUNT) < 0 || mount(".", "/", NULL, MS_MOVE, NULL) < 0 || chroot(".") < 0 ||
        chdir("/") < 0) {
        init_log("make %s the root: %s", ROOT_DISK_MOUNT, strerror(errno));
        return -1;
    }
    return 0;
}
