/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* child-root.c — how the process arm runs an image's own command: the
 * image's libraries and files, nothing else of a wall. The mounts live in a
 * mount namespace of the child's own and go with its last process, so the
 * host's mount table and the cached image are never touched. */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "child-root.h"

static int mount_point(const char *root, const char *name, char *out, size_t len)
{
    struct stat st;
    if ((size_t)snprintf(out, len, "%s/%s", root, name) >= len) {
        errno = ENAMETOOLONG;
        return -1;
    }
    if (stat(out, &st) < 0)
        return -1;
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    return 0;
}

int child_root_prepare(const char *root, struct child_root *r)
{
    r->root = root;
    if (mount_point(root, "proc", r->proc, sizeof r->proc) < 0 ||
        mount_point(root, "sys", r->sys, sizeof r->sys) < 0 ||
        mount_point(root, "dev", r->dev, sizeof r->dev) < 0 ||
        mount_point(root, "tmp", r->tmp, sizeof r->tmp) < 0)
        return -1;
    return 0;
}

int child_root_enter(const struct child_root *r)
{
    /* private first: none of the mounts below may reach the host's table */
    if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
        mount("/proc", r->proc, NULL, MS_BIND | MS_REC, NULL) < 0 ||
        mount("/sys", r->sys, NULL, MS_BIND | MS_REC, NULL) < 0 ||
        mount("/dev", r->dev, NULL, MS_BIND | MS_REC, NULL) < 0 ||
        mount("tmpfs", r->tmp, "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777") < 0 ||
        chdir(r->root) < 0 || chroot(".") < 0 || chdir("/") < 0)
        return -1;
    return 0;
}
