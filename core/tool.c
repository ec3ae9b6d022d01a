/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tool.c — host tools run without a shell, in a network namespace when
 * asked (the child joins it before exec: ip's -n needs a name, and a
 * container's namespace has none). */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vcb-tool.h"

#define TOOL_STDERR_KEEP 300

/* The child's side: only async-signal-safe calls until exec. */
static _Noreturn void tool_child(const char *netns, char *const argv[], int out_fd, int err_fd,
                                 pid_t parent)
{
    int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || getppid() != parent || null_fd < 0)
        _exit(127);
    if (netns) {
        int fd = open(netns, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || setns(fd, CLONE_NEWNET) < 0)
            _exit(126);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (dup2(null_fd, 0) < 0 || dup2(out_fd >= 0 ? out_fd : null_fd, 1) < 0 ||
        dup2(err_fd >= 0 ? err_fd : null_fd, 2) < 0)
        _exit(127);
    execvp(argv[0], argv);
    _exit(127);
}

pid_t vcb_tool_spawn(const char *netns, char *const argv[], int out_fd, int err_fd,
                     struct vcb_err *err)
{
    pid_t parent = getpid(), pid = fork();
    if (pid < 0)
        return vcb_err_sys(err, errno, "start %s", argv[0]);
    if (pid == 0)
        tool_child(netns, argv, out_fd, err_fd, parent);
    return pid;
}

void vcb_tool_kill(pid_t *pid)
{
    if (*pid <= 0)
        return;
    kill(*pid, SIGKILL);
    while (waitpid(*pid, NULL, 0) < 0 && errno == EINTR)
        ;
    *pid = 0;
}

/* "ip link add …" for the error, as much as fits. */
static void tool_words(char *const argv[], char *buf, size_t len)
{
    size_t off = 0;
    buf[0] = '\0';
    for (size_t i = 0; argv[i] && off + 1 < len; i++) {
        int n = snprintf(buf + off, len - off, "%s%s", i ? " " : "", argv[i]);
        off += n > 0 ? (size_t)n : 0;
    }
}

static int tool_status(char *const argv[], int status, const char *said, struct vcb_err *err)
{
    char words[160];
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    tool_words(argv, words, sizeof words);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127 && !said[0])
        return vcb_err_set(err, ENOENT, "%s: cannot run %s (not in PATH?)", words, argv[0]);
    if (WIFEXITED(status))
        return vcb_err_set(err, EIO, "%s: exited %d%s%s", words, WEXITSTATUS(status),
                           said[0] ? ": " : "", said);
    return vcb_err_set(err, EIO, "%s: killed by signal %d", words, WTERMSIG(status));
}

int vcb_tool_run(const char *netns, char *const argv[], struct vcb_err *err)
{
    char said[TOOL_STDERR_KEEP + 1] = "";
    size_t got = 0;
    ssize_t n;
    int p[2], status = 0;
    if (pipe2(p, O_CLOEXEC) < 0)
        return vcb_err_sys(err, errno, "pipe for %s", argv[0]);
    pid_t pid = vcb_tool_spawn(netns, argv, -1, p[1], err);
    close(p[1]);
    if (pid < 0) {
        close(p[0]);
        return -1;
    }
    char sink[256] = "";
    while ((n = read(p[0], got < TOOL_STDERR_KEEP ? said + got : sink,
                     got < TOOL_STDERR_KEEP ? TOOL_STDERR_KEEP - got : sizeof sink)) != 0)
        if (n > 0 && got < TOOL_STDERR_KEEP)
            got += (size_t)n;
        else if (n < 0 && errno != EINTR)
            break;
    close(p[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    said[got] = '\0';
    said[strcspn(said, "\n")] = '\0';
    return tool_status(argv, status, said, err);
}

bool vcb_tool_in_path(const char *name)
{
    const char *path = getenv("PATH");
    char buf[4096];
    for (const char *p = path ? path : ""; *p;) {
        size_t len = strcspn(p, ":");
        if (len && snprintf(buf, sizeof buf, "%.*s/%s", (int)len, p, name) < (int)sizeof buf &&
            access(buf, X_OK) == 0)
            return true;
        p += len + (p[len] == ':');
    }
    return false;
}

void vcb_tool_log_last(const char *path, char *buf, size_t len)
{
    cleanup_free char *text = NULL;
    buf[0] = '\0';
    if (vcb_read_file(path, &text, NULL, NULL) < 0)
        return;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
        if (!strstr(line, "syslog")) /* passt and pasta say they cannot log there */
            snprintf(buf, len, "%s", line);
}

int vcb_tool_wait_pidfile(pid_t *pid, const char *pidfile, const char *log, uint64_t timeout_ns,
                          struct vcb_err *err)
{
    struct stat st;
    int status;
    char said[160];
    uint64_t end = vcb_now_ns() + timeout_ns;
    while (stat(pidfile, &st) < 0 || st.st_size == 0) {
        if (waitpid(*pid, &status, WNOHANG) == *pid) {
            *pid = 0;
            vcb_tool_log_last(log, said, sizeof said);
            return vcb_err_set(err, EIO, "ended before it was ready (status 0x%x): %s", status,
                               said[0] ? said : "it said nothing");
        }
        if (vcb_now_ns() > end)
            return vcb_err_set(err, ETIMEDOUT, "not ready within %llu ms",
                               (unsigned long long)(timeout_ns / VCB_NS_PER_MS));
        vcb_sleep_ns(2 * VCB_NS_PER_MS);
    }
    return 0;
}
