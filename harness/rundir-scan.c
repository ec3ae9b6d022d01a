/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rundir-scan.c — the run dirs under the run root as cleanup sees them:
 * each one, whether its run is gone (its lock can be taken), and the hidden
 * dirs of runs that died before theirs was renamed into place. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>

#include "harness.h"

#define LOCK_NAME "lock"
/* A hidden dir older than this whose lock is free was left by a run that
 * died between mkdir and rename (a run holds the name for microseconds). */
#define UNBORN_AGE_S 60

/* Is the run dir at dir stale? A dir without a lock file belongs to a tool
 * that takes none: never. */
static bool dir_is_stale(const char *dir)
{
    char path[PATH_MAX + 8];
    snprintf(path, sizeof(path), "%s/" LOCK_NAME, dir);
    cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);
    /* Our own open file description: taking it never disturbs the holder. */
    return fd >= 0 && flock(fd, LOCK_SH | LOCK_NB) == 0;
}

bool bench_rundir_is_stale(const char *run_id, const struct bench_run_roots *orphans)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof(dir), "%s/vcb-%s", vcb_run_root(), run_id);
    if (vcb_path_exists(dir))
        return dir_is_stale(dir);
    /* No dir here: a run under another run root (VCB_RUN_DIR) may own the
     * name, so only --orphans looks further: every root a live process
     * names, and stale only where the run is in none of them, or dead. */
    if (!orphans)
        return false;
    for (size_t i = 0; i < orphans->n; i++) {
        snprintf(dir, sizeof(dir), "%s/vcb-%s", orphans->dir[i], run_id);
        if (vcb_path_exists(dir))
            return dir_is_stale(dir);
    }
    return true;
}

static bool run_dir_name(const char *name, char run_id[VCB_RUN_ID_LEN + 1])
{
    if (strncmp(name, "vcb-", 4) != 0 || strlen(name) != 4 + VCB_RUN_ID_LEN)
        return false;
    for (size_t i = 4; name[i]; i++)
        if (!strchr("0123456789abcdef", name[i]))
            return false;
    snprintf(run_id, VCB_RUN_ID_LEN + 1, "%s", name + 4);
    return true;
}

static void closedirp(DIR **d)
{
    if (*d)
        closedir(*d);
}

int bench_rundir_each(int (*fn)(const char *run_id, const char *path, void *ctx), void *ctx,
                      struct vcb_err *err)
{
    __attribute__((cleanup(closedirp))) DIR *d = opendir(vcb_run_root());
    if (!d)
        return errno == ENOENT ? 0 : vcb_err_sys(err, errno, "run root %s", vcb_run_root());
    struct dirent *e;
    while ((e = readdir(d))) {
        char id[VCB_RUN_ID_LEN + 1], path[PATH_MAX];
        if (!run_dir_name(e->d_name, id))
            continue;
        snprintf(path, sizeof(path), "%s/%s", vcb_run_root(), e->d_name);
        if (fn(id, path, ctx) < 0)
            return -1;
    }
    return 0;
}

/* Hidden dirs of runs that died before their dir was renamed into place. */
int bench_rundir_each_unborn(int (*fn)(const char *path, void *ctx), void *ctx, struct vcb_err *err)
{
    __attribute__((cleanup(closedirp))) DIR *d = opendir(vcb_run_root());
    if (!d)
        return errno == ENOENT ? 0 : vcb_err_sys(err, errno, "run root %s", vcb_run_root());
    struct dirent *e;
    while ((e = readdir(d))) {
        char name[32], id[VCB_RUN_ID_LEN + 1], path[PATH_MAX], lock[PATH_MAX + 8];
        size_t len = strlen(e->d_name);
        struct stat st;
        if (e->d_name[0] != '.' || len < 5 || len > 20 || strcmp(e->d_name + len - 4, ".new"))
            continue;
        snprintf(name, sizeof(name), "%.*s", (int)(len - 5), e->d_name + 1);
        snprintf(path, sizeof(path), "%s/%s", vcb_run_root(), e->d_name);
        snprintf(lock, sizeof(lock), "%s/" LOCK_NAME, path);
        /* it may have died before its lock file was made: no lock is stale here */
        if (!run_dir_name(name, id) || stat(path, &st) < 0 ||
            time(NULL) - st.st_mtime < UNBORN_AGE_S ||
            (vcb_path_exists(lock) && !dir_is_stale(path)))
            continue;
        if (fn(path, ctx) < 0)
            return -1;
    }
    return 0;
}
