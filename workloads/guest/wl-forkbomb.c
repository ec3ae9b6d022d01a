/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wl-forkbomb — fork sleeping children until the kernel refuses (pids limit)
 * or the ceiling; report how many, then kill and reap them all. The ceiling
 * is capped at 4096 whatever the arguments, to stay polite on the host. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guest.h"

#define FORKBOMB_HARD_CEILING 4096

static const struct wl_prog prog = {
    "forkbomb", "forkbomb [--ceiling N]\n"
                "  --ceiling N  stop after N children (default 256, never above 4096)"};

static uint64_t parse_args(int argc, char **argv)
{
    uint64_t ceiling = 256;
    const char *v;
    wl_handle_help(&prog, argc, argv);
    for (int i = 1; i < argc; i++) {
        if (wl_opt(&prog, argc, argv, &i, "--ceiling", &v))
            ceiling = wl_opt_u64(&prog, "--ceiling", v);
        else
            wl_usage_fail(&prog, "unexpected argument '%s'", argv[i]);
    }
    if (ceiling == 0)
        wl_usage_fail(&prog, "--ceiling must be > 0");
    if (ceiling > FORKBOMB_HARD_CEILING) {
        fprintf(stderr, "forkbomb: --ceiling capped at %d\n", FORKBOMB_HARD_CEILING);
        ceiling = FORKBOMB_HARD_CEILING;
    }
    return ceiling;
}

/* A child: die with the parent (never outlive the workload), else sleep. */
static _Noreturn void child_sleep(pid_t parent)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(0);
    for (;;)
        pause();
}

/* Fork up to ceiling children into pids; returns the count, *err = errno of
 * the refused fork or 0. */
static size_t fork_children(pid_t *pids, size_t ceiling, int *err)
{
    pid_t self = getpid();
    size_t n = 0;
    *err = 0;
    while (n < ceiling && !wl_stop_requested()) {
        pid_t pid = fork();
        if (pid == 0)
            child_sleep(self);
        if (pid < 0) {
            *err = errno;
            break;
        }
        pids[n++] = pid;
    }
    return n;
}

static void kill_children(const pid_t *pids, size_t n)
{
    for (size_t i = 0; i < n; i++)
        kill(pids[i], SIGKILL);
    for (size_t i = 0; i < n; i++)
        while (waitpid(pids[i], NULL, 0) < 0 && errno == EINTR)
            ;
}

int main(int argc, char **argv)
{
    uint64_t ceiling = parse_args(argc, argv);
    pid_t *pids = calloc((size_t)ceiling, sizeof(*pids));
    if (!pids) {
        fprintf(stderr, "forkbomb: out of memory\n");
        return 1;
    }
    wl_stop_signals_block();
    wl_emit_ready();
    int err;
    size_t n = fork_children(pids, (size_t)ceiling, &err);
    struct wl_json j;
    wl_json_begin(&j, NULL, prog.name);
    wl_json_u64(&j, "forked", n);
    wl_json_u64(&j, "ceiling", ceiling);
    wl_json_bool(&j, "refused", err != 0);
    wl_json_i64(&j, "errno", err);
    if (err)
        wl_json_str(&j, "error", strerror(err));
    wl_json_emit(&j, STDOUT_FILENO);
    kill_children(pids, n);
    free(pids);
    return 0;
}
