/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-rundir.c — the run directory and its lock: a run dir appears already
 * locked, a live run is never stale, a run whose lock is free is; a run that
 * dies without its teardown has its dir removed by its guard; cleanup walks
 * only vcb-<8 hex> dirs (and hidden ones left half-made) and removes only
 * stale ones; --orphans looks in other run roots before calling a run gone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <errno.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>

#include "harness.h"

static char root[64];

static int setup(void **state)
{
    snprintf(root, sizeof(root), "/tmp/vcb-rundir-XXXXXX");
    if (!mkdtemp(root))
        return -1;
    setenv("VCB_RUN_DIR", root, 1);
    return 0;
}

static int teardown(void **state)
{
    struct vcb_err err = {0};
    vcb_rm_rf(root, &err);
    return 0;
}

/* A run dir planted by hand: lock file present, nobody holding it. */
static void plant(const char *base, const char *name, bool with_lock)
{
    char p[PATH_MAX];
    snprintf(p, sizeof(p), "%s/%s", base, name);
    mkdir(p, 0755);
    snprintf(p, sizeof(p), "%s/%s/lock", base, name);
    if (with_lock)
        close(open(p, O_CREAT | O_WRONLY, 0600));
}

static bool wait_gone(const char *path)
{
    for (int i = 0; i < 500 && vcb_path_exists(path); i++)
        vcb_sleep_ns(10 * VCB_NS_PER_MS);
    return !vcb_path_exists(path);
}

