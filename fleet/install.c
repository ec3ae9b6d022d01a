/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* install.c — --install: a tarball of this checkout to build there with the
 * project's own scripts/setup. In a git checkout it is `git archive` of
 * HEAD plus the uncommitted changes of tracked files (`git stash create`
 * makes a commit of them without touching the tree, the index or any
 * ref), so it holds what this binary was built from; the tree has no .git
 * there, so its `git describe` travels as .vcb-describe, which
 * cmake/vcb-version.cmake reads outside a checkout. */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "fleet-priv.h"

char *fleet_install_dir(const struct fleet_opts *o)
{
    char *dir;
    if (o->install_dir)
        return strdup(o->install_dir);
    return asprintf(&dir, ".cache/vcbench-fleet/%s", vcb_git_hash()) < 0 ? NULL : dir;
}

/* argv to its end, its stdout into out_fd; its last stderr line on failure. */
static int run_local(char *const argv[], int out_fd, struct vcb_err *err)
{
    struct fleet_proc p = {.argv = argv, .out_fd = out_fd, .stop_fd = -1};
    struct fleet_proc_end e;
    if (fleet_proc_run(&p, &e, err) < 0)
        return -1;
    if (e.status != 0)
        return vcb_err_set(err, 0, "%s %s: exit %d%s%s", argv[0], argv[1], e.status,
                           e.last[0] ? ": " : "", e.last);
    return 0;
}

static int git_archive(const char *src, const char *describe, int out_fd, struct vcb_err *err)
{
    char commit[128], stamp_dir[] = "/tmp/vcb-fleet-stamp.XXXXXX", stamp[64], add[96];
    cleanup_close int fd = memfd_create("stash", MFD_CLOEXEC);
    /* an identity of its own: the commit is never referenced, and a host
     * without user.email configured would refuse to make it */
    char *stash[] = {"git",
                     "-c",
                     "safe.directory=*",
                     "-c",
                     "user.name=vcbench",
                     "-c",
                     "user.email=vcbench@localhost",
                     "-C",
                     (char *)src,
                     "stash",
                     "create",
                     NULL};
    if (fd < 0 || run_local(stash, fd, err) < 0 || fleet_fd_line(fd, commit, sizeof(commit)) < 0)
        return err->msg[0] ? -1 : vcb_err_sys(err, errno, "git stash create");
    if (!commit[0])
        snprintf(commit, sizeof(commit), "HEAD"); /* nothing uncommitted */
    if (!mkdtemp(stamp_dir))
        return vcb_err_sys(err, errno, "mkdtemp %s", stamp_dir);
    snprintf(stamp, sizeof(stamp), "%s/.vcb-describe", stamp_dir);
    snprintf(add, sizeof(add), "--add-file=%s", stamp);
    char *archive[] = {"git",       "-c",      "safe.directory=*", "-C",
                       (char *)src, "archive", "--format=tar.gz",  add,
                       commit,      NULL};
    int r = vcb_write_file(stamp, describe, strlen(describe), err);
    if (r == 0)
        r = run_local(archive, out_fd, err);
    unlink(stamp);
    rmdir(stamp_dir);
    return r;
}

int fleet_tarball(const char *src, const char *describe, char **data, size_t *len,
                  struct vcb_err *err)
{
    char git[4096];
    snprintf(git, sizeof(git), "%s/.git", src);
    cleanup_close int fd = memfd_create("vcbench-src.tar.gz", MFD_CLOEXEC);
    char *tar[] = {"tar", "-C", (char *)src, "--exclude=./.git", "--exclude=./build*", "-czf",
                   "-",   ".",  NULL};
    if (fd < 0)
        return vcb_err_sys(err, errno, "memfd_create");
    if (!vcb_path_exists(src))
        return vcb_err_usage(err, "--install: no source tree at %s (give --source DIR)", src);
    int r = vcb_path_exists(git) ? git_archive(src, describe, fd, err) : run_local(tar, fd, err);
    if (r < 0)
        return vcb_err_prefix(err, "--install: a tarball of %s", src);
    struct stat st;
    if (fstat(fd, &st) < 0 || !(*data = malloc((size_t)st.st_size + 1)))
        return vcb_err_sys(err, errno ? errno : ENOMEM, "--install: the tarball");
    ssize_t n = pread(fd, *data, (size_t)st.st_size, 0);
    if (n != st.st_size) {
        free(*data);
        *data = NULL;
        return vcb_err_sys(err, n < 0 ? errno : EIO, "--install: read the tarball");
    }
    *len = (size_t)n;
    return 0;
}
