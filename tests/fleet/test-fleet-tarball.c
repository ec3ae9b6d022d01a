/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-fleet-tarball.c — what --install sends: in a git checkout, HEAD
 * with the uncommitted changes of tracked files (the checkout itself left
 * as it was: no stash entry, the change still uncommitted) and the
 * describe as .vcb-describe, which cmake/vcb-version.cmake then reads in a
 * tree without .git; outside git, the tree without its build dirs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "fleet-priv.h"

static char dir[] = "/tmp/vcb-test-tarball.XXXXXX";

static void sh(const char *fmt, ...) VCB_PRINTF(1, 2);
static void sh(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    if (system(cmd) != 0)
        fail_msg("failed: %s", cmd);
}

static char *slurp(const char *path)
{
    char *text = NULL;
    size_t len;
    struct vcb_err err = {0};
    return vcb_read_file(path, &text, &len, &err) == 0 ? text : NULL;
}

/* The tarball of src unpacked into dir/out. */
static void unpack(const char *src, const char *describe)
{
    char *data = NULL, path[256];
    size_t len = 0;
    struct vcb_err err = {0};
    if (fleet_tarball(src, describe, &data, &len, &err) < 0)
        fail_msg("fleet_tarball: %s", err.msg);
    snprintf(path, sizeof(path), "%s/t.tar.gz", dir);
    assert_int_equal(vcb_write_file(path, data, len, &err), 0);
    free(data);
    sh("rm -rf %s/out && mkdir %s/out && tar -xzf %s -C %s/out", dir, dir, path, dir);
}

static void test_git_checkout(void **state)
{
    char path[256];
    sh("cd %s && git init -q repo && cd repo && echo one >tracked && mkdir build && "
       "echo x >build/junk && echo build/ >.gitignore && git add tracked .gitignore && "
       "git -c user.name=t -c user.email=t@t commit -qm first && echo two >tracked && "
       "echo loose >untracked",
       dir);
    snprintf(path, sizeof(path), "%s/repo", dir);
    unpack(path, "0123456789ab-dirty");
    snprintf(path, sizeof(path), "%s/out/tracked", dir);
    char *text = slurp(path);
    assert_non_null(text);
    assert_string_equal(text, "two\n"); /* the uncommitted change travels */
    free(text);
    snprintf(path, sizeof(path), "%s/out/.vcb-describe", dir);
    assert_non_null(text = slurp(path));
    assert_string_equal(text, "0123456789ab-dirty");
    free(text);
    sh("test ! -e %s/out/untracked && test ! -e %s/out/build && test ! -e %s/out/.git", dir, dir,
       dir);
    /* the checkout as it was: still modified, nothing stashed */
    sh("cd %s/repo && git status --porcelain | grep -qx ' M tracked' && "
       "test -z \"$(git stash list)\" && test \"$(cat tracked)\" = two",
       dir);
    /* a build of the tree there says the describe it came with */
    sh("cmake -DSRC=%s/out -DOUT=%s/v.h -P %s/cmake/vcb-version.cmake && "
       "grep -q '\"0123456789ab-dirty\"' %s/v.h",
       dir, dir, VCB_SOURCE_DIR, dir);
}

static void test_plain_tree(void **state)
{
    char path[256];
    sh("mkdir -p %s/tree/scripts %s/tree/build-asan && echo s >%s/tree/scripts/setup && "
       "echo j >%s/tree/build-asan/junk",
       dir, dir, dir, dir);
    snprintf(path, sizeof(path), "%s/tree", dir);
    unpack(path, "unknown");
    sh("test -f %s/out/scripts/setup && test ! -e %s/out/build-asan", dir, dir);
}

static void test_no_tree(void **state)
{
    char *data = NULL;
    size_t len;
    struct vcb_err err = {0};
    assert_int_equal(fleet_tarball("/nonexistent/src", "x", &data, &len, &err), -1);
    assert_int_equal(err.usage, 1);
    assert_non_null(strstr(err.msg, "--source"));
    assert_null(data);
}

static int setup(void **state)
{
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    sh("rm -rf %s", dir);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_git_checkout),
        cmocka_unit_test(test_plain_tree),
        cmocka_unit_test(test_no_tree),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
