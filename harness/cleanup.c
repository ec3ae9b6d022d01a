/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cleanup.c — `vcbench cleanup`: remove what runs whose process is gone left
 * behind. A run is stale when its run dir's lock can be taken (or its run
 * dir is gone); each backend's cleanup finds its own resources by name and
 * asks us, through is_stale, whether the run owning them is. */
#include <errno.h>
#include <string.h>

#include "harness.h"

#define DRY_RUN_IDS 64

struct cleanup_ctx {
    bool dry_run;
    /* --orphans: resources whose run dir is in none of these roots count as
     * stale (NULL: only this run root is looked at, missing is live) */
    const struct bench_run_roots *orphans;
    const char *only; /* a guard: only this run's resources */
    bool volumes;     /* also what backends keep between runs (cleanup --volumes) */
    int count;
    char seen[DRY_RUN_IDS][VCB_RUN_ID_LEN + 1]; /* dry run: runs already reported */
    size_t nseen;
    void (*removed)(const char *what, void *ctx);
    void *user;
};

static void on_removed(const char *what, void *opaque)
{
    struct cleanup_ctx *c = opaque;
    c->count++;
    c->removed(what, c->user);
}

/* In a dry run nothing is stale to the modules (they would remove it), so
 * their resources are reported per run instead. */
static bool is_stale(const char *run_id, void *opaque)
{
    struct cleanup_ctx *c = opaque;
    if (c->only)
        return strcmp(run_id, c->only) == 0;
    if (!bench_rundir_is_stale(run_id, c->orphans))
        return false;
    if (!c->dry_run)
        return true;
    for (size_t i = 0; i < c->nseen; i++)
        if (strcmp(c->seen[i], run_id) == 0)
            return false;
    if (c->nseen < DRY_RUN_IDS)
        snprintf(c->seen[c->nseen++], VCB_RUN_ID_LEN + 1, "%s", run_id);
    char what[96];
    snprintf(what, sizeof(what), "resources of stale run %s (cgroup, mount or domain)", run_id);
    on_removed(what, c);
    return false;
}

static int remove_run_dir(const char *run_id, const char *path, void *opaque)
{
    struct cleanup_ctx *c = opaque;
    struct vcb_err err = {0};
    char what[PATH_MAX + 16];
    if (!bench_rundir_is_stale(run_id, NULL))
        return 0; /* a live run: its lock is held */
    if (!c->dry_run)
        bench_scratch_run_remove(path);
    if (!c->dry_run && vcb_rm_rf(path, &err) < 0)
        return 0; /* reported by the next cleanup; the rest still goes */
    snprintf(what, sizeof(what), "run dir %s", path);
    on_removed(what, c);
    return 0;
}

/* A run that died between making its dir and renaming it into place. */
static int remove_unborn(const char *path, void *opaque)
{
    struct cleanup_ctx *c = opaque;
    char what[PATH_MAX + 32];
    if (!c->dry_run && vcb_rm_rf(path, &(struct vcb_err){0}) < 0)
        return 0;
    snprintf(what, sizeof(what), "unfinished run dir %s", path);
    on_removed(what, c);
    return 0;
}

int bench_cleanup_run_dirs(bool dry_run, void (*removed)(const char *what, void *ctx), void *ctx,
                           struct vcb_err *err)
{
    struct cleanup_ctx c = {.dry_run = dry_run, .removed = removed, .user = ctx};
    if (bench_rundir_each(remove_run_dir, &c, err) < 0 ||
        bench_rundir_each_unborn(remove_unborn, &c, err) < 0)
        return vcb_err_prefix(err, "cleanup");
    return c.count;
}

static void removed_quietly(const char *what, void *ctx)
{
    (void)what, (void)ctx;
}

/* Every backend's leftovers, in the registry's order. One backend failing
 * (libvirtd down) must not keep the others from working: the first error
 * is handed back beside the count. */
static void cleanup_backends(struct cleanup_ctx *c, const struct vcb_backend_opts *bopts,
                             struct vcb_err *err)
{
    const struct vcb_cleanup_req req = {.is_stale = is_stale,
                                        .removed = on_removed,
                                        .ctx = c,
                                        .dry_run = c->dry_run,
                                        .only_run = c->only,
                                        .opts = bopts,
                                        .volumes = c->volumes};
    for (size_t i = 0; i < bench_backend_count(); i++) {
        /* A dead run's guard asks only the backends its run loaded. */
        const struct vcb_driver *d = c->only ? bench_backend_peek(i) : bench_backend_driver(i);
        struct vcb_err e = {0};
        if (d && d->cleanup && d->cleanup(&req, &e) < 0 && !err->msg[0])
            *err = e;
    }
    /* The run's network namespace (with pasta and the peers) is the
     * harness's own, not a backend's. A dry run's is_stale never says yes. */
    bench_netns_cleanup(is_stale, on_removed, c);
}

void bench_cleanup_run(const char *run_id)
{
    struct cleanup_ctx c = {.only = run_id, .removed = removed_quietly};
    cleanup_backends(&c, &(struct vcb_backend_opts){0}, &(struct vcb_err){0});
}

int bench_cleanup(bool dry_run, bool orphans, bool volumes, const struct vcb_backend_opts *bopts,
                  void (*removed)(const char *what, void *ctx), void *ctx, struct vcb_err *err)
{
    cleanup_free struct bench_run_roots *roots = orphans ? calloc(1, sizeof(*roots)) : NULL;
    struct cleanup_ctx c = {
        .dry_run = dry_run, .orphans = roots, .volumes = volumes, .removed = removed, .user = ctx};
    struct vcb_err e = {0};
    if (orphans && !roots)
        return vcb_err_sys(err, ENOMEM, "cleanup");
    if (roots)
        bench_run_roots_scan(roots);
    vcb_err_clear(err);
    /* Resources first: is_stale looks at the run dirs, removed last. */
    cleanup_backends(&c, bopts, err);
    int dirs = bench_cleanup_run_dirs(dry_run, removed, ctx, &e);
    if (dirs < 0 && !err->msg[0])
        *err = e;
    return c.count + (dirs > 0 ? dirs : 0);
}
