/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* oci-cgroup.c — where the runtime's cgroup of an instance is, and the
 * removal of what a runtime left of it. vcbench sets cgroupsPath to /vcbench-oci/<name>: absolute,
 * so every runtime puts it at the same place below each hierarchy's root
 * (v1: /sys/fs/cgroup/<controller>/vcbench-oci/<name>; v2: one directory),
 * whatever cgroup vcbench itself runs in. On a hybrid host the runtime
 * sees the v1 hierarchies only (its mount namespace lacks the cgroup2). */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/statfs.h>
#include <linux/magic.h>

#include "oci-priv.h"

enum oci_cg_mode oci_cg_mode(void)
{
    struct statfs root, uni;
    if (statfs("/sys/fs/cgroup", &root) == 0 && root.f_type == CGROUP2_SUPER_MAGIC)
        return OCI_CG_V2;
    if (statfs("/sys/fs/cgroup/unified", &uni) == 0 && uni.f_type == CGROUP2_SUPER_MAGIC)
        return OCI_CG_HYBRID;
    return OCI_CG_V1;
}

void oci_cg_path(const char *name, char *buf, size_t len)
{
    snprintf(buf, len, "/" OCI_CGROUP_PARENT "/%s", name);
}

void oci_cg_dir(const char *ctl, const char *name, char *buf, size_t len)
{
    if (oci_cg_mode() == OCI_CG_V2)
        snprintf(buf, len, "/sys/fs/cgroup/" OCI_CGROUP_PARENT "/%s", name);
    else
        snprintf(buf, len, "/sys/fs/cgroup/%s/" OCI_CGROUP_PARENT "/%s", ctl, name);
}

/* Kill what runs in the group, then remove it (the kill takes a moment). */
static bool cg_remove_dir(const char *dir)
{
    char procs[PATH_MAX + 16];
    snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir);
    for (int tries = 0; tries < 100; tries++) {
        if (rmdir(dir) == 0 || errno == ENOENT)
            return true;
        if (errno != EBUSY)
            return false;
        cleanup_fclose FILE *f = fopen(procs, "re");
        int pid;
        while (f && fscanf(f, "%d", &pid) == 1)
            kill(pid, SIGKILL);
        vcb_sleep_ns(10 * VCB_NS_PER_MS);
    }
    return false;
}

static void closedirp(DIR **d)
{
    if (*d)
        closedir(*d);
}

int oci_cg_remove(const char *name, void (*removed)(const char *what, void *ctx), void *ctx)
{
    char dir[PATH_MAX], what[PATH_MAX + 16];
    int failed = 0;
    if (oci_cg_mode() == OCI_CG_V2) {
        oci_cg_dir("", name, dir, sizeof(dir));
        if (!vcb_path_exists(dir))
            return 0;
        if (!cg_remove_dir(dir))
            return -1;
        snprintf(what, sizeof(what), "cgroup %s", dir);
        if (removed)
            removed(what, ctx);
        return 0;
    }
    __attribute__((cleanup(closedirp))) DIR *d = opendir("/sys/fs/cgroup");
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.' || strcmp(e->d_name, "unified") == 0)
            continue;
        oci_cg_dir(e->d_name, name, dir, sizeof(dir));
        if (!vcb_path_exists(dir))
            continue;
        if (!cg_remove_dir(dir)) {
            failed = -1;
            continue;
        }
        snprintf(what, sizeof(what), "cgroup %s", dir);
        if (removed)
            removed(what, ctx);
    }
    return failed;
}
