/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* oci-runtime.c — the runtime binary: found from the member's name, run
 * with vcbench's own state root. On a hybrid cgroup host (v1 controllers
 * plus a controller-less cgroup2 at /sys/fs/cgroup/unified) crun refuses
 * the layout, so every runtime command runs in a private mount namespace
 * without that mount: the child unshares and unmounts before its exec. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "oci-priv.h"

extern char **environ;

#define OCI_ARGS_MAX 16

bool oci_member_ok(const char *runtime)
{
    size_t n = strlen(runtime);
    if (n == 0 || n >= PATH_MAX)
        return false;
    for (const char *c = runtime; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              strchr("._+-", *c) || (*c == '/' && runtime[0] == '/')))
            return false;
    /* no "." or ".." as a word or a path component */
    for (const char *p = runtime; *p;) {
        size_t k = strcspn(p, "/");
        if ((k == 1 && p[0] == '.') || (k == 2 && p[0] == '.' && p[1] == '.'))
            return false;
        p += k + (p[k] == '/');
    }
    return runtime[n - 1] != '/';
}

void oci_runtime_root(const char *basename, char *buf, size_t len)
{
    snprintf(buf, len, "%s/oci/%s", vcb_run_root(), basename);
}

static bool cg_hybrid(void)
{
    return oci_cg_mode() == OCI_CG_HYBRID;
}

int oci_runtime_find(const char *backend, struct oci_runtime *rt, struct vcb_err *err)
{
    memset(rt, 0, sizeof(*rt));
    const char *name =
        strncmp(backend, OCI_PREFIX, strlen(OCI_PREFIX)) == 0 ? backend + strlen(OCI_PREFIX) : "";
    if (!oci_member_ok(name))
        return vcb_err_usage(err,
                             "backend '%s': expected oci:RUNTIME, RUNTIME a name looked up in "
                             "PATH or an absolute path",
                             backend);
    snprintf(rt->backend, sizeof(rt->backend), "%s", backend);
    if (name[0] == '/') {
        if (access(name, X_OK) < 0)
            return vcb_err_sys(err, errno, "runtime '%s'", name);
        snprintf(rt->path, sizeof(rt->path), "%s", name);
    } else if (vcb_child_path(name, rt->path, sizeof(rt->path)) < 0) {
        return vcb_err_set(err, ENOENT, "runtime '%s' not found in PATH", name);
    }
    const char *base = strrchr(name, '/');
    oci_runtime_root(base ? base + 1 : name, rt->root, sizeof(rt->root));
    rt->hybrid = cg_hybrid();
    if (vcb_mkdir_p(rt->root, 0700, err) < 0)
        return vcb_err_prefix(err, "runtime %s: state root", name);
    /* The binary a state root belongs to, for `vcbench cleanup` */
    char file[PATH_MAX + 16];
    snprintf(file, sizeof(file), "%s/runtime", rt->root);
    if (vcb_path_exists(file))
        return 0;
    return vcb_write_file_atomic(file, rt->path, strlen(rt->path), err);
}

/* The child between fork and exec: only system calls. */
static void runtime_exec(const struct oci_runtime *rt, char *const *argv, int in, int out,
                         int errfd)
{
    if (setpgid(0, 0) < 0)
        _exit(126);
    if (rt->hybrid &&
        (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
         (umount2("/sys/fs/cgroup/unified", MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT)))
        _exit(126);
    if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(errfd, 2) < 0 ||
        (syscall(SYS_close_range, 3U, ~0U, 0U) < 0 && errno != ENOSYS))
        _exit(126);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    execve(rt->path, argv, environ);
    _exit(127);
}

/* Read fd to its end, keeping what fits (a runtime's message is short). */
static void capture(int fd, char *buf, size_t len)
{
    size_t have = 0;
    char chunk[512];
    ssize_t n;
    while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break;
        size_t take = (size_t)n < len - 1 - have ? (size_t)n : len - 1 - have;
        memcpy(buf + have, chunk, take);
        have += take;
    }
    while (have > 0 && (buf[have - 1] == '\n' || buf[have - 1] == ' '))
        have--;
    buf[have] = '\0';
}

