/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* signal.c — SIGINT/SIGTERM ask the run to stop. The handler only records
 * the signal and writes to a self-pipe, so a poll() waiting on instances
 * wakes at once; the loops check bench_stop_signal() and unwind. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>

#include "harness.h"

static volatile sig_atomic_t stop_signal;
static int stop_pipe[2] = {-1, -1};
static struct sigaction old_int, old_term;

static void on_stop(int sig)
{
    int saved = errno;
    stop_signal = sig;
    if (stop_pipe[1] >= 0) {
        ssize_t rc = write(stop_pipe[1], "x", 1);
        (void)rc; /* a full pipe already wakes everyone */
    }
    errno = saved;
}

int bench_signals_install(struct vcb_err *err)
{
    if (stop_pipe[0] < 0 && pipe2(stop_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
        return vcb_err_sys(err, errno, "signals: create self-pipe");
    stop_signal = 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGINT, &sa, &old_int) < 0 || sigaction(SIGTERM, &sa, &old_term) < 0)
        return vcb_err_sys(err, errno, "signals: install SIGINT/SIGTERM handlers");
    return 0;
}

void bench_signals_restore(void)
{
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
}

int bench_stop_signal(void)
{
    return stop_signal;
}

int bench_stop_fd(void)
{
    return stop_pipe[0];
}

void bench_pause(uint64_t ns)
{
    struct pollfd p = {.fd = stop_pipe[0], .events = POLLIN};
    uint64_t end = vcb_now_ns() + ns;
    for (uint64_t now = vcb_now_ns(); now < end && !stop_signal; now = vcb_now_ns())
        poll(&p, p.fd >= 0, (int)((end - now + VCB_NS_PER_MS - 1) / VCB_NS_PER_MS));
}
