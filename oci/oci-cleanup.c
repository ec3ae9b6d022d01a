/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* oci-cleanup.c — what runs that are gone left to the runtimes: a
 * container in one of vcbench's state roots (<run root>/oci/<runtime>/
 * vcb-<run-id>-<n>) is deleted with `RUNTIME --root R delete --force`, then
 * what is left of its cgroups; a cgroup under vcbench-oci/ with no
 * container (a runtime killed mid-create) goes too. The binary of a state
 * root is the one its "runtime" file names (else the root's name in PATH). */
#include <dirent.h>
#include <errno.h>
#include <string.h>

#include "oci-priv.h"

static void closedirp(DIR **d)
{
    if (*d)
        closedir(*d);
}

/* Is this instance's run one to clean (a guard: its own run only)? */
static bool wanted(const struct vcb_cleanup_req *req, const char *name)
{
    char run_id[VCB_RUN_ID_LEN + 1];
    unsigned n;
    if (vcb_instance_name_parse(name, run_id, &n) < 0)
        return false;
    return req->only_run ? strcmp(run_id, req->only_run) == 0 : req->is_stale(run_id, req->ctx);
}

/* The runtime of the state root <base>/<dir>. */
static int root_runtime(const char *base, const char *dir, struct oci_runtime *rt,
                        struct vcb_err *err)
{
    char file[PATH_MAX + 16];
    cleanup_free char *path = NULL;
    size_t len = 0;
    memset(rt, 0, sizeof(*rt));
    snprintf(rt->root, sizeof(rt->root), "%s/%s", base, dir);
    snprintf(file, sizeof(file), "%s/runtime", rt->root);
    if (vcb_read_file(file, &path, &len, err) == 0)
        snprintf(rt->path, sizeof(rt->path), "%.*s", (int)strcspn(path, "\n"), path);
    else if (vcb_child_path(dir, rt->path, sizeof(rt->path)) == 0) /* its name, then */
        vcb_err_clear(err);
    else
        return -1;
    snprintf(rt->backend, sizeof(rt->backend), OCI_PREFIX "%s", dir);
    rt->hybrid = oci_cg_mode() == OCI_CG_HYBRID;
    return 0;
}

static int clean_root(const struct vcb_cleanup_req *req, const char *base, const char *dir,
                      struct vcb_err *err)
{
    struct oci_runtime rt;
    char what[PATH_MAX + 128];
    if (root_runtime(base, dir, &rt, err) < 0)
        return -1;
    __attribute__((cleanup(closedirp))) DIR *d = opendir(rt.root);
    struct dirent *e;
    int rc = 0;
    while (d && (e = readdir(d))) {
        if (!wanted(req, e->d_name))
            continue;
        if (!req->dry_run && oci_runtime_delete(&rt, e->d_name, err) < 0) {
            rc = -1;
            continue;
        }
        snprintf(what, sizeof(what), "OCI container %s (%s, state root %s)", e->d_name, rt.path,
                 rt.root);
        req->removed(what, req->ctx);
        if (!req->dry_run)
            (void)oci_cg_remove(e->d_name, req->removed, req->ctx);
    }
    return rc;
}

/* Groups under vcbench-oci/ of runs to clean, their container gone. */
static void clean_cgroups(const struct vcb_cleanup_req *req)
{
    char parent[PATH_MAX];
    oci_cg_dir("memory", "", parent, sizeof(parent));
    __attribute__((cleanup(closedirp))) DIR *d = opendir(parent);
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (wanted(req, e->d_name) && !req->dry_run)
            (void)oci_cg_remove(e->d_name, req->removed, req->ctx);
}

int oci_cleanup(const struct vcb_cleanup_req *req, struct vcb_err *err)
{
    char base[PATH_MAX];
    snprintf(base, sizeof(base), "%s/oci", vcb_run_root());
    __attribute__((cleanup(closedirp))) DIR *d = opendir(base);
    struct dirent *e;
    int rc = 0;
    while (d && (e = readdir(d))) {
        struct vcb_err one = {0};
        if (e->d_name[0] == '.' || clean_root(req, base, e->d_name, &one) == 0)
            continue;
        if (rc == 0)
            *err = one;
        rc = -1;
    }
    clean_cgroups(req);
    return rc;
}