/* The last line of a runtime's log file. */
static void log_tail(const char *path, char *buf, size_t len)
{
    cleanup_free char *text = NULL;
    size_t n = 0;
    struct vcb_err ignored = {0};
    if (vcb_read_file(path, &text, &n, &ignored) < 0)
        return;
    while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == ' '))
        text[--n] = '\0';
    const char *nl = strrchr(text, '\n');
    snprintf(buf, len, "%s", nl ? nl + 1 : text);
}

/* The last line of text, for a one-line message. */
static const char *last_line(const char *text)
{
    const char *nl = strrchr(text, '\n');
    return nl ? nl + 1 : text;
}

int oci_runtime_run(const struct oci_runtime *rt, const char *const *args, struct oci_cmd *cmd,
                    struct vcb_err *err)
{
    const char *argv[OCI_ARGS_MAX + 6] = {rt->path, "--root", rt->root};
    size_t n = 3;
    if (cmd->log) {
        argv[n++] = "--log";
        argv[n++] = cmd->log;
    }
    for (size_t i = 0; args[i] && n < OCI_ARGS_MAX + 3; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    cmd->out[0] = '\0';
    cleanup_close int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    cleanup_close int cap_rd = -1, cap_wr = -1;
    int p[2];
    if (null_fd < 0)
        return vcb_err_sys(err, errno, "open /dev/null");
    if ((cmd->stdout_fd < 0 || cmd->stderr_fd < 0) && pipe2(p, O_CLOEXEC) < 0)
        return vcb_err_sys(err, errno, "pipe");
    if (cmd->stdout_fd < 0 || cmd->stderr_fd < 0) {
        cap_rd = p[0];
        cap_wr = p[1];
    }
    int out = cmd->stdout_fd >= 0 ? cmd->stdout_fd : cap_wr;
    int errfd = cmd->stderr_fd >= 0 ? cmd->stderr_fd : cap_wr;
    uint64_t t0 = vcb_now_ns();
    pid_t pid = fork();
    if (pid == 0)
        runtime_exec(rt, (char *const *)argv, null_fd, out, errfd);
    if (pid < 0)
        return vcb_err_sys(err, errno, "%s %s: fork", rt->path, args[0]);
    vcb_closep(&cap_wr);
    if (cap_rd >= 0)
        capture(cap_rd, cmd->out, sizeof(cmd->out));
    int st = 0;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return vcb_err_sys(err, errno, "%s %s: wait", rt->path, args[0]);
    cmd->ns = vcb_now_ns() - t0;
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
        return 0;
    char how[64];
    vcb_child_exit_text(st, NULL, how, sizeof(how));
    if (!cmd->out[0] && cmd->log) /* the runtime said why in its log */
        log_tail(cmd->log, cmd->out, sizeof(cmd->out));
    if (WIFEXITED(st) && WEXITSTATUS(st) == 126)
        snprintf(how, sizeof(how), "could not enter its mount namespace");
    else if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
        snprintf(how, sizeof(how), "could not be executed");
    return vcb_err_set(err, 0, "%s %s: %s%s%s", rt->path, args[0], how, cmd->out[0] ? ": " : "",
                       last_line(cmd->out));
}

int oci_runtime_version(const struct oci_runtime *rt, char *buf, size_t len, struct vcb_err *err)
{
    struct oci_cmd cmd = {.stdout_fd = -1, .stderr_fd = -1};
    if (oci_runtime_run(rt, (const char *const[]){"--version", NULL}, &cmd, err) < 0)
        return -1;
    snprintf(buf, len, "%.*s", (int)strcspn(cmd.out, "\n"), cmd.out);
    return 0;
}

int oci_runtime_delete(const struct oci_runtime *rt, const char *id, struct vcb_err *err)
{
    char state[PATH_MAX + VCB_NAME_MAX + 2];
    struct oci_cmd cmd = {.stdout_fd = -1, .stderr_fd = -1};
    int rc = oci_runtime_run(rt, (const char *const[]){"delete", "--force", id, NULL}, &cmd, err);
    snprintf(state, sizeof(state), "%s/%s", rt->root, id);
    if (rc < 0 && !vcb_path_exists(state)) /* there was no such container: nothing to delete */
        return vcb_err_clear(err), 0;
    return rc;
}
