/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-guest-workloads — every workload run through vcb-init as a plain child
 * (process mode): the protocol lines, the result's keys and values, exit
 * statuses (0, usage 2, missing 127, killed 128+9), stop by SIGTERM, and no
 * process left behind. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "guest-run.h"

#define MIB (1024.0 * 1024.0)
#define MS  1e6

/* Run a workload, send sig once it is ready, check protocol; returns the result. */
static json_t *run_stopped(const char *workload, const char *const *argv, int sig,
                           struct guest_run *r)
{
    char *root = guest_rootfs_new(workload);
    struct guest_run_opts o = {.stop_signal = sig};
    assert_int_equal(guest_run(root, argv, &o, r), 0);
    guest_assert_protocol(r, 0, true);
    json_t *j = guest_final_result(r, workload);
    guest_rootfs_free(root);
    return j;
}

static char *read_mountinfo(void)
{
    FILE *f = fopen("/proc/self/mountinfo", "r");
    assert_non_null(f);
    char *buf = calloc(1, 1 << 20);
    fread(buf, 1, (1 << 20) - 1, f);
    fclose(f);
    return buf;
}

/* noop; and vcb-init, not PID 1 here, mounts nothing on the host. */
static void test_noop(void **state)
{
    char *before = read_mountinfo();
    json_t *j = guest_run_workload("noop", NULL, 0);
    assert_int_equal(json_object_size(j), 1); /* just "workload" */
    json_decref(j);
    char *after = read_mountinfo();
    assert_string_equal(before, after);
    free(before);
    free(after);
}

static void test_idle_duration(void **state)
{
    json_t *j = guest_run_workload("idle", (const char *[]){"--duration", "50ms", NULL}, 0);
    assert_true(guest_json_num(j, "slept_ns") >= 50 * MS);
    assert_true(guest_json_num(j, "slept_ns") < 5000 * MS);
    assert_true(json_is_false(json_object_get(j, "stopped")));
    json_decref(j);
}

static void test_idle_sigterm(void **state)
{
    struct guest_run r;
    json_t *j = run_stopped("idle", (const char *[]){"idle", NULL}, SIGTERM, &r);
    assert_true(json_is_true(json_object_get(j, "stopped")));
    assert_true(r.elapsed_ns < 5000 * MS); /* promptly, not at some timeout */
    json_decref(j);
    guest_run_free(&r);
}

static void test_cpu(void **state)
{
    json_t *j = guest_run_workload("cpu", (const char *[]){"--duration", "100ms", NULL}, 0);
    assert_true(guest_json_num(j, "ops_per_s") > 0);
    assert_true(guest_json_num(j, "ops") > 0);
    assert_true(guest_json_num(j, "duration_ns") >= 100 * MS);
    json_decref(j);
}

/* Three threads: all of them ran and are counted (not just the main one). */
static void test_cpu_threads(void **state)
{
    json_t *j = guest_run_workload(
        "cpu", (const char *[]){"--duration", "100ms", "--threads", "3", NULL}, 0);
    assert_true(guest_json_num(j, "threads") == 3);
    assert_true(guest_json_num(j, "ops_per_s") > 0);
    assert_true(guest_json_num(j, "duration_ns") >= 100 * MS);
    json_decref(j);
}

static void test_membw(void **state)
{
    json_t *j = guest_run_workload(
        "membw", (const char *[]){"--size", "3MiB", "--duration", "100ms", NULL}, 0);
    double best = guest_json_num(j, "mb_per_s_best"), mean = guest_json_num(j, "mb_per_s_mean");
    assert_true(mean > 0);
    assert_true(best >= mean);
    assert_true(guest_json_num(j, "bytes") == 3 * MIB);
    assert_true(guest_json_num(j, "passes") >= 1);
    json_decref(j);
}

static void test_lat(void **state)
{
    json_t *j = guest_run_workload(
        "lat", (const char *[]){"--interval", "1ms", "--duration", "100ms", NULL}, 0);
    double p50 = guest_json_num(j, "oversleep_p50_ns"), p99 = guest_json_num(j, "oversleep_p99_ns");
    double samples = guest_json_num(j, "samples");
    assert_true(samples >= 1 && samples <= 100);
    assert_true(p99 >= p50);
    assert_true(guest_json_num(j, "oversleep_max_ns") >= p99);
    assert_true(guest_json_num(j, "interval_ns") == 1 * MS);
    json_decref(j);
}

static void test_alloc(void **state)
{
    json_t *j = guest_run_workload("alloc", (const char *[]){"8MiB", NULL}, 0);
    assert_true(guest_json_num(j, "alloc_bytes") == 8 * MIB);
    assert_true(guest_json_num(j, "touch_ns") > 0);
    json_decref(j);
}

