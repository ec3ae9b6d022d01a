/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ct-probe — runs as the workload inside a test container and reports what
 * the container looks like from inside as one "@vcb result {json}" line. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "guest.h"

/* Count numeric entries of /proc: the processes this PID namespace shows. */
static int count_pids(void)
{
    DIR *d = opendir("/proc");
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += e->d_name[0] >= '1' && e->d_name[0] <= '9';
    if (d)
        closedir(d);
    return n;
}

/* Entries of dir joined by ',' (skipping dot entries). */
static void list_dir(const char *dir, char *out, size_t len)
{
    DIR *d = opendir(dir);
    out[0] = '\0';
    for (struct dirent *e; d && (e = readdir(d));)
        if (e->d_name[0] != '.')
            snprintf(out + strlen(out), len - strlen(out), "%s%s", out[0] ? "," : "", e->d_name);
    if (d)
        closedir(d);
}

/* "Key:\tvalue" of /proc/self/status. */
static void status_field(const char *key, char *out, size_t len)
{
    char line[256];
    size_t kl = strlen(key);
    FILE *f = fopen("/proc/self/status", "r");
    out[0] = '\0';
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, key, kl) == 0 && line[kl] == ':')
            snprintf(out, len, "%.*s",
                     (int)strcspn(line + kl + 1 + strspn(line + kl + 1, "\t "), "\n"),
                     line + kl + 1 + strspn(line + kl + 1, "\t "));
    if (f)
        fclose(f);
}

/* Mount points from /proc/self/mountinfo joined by ','. */
static void list_mounts(char *out, size_t len)
{
    char line[1024], mnt[512];
    FILE *f = fopen("/proc/self/mountinfo", "r");
    out[0] = '\0';
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "%*s %*s %*s %*s %511s", mnt) == 1)
            snprintf(out + strlen(out), len - strlen(out), "%s%s", out[0] ? "," : "", mnt);
    if (f)
        fclose(f);
}

static void first_line(const char *path, char *out, size_t len)
{
    int fd = open(path, O_RDONLY);
    ssize_t n = fd < 0 ? -1 : read(fd, out, len - 1);
    out[n > 0 ? n : 0] = '\0';
    out[strcspn(out, "\n")] = '\0';
    if (fd >= 0)
        close(fd);
}

/* /proc paths the launcher masks that exist here and are not /dev/null. */
static void unmasked(char *out, size_t len)
{
    static const char *const paths[] = {
        "/proc/kcore",       "/proc/keys",        "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/proc/sysrq-trigger", NULL};
    struct stat st;
    out[0] = '\0';
    for (int i = 0; paths[i]; i++)
        if (stat(paths[i], &st) == 0 && !S_ISCHR(st.st_mode))
            snprintf(out + strlen(out), len - strlen(out), "%s%s", out[0] ? "," : "", paths[i]);
}

static int errno_of(long rc)
{
    return rc < 0 ? errno : 0;
}

int main(void)
{
    char buf[1024];
    struct wl_json j;
    wl_emit_ready();
    wl_json_begin(&j, NULL, "ct-probe");
    wl_json_i64(&j, "pid", getpid());
    wl_json_i64(&j, "ppid", getppid());
    wl_json_i64(&j, "nprocs", count_pids());
    gethostname(buf, sizeof buf);
    wl_json_str(&j, "hostname", buf);
    list_dir("/sys/class/net", buf, sizeof buf);
    wl_json_str(&j, "net", buf);
    first_line("/sys/class/net/lo/flags", buf, sizeof buf); /* IFF_UP is 0x1 */
    wl_json_str(&j, "lo_flags", buf);
    status_field("CapEff", buf, sizeof buf);
    wl_json_str(&j, "cap_eff", buf);
    status_field("CapBnd", buf, sizeof buf);
    wl_json_str(&j, "cap_bnd", buf);
    status_field("NoNewPrivs", buf, sizeof buf);
    wl_json_str(&j, "no_new_privs", buf);
    status_field("Seccomp", buf, sizeof buf);
    wl_json_str(&j, "seccomp", buf);
    first_line("/proc/self/uid_map", buf, sizeof buf);
    wl_json_str(&j, "uid_map", buf);
    first_line("/proc/self/cgroup", buf, sizeof buf);
    wl_json_str(&j, "cgroup", buf);
    list_mounts(buf, sizeof buf);
    wl_json_str(&j, "mounts", buf);
    wl_json_i64(&j, "uid", getuid());
    wl_json_i64(&j, "root_write_errno", errno_of(open("/probe-write", O_CREAT | O_WRONLY, 0644)));
    wl_json_i64(&j, "tmp_write_errno", errno_of(open("/tmp/probe", O_CREAT | O_WRONLY, 0644)));
    wl_json_i64(&j, "devnull_errno", errno_of(open("/dev/null", O_WRONLY)));
    wl_json_i64(&j, "mount_errno", errno_of(mount("none", "/tmp", "tmpfs", 0, NULL)));
    wl_json_i64(&j, "keyctl_errno", errno_of(syscall(SYS_keyctl, 0 /* GET_KEYRING_ID */, -3, 0)));
    wl_json_i64(&j, "init_module_errno", errno_of(syscall(SYS_init_module, NULL, 0, "")));
    wl_json_i64(&j, "unshare_errno", errno_of(unshare(CLONE_NEWNS)));
    unmasked(buf, sizeof buf);
    wl_json_str(&j, "unmasked", buf);
    return wl_json_emit(&j, STDOUT_FILENO) < 0;
}
