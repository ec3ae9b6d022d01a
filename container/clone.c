/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* clone.c — the clone into the namespaces, two ways.
 *
 * Where the parent has nothing to do between the clone and the child's exec
 * (no user namespace whose maps it writes, no CLONE_INTO_CGROUP), the child
 * shares the launcher's memory until its exec and the parent waits for that
 * exec (CLONE_VM | CLONE_VFORK, as posix_spawn does): no copy of the
 * launcher's page tables at the clone and none to tear down at the exec,
 * which cost more than everything else the launcher adds to a bare clone.
 * Such a child runs on a stack of its own (in the parent's frame, idle until
 * the exec), with every signal blocked and our handlers reset to the
 * default: none of them may run in it, on our memory. It sets the mask we
 * had back just before exec.
 *
 * Otherwise clone3 copies the memory, as fork does. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdalign.h>
#include <sys/syscall.h>

#include "container-priv.h"

/* Under AddressSanitizer the child's frames poison the shadow of its stack
 * and never return to clear it (they end in exec): clear it before the
 * child runs there, and after, before our frame is reused. */
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define CT_STACK_CLEAR(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define CT_STACK_CLEAR(p, n) ((void)(p), (void)(n))
#endif

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif
#define CT_CLONE_INTO_CGROUP 0x200000000ULL

/* struct clone_args of linux/sched.h (v2, with cgroup), spelled out so the
 * file does not depend on the installed kernel headers. */
struct ct_clone_args {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid,
        set_tid_size, cgroup;
};

/* The cgroup namespace is not cloned here: the child unshares it once it
 * sits in its own cgroups, so that they become its root. */
#define CT_CLONE_NS (CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET)

/* The child's stack when it shares our memory: vsnprintf of an error is the
 * deepest it goes. */
#define CT_CHILD_STACK (64 * 1024)

struct shared_child {
    struct ct_child_cfg *cfg;
    sigset_t caught;     /* signals we handle: back to the default in the child */
    uint64_t started_ns; /* written by the child, read once it has exec'd */
};

static int shared_child_main(void *arg)
{
    struct shared_child *sc = arg;
    struct sigaction dfl = {.sa_handler = SIG_DFL};
    sc->started_ns = vcb_now_ns();
    for (int s = 1; s < NSIG; s++)
        if (sigismember(&sc->caught, s) == 1)
            sigaction(s, &dfl, NULL);
    ct_child_main(sc->cfg);
}

static pid_t clone_shared(struct ct_child_cfg *cfg, int *pidfd, uint64_t *started_ns,
                          struct vcb_err *err)
{
    alignas(16) char stack[CT_CHILD_STACK];
    struct shared_child sc = {.cfg = cfg};
    sigset_t all;
    sigfillset(&all);
    sigemptyset(&sc.caught);
    int rc = pthread_sigmask(SIG_BLOCK, &all, &cfg->sigmask);
    if (rc != 0)
        return vcb_err_sys(err, rc, "block signals for the clone");
    cfg->restore_mask = true;
    for (int s = 1; s < NSIG; s++) {
        struct sigaction sa;
        if (sigaction(s, NULL, &sa) == 0 && sa.sa_handler != SIG_DFL && sa.sa_handler != SIG_IGN)
            sigaddset(&sc.caught, s);
    }
    int flags = CT_CLONE_NS | CLONE_PIDFD | CLONE_VM | CLONE_VFORK | SIGCHLD;
    CT_STACK_CLEAR(stack, sizeof stack);
    pid_t pid = clone(shared_child_main, stack + sizeof stack, flags, &sc, pidfd);
    int saved = errno;
    CT_STACK_CLEAR(stack, sizeof stack);
    pthread_sigmask(SIG_SETMASK, &cfg->sigmask, NULL);
    if (pid < 0)
        return vcb_err_sys(err, saved, "clone into new namespaces");
    *started_ns = sc.started_ns;
    return pid;
}

/* clone3, fork-like; 0 in the child. */
static pid_t clone_copy(bool userns, int cgroup_fd, int *pidfd, bool *into_cgroup,
                        struct vcb_err *err)
{
    uint64_t flags = CT_CLONE_NS | CLONE_PIDFD | (userns ? CLONE_NEWUSER : 0);
    struct ct_clone_args a = {.flags = flags, .pidfd = (uintptr_t)pidfd, .exit_signal = SIGCHLD};
    long pid = -1;
    if (cgroup_fd >= 0) {
        a.flags |= CT_CLONE_INTO_CGROUP;
        a.cgroup = (uint64_t)cgroup_fd;
        pid = syscall(SYS_clone3, &a, sizeof a);
        *into_cgroup = pid >= 0;
        a.flags = flags;
        a.cgroup = 0;
    }
    /* Kernels before 5.7 reject CLONE_INTO_CGROUP; before 5.3, clone3. */
    if (pid < 0 && (cgroup_fd < 0 || errno == EINVAL || errno == E2BIG || errno == ENOSYS))
        pid = syscall(SYS_clone3, &a, sizeof a);
    if (pid < 0 && errno == ENOSYS)
        pid = syscall(SYS_clone, (unsigned long)flags | SIGCHLD, NULL, pidfd, NULL, 0);
    if (pid < 0)
        return vcb_err_sys(err, errno, "clone into new namespaces");
    return (pid_t)pid;
}

pid_t ct_clone(struct ct_child_cfg *cfg, int cgroup_fd, int *pidfd, bool *into_cgroup,
               uint64_t *started_ns, struct vcb_err *err)
{
    *into_cgroup = false;
    if (!cfg->userns && cgroup_fd < 0 && cfg->sync_rd < 0)
        return clone_shared(cfg, pidfd, started_ns, err);
    pid_t pid = clone_copy(cfg->userns, cgroup_fd, pidfd, into_cgroup, err);
    if (pid == 0) {
        for (int i = 0; *into_cgroup && i < CT_CTL__COUNT; i++)
            cfg->procs_fd[i] = -1; /* CLONE_INTO_CGROUP placed it already */
        ct_child_main(cfg);
    }
    *started_ns = vcb_now_ns();
    return pid;
}