static void test_alloc_hold_sigterm(void **state)
{
    struct guest_run r;
    json_t *j =
        run_stopped("alloc", (const char *[]){"alloc", "4MiB", "--hold", "60s", NULL}, SIGTERM, &r);
    assert_true(guest_json_num(j, "alloc_bytes") == 4 * MIB);
    assert_true(r.elapsed_ns < 5000 * MS);
    json_decref(j);
    guest_run_free(&r);
}

/* Progress lines: one per step, growing, never above the ceiling. */
static void assert_memhog_progress(const struct guest_run *r, size_t want, double ceiling)
{
    const char *prefix = "@vcb result ";
    double last = 0;
    size_t n = 0;
    for (size_t i = 0; i < r->nlines; i++) {
        if (strncmp(r->lines[i], prefix, strlen(prefix)) != 0)
            continue;
        json_t *j = json_loads(r->lines[i] + strlen(prefix), 0, NULL);
        assert_non_null(j);
        if (json_is_true(json_object_get(j, "progress"))) {
            double held = guest_json_num(j, "held_bytes");
            assert_true(held > last && held <= ceiling);
            last = held;
            n++;
        }
        json_decref(j);
    }
    assert_int_equal(n, want);
}

static void test_memhog(void **state)
{
    char *root = guest_rootfs_new("memhog");
    struct guest_run r;
    const char *argv[] = {"memhog", "--step",     "1MiB", "--ceiling",
                          "8MiB",   "--interval", "1ms",  NULL};
    assert_int_equal(guest_run(root, argv, NULL, &r), 0);
    guest_assert_protocol(&r, 0, true);
    assert_memhog_progress(&r, 8, 8 * MIB);
    json_t *j = guest_final_result(&r, "memhog");
    assert_true(guest_json_num(j, "held_bytes") == 8 * MIB);
    assert_string_equal(json_string_value(json_object_get(j, "reason")), "ceiling");
    json_decref(j);
    guest_run_free(&r);
    guest_rootfs_free(root);
}

static void test_memhog_hard_ceiling(void **state)
{
    struct guest_run r;
    const char *argv[] = {"memhog", "--step",     "1MiB", "--ceiling",
                          "64GiB",  "--interval", "10s",  NULL};
    json_t *j = run_stopped("memhog", argv, SIGTERM, &r);
    assert_true(guest_json_num(j, "ceiling_bytes") == 4096 * MIB);
    assert_true(guest_json_num(j, "held_bytes") <= 4096 * MIB);
    assert_string_equal(json_string_value(json_object_get(j, "reason")), "stopped");
    assert_non_null(strstr(r.err, "capped"));
    json_decref(j);
    guest_run_free(&r);
}

static void test_forkbomb(void **state)
{
    json_t *j = guest_run_workload("forkbomb", (const char *[]){"--ceiling", "8", NULL}, 0);
    assert_true(guest_json_num(j, "forked") == 8);
    assert_true(json_is_false(json_object_get(j, "refused")));
    assert_true(guest_json_num(j, "errno") == 0);
    json_decref(j); /* no leftover children: checked by guest_assert_protocol */
}

static void test_forkbomb_hard_ceiling(void **state)
{
    struct guest_run r;
    json_t *j = run_stopped("forkbomb", (const char *[]){"forkbomb", "--ceiling", "100000", NULL},
                            SIGTERM, &r);
    assert_true(guest_json_num(j, "ceiling") == 4096);
    assert_true(guest_json_num(j, "forked") <= 4096);
    json_decref(j);
    guest_run_free(&r);
}

