/* test-rundir.c — the run directory and its lock: a live run is never
 * stale, a run whose lock is free (or whose dir is gone) is; cleanup walks
 * only vcb-<8 hex> dirs and removes only stale ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>

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

static void test_lock_makes_live(void **state)
{
    char dir[PATH_MAX], want[PATH_MAX];
    int fd = -1;
    struct vcb_err err = {0};
    assert_int_equal(bench_rundir_create("0badcafe", dir, sizeof(dir), &fd, &err), 0);
    snprintf(want, sizeof(want), "%s/vcb-0badcafe", root);
    assert_string_equal(dir, want);
    assert_false(bench_rundir_is_stale("0badcafe", false)); /* held by us */
    close(fd);
    assert_true(bench_rundir_is_stale("0badcafe", false));  /* the holder is gone */
    assert_false(bench_rundir_is_stale("12345678", false)); /* no run dir: maybe elsewhere */
    assert_true(bench_rundir_is_stale("12345678", true));   /* --orphans */
    snprintf(want, sizeof(want), "%s/vcb-0000aaaa", root);
    mkdir(want, 0755); /* a dir without a lock: a tool that takes none */
    assert_false(bench_rundir_is_stale("0000aaaa", true));
}

static int count_dir(const char *run_id, const char *path, void *ctx)
{
    (*(int *)ctx)++;
    assert_int_equal(strlen(run_id), VCB_RUN_ID_LEN);
    return 0;
}

static void test_each_only_run_dirs(void **state)
{
    char p[PATH_MAX];
    const char *names[] = {"vcb-1234abcd", "vcb-XYZ", "exp", "vcb-1234abcd0", "vcb-aaaaaaaa"};
    for (size_t i = 0; i < 5; i++) {
        snprintf(p, sizeof(p), "%s/%s", root, names[i]);
        mkdir(p, 0755);
        snprintf(p, sizeof(p), "%s/%s/lock", root, names[i]); /* left by a dead run */
        close(open(p, O_CREAT | O_WRONLY, 0600));
    }
    int n = 0;
    struct vcb_err err = {0};
    assert_int_equal(bench_rundir_each(count_dir, &n, &err), 0);
    assert_int_equal(n, 4); /* 0badcafe and 0000aaaa from before, 1234abcd, aaaaaaaa */
}

static void removed(const char *what, void *ctx)
{
    (*(int *)ctx)++;
}

static void test_cleanup_keeps_live(void **state)
{
    char dir[PATH_MAX];
    int fd = -1, n = 0;
    struct vcb_err err = {0};
    assert_int_equal(bench_rundir_create("11111111", dir, sizeof(dir), &fd, &err), 0);
    /* Only the run-dir part: the whole bench_cleanup would ask the container
     * and VM modules too, with this test's run root, about the host's runs. */
    char stale[PATH_MAX];
    snprintf(stale, sizeof(stale), "%s/vcb-aaaaaaaa", root);
    assert_int_equal(bench_cleanup_run_dirs(true, removed, &n, &err), 3); /* + 0badcafe, 1234abcd */
    assert_true(vcb_path_exists(stale));                                  /* dry run */
    assert_int_equal(bench_cleanup_run_dirs(false, removed, &n, &err), 3);
    assert_false(vcb_path_exists(stale));
    assert_true(vcb_path_exists(dir)); /* live: lock held */
    snprintf(stale, sizeof(stale), "%s/vcb-0000aaaa", root);
    assert_true(vcb_path_exists(stale)); /* no lock: not judged */
    close(fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lock_makes_live),
        cmocka_unit_test(test_each_only_run_dirs),
        cmocka_unit_test(test_cleanup_keeps_live),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