static void test_lock_makes_live(void **state)
{
    char dir[PATH_MAX], want[PATH_MAX], comm[64] = "";
    struct bench_runlock lock;
    struct vcb_err err = {0};
    int status = -1;
    assert_int_equal(bench_rundir_create("0badcafe", dir, sizeof(dir), &lock, &err), 0);
    snprintf(want, sizeof(want), "%s/vcb-0badcafe", root);
    assert_string_equal(dir, want);
    snprintf(want, sizeof(want), "%s/.vcb-0badcafe.new", root);
    assert_false(vcb_path_exists(want));                   /* the hidden name is gone once locked */
    assert_false(bench_rundir_is_stale("0badcafe", NULL)); /* held by us */
    assert_true(lock.guard > 0);
    snprintf(want, sizeof(want), "/proc/%d/comm", (int)lock.guard);
    for (int i = 0; i < 100 && strcmp(comm, "vcbench-guard\n") != 0; i++) {
        FILE *f = fopen(want, "r"); /* it names itself once it runs */
        assert_non_null(f);
        assert_non_null(fgets(comm, sizeof(comm), f));
        fclose(f);
        vcb_sleep_ns(10 * VCB_NS_PER_MS);
    }
    assert_string_equal(comm, "vcbench-guard\n");
    /* The run dies without its teardown: its guard removes the dir. */
    close(lock.fd);
    assert_true(wait_gone(dir));
    assert_int_equal(waitpid(lock.guard, &status, 0), lock.guard);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void test_stale_rules(void **state)
{
    struct bench_run_roots none = {.n = 0};
    plant(root, "vcb-0badcafe", true);                      /* left by a dead run */
    assert_true(bench_rundir_is_stale("0badcafe", NULL));   /* the holder is gone */
    assert_false(bench_rundir_is_stale("12345678", NULL));  /* no run dir: maybe elsewhere */
    assert_true(bench_rundir_is_stale("12345678", &none));  /* --orphans, no other root */
    plant(root, "vcb-0000aaaa", false);                     /* a tool that takes no lock */
    assert_false(bench_rundir_is_stale("0000aaaa", &none)); /* never judged */
}

/* --orphans: a run that lives under another run root is not an orphan. */
static void test_orphans_other_root(void **state)
{
    struct bench_run_roots other = {.n = 1};
    char lockpath[PATH_MAX + 32];
    snprintf(other.dir[0], sizeof(other.dir[0]), "%s/other", root);
    mkdir(other.dir[0], 0755);
    plant(other.dir[0], "vcb-22222222", true);
    snprintf(lockpath, sizeof(lockpath), "%s/vcb-22222222/lock", other.dir[0]);
    int fd = open(lockpath, O_RDWR);
    assert_true(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0); /* a live run there */
    assert_false(bench_rundir_is_stale("22222222", &other));
    close(fd);
    assert_true(bench_rundir_is_stale("22222222", &other)); /* and now a dead one */
    /* A process naming a run root in its environment makes it one to look in. */
    struct bench_run_roots scanned;
    bench_run_roots_scan(&scanned);
    bool has_default = false;
    for (size_t i = 0; i < scanned.n; i++)
        has_default = has_default || strcmp(scanned.dir[i], "/run/vcbench") == 0;
    assert_true(has_default);
}

static void test_release_and_drop(void **state)
{
    char dir[PATH_MAX];
    struct bench_runlock lock;
    struct vcb_err err = {0};
    assert_int_equal(bench_rundir_create("33333333", dir, sizeof(dir), &lock, &err), 0);
    pid_t guard = lock.guard;
    bench_rundir_release(dir, NULL, &lock);
    assert_false(vcb_path_exists(dir));
    assert_int_equal(lock.fd, -1);
    assert_int_equal(lock.guard, -1);
    assert_int_equal(waitpid(guard, NULL, WNOHANG), -1); /* reaped by the release */
    /* drop: the lock goes, the dir (with its logs) stays for a later cleanup */
    assert_int_equal(bench_rundir_create("44444444", dir, sizeof(dir), &lock, &err), 0);
    bench_runlock_drop(&lock);
    vcb_sleep_ns(200 * VCB_NS_PER_MS);
    assert_true(vcb_path_exists(dir));
    assert_true(bench_rundir_is_stale("44444444", NULL));
}

static int count_dir(const char *run_id, const char *path, void *ctx)
{
    (*(int *)ctx)++;
    assert_int_equal(strlen(run_id), VCB_RUN_ID_LEN);
    return 0;
}

static void test_each_only_run_dirs(void **state)
{
    const char *names[] = {"vcb-1234abcd", "vcb-XYZ", "exp", "vcb-1234abcd0", "vcb-aaaaaaaa"};
    for (size_t i = 0; i < 5; i++)
        plant(root, names[i], true);
    int n = 0;
    struct vcb_err err = {0};
    assert_int_equal(bench_rundir_each(count_dir, &n, &err), 0);
    /* 0badcafe, 0000aaaa, 44444444 from before, 1234abcd, aaaaaaaa */
    assert_int_equal(n, 5);
}

static void removed(const char *what, void *ctx)
{
    (*(int *)ctx)++;
}

static void test_cleanup_keeps_live(void **state)
{
    char dir[PATH_MAX], stale[PATH_MAX], unborn[PATH_MAX], young[PATH_MAX];
    struct bench_runlock lock;
    int n = 0;
    struct vcb_err err = {0};
    assert_int_equal(bench_rundir_create("11111111", dir, sizeof(dir), &lock, &err), 0);
    /* Hidden dirs of runs that died half-way: an old one goes, a young one
     * may be a run starting right now and stays. */
    plant(root, ".vcb-5555aaaa.new", false);
    plant(root, ".vcb-6666aaaa.new", true);
    snprintf(unborn, sizeof(unborn), "%s/.vcb-5555aaaa.new", root);
    snprintf(young, sizeof(young), "%s/.vcb-6666aaaa.new", root);
    struct timeval old[2] = {{.tv_sec = time(NULL) - 3600}, {.tv_sec = time(NULL) - 3600}};
    assert_int_equal(utimes(unborn, old), 0);
    /* Only the run-dir part: the whole bench_cleanup would ask the container
     * and VM modules too, with this test's run root, about the host's runs. */
    snprintf(stale, sizeof(stale), "%s/vcb-aaaaaaaa", root);
    /* 0badcafe, 1234abcd, aaaaaaaa, 44444444 and the old hidden one */
    assert_int_equal(bench_cleanup_run_dirs(true, removed, &n, &err), 5);
    assert_true(vcb_path_exists(stale)); /* dry run */
    assert_true(vcb_path_exists(unborn));
    assert_int_equal(bench_cleanup_run_dirs(false, removed, &n, &err), 5);
    assert_false(vcb_path_exists(stale));
    assert_false(vcb_path_exists(unborn));
    assert_true(vcb_path_exists(young));
    assert_true(vcb_path_exists(dir)); /* live: lock held */
    snprintf(stale, sizeof(stale), "%s/vcb-0000aaaa", root);
    assert_true(vcb_path_exists(stale)); /* no lock: not judged */
    bench_rundir_release(dir, NULL, &lock);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lock_makes_live),    cmocka_unit_test(test_stale_rules),
        cmocka_unit_test(test_orphans_other_root), cmocka_unit_test(test_release_and_drop),
        cmocka_unit_test(test_each_only_run_dirs), cmocka_unit_test(test_cleanup_keeps_live),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
