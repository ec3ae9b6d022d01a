/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-guest-pid1 — vcb-init as PID 1 of a new pid+mount namespace, chrooted
 * into a test rootfs (what a container gives it): it mounts /proc, /sys,
 * /dev (devtmpfs, as /dev/null is missing) and /tmp, forwards SIGTERM, runs
 * workloads and reports their status. Needs root; exits 77 otherwise. */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "guest-run.h"

static json_t *run_pid1(const char *workload, const char *const *argv, int want_status,
                        struct guest_run_opts *o, struct guest_run *r)
{
    char *root = guest_rootfs_new(workload);
    o->pid1 = true;
    assert_int_equal(guest_run(root, argv, o, r), 0);
    guest_assert_protocol(r, want_status, want_status == 0);
    json_t *j = want_status == 0 ? guest_final_result(r, workload) : NULL;
    guest_rootfs_free(root);
    return j;
}

static void test_pid1_noop(void **state)
{
    struct guest_run r;
    struct guest_run_opts o = {0};
    json_t *j = run_pid1("noop", (const char *[]){"noop", NULL}, 0, &o, &r);
    json_decref(j);
    guest_run_free(&r);
}

struct mounts_seen {
    bool proc, sys, dev, tmp;
};

/* While the workload idles, look at PID 1's mounts from outside. */
static void read_mounts(pid_t init_pid, void *ctx)
{
    struct mounts_seen *m = ctx;
    char path[64], line[1024];
    snprintf(path, sizeof(path), "/proc/%d/mountinfo", init_pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    while (fgets(line, sizeof(line), f)) {
        m->proc |= strstr(line, " /proc ") && strstr(line, " - proc ");
        m->sys |= strstr(line, " /sys ") && strstr(line, " - sysfs ");
        m->dev |= strstr(line, " /dev ") && strstr(line, " - devtmpfs ");
        m->tmp |= strstr(line, " /tmp ") && strstr(line, " - tmpfs ");
    }
    fclose(f);
}

static bool host_mountinfo_mentions(const char *what)
{
    char line[1024];
    bool found = false;
    FILE *f = fopen("/proc/self/mountinfo", "r");
    assert_non_null(f);
    while (fgets(line, sizeof(line), f))
        found |= strstr(line, what) != NULL;
    fclose(f);
    return found;
}

static void test_pid1_mounts_and_sigterm(void **state)
{
    struct mounts_seen m = {0};
    struct guest_run r;
    struct guest_run_opts o = {.stop_signal = SIGTERM, .on_ready = read_mounts, .ctx = &m};
    json_t *j = run_pid1("idle", (const char *[]){"idle", NULL}, 0, &o, &r);
    assert_true(m.proc);
    assert_true(m.sys);
    assert_true(m.dev);
    assert_true(m.tmp);
    assert_true(json_is_true(json_object_get(j, "stopped"))); /* SIGTERM was forwarded */
    assert_false(host_mountinfo_mentions("vcb-guest-test-")); /* nothing leaked out */
    json_decref(j);
    guest_run_free(&r);
}

static void test_pid1_forkbomb(void **state)
{
    struct guest_run r;
    struct guest_run_opts o = {0};
    json_t *j =
        run_pid1("forkbomb", (const char *[]){"forkbomb", "--ceiling", "16", NULL}, 0, &o, &r);
    assert_true(json_number_value(json_object_get(j, "forked")) == 16);
    json_decref(j);
    guest_run_free(&r);
}

static void test_pid1_missing_workload(void **state)
{
    struct guest_run r;
    struct guest_run_opts o = {0};
    run_pid1(NULL, (const char *[]){"nosuch", NULL}, 127, &o, &r);
    assert_non_null(strstr(r.err, "nosuch"));
    guest_run_free(&r);
}

static void test_pid1_bad_args(void **state)
{
    struct guest_run r;
    struct guest_run_opts o = {0};
    run_pid1("cpu", (const char *[]){"cpu", "--duration", "12XB", NULL}, 2, &o, &r);
    assert_non_null(strstr(r.err, "usage: cpu"));
    guest_run_free(&r);
}

/* Can this process make pid and mount namespaces? */
static bool namespaces_work(void)
{
    pid_t pid = fork();
    if (pid == 0)
        _exit(unshare(CLONE_NEWPID | CLONE_NEWNS) == 0 ? 0 : 1);
    int st;
    return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

int main(void)
{
    if (geteuid() != 0 || !namespaces_work()) {
        printf("skipped: needs root and pid+mount namespaces\n");
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pid1_noop),     cmocka_unit_test(test_pid1_mounts_and_sigterm),
        cmocka_unit_test(test_pid1_forkbomb), cmocka_unit_test(test_pid1_missing_workload),
        cmocka_unit_test(test_pid1_bad_args),
    };
    return cmocka_run_group_tests(tests, NULL, guest_rootfs_cleanup_all);
}
