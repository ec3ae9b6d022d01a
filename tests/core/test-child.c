/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-child.c — the child watcher every backend runs its child through:
 * @vcb lines become events in the order written, stderr lands in the log,
 * the exit is reported once with the one exit text, GONE comes last, and a
 * child that writes and exits at once loses nothing (the pipes are drained
 * before the reap); one that is not our child is watched without a reap.
 * Children are /bin/sh scripts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "vcb-child.h"

#define MAX_EVENTS 512

struct run {
    struct vcb_child child;
    struct vcb_evq evq;
    struct vcb_logcap log;
    char log_path[64];
    struct vcb_event ev[MAX_EVENTS];
    size_t n;
};

static void run_open(struct run *r)
{
    struct vcb_err err = {0};
    memset(r, 0, sizeof(*r));
    snprintf(r->log_path, sizeof(r->log_path), "/tmp/vcb-child-XXXXXX");
    int fd = mkstemp(r->log_path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(vcb_logcap_open(&r->log, r->log_path, 0, &err), 0);
    assert_int_equal(vcb_child_init(&r->child, &r->evq, &r->log, &err), 0);
}

/* sh -c script with its stdout as the channel and its stderr as a pipe. */
static void run_spawn(struct run *r, const char *script)
{
    struct vcb_err err = {0};
    int chan_wr = -1, err_wr = -1;
    int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    run_open(r);
    assert_int_equal(vcb_child_pipe(&r->child.chan_fd, &chan_wr, &err), 0);
    assert_int_equal(vcb_child_pipe(&r->child.err_fd, &err_wr, &err), 0);
    assert_int_equal(vcb_child_watch(&r->child, &err), 0);
    char *argv[] = {"sh", "-c", (char *)script, NULL};
    const struct vcb_child_spawn s = {.argv = argv,
                                      .stdin_fd = null_fd,
                                      .stdout_fd = chan_wr,
                                      .stderr_fd = err_wr,
                                      .flags = VCB_CHILD_SESSION | VCB_CHILD_CLOSE_FDS};
    assert_int_equal(vcb_child_spawn(&r->child, &s, &err), 0);
    assert_true(r->child.pid > 0);
    close(chan_wr);
    close(err_wr);
    close(null_fd);
}

/* Every event until the watcher says there are no more (5 s at most). */
static void run_collect(struct run *r)
{
    struct vcb_err err = {0};
    uint64_t deadline = vcb_now_ns() + 5 * VCB_NS_PER_S;
    while (r->n < MAX_EVENTS) {
        int rc = vcb_child_next_event(&r->child, deadline, &r->ev[r->n], &err);
        assert_int_not_equal(rc, -1);
        if (rc == 0)
            break;
        r->n++;
    }
    assert_true(r->child.reaped); /* it ended before the deadline */
}

static void run_close(struct run *r)
{
    for (size_t i = 0; i < r->n; i++)
        vcb_event_clear(&r->ev[i]);
    vcb_child_free(&r->child);
    vcb_evq_free(&r->evq);
    vcb_logcap_close(&r->log);
    unlink(r->log_path);
}

static void assert_kinds(const struct run *r, const enum vcb_event_kind *want, size_t n)
{
    assert_int_equal(r->n, n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(r->ev[i].kind, want[i]);
        if (i > 0) /* stamped when read: never earlier than the one before */
            assert_true(r->ev[i].host_ns >= r->ev[i - 1].host_ns);
    }
}

static bool log_has(const struct run *r, const char *text)
{
    char *data = NULL;
    struct vcb_err err = {0};
    assert_int_equal(vcb_read_file(r->log_path, &data, NULL, &err), 0);
    bool found = strstr(data, text) != NULL;
    free(data);
    return found;
}

static void exits_with_status(void **state)
{
    struct run r;
    run_spawn(&r, "printf '@vcb init 5\\n@vcb ready\\n'; echo on-stderr >&2; "
                  "echo stray; printf '@vcb exit 3\\n'; exit 3");
    run_collect(&r);
    const enum vcb_event_kind want[] = {VCB_EV_INIT, VCB_EV_READY, VCB_EV_EXIT, VCB_EV_GONE};
    assert_kinds(&r, want, 4);
    assert_int_equal(r.ev[0].guest_ns, 5);
    assert_int_equal(r.ev[2].status, 3);
    assert_true(WIFEXITED(r.ev[3].status) && WEXITSTATUS(r.ev[3].status) == 3);
    assert_string_equal(r.ev[3].detail, "exited 3");
    assert_true(log_has(&r, "on-stderr\n"));
    assert_true(log_has(&r, "stray\n")); /* a stray stdout line goes to the log too */
    run_close(&r);
}

/* The CPU time once reaped counts the descendants the child reaped: a
 * busy subshell running for 200 ms, killed and waited for by sh. */
static void cpu_time_with_reaped_descendants(void **state)
{
    struct run r;
    run_spawn(&r, "(while :; do :; done) & p=$!; sleep 0.2; kill $p; wait $p; exit 0");
    run_collect(&r);
    print_message("cpu time %.1f ms\n", (double)r.child.cpu_ns / 1e6);
    assert_true(r.child.cpu_ns >= 20 * VCB_NS_PER_MS);
    assert_true(r.child.cpu_ns < 5 * VCB_NS_PER_S);
    run_close(&r);
}

static void killed_by_signal(void **state)
{
    struct run r;
    run_spawn(&r, "printf '@vcb ready\\n'; kill -9 $$");
    run_collect(&r);
    const enum vcb_event_kind want[] = {VCB_EV_READY, VCB_EV_GONE};
    assert_kinds(&r, want, 2);
    assert_true(WIFSIGNALED(r.ev[1].status) && WTERMSIG(r.ev[1].status) == SIGKILL);
    assert_string_equal(r.ev[1].detail, "killed by signal 9 (Killed)");
    run_close(&r);
}

static const char *oom_counted(void *arg)
{
    return arg;
}

/* A driver that counts OOM kills (the container's cgroup) names the limit. */
static void oom_named_by_the_hook(void **state)
{
    struct run r;
    run_spawn(&r, "kill -9 $$");
    r.child.oom_limit = oom_counted;
    r.child.oom_arg = "memory.max";
    run_collect(&r);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.ev[0].detail, "killed by OOM (memory.max)");
    assert_true(WIFSIGNALED(r.ev[0].status));
    run_close(&r);
}

