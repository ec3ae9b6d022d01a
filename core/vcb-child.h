/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vcb-child.h — one child process and its pipes, watched: the process
 * driver, the container driver and bare qemu (`vcbench peers`) all run
 * their child through this. Its @vcb channel is fed to the protocol parser
 * (each line stamped when read), its stderr drained into a capped log, its
 * exit seen through a pidfd; all three sit in one epoll fd. When the child
 * exits, both pipes are drained first, then it is reaped, then GONE is
 * queued with the one exit text every backend uses. */
#ifndef VCB_CHILD_H
#define VCB_CHILD_H

#include <sys/types.h>

#include "vcb-driver.h"

/* How vcb_child_spawn starts a child. */
enum vcb_child_flags {
    VCB_CHILD_SESSION = 1 << 0,   /* setsid(): no controlling terminal, its own group */
    VCB_CHILD_PGROUP = 1 << 1,    /* setpgid(0, 0): a terminal's Ctrl-C is not its */
    VCB_CHILD_PDEATHSIG = 1 << 2, /* SIGKILL when the spawning thread's process dies */
    VCB_CHILD_CLOSE_FDS = 1 << 3, /* close every fd above stderr before exec */
};

struct vcb_child_spawn {
    char *const *argv; /* argv[0]: a path, or a name looked up in $PATH */
    char *const *envp; /* NULL: this process's environment */
    const char *cwd;   /* NULL: stay where we are */
    /* NULL, or a root filesystem to run in: a mount namespace of the
     * child's own where the host's /proc, /sys and /dev are bound in and
     * /tmp is a fresh tmpfs, then chroot (cwd is then a path inside it, and
     * so is argv[0], taken as it is). What an image's own files need to
     * run; it walls nothing off (no PID, network or IPC namespace, no
     * limits). */
    const char *root;
    int stdin_fd, stdout_fd, stderr_fd;
    unsigned flags; /* enum vcb_child_flags */
};

struct vcb_child {
    pid_t pid; /* 0 before spawn or adopt */
    int pidfd, epfd;
    int chan_fd; /* the @vcb channel's read end (-1: none) */
    int err_fd;  /* stderr's read end, drained into log (-1: none) */
    bool group;  /* the child leads its own process group: kill the group */
    bool reaped; /* waited for: GONE is queued */
    /* Adopted but not our child (an OCI runtime's container init, whose
     * parent was the runtime): its exit is seen through the pidfd, never
     * waited for, so it has no wait status (-1) and nothing is reaped. */
    bool foreign;
    int wstatus;       /* once reaped */
    uint64_t cpu_ns;   /* once reaped: its CPU time and that of the descendants it reaped */
    uint64_t spawn_ns; /* just before the fork */
    struct vcb_proto proto;
    struct vcb_evq *events; /* events go here (not owned) */
    struct vcb_logcap *log; /* stderr and stray channel lines (not owned; NULL: none kept) */
    /* Optional: the limit an OOM kill hit, or NULL when none was counted
     * (the container's cgroup); asked once, after the reap. */
    const char *(*oom_limit)(void *arg);
    void *oom_arg;
};

/* Fill c (no child yet) and make its epoll fd, the event fd, at once.
 * Errors name no instance: the caller adds its name. */
int vcb_child_init(struct vcb_child *c, struct vcb_evq *events, struct vcb_logcap *log,
                   struct vcb_err *err);
/* A close-on-exec pipe whose read end is non-blocking. */
int vcb_child_pipe(int *rd, int *wr, struct vcb_err *err);
/* A program's path: name itself when it holds a '/', else the first
 * executable of that name in $PATH; -1 with errno ENOENT when none. */
int vcb_child_path(const char *name, char *buf, size_t len);
/* vfork + exec: the cheapest way to start a process. An exec failure is an
 * error here (errno kept), with the child reaped. */
int vcb_child_spawn(struct vcb_child *c, const struct vcb_child_spawn *s, struct vcb_err *err);
/* Take a child the caller started (the container's clone3) and watch its
 * pidfd (-1: open one; c owns it from here). */
int vcb_child_adopt(struct vcb_child *c, pid_t pid, int pidfd, bool group, struct vcb_err *err);
/* Watch chan_fd and err_fd, the read ends of the child's channel and its
 * stderr (either may be -1), before or after it starts. c owns them from the
 * moment they are stored there. */
int vcb_child_watch(struct vcb_child *c, struct vcb_err *err);

/* Readable when the child has written or exited. */
static inline int vcb_child_event_fd(const struct vcb_child *c)
{
    return c->epfd;
}
/* Wait once, until deadline (CLOCK_MONOTONIC ns), for output or the exit:
 * 1 = something happened (events may be queued; a signal counts), 0 =
 * timeout, -1 = error. */
int vcb_child_wait(struct vcb_child *c, uint64_t deadline_ns, struct vcb_err *err);
/* The driver's next_event: the next queued event, waiting until deadline;
 * 0 on timeout or once GONE was taken. */
int vcb_child_next_event(struct vcb_child *c, uint64_t deadline_ns, struct vcb_event *ev,
                         struct vcb_err *err);
/* Send sig to the child (not to its group); a child already gone is fine. */
int vcb_child_signal(struct vcb_child *c, int sig, struct vcb_err *err);
/* SIGKILL (its group when it leads one) and reap, queuing nothing. */
void vcb_child_kill(struct vcb_child *c);
/* Kill what still runs, close every fd, free the parser; safe twice. */
void vcb_child_free(struct vcb_child *c);

/* The one exit text: "exited 3", "killed by signal 9 (Killed)", or "killed
 * by OOM (memory.max)" when oom_limit names the limit an OOM kill hit. */
void vcb_child_exit_text(int wstatus, const char *oom_limit, char *buf, size_t len);

#endif
