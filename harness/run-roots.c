/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* run-roots.c — the run roots in use on this host, for `vcbench cleanup
 * --orphans`: a resource whose run dir is missing from our run root may
 * belong to a live run under another one (VCB_RUN_DIR), so every root a
 * running process names in its environment is looked in too. */
#include <dirent.h>
#include <string.h>

#include "harness.h"

#define DEFAULT_RUN_ROOT "/run/vcbench"

static void roots_add(struct bench_run_roots *r, const char *dir)
{
    if (!dir[0] || strcmp(dir, vcb_run_root()) == 0 || r->n >= BENCH_RUN_ROOTS_MAX)
        return;
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->dir[i], dir) == 0)
            return;
    snprintf(r->dir[r->n++], sizeof(r->dir[0]), "%s", dir);
}

static void closedirp(DIR **d)
{
    if (*d)
        closedir(*d);
}

void bench_run_roots_scan(struct bench_run_roots *r)
{
    r->n = 0;
    roots_add(r, DEFAULT_RUN_ROOT); /* a run there names no VCB_RUN_DIR */
    __attribute__((cleanup(closedirp))) DIR *d = opendir("/proc");
    struct dirent *e;
    char dir[PATH_MAX];
    while (d && (e = readdir(d)))
        if (e->d_name[0] >= '1' && e->d_name[0] <= '9' &&
            vcb_proc_env(atoi(e->d_name), "VCB_RUN_DIR", dir, sizeof(dir)) == 1)
            roots_add(r, dir);
}
