/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rootfs.c — the container's root filesystem, set up in the child's own
 * mount namespace: the image rootfs bound read-only and nodev, private /tmp, a
 * minimal /dev, /proc and /sys with the usual paths masked or read-only, then
 * pivot_root into it and the old root detached (crun's do_pivot). Nothing is
 * mounted in the host's namespace, so nothing is left behind there.
 * Paths are relative to the rootfs (the cwd) until the pivot. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>

#include "container-priv.h"

#define NOSUID_NODEV_NOEXEC (MS_NOSUID | MS_NODEV | MS_NOEXEC)

static int do_mount(const char *src, const char *dst, const char *type, unsigned long flags,
                    const char *data, struct vcb_err *err)
{
    if (mount(src, dst, type, flags, data) < 0)
        return vcb_err_sys(err, errno, "rootfs: mount %s on /%s", type ? type : src, dst);
    return 0;
}

/* Device nodes: mknod where allowed; in a user namespace (no CAP_MKNOD on the
 * host) bind the host's node over an empty file instead. */
static int dev_node(const char *name, unsigned maj, unsigned min, bool userns, struct vcb_err *err)
{
    char dst[32], src[32];
    snprintf(dst, sizeof dst, "dev/%s", name);
    if (!userns) {
        if (mknod(dst, S_IFCHR | 0666, makedev(maj, min)) < 0)
            return vcb_err_sys(err, errno, "rootfs: mknod /%s", dst);
        return 0;
    }
    int fd = open(dst, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0)
        return vcb_err_sys(err, errno, "rootfs: create /%s", dst);
    close(fd);
    snprintf(src, sizeof src, "/dev/%s", name);
    return do_mount(src, dst, NULL, MS_BIND, NULL, err);
}

static int setup_dev(bool userns, struct vcb_err *err)
{
    static const struct {
        const char *name;
        unsigned maj, min;
    } nodes[] = {{"null", 1, 3},   {"zero", 1, 5},    {"full", 1, 7},
                 {"random", 1, 8}, {"urandom", 1, 9}, {"tty", 5, 0}};
    static const char *const links[][2] = {{"/proc/self/fd", "dev/fd"},
                                           {"/proc/self/fd/0", "dev/stdin"},
                                           {"/proc/self/fd/1", "dev/stdout"},
                                           {"/proc/self/fd/2", "dev/stderr"},
                                           {"pts/ptmx", "dev/ptmx"}};
    if (do_mount("tmpfs", "dev", "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=755,size=64k", err) < 0)
        return -1;
    for (size_t i = 0; i < sizeof nodes / sizeof nodes[0]; i++)
        if (dev_node(nodes[i].name, nodes[i].maj, nodes[i].min, userns, err) < 0)
            return -1;
    if (mkdir("dev/pts", 0755) < 0 || mkdir("dev/shm", 01777) < 0)
        return vcb_err_sys(err, errno, "rootfs: mkdir in /dev");
    if (do_mount("devpts", "dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
                 "newinstance,ptmxmode=0666,mode=0620", err) < 0)
        return -1;
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++)
        if (symlink(links[i][0], links[i][1]) < 0)
            return vcb_err_sys(err, errno, "rootfs: symlink /%s", links[i][1]);
    return 0;
}

/* Mask what tells about or acts on the host (runc's list); paths this kernel
 * lacks are skipped. Runs once /proc and /sys are mounted. */
