/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* blockdev.c — the whole disk holding a host file, as cgroup I/O limits
 * name it (MAJ:MIN), with the I/O scheduler that decides whether a weight
 * means anything there. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "vcb-driver.h"

/* <sysdir>/dev ("254:0\n") into major and minor. */
static int blockdev_read_dev(const char *sysdir, unsigned *major, unsigned *minor,
                             struct vcb_err *err)
{
    char path[PATH_MAX];
    cleanup_free char *text = NULL;
    snprintf(path, sizeof path, "%s/dev", sysdir);
    if (vcb_read_file(path, &text, NULL, err) < 0)
        return -1;
    if (sscanf(text, "%u:%u", major, minor) != 2)
        return vcb_err_set(err, EINVAL, "%s: expected MAJ:MIN, got \"%.20s\"", path, text);
    return 0;
}

/* The bracketed word of queue/scheduler ("none [mq-deadline] bfq"); a
 * device without one (device-mapper) has "none". */
static void blockdev_read_sched(const char *sysdir, char *out, size_t len)
{
    char path[PATH_MAX];
    cleanup_free char *text = NULL;
    struct vcb_err ignored = {0};
    snprintf(out, len, "none");
    snprintf(path, sizeof path, "%s/queue/scheduler", sysdir);
    if (vcb_read_file(path, &text, NULL, &ignored) < 0)
        return;
    const char *open = strchr(text, '['), *close = open ? strchr(open, ']') : NULL;
    if (open && close)
        snprintf(out, len, "%.*s", (int)(close - open - 1), open + 1);
}

int vcb_blockdev_of_path(const char *path, struct vcb_blockdev *out, struct vcb_err *err)
{
    struct stat st;
    char link[64], dir[PATH_MAX];
    if (stat(path, &st) < 0)
        return vcb_err_sys(err, errno, "disk of %s: stat", path);
    dev_t dev = S_ISBLK(st.st_mode) ? st.st_rdev : st.st_dev;
    snprintf(link, sizeof link, "/sys/dev/block/%u:%u", major(dev), minor(dev));
    if (!realpath(link, dir))
        return vcb_err_sys(err, errno,
                           "disk of %s: %s (device %u:%u is no block device: a tmpfs, "
                           "overlay or network filesystem has no disk to limit)",
                           path, link, major(dev), minor(dev));
    char part[PATH_MAX + 16];
    snprintf(part, sizeof part, "%s/partition", dir);
    if (vcb_path_exists(part)) /* a partition: its disk is the directory above */
        *strrchr(dir, '/') = '\0';
    struct vcb_blockdev b = {0};
    if (blockdev_read_dev(dir, &b.major, &b.minor, err) < 0)
        return vcb_err_prefix(err, "disk of %s", path);
    snprintf(b.name, sizeof b.name, "%s", strrchr(dir, '/') + 1);
    blockdev_read_sched(dir, b.sched, sizeof b.sched);
    *out = b;
    return 0;
}
