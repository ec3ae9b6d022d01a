/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cgroup-cpu.c — what the kernel's CPU controller recorded for a group of
 * processes: how often their quota ran out (cpu.stat). Shared by the
 * container driver (the instance's own cgroup) and the VM driver (the
 * cgroups libvirt makes for a domain's vCPUs), so "throttled" means one
 * thing for both. cgroup v2 says throttled_usec, v1 throttled_time (ns). */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "vcb-driver.h"

/* "rw,cpu,cpuacct" holds the word "cpu". */
static bool has_word(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
        if (strncmp(p, word, n) == 0 && (p[n] == ',' || p[n] == '\0' || p[n] == ' '))
            return true;
    return false;
}

/* Where the hierarchy is mounted: the v1 one with the cpu controller, or
 * the unified one (v1 == false). */
static int cgroup_mount(bool v1, char *out, size_t len, struct vcb_err *err)
{
    char line[1024];
    cleanup_fclose FILE *f = fopen("/proc/self/mountinfo", "re");
    if (!f)
        return vcb_err_sys(err, errno, "read /proc/self/mountinfo");
    while (fgets(line, sizeof(line), f)) {
        char mnt[512], fstype[64], opts[512];
        const char *dash = strstr(line, " - ");
        if (!dash || sscanf(line, "%*s %*s %*s %*s %511s", mnt) != 1 ||
            sscanf(dash + 3, "%63s %*s %511s", fstype, opts) != 2)
            continue;
        if (v1 ? strcmp(fstype, "cgroup") == 0 && has_word(opts, "cpu")
               : strcmp(fstype, "cgroup2") == 0) {
            snprintf(out, len, "%s", mnt);
            return 0;
        }
    }
    return vcb_err_set(err, ENOENT, "no %s hierarchy mounted", v1 ? "cgroup v1 cpu" : "cgroup2");
}

int vcb_proc_cpu_cgroup(pid_t pid, char *dir, size_t len, struct vcb_err *err)
{
    char path[64], line[1024], rel[900] = "", mnt[512];
    bool v1 = false;
    snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
    cleanup_fclose FILE *f = fopen(path, "re");
    if (!f)
        return vcb_err_sys(err, errno, "read %s", path);
    while (fgets(line, sizeof(line), f)) {
        char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (!c2)
            continue;
        *c2 = '\0';
        c2[1 + strcspn(c2 + 1, "\n")] = '\0';
        if (has_word(c1 + 1, "cpu")) { /* a v1 cpu hierarchy wins over the unified one */
            snprintf(rel, sizeof(rel), "%s", c2 + 1);
            v1 = true;
            break;
        }
        if (c1[1] == '\0')
            snprintf(rel, sizeof(rel), "%s", c2 + 1);
    }
    if (!rel[0])
        return vcb_err_set(err, ENOENT, "%s: no cpu cgroup", path);
    if (cgroup_mount(v1, mnt, sizeof(mnt), err) < 0)
        return -1;
    if ((size_t)snprintf(dir, len, "%s%s", mnt, strcmp(rel, "/") ? rel : "") >= len)
        return vcb_err_set(err, ENAMETOOLONG, "%s: cgroup path too long", path);
    return 0;
}

/* Add one cpu.stat to out; a group without the file (no cpu controller
 * there) adds nothing. */
static int cpu_stat_add(const char *dir, struct vcb_cpu_throttle *out, struct vcb_err *err)
{
    char path[PATH_MAX], key[64];
    unsigned long long v;
    snprintf(path, sizeof(path), "%s/cpu.stat", dir);
    cleanup_fclose FILE *f = fopen(path, "re");
    if (!f)
        return errno == ENOENT ? 0 : vcb_err_sys(err, errno, "read %s", path);
    while (fscanf(f, "%63s %llu", key, &v) == 2) {
        if (!strcmp(key, "nr_periods"))
            out->periods += v;
        else if (!strcmp(key, "nr_throttled"))
            out->throttled_periods += v;
        else if (!strcmp(key, "throttled_usec"))
            out->throttled_ns += v * VCB_NS_PER_US;
        else if (!strcmp(key, "throttled_time"))
            out->throttled_ns += v;
    }
    return 0;
}

int vcb_cgroup_cpu_throttle(const char *dir, bool with_children, struct vcb_cpu_throttle *out,
                            struct vcb_err *err)
{
    struct vcb_cpu_throttle t = {0};
    if (cpu_stat_add(dir, &t, err) < 0)
        return -1;
    if (with_children) {
        DIR *d = opendir(dir);
        if (!d)
            return vcb_err_sys(err, errno, "list %s", dir);
        struct dirent *e;
        int rc = 0;
        while (rc == 0 && (e = readdir(d))) {
            char sub[PATH_MAX];
            if (e->d_type != DT_DIR || e->d_name[0] == '.')
                continue;
            snprintf(sub, sizeof(sub), "%s/%s", dir, e->d_name);
            rc = cpu_stat_add(sub, &t, err);
        }
        closedir(d);
        if (rc < 0)
            return -1;
    }
    *out = t;
    return 0;
}

int vcb_proc_cpu_throttle(pid_t pid, struct vcb_cpu_throttle *out, struct vcb_err *err)
{
    char dir[PATH_MAX];
    if (vcb_proc_cpu_cgroup(pid, dir, sizeof(dir), err) < 0)
        return -1;
    return vcb_cgroup_cpu_throttle(dir, false, out, err);
}