/* Bad arguments: usage on stderr, the workload exits 2 and so does vcb-init. */
static void test_bad_args(void **state)
{
    static const char *const cases[][6] = {
        {"noop", "extra", NULL},
        {"idle", "--duration", "soon", NULL},
        {"idle", "--bogus", NULL},
        {"cpu", "--duration", "12XB", NULL},
        {"cpu", "--duration", NULL},
        {"cpu", "--duration", "-1s", NULL},
        {"membw", "--size", "1k", NULL},
        {"membw", "--size", "12XB", NULL},
        {"lat", "--interval", "1us", NULL},
        {"lat", "--interval", "1s", "--duration", "1ms"},
        {"alloc", NULL},
        {"alloc", "0", NULL},
        {"alloc", "1.5.5M", NULL},
        {"memhog", "--ceiling", "0", NULL},
        {"memhog", "--step", "x", NULL},
        {"forkbomb", "--ceiling", "-1", NULL},
        {"forkbomb", "--ceiling", "2.5", NULL},
        {"netio", NULL}, /* no peer */
        {"netio", "--peer", "localhost:80", NULL},
        {"netio", "--peer", "127.0.0.1:0", NULL},
        {"netio", "--peer", "127.0.0.1:9", "--duration", "1ms", NULL},
        {"netflood", "--peer", "127.0.0.1", NULL},
        {"netflood", "--peer", "127.0.0.1:9", "--bytes", "0", NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        print_message("bad args: %s %s %s\n", cases[i][0], cases[i][1] ? cases[i][1] : "",
                      cases[i][1] && cases[i][2] ? cases[i][2] : "");
        guest_run_workload(cases[i][0], &cases[i][1], 2);
    }
}

/* --help: exit 0, no ready; the usage the workload prints on stdout is not a
 * protocol line, so vcb-init sends it to the log and not the channel. */
static void test_help_goes_to_log(void **state)
{
    char *root = guest_rootfs_new("cpu");
    struct guest_run r;
    assert_int_equal(guest_run(root, (const char *[]){"cpu", "--help", NULL}, NULL, &r), 0);
    guest_assert_protocol(&r, 0, false);
    assert_non_null(strstr(r.err, "usage: cpu"));
    assert_null(strstr(r.out, "usage"));
    guest_run_free(&r);
    guest_rootfs_free(root);
}

static void test_missing_workload(void **state)
{
    char *root = guest_rootfs_new(NULL);
    struct guest_run r;
    assert_int_equal(guest_run(root, (const char *[]){"nosuch", NULL}, NULL, &r), 0);
    guest_assert_protocol(&r, 127, false);
    assert_non_null(strstr(r.err, "nosuch"));
    guest_run_free(&r);
    guest_rootfs_free(root);
}

static void test_workload_not_executable(void **state)
{
    char *root = guest_rootfs_new("noop");
    char path[4096];
    snprintf(path, sizeof(path), "%s/bin/noop", root);
    assert_int_equal(chmod(path, 0644), 0);
    struct guest_run r;
    assert_int_equal(guest_run(root, (const char *[]){"noop", NULL}, NULL, &r), 0);
    guest_assert_protocol(&r, 127, false); /* even root needs an x bit to exec */
    guest_run_free(&r);
    guest_rootfs_free(root);
}

static void test_init_usage(void **state)
{
    char *root = guest_rootfs_new(NULL);
    struct guest_run r;
    assert_int_equal(guest_run(root, (const char *[]){NULL}, NULL, &r), 0);
    guest_assert_protocol(&r, 2, false);
    assert_non_null(strstr(r.err, "usage"));
    guest_run_free(&r);
    guest_rootfs_free(root);
}

/* Kill the workload (vcb-init's only child) with SIGKILL. */
static void kill_workload(pid_t init_pid, void *ctx)
{
    char path[64];
    int child = 0;
    snprintf(path, sizeof(path), "/proc/%d/task/%d/children", init_pid, init_pid);
    FILE *f = fopen(path, "r");
    if (f) {
        if (fscanf(f, "%d", &child) != 1)
            child = 0;
        fclose(f);
    }
    *(int *)ctx = child;
    if (child > 0)
        kill(child, SIGKILL);
}

static void test_killed_workload_status(void **state)
{
    if (access("/proc/thread-self/children", F_OK) < 0)
        skip(); /* kernel without CONFIG_PROC_CHILDREN */
    char *root = guest_rootfs_new("idle");
    struct guest_run r;
    int child = 0;
    struct guest_run_opts o = {.on_ready = kill_workload, .ctx = &child};
    assert_int_equal(guest_run(root, (const char *[]){"idle", NULL}, &o, &r), 0);
    assert_true(child > 0);
    guest_assert_protocol(&r, 128 + SIGKILL, true);
    assert_int_equal(guest_count_lines(&r, "@vcb result"), 0);
    guest_run_free(&r);
    guest_rootfs_free(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_noop),
        cmocka_unit_test(test_idle_duration),
        cmocka_unit_test(test_idle_sigterm),
        cmocka_unit_test(test_cpu),
        cmocka_unit_test(test_cpu_threads),
        cmocka_unit_test(test_membw),
        cmocka_unit_test(test_lat),
        cmocka_unit_test(test_alloc),
        cmocka_unit_test(test_alloc_hold_sigterm),
        cmocka_unit_test(test_memhog),
        cmocka_unit_test(test_memhog_hard_ceiling),
        cmocka_unit_test(test_forkbomb),
        cmocka_unit_test(test_forkbomb_hard_ceiling),
        cmocka_unit_test(test_bad_args),
        cmocka_unit_test(test_help_goes_to_log),
        cmocka_unit_test(test_missing_workload),
        cmocka_unit_test(test_workload_not_executable),
        cmocka_unit_test(test_init_usage),
        cmocka_unit_test(test_killed_workload_status),
    };
    return cmocka_run_group_tests(tests, NULL, guest_rootfs_cleanup_all);
}
