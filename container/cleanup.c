/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cleanup.c — remove what stale runs left: cgroups under every hierarchy's
 * "vcbench" parent and (defensively: the launcher mounts only inside the
 * container's own namespace) host mounts named vcb-<run-id>-<n>. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>

#include "container-priv.h"

struct ct_cleanup_ctx {
    bool (*is_stale)(const char *run_id, void *ctx);
    void (*removed)(const char *what, void *ctx);
    void *ctx;
};

/* Is name "vcb-<run-id>-<n>" of a stale run? */
static bool ct_stale_name(const struct ct_cleanup_ctx *cc, const char *name)
{
    char run_id[VCB_RUN_ID_LEN + 1];
    unsigned n;
    return vcb_instance_name_parse(name, run_id, &n) == 0 && cc->is_stale(run_id, cc->ctx);
}

static int ct_cleanup_group(struct ct_cg_host *h, const char *parent, const char *name,
                            const struct ct_cleanup_ctx *cc, struct vcb_err *err)
{
    struct ct_cgroup cg;
    char path[PATH_MAX], what[PATH_MAX + 16];
    ct_cgroup_init(&cg, h, name);
    if (ct_pathf(path, sizeof path, "%s/%s", parent, name) < 0)
        return vcb_err_sys(err, errno, "cleanup: %s", name);
    cleanup_close int dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return errno == ENOENT ? 0 : vcb_err_sys(err, errno, "cleanup: open %s", path);
    if (h->mode == CT_CG_V2 && !h->fake && faccessat(dfd, "cgroup.kill", F_OK, 0) == 0 &&
        ct_cg_write(&cg, dfd, "cgroup.kill", "1", err) < 0)
        return -1;
    if (ct_cg_kill_procs(&cg, dfd, err) < 0 || ct_cg_rmdir(&cg, path, err) < 0)
        return -1;
    snprintf(what, sizeof what, "cgroup %s", path);
    cc->removed(what, cc->ctx);
    return 0;
}

/* Every stale vcb-* directly under <hier>/vcbench. */
static int ct_cleanup_hierarchy(struct ct_cg_host *h, const char *hier,
                                const struct ct_cleanup_ctx *cc, struct vcb_err *err)
{
    char parent[PATH_MAX];
    int rc = 0;
    if (ct_pathf(parent, sizeof parent, "%s/%s", hier, CT_CG_PARENT) < 0)
        return vcb_err_sys(err, errno, "cleanup: %s", hier);
    DIR *d = opendir(parent);
    if (!d)
        return errno == ENOENT ? 0 : vcb_err_sys(err, errno, "cleanup: open %s", parent);
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_type == DT_DIR && ct_stale_name(cc, e->d_name) &&
            ct_cleanup_group(h, parent, e->d_name, cc, rc < 0 ? &(struct vcb_err){0} : err) < 0)
            rc = -1;
    }
    closedir(d);
    return rc;
}

static int ct_cleanup_cgroups(const struct ct_cleanup_ctx *cc, struct vcb_err *err)
{
    struct ct_cg_host *h = ct_cg_host_get(err);
    int rc = 0;
    if (!h)
        return -1;
    if (h->mode == CT_CG_V2)
        return ct_cleanup_hierarchy(h, h->root, cc, err);
    for (int c = 0; c < CT_CTL__COUNT; c++) {
        bool seen = false;
        for (int d = 0; d < c; d++)
            seen = seen || strcmp(h->v1_mnt[d], h->v1_mnt[c]) == 0;
        if (h->v1_mnt[c][0] && !seen &&
            ct_cleanup_hierarchy(h, h->v1_mnt[c], cc, rc < 0 ? &(struct vcb_err){0} : err) < 0)
            rc = -1;
    }
    return rc;
}

/* A mount point with a path component naming a stale instance. */
static bool ct_stale_mount(const struct ct_cleanup_ctx *cc, const char *mnt)
{
    char comp[NAME_MAX + 1];
    for (const char *p = mnt; *p;) {
        p += strspn(p, "/");
        size_t n = strcspn(p, "/");
        if (n > 0 && n < sizeof comp) {
            snprintf(comp, sizeof comp, "%.*s", (int)n, p);
            if (ct_stale_name(cc, comp))
                return true;
        }
        p += n;
    }
    return false;
}

static int ct_cleanup_mounts(const struct ct_cleanup_ctx *cc, struct vcb_err *err)
{
    cleanup_fclose FILE *f = fopen("/proc/self/mountinfo", "re");
    char line[4096], mnt[PATH_MAX], what[PATH_MAX + 16];
    if (!f)
        return vcb_err_sys(err, errno, "cleanup: open /proc/self/mountinfo");
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1 || !ct_stale_mount(cc, mnt))
            continue;
        /* Detached with what is below it; a later line under it then fails: fine. */
        if (umount2(mnt, MNT_DETACH) < 0) {
            if (errno == EINVAL || errno == ENOENT)
                continue;
            return vcb_err_sys(err, errno, "cleanup: unmount %s", mnt);
        }
        snprintf(what, sizeof what, "mount %s", mnt);
        cc->removed(what, cc->ctx);
    }
    return 0;
}

int ct_cleanup(bool (*is_stale)(const char *run_id, void *ctx),
               void (*removed)(const char *what, void *ctx), void *ctx, struct vcb_err *err)
{
    const struct ct_cleanup_ctx cc = {is_stale, removed, ctx};
    int rc = ct_cleanup_mounts(&cc, err);
    if (ct_cleanup_cgroups(&cc, rc < 0 ? &(struct vcb_err){0} : err) < 0)
        rc = -1;
    return rc;
}