/* 300 results (more than one read of the channel) and 32 KiB of stderr (both fit their pipes),
 * then exit at once; the watcher looks only once the child is a zombie, so
 * its pidfd and both pipes are readable together. Reaping before draining
 * would lose the tail. */
static void nothing_lost_when_exiting_right_after_writing(void **state)
{
    struct run r;
    run_spawn(&r, "i=0; while [ $i -lt 300 ]; do printf '@vcb result {\"i\":%d}\\n' $i; "
                  "i=$((i+1)); done; head -c 32768 /dev/zero | tr '\\0' x >&2; echo end >&2");
    struct pollfd p = {.fd = r.child.pidfd, .events = POLLIN};
    assert_int_equal(poll(&p, 1, 5000), 1);
    run_collect(&r);
    assert_int_equal(r.n, 301);
    for (size_t i = 0; i < 300; i++) {
        char want[32];
        snprintf(want, sizeof(want), "{\"i\":%zu}", i);
        assert_int_equal(r.ev[i].kind, VCB_EV_RESULT);
        assert_string_equal(r.ev[i].text, want);
    }
    assert_int_equal(r.ev[300].kind, VCB_EV_GONE);
    assert_string_equal(r.ev[300].detail, "exited 0");
    uint64_t written, dropped;
    int werr;
    vcb_logcap_stats(&r.log, &written, &dropped, &werr);
    assert_int_equal(written, 32768 + 4);
    assert_int_equal(dropped, 0);
    run_close(&r);
}

/* A child someone else forked (the container's clone3) is adopted. */
static void adopted_child(void **state)
{
    struct run r;
    struct vcb_err err = {0};
    int chan_wr = -1;
    run_open(&r);
    assert_int_equal(vcb_child_pipe(&r.child.chan_fd, &chan_wr, &err), 0);
    pid_t pid = fork();
    if (pid == 0) {
        static const char line[] = "@vcb ready\n";
        _exit(write(chan_wr, line, sizeof(line) - 1) == sizeof(line) - 1 ? 7 : 1);
    }
    assert_true(pid > 0);
    close(chan_wr);
    assert_int_equal(vcb_child_adopt(&r.child, pid, -1, false, &err), 0);
    assert_int_equal(vcb_child_watch(&r.child, &err), 0);
    run_collect(&r);
    const enum vcb_event_kind want[] = {VCB_EV_READY, VCB_EV_GONE};
    assert_kinds(&r, want, 2);
    assert_string_equal(r.ev[1].detail, "exited 7");
    run_close(&r);
}

/* A process that is not our child (an OCI runtime's container init, whose
 * parent exited): its exit is seen through the pidfd, nothing is reaped,
 * and GONE has no wait status but says why. */
