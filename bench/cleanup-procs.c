/* cleanup-procs.c — process-backend leftovers. The process driver runs
 * <state>/images/<image>/rootfs/init in a session of its own, with no
 * cgroup or name that outlives the run. When `vcbench run` dies by SIGKILL,
 * vcb-init kills the workload's tree itself (its parent-death signal); this
 * is the fallback for when that could not happen (vcb-init killed too).
 * Such an orphan (parent pid 1, executable inside our image store) belongs
 * to no live run: a live run's instances are its own children. Its whole
 * process group is killed. */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "harness.h"

/* Parent pid and process group from /proc/<pid>/stat; -1 if unreadable. */
static int proc_ids(const char *pid, pid_t *ppid, pid_t *pgrp)
{
    char path[64], buf[512];
    snprintf(path, sizeof(path), "/proc/%s/stat", pid);
    cleanup_fclose FILE *f = fopen(path, "re");
    if (!f || !fgets(buf, sizeof(buf), f))
        return -1;
    char *p = strrchr(buf, ')'); /* comm may hold spaces */
    int a, b;
    if (!p || sscanf(p + 2, "%*c %d %d", &a, &b) != 2)
        return -1;
    *ppid = a;
    *pgrp = b;
    return 0;
}

static bool is_orphan_instance(const char *pid, const char *images, pid_t *pgrp)
{
    char path[64], exe[PATH_MAX];
    pid_t ppid;
    snprintf(path, sizeof(path), "/proc/%s/exe", pid);
    ssize_t n = readlink(path, exe, sizeof(exe) - 1);
    if (n <= 0)
        return false;
    exe[n] = 0;
    size_t len = strlen(images);
    if (strncmp(exe, images, len) != 0 || !strstr(exe + len, "/rootfs/"))
        return false;
    return proc_ids(pid, &ppid, pgrp) == 0 && ppid == 1 && *pgrp > 1;
}

static void closedirp(DIR **d)
{
    if (*d)
        closedir(*d);
}

int bench_cleanup_procs(bool dry_run, void (*removed)(const char *what, void *ctx), void *ctx)
{
    char images[PATH_MAX], what[PATH_MAX + 64];
    snprintf(images, sizeof(images), "%s/images/", vcb_state_dir());
    __attribute__((cleanup(closedirp))) DIR *d = opendir("/proc");
    struct dirent *e;
    int count = 0;
    while (d && (e = readdir(d))) {
        pid_t pgrp;
        if (e->d_name[0] < '1' || e->d_name[0] > '9' ||
            !is_orphan_instance(e->d_name, images, &pgrp))
            continue;
        if (!dry_run && kill(-pgrp, SIGKILL) < 0 && errno != ESRCH)
            continue;
        snprintf(what, sizeof(what), "process group %d (orphaned process-backend instance)",
                 (int)pgrp);
        removed(what, ctx);
        count++;
    }
    return count;
}
