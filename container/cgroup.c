/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cgroup.c — cgroup mode detection, the backend table chosen once, and the
 * per-instance calls that dispatch to it (cgroup-v1.c, cgroup-v2.c; the
 * helpers they share live in cgroup-files.c and cgroup-teardown.c). */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>

#include "container-priv.h"

int ct_cg_mode_from_magic(long f_type, bool unified_is_cgroup2, enum ct_cg_mode *out,
                          struct vcb_err *err)
{
    if (f_type == CGROUP2_SUPER_MAGIC)
        *out = CT_CG_V2;
    else if (f_type == TMPFS_MAGIC)
        *out = unified_is_cgroup2 ? CT_CG_HYBRID : CT_CG_V1;
    else
        return vcb_err_set(err, ENOTSUP,
                           "cgroups: unknown filesystem type 0x%lx (expected cgroup2 or tmpfs)",
                           f_type);
    return 0;
}

/* Split a comma list ("rw,cpu,cpuacct") and record mnt for each of our controllers. */
static void host_note_v1(struct ct_cg_host *h, const char *opts, const char *mnt)
{
    for (int c = 0; c < CT_CTL__COUNT; c++) {
        const char *name = ct_cg_ctl_name(c);
        size_t n = strlen(name);
        for (const char *p = opts; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL) {
            if (strncmp(p, name, n) == 0 && (p[n] == ',' || p[n] == '\0' || p[n] == ' '))
                snprintf(h->v1_mnt[c], sizeof h->v1_mnt[c], "%s", mnt);
        }
    }
}

/* v1 hierarchies under root from /proc/self/mountinfo; returns how many. */
static int host_scan_mountinfo(struct ct_cg_host *h)
{
    cleanup_fclose FILE *f = fopen("/proc/self/mountinfo", "re");
    char line[4096];
    int found = 0;
    size_t rl = strlen(h->root);
    while (f && fgets(line, sizeof line, f)) {
        char mnt[PATH_MAX], fstype[64], opts[1024];
        const char *dash = strstr(line, " - ");
        if (!dash || sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1 ||
            sscanf(dash + 3, "%63s %*s %1023s", fstype, opts) != 2)
            continue;
        if (strcmp(fstype, "cgroup") != 0 || strncmp(mnt, h->root, rl) != 0 || mnt[rl] != '/')
            continue;
        host_note_v1(h, opts, mnt);
        found++;
    }
    return found;
}

/* A fake v1 tree: one directory per hierarchy, named by its controllers. */
static void host_scan_fake_v1(struct ct_cg_host *h)
{
    static const char *const dirs[] = {"memory", "cpu,cpuacct", "cpu",   "cpuacct", "pids",
                                       "cpuset", "devices",     "blkio", NULL};
    for (int i = 0; dirs[i]; i++) {
        char path[PATH_MAX];
        struct stat st;
        if (ct_pathf(path, sizeof path, "%s/%s", h->root, dirs[i]) == 0 && lstat(path, &st) == 0 &&
            S_ISDIR(st.st_mode))
            host_note_v1(h, dirs[i], path);
    }
}

static int host_read_v2_controllers(struct ct_cg_host *h, struct vcb_err *err)
{
    char path[PATH_MAX];
    cleanup_free char *text = NULL;
    if (ct_pathf(path, sizeof path, "%s/cgroup.controllers", h->root) < 0 ||
        vcb_read_file(path, &text, NULL, err) < 0)
        return vcb_err_prefix(err, "cgroups");
    text[strcspn(text, "\n")] = '\0';
    snprintf(h->v2_controllers, sizeof h->v2_controllers, "%s", text);
    return 0;
}

