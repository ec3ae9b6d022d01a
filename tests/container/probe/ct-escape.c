/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ct-escape — an attacker standing in for a user's workload. From inside a
 * container it tries the ways out that the launcher walls off and reports
 * every attempt as one "@vcb result {json}" line:
 *   - TIOCSTI (push input into a terminal) on every terminal it holds or can
 *     open: a hit types commands into the user's shell;
 *   - mknod + open of host devices (kvm, userfaultfd, loop, the VT screen and
 *     consoles, memory, block devices) in NODE_DIR;
 *   - io_uring_setup and socket(AF_VSOCK);
 *   - reading /sys/firmware.
 * The tests run it on the host too, as the control that shows each attempt
 * can succeed where no wall stands (--host-control: the host's consoles are
 * opened but never typed into).
 *   ct-escape [--host-control] [NODE_DIR]     (NODE_DIR default /dev) */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "guest.h"

#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif

struct attempts {
    char list[1024]; /* "what:errno,…" */
    int ok;          /* how many got through */
};

static void note(struct attempts *a, const char *what, int err)
{
    size_t n = strlen(a->list);
    snprintf(a->list + n, sizeof a->list - n, "%s%s:%d", n ? "," : "", what, err);
    a->ok += err == 0;
}

/* TIOCSTI on fd if it is a terminal. The byte pushed is a harmless '#'. */
static void try_tiocsti(struct attempts *a, int fd, const char *what)
{
    char c = '#';
    if (fd < 0 || !isatty(fd))
        return;
    note(a, what, ioctl(fd, TIOCSTI, &c) == 0 ? 0 : errno);
}

/* host_control: TIOCSTI only into the test's own terminal (what we were
 * given and /dev/tty), never into the host's consoles. */
static void probe_terminals(struct wl_json *j, bool host_control)
{
    static const char *const paths[] = {"/dev/tty", "/dev/console", "/dev/tty0", "/dev/tty1", NULL};
    struct attempts a = {.ok = 0};
    int ttys = 0;
    char what[32];
    for (int fd = 0; fd < 1024; fd++) { /* what it was given */
        ttys += isatty(fd);
        snprintf(what, sizeof what, "fd%d", fd);
        try_tiocsti(&a, fd, what);
    }
    for (int i = 0; paths[i]; i++) { /* what it can reach by name */
        int fd = open(paths[i], O_RDWR | O_NOCTTY | O_NONBLOCK);
        if (fd < 0) {
            note(&a, paths[i], errno ? errno : -1);
            continue;
        }
        if (!host_control || i == 0)
            try_tiocsti(&a, fd, paths[i]);
        close(fd);
    }
    wl_json_i64(j, "tty_fds", ttys);
    wl_json_i64(j, "dev_tty_errno", access("/dev/tty", F_OK) == 0 ? 0 : errno);
    wl_json_str(j, "tiocsti", a.list);
    wl_json_i64(j, "tiocsti_ok", a.ok);
}

/* The dynamic major of a block driver from /proc/devices, or -1. */
static int block_major(const char *driver)
{
    char line[128], name[64];
    int major, in_block = 0, found = -1;
    FILE *f = fopen("/proc/devices", "r");
    while (f && fgets(line, sizeof line, f)) {
        in_block = in_block || strncmp(line, "Block devices:", 14) == 0;
        if (in_block && sscanf(line, "%d %63s", &major, name) == 2 && strcmp(name, driver) == 0)
            found = major;
    }
    if (f)
        fclose(f);
    return found;
}

static void try_device(struct attempts *made, struct attempts *opened, const char *dir,
                       const char *name, mode_t type, int major, int minor)
{
    char path[256];
    if (major < 0)
        return;
    snprintf(path, sizeof path, "%s/escape-%s", dir, name);
    unlink(path);
    if (mknod(path, type | 0600, makedev(major, minor)) < 0) {
        note(made, name, errno);
        return;
    }
    note(made, name, 0);
    /* O_NONBLOCK: no console or block device waits; nothing is read or written. */
    int fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK);
    note(opened, name, fd < 0 ? errno : 0);
    if (fd >= 0)
        close(fd);
    unlink(path);
}

static void probe_devices(struct wl_json *j, const char *dir)
{
    static const struct {
        const char *name;
        mode_t type;
        int major, minor;
    } devs[] = {
        {"kvm", S_IFCHR, 10, 232},
        {"userfaultfd", S_IFCHR, 10, 126},
        {"loop-control", S_IFCHR, 10, 237},
        {"loop0", S_IFBLK, 7, 0},
        {"tty0", S_IFCHR, 4, 0},
        {"tty1", S_IFCHR, 4, 1},
        {"console", S_IFCHR, 5, 1},
        {"vcs", S_IFCHR, 7, 0},
        {"mem", S_IFCHR, 1, 1},
        {"kmsg", S_IFCHR, 1, 11},
        {"fuse", S_IFCHR, 10, 229},
        {"net-tun", S_IFCHR, 10, 200},
    };
    struct attempts made = {.ok = 0}, opened = {.ok = 0};
    for (size_t i = 0; i < sizeof devs / sizeof devs[0]; i++)
        try_device(&made, &opened, dir, devs[i].name, devs[i].type, devs[i].major, devs[i].minor);
    try_device(&made, &opened, dir, "zram0", S_IFBLK, block_major("zram"), 0);
    wl_json_str(j, "mknod", made.list);
    wl_json_i64(j, "mknod_ok", made.ok);
    wl_json_str(j, "dev_open", opened.list);
    wl_json_i64(j, "dev_open_ok", opened.ok);
}

/* The devices a container is meant to have must still open. */
static void probe_allowed(struct wl_json *j)
{
    static const char *const paths[] = {"/dev/null",    "/dev/zero", "/dev/full", "/dev/random",
                                        "/dev/urandom", "/dev/ptmx", NULL};
    struct attempts a = {.ok = 0};
    for (int i = 0; paths[i]; i++) {
        int fd = open(paths[i], O_RDWR | O_NOCTTY);
        note(&a, paths[i], fd < 0 ? errno : 0);
        if (fd >= 0)
            close(fd);
    }
    wl_json_str(j, "allowed", a.list);
    wl_json_i64(j, "allowed_ok", a.ok);
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

static void probe_kernel_interfaces(struct wl_json *j)
{
    unsigned char params[120] = {0}; /* struct io_uring_params */
    long fd = syscall(SYS_io_uring_setup, 1, params);
    wl_json_i64(j, "io_uring_errno", fd < 0 ? errno : 0);
    if (fd >= 0)
        close((int)fd);
    fd = socket(AF_VSOCK, SOCK_STREAM, 0);
    wl_json_i64(j, "vsock_errno", fd < 0 ? errno : 0);
    if (fd >= 0)
        close((int)fd);
    wl_json_i64(j, "firmware_entries", count_entries("/sys/firmware"));
}

int main(int argc, char **argv)
{
    struct wl_json j;
    bool host_control = argc > 1 && strcmp(argv[1], "--host-control") == 0;
    const char *node_dir = argc > 1 + host_control ? argv[1 + host_control] : "/dev";
    wl_emit_ready();
    wl_json_begin(&j, NULL, "ct-escape");
    probe_terminals(&j, host_control);
    probe_devices(&j, node_dir);
    probe_allowed(&j);
    probe_kernel_interfaces(&j);
    return wl_json_emit(&j, STDOUT_FILENO) < 0;
}