static void foreign_process(void **state)
{
    struct run r;
    struct vcb_err err = {0};
    int chan_wr = -1, pid_pipe[2], go[2];
    run_open(&r);
    assert_int_equal(vcb_child_pipe(&r.child.chan_fd, &chan_wr, &err), 0);
    assert_int_equal(pipe(pid_pipe), 0);
    assert_int_equal(pipe(go), 0);
    pid_t middle = fork();
    if (middle == 0) { /* forks the process we watch, then exits */
        pid_t p = fork();
        if (p == 0) {
            static const char line[] = "@vcb exit 3\n";
            char c;
            close(go[1]);
            if (read(go[0], &c, 1) != 1) /* until we watch it */
                _exit(1);
            _exit(write(chan_wr, line, sizeof(line) - 1) == sizeof(line) - 1 ? 3 : 1);
        }
        _exit(write(pid_pipe[1], &p, sizeof p) == sizeof p ? 0 : 1);
    }
    pid_t pid = 0;
    int st = 0;
    assert_int_equal(read(pid_pipe[0], &pid, sizeof pid), sizeof pid);
    assert_int_equal(waitpid(middle, &st, 0), middle);
    close(chan_wr);
    close(pid_pipe[0]);
    close(pid_pipe[1]);
    close(go[0]);
    r.child.foreign = true;
    assert_int_equal(vcb_child_adopt(&r.child, pid, -1, false, &err), 0);
    assert_int_equal(vcb_child_watch(&r.child, &err), 0);
    assert_int_equal(write(go[1], "g", 1), 1);
    close(go[1]);
    run_collect(&r);
    const enum vcb_event_kind want[] = {VCB_EV_EXIT, VCB_EV_GONE};
    assert_kinds(&r, want, 2);
    assert_int_equal(r.ev[0].status, 3);
    assert_int_equal(r.ev[1].status, -1);
    assert_string_equal(r.ev[1].detail, "gone (not our child: no wait status)");
    assert_int_equal(waitpid(pid, &st, WNOHANG), -1); /* indeed not ours */
    assert_int_equal(errno, ECHILD);
    run_close(&r);
}

/* No event before the deadline: 0, and the child still runs until killed. */
static void timeout_then_kill(void **state)
{
    struct run r;
    struct vcb_event ev;
    struct vcb_err err = {0};
    run_spawn(&r, "exec sleep 10");
    assert_int_equal(vcb_child_next_event(&r.child, vcb_now_ns() + 50 * VCB_NS_PER_MS, &ev, &err),
                     0);
    assert_false(r.child.reaped);
    vcb_child_kill(&r.child);
    assert_true(r.child.reaped);
    assert_true(WIFSIGNALED(r.child.wstatus) && WTERMSIG(r.child.wstatus) == SIGKILL);
    assert_int_equal(vcb_child_next_event(&r.child, 0, &ev, &err), 0); /* no GONE: killed */
    run_close(&r);
}

static void spawn_failures_are_errors(void **state)
{
    struct run r;
    struct vcb_err err = {0};
    char *missing[] = {"/nonexistent/vcb-child", NULL};
    char *unknown[] = {"vcb-no-such-program", NULL};
    struct vcb_child_spawn s = {.argv = missing, .stdin_fd = 0, .stdout_fd = 1, .stderr_fd = 2};
    run_open(&r);
    assert_int_equal(vcb_child_spawn(&r.child, &s, &err), -1);
    assert_int_equal(err.code, ENOENT);
    assert_int_equal(r.child.pid, 0);
    s.argv = unknown;
    assert_int_equal(vcb_child_spawn(&r.child, &s, &err), -1);
    assert_int_equal(err.code, ENOENT);
    run_close(&r);
}

static void exit_texts(void **state)
{
    char buf[128];
    vcb_child_exit_text(0, NULL, buf, sizeof(buf));
    assert_string_equal(buf, "exited 0");
    vcb_child_exit_text(125 << 8, NULL, buf, sizeof(buf));
    assert_string_equal(buf, "exited 125");
    vcb_child_exit_text(SIGTERM, NULL, buf, sizeof(buf));
    assert_string_equal(buf, "killed by signal 15 (Terminated)");
    vcb_child_exit_text(SIGSEGV | 0x80, NULL, buf, sizeof(buf)); /* core dumped */
    assert_string_equal(buf, "killed by signal 11 (Segmentation fault)");
    vcb_child_exit_text(0, "memory.limit_in_bytes", buf, sizeof(buf));
    assert_string_equal(buf, "killed by OOM (memory.limit_in_bytes)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exits_with_status),
        cmocka_unit_test(cpu_time_with_reaped_descendants),
        cmocka_unit_test(killed_by_signal),
        cmocka_unit_test(oom_named_by_the_hook),
        cmocka_unit_test(nothing_lost_when_exiting_right_after_writing),
        cmocka_unit_test(adopted_child),
        cmocka_unit_test(foreign_process),
        cmocka_unit_test(timeout_then_kill),
        cmocka_unit_test(spawn_failures_are_errors),
        cmocka_unit_test(exit_texts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