static int setup_masks(struct vcb_err *err)
{
    static const char *const masked[] = {
        "proc/kcore",       "proc/keys",        "proc/latency_stats", "proc/timer_list",
        "proc/timer_stats", "proc/sched_debug", "proc/sysrq-trigger", NULL};
    static const char *const masked_dirs[] = {"proc/acpi", "proc/scsi", "sys/firmware",
                                              "sys/devices/virtual/powercap", NULL};
    static const char *const read_only[] = {"proc/bus", "proc/fs", "proc/irq", "proc/sys", NULL};
    for (int i = 0; masked[i]; i++)
        if (mount("dev/null", masked[i], NULL, MS_BIND, NULL) < 0 && errno != ENOENT)
            return vcb_err_sys(err, errno, "rootfs: mask /%s", masked[i]);
    for (int i = 0; masked_dirs[i]; i++)
        if (mount("tmpfs", masked_dirs[i], "tmpfs", MS_RDONLY, "size=0") < 0 && errno != ENOENT)
            return vcb_err_sys(err, errno, "rootfs: mask /%s", masked_dirs[i]);
    for (int i = 0; read_only[i]; i++) {
        if (mount(read_only[i], read_only[i], NULL, MS_BIND | MS_REC, NULL) < 0) {
            if (errno == ENOENT)
                continue;
            return vcb_err_sys(err, errno, "rootfs: bind /%s", read_only[i]);
        }
        if (mount(NULL, read_only[i], NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | NOSUID_NODEV_NOEXEC,
                  NULL) < 0)
            return vcb_err_sys(err, errno, "rootfs: make /%s read-only", read_only[i]);
    }
    return 0;
}

/* Remounting a bind read-only must keep the flags the mount already has
 * (locked ones in a user namespace would make it fail). */
static int remount_root_ro(struct vcb_err *err)
{
    struct statvfs sv;
    /* nodev: the image's files are no way to device nodes; only /dev has them. */
    unsigned long flags = MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NODEV;
    if (statvfs(".", &sv) < 0)
        return vcb_err_sys(err, errno, "rootfs: statvfs");
    flags |= (sv.f_flag & ST_NOSUID ? MS_NOSUID : 0) | (sv.f_flag & ST_NODEV ? MS_NODEV : 0) |
             (sv.f_flag & ST_NOEXEC ? MS_NOEXEC : 0) | (sv.f_flag & ST_NOATIME ? MS_NOATIME : 0) |
             (sv.f_flag & ST_NODIRATIME ? MS_NODIRATIME : 0) |
             (sv.f_flag & ST_RELATIME ? MS_RELATIME : 0);
    if (mount(NULL, ".", NULL, flags, NULL) < 0)
        return vcb_err_sys(err, errno, "rootfs: make / read-only");
    return 0;
}

static int do_pivot(struct vcb_err *err)
{
    /* pivot_root(".", ".") stacks the old root on the new one; detaching it
     * leaves only the new root, without needing a directory for the old. */
    if (syscall(SYS_pivot_root, ".", ".") < 0)
        return vcb_err_sys(err, errno, "rootfs: pivot_root");
    if (umount2(".", MNT_DETACH) < 0)
        return vcb_err_sys(err, errno, "rootfs: detach the old root");
    if (chdir("/") < 0)
        return vcb_err_sys(err, errno, "rootfs: chdir /");
    return 0;
}

int ct_rootfs_setup(const char *rootfs, const char *scratch, bool userns, struct vcb_err *err)
{
    /* Our mounts must not propagate to the host, nor the host's to us. */
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
        return vcb_err_sys(err, errno, "rootfs: make / private");
    if (mount(rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
        return vcb_err_sys(err, errno, "rootfs: bind %s", rootfs);
    if (chdir(rootfs) < 0) /* enters the bind mount just made */
        return vcb_err_sys(err, errno, "rootfs: chdir %s", rootfs);
    if (do_mount("proc", "proc", "proc", NOSUID_NODEV_NOEXEC, NULL, err) < 0 ||
        setup_dev(userns, err) < 0 ||
        do_mount("tmpfs", "tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777", err) < 0 ||
        do_mount("sysfs", "sys", "sysfs", MS_RDONLY | NOSUID_NODEV_NOEXEC, NULL, err) < 0 ||
        setup_masks(err) < 0)
        return vcb_err_prefix(err, "%s", rootfs);
    /* The scratch volume: the same host file the other arms write to, on
     * the image's empty mount point; it stays writable under the ro root. */
    if (scratch && do_mount(scratch, VCB_SCRATCH_PATH + 1, NULL, MS_BIND, NULL, err) < 0)
        return vcb_err_prefix(err, "%s: scratch volume", rootfs);
    if (remount_root_ro(err) < 0 || do_pivot(err) < 0)
        return vcb_err_prefix(err, "%s", rootfs);
    return 0;
}
