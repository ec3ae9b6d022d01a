/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* init-sys.c — what vcb-init asks of the system: mounts (as PID 1 only),
 * stdio, VM detection, the loopback interface, the serial channel,
 * /proc/meminfo and /proc/vmstat, and where the workload binary lives. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <termios.h>
#include <unistd.h>

#include "init.h"

static bool fs_is(const char *path, long magic)
{
    struct statfs st;
    return statfs(path, &st) == 0 && (long)st.f_type == magic;
}

/* Mount type on target unless it is there already; failures are only logged:
 * the workload may not need that file system. A user's image may lack the
 * directory: it is made where the root is writable (a VM's initramfs). */
static void mount_missing(const char *target, const char *type, long magic, unsigned long flags,
                          const char *data)
{
    if (magic && fs_is(target, magic))
        return;
    if (mkdir(target, 0755) < 0 && errno != EEXIST) {
        init_log("mkdir %s: %s; not mounting %s there", target, strerror(errno), type);
        return;
    }
    if (mount(type, target, type, flags, data) < 0)
        init_log("mount %s on %s: %s", type, target, strerror(errno));
}

void init_mount_basics(void)
{
    mount_missing("/proc", "proc", PROC_SUPER_MAGIC, MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    mount_missing("/sys", "sysfs", SYSFS_MAGIC, MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    /* A container launcher provides /dev; a VM's initramfs has it empty. */
    if (access("/dev/null", F_OK) < 0)
        mount_missing("/dev", "devtmpfs", 0, MS_NOSUID, "mode=0755");
    mount_missing("/tmp", "tmpfs", TMPFS_MAGIC, MS_NOSUID | MS_NODEV, "mode=1777");
}

void init_fix_stdio(bool pid1)
{
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
            continue;
        int nfd = pid1 ? open("/dev/console", O_RDWR | O_NOCTTY) : -1;
        if (nfd < 0)
            nfd = open("/dev/null", O_RDWR);
        if (nfd >= 0 && nfd != fd) {
            dup2(nfd, fd);
            close(nfd);
        }
    }
}

void init_loopback_up(void)
{
    struct ifreq ifr = {0};
    snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) < 0) {
        init_log("lo: read flags: %s", strerror(errno));
    } else if (!(ifr.ifr_flags & IFF_UP)) {
        ifr.ifr_flags |= IFF_UP;
        if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
            init_log("lo: bring up: %s", strerror(errno));
    }
    if (fd >= 0)
        close(fd);
}

/* The first word of /proc/cmdline that is want (exact) or starts with it;
 * copied to out (len bytes). */
static bool cmdline_find(const char *want, bool exact, char *out, size_t len)
{
    char buf[4096];
    int fd = open("/proc/cmdline", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    ssize_t n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0)
        return false;
    buf[n] = '\0';
    for (char *tok = strtok(buf, " \t\n"); tok; tok = strtok(NULL, " \t\n")) {
        if (exact ? strcmp(tok, want) == 0 : strncmp(tok, want, strlen(want)) == 0) {
            snprintf(out, len, "%s", tok + strlen(want));
            return true;
        }
    }
    return false;
}

bool init_cmdline_has(const char *want)
{
    char none[1];
    return cmdline_find(want, true, none, sizeof none);
}

bool init_cmdline_value(const char *key, char *out, size_t len)
{
    return cmdline_find(key, false, out, len);
}

bool init_is_vm(void)
{
    return init_cmdline_has("vcb.vm=1");
}

int init_open_channel(void)
{
    int fd = open("/dev/ttyS1", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        init_log("open /dev/ttyS1: %s", strerror(errno));
        return -1;
    }
    struct termios t;
    if (tcgetattr(fd, &t) == 0) {
        cfmakeraw(&t);
        cfsetispeed(&t, B115200);
        cfsetospeed(&t, B115200);
        if (tcsetattr(fd, TCSANOW, &t) < 0)
            init_log("ttyS1: set raw mode: %s", strerror(errno));
    }
    return fd;
}

int init_meminfo(uint64_t *total, uint64_t *avail)
{
    FILE *f = fopen("/proc/meminfo", "re");
    if (!f)
        return -1;
    char line[256];
    unsigned long long kb;
    int found = 0;
    while (fgets(line, sizeof(line), f)) {
        if (sscanf(line, "MemTotal: %llu kB", &kb) == 1) {
            *total = kb * 1024;
            found |= 1;
        } else if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1) {
            *avail = kb * 1024;
            found |= 2;
        }
    }
    fclose(f);
    return found == 3 ? 0 : -1;
}

int init_oom_kills(uint64_t *out)
{
    FILE *f = fopen("/proc/vmstat", "re");
    if (!f)
        return -1;
    char line[128];
    unsigned long long v;
    int rc = -1;
    while (rc < 0 && fgets(line, sizeof(line), f))
        if (sscanf(line, "oom_kill %llu", &v) == 1) {
            *out = v;
            rc = 0;
        }
    fclose(f);
    return rc;
}

/* Directory of the running binary: "/" for /init, <rootfs> in process mode. */
static void self_dir(char *out, size_t len)
{
    ssize_t n = readlink("/proc/self/exe", out, len - 1);
    out[n > 0 ? n : 0] = '\0';
    char *slash = strrchr(out, '/');
    if (n <= 0 || !slash)
        snprintf(out, len, "/");
    else
        slash[slash == out ? 1 : 0] = '\0';
}

int init_workload_path(const char *name, char *out, size_t len)
{
    if (!name[0] || strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return -1;
    char dir[4096];
    self_dir(dir, sizeof(dir));
    int n = snprintf(out, len, "%s%sbin/%s", dir, strcmp(dir, "/") == 0 ? "" : "/", name);
    return n > 0 && (size_t)n < len ? 0 : -1;
}

/* Our children from every /proc/<pid>/stat (its parent field): unlike
 * /proc/self/task/<tid>/children this needs no kernel option. */
size_t init_children(pid_t *out, size_t max)
{
    DIR *d = opendir("/proc");
    size_t n = 0;
    pid_t self = getpid();
    for (struct dirent *e; d && n < max && (e = readdir(d));) {
        char path[300], buf[512];
        if (e->d_name[0] < '1' || e->d_name[0] > '9')
            continue;
        snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        ssize_t len = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
        if (fd >= 0)
            close(fd);
        if (len <= 0)
            continue;
        buf[len] = '\0';
        char *p = strrchr(buf, ')'); /* the name may hold spaces and ')' */
        int ppid;
        if (p && sscanf(p + 1, " %*c %d", &ppid) == 1 && ppid == self)
            out[n++] = (pid_t)atoi(e->d_name);
    }
    if (d)
        closedir(d);
    return n;
}