static bool path_is_cgroup2(const char *path)
{
    struct statfs sf;
    return statfs(path, &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC;
}

int ct_cg_host_init(struct ct_cg_host *h, const char *root, struct vcb_err *err)
{
    struct statfs sf;
    char unified[PATH_MAX];
    memset(h, 0, sizeof *h);
    if (!root)
        root = getenv("VCB_CGROUP_ROOT") ? getenv("VCB_CGROUP_ROOT") : "/sys/fs/cgroup";
    snprintf(h->root, sizeof h->root, "%s", root);
    if (statfs(root, &sf) < 0)
        return vcb_err_sys(err, errno, "cgroups: statfs %s", root);
    if (ct_pathf(unified, sizeof unified, "%s/unified", root) < 0)
        return vcb_err_sys(err, errno, "cgroups: %s", root);
    bool real_v1 = sf.f_type == TMPFS_MAGIC && host_scan_mountinfo(h) > 0;
    if (sf.f_type == CGROUP2_SUPER_MAGIC || real_v1) {
        if (ct_cg_mode_from_magic(sf.f_type, path_is_cgroup2(unified), &h->mode, err) < 0)
            return -1;
    } else { /* not a cgroup filesystem: a fake tree for tests */
        char ctl[PATH_MAX];
        ct_pathf(ctl, sizeof ctl, "%s/cgroup.controllers", root);
        h->fake = true;
        h->mode = vcb_path_exists(ctl) ? CT_CG_V2 : CT_CG_V1;
        memset(h->v1_mnt, 0, sizeof h->v1_mnt);
        if (h->mode == CT_CG_V1)
            host_scan_fake_v1(h);
    }
    h->ops = h->mode == CT_CG_V2 ? &ct_cg_v2_ops : &ct_cg_v1_ops;
    return h->mode == CT_CG_V2 ? host_read_v2_controllers(h, err) : 0;
}

static struct ct_cg_host host_global;
static struct vcb_err host_global_err;
static int host_global_rc;
static pthread_once_t host_global_once = PTHREAD_ONCE_INIT;

static void host_global_init(void)
{
    host_global_rc = ct_cg_host_init(&host_global, NULL, &host_global_err);
}

struct ct_cg_host *ct_cg_host_get(struct vcb_err *err)
{
    pthread_once(&host_global_once, host_global_init);
    if (host_global_rc < 0) {
        *err = host_global_err;
        return NULL;
    }
    return &host_global;
}

/* ---- per-instance dispatch ---- */

void ct_cgroup_init(struct ct_cgroup *cg, struct ct_cg_host *h, const char *name)
{
    memset(cg, 0, sizeof *cg);
    cg->host = h;
    snprintf(cg->name, sizeof cg->name, "%s", name);
    for (int i = 0; i < CT_CTL__COUNT; i++)
        cg->dfd[i] = cg->procs_fd[i] = -1;
}

int ct_cgroup_create(struct ct_cgroup *cg, const struct vcb_limits *lim, struct vcb_err *err)
{
    if (cg->host->ops->create(cg, lim, err) < 0 ||
        (vcb_io_limits_any(&lim->io) && ct_cgroup_io_apply(cg, &lim->io, cg->io_file, err) < 0)) {
        struct vcb_err ignored = {0};
        if (cg->created) /* not when mkdir failed: an EEXIST group is someone else's */
            cg->host->ops->remove(cg, &ignored);
        ct_cgroup_close(cg);
        cg->host = NULL;
        return -1;
    }
    return 0;
}

void ct_cgroup_close(struct ct_cgroup *cg)
{
    for (int i = 0; i < CT_CTL__COUNT; i++) {
        if (cg->owner[i]) {
            vcb_closep(&cg->dfd[i]);
            vcb_closep(&cg->procs_fd[i]);
        }
        cg->dfd[i] = cg->procs_fd[i] = -1;
        cg->owner[i] = false;
    }
}

int ct_cgroup_destroy(struct ct_cgroup *cg, struct vcb_err *err)
{
    int rc = 0;
    if (!cg->host)
        return 0;
    if (cg->host->ops->kill_all(cg, err) < 0)
        rc = -1;
    ct_cgroup_close(cg);
    if (cg->created && cg->host->ops->remove(cg, rc < 0 ? &(struct vcb_err){0} : err) < 0)
        rc = -1;
    cg->host = NULL;
    return rc;
}
