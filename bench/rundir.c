/* rundir.c — the per-run directory <run root>/vcb-<run-id>/ and its lock.
 * A live run holds an flock on <dir>/lock for its whole lifetime; the kernel
 * drops it when the process dies (even by SIGKILL), so "lock can be taken"
 * is exactly "the run's process is gone". */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>

#include "harness.h"

#define LOCK_NAME "lock"

int bench_rundir_create(const char *run_id, char *dir, size_t len, int *lock_fd,
                        struct vcb_err *err)
{
    char path[PATH_MAX];
    snprintf(dir, len, "%s/vcb-%s", vcb_run_root(), run_id);
    if (vcb_mkdir_p(dir, 0755, err) < 0)
        return vcb_err_prefix(err, "run directory");
    snprintf(path, sizeof(path), "%s/" LOCK_NAME, dir);
    cleanup_close int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return vcb_err_sys(err, errno, "run directory %s: create lock", dir);
    if (flock(fd, LOCK_EX | LOCK_NB) < 0)
        return vcb_err_sys(err, errno, "run directory %s: lock", dir);
    char pid[32];
    int n = snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
    if (write(fd, pid, (size_t)n) != n) /* for people looking; the lock is what counts */
        return vcb_err_sys(err, errno, "run directory %s: write lock", dir);
    *lock_fd = steal_fd(&fd);
    return 0;
}

bool bench_rundir_is_stale(const char *run_id, bool missing_is_stale)
{
    char dir[PATH_MAX], path[PATH_MAX + 8];
    snprintf(dir, sizeof(dir), "%s/vcb-%s", vcb_run_root(), run_id);
    snprintf(path, sizeof(path), "%s/" LOCK_NAME, dir);
    cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);
    /* No dir: a run under another run root (VCB_RUN_DIR) may own the name,
     * so only --orphans calls it stale. A dir without a lock belongs to a
     * tool that takes none: never judged stale. */
    if (fd < 0)
        return missing_is_stale && errno == ENOENT && !vcb_path_exists(dir);
    /* Our own open file description: taking it never disturbs the holder. */
    return flock(fd, LOCK_SH | LOCK_NB) == 0;
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

/* Instance logs outlive the run dir: copied to <results dir>/logs/. */
void bench_rundir_keep_logs(const char *run_dir, const char *results_path)
{
    struct vcb_err ignored = {0};
    char logs[PATH_MAX], src[PATH_MAX], dst[PATH_MAX * 2];
    snprintf(logs, sizeof(logs), "%s", results_path);
    char *slash = strrchr(logs, '/');
    snprintf(slash ? slash + 1 : logs, sizeof(logs) - (size_t)(slash ? slash + 1 - logs : 0),
             "logs");
    __attribute__((cleanup(closedirp))) DIR *d = opendir(run_dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_type != DT_REG || strcmp(e->d_name, LOCK_NAME) == 0)
            continue;
        if (vcb_mkdir_p(logs, 0755, &ignored) < 0)
            return;
        snprintf(src, sizeof(src), "%s/%s", run_dir, e->d_name);
        snprintf(dst, sizeof(dst), "%s/%s", logs, e->d_name);
        vcb_copy_file(src, dst, 0644, &ignored);
    }
}

void bench_rundir_release(const char *run_dir, const char *results_path, int *lock_fd)
{
    struct vcb_err ignored = {0};
    if (run_dir[0]) {
        if (results_path)
            bench_rundir_keep_logs(run_dir, results_path);
        vcb_rm_rf(run_dir, &ignored);
    }
    vcb_closep(lock_fd); /* the lock goes last: cleanup must not race us */
}
