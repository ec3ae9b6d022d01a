/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-ct-v2real — the v2 backend against a REAL cgroup2 mount on a hybrid
 * host: its nearly empty unified hierarchy (/sys/fs/cgroup/unified). No
 * controllers there, so no limits, but the real v2 paths run: vcbench parent,
 * CLONE_INTO_CGROUP, cgroup namespace, cgroup.kill, rmdir, and a limit the
 * hierarchy cannot apply fails with a clear error. On a pure v2 host
 * test-ct-launch covers all of this with controllers, so this one skips. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/vfs.h>
#include <linux/magic.h>

#include <cmocka.h>

#include "ct-test.h"

#define UNIFIED "/sys/fs/cgroup/unified"

static struct ct_test_env env;

static bool group_exists(const char *name)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, UNIFIED "/vcbench/%s", name);
    return vcb_path_exists(path);
}

static void test_idle_in_v2_group(void **state)
{
    struct vcb_instance_spec spec;
    struct vcb_instance *inst = NULL;
    struct vcb_err err = {0};
    struct vcb_event ev;
    struct vcb_stats st;
    char path[64], *text = NULL, want[128];
    ct_test_spec(&env, &spec, "idle", NULL);
    assert_int_equal(ct_driver.create(&spec, &inst, &err), 0);
    assert_int_equal(ct_driver.start(inst, &err), 0);
    struct ct_instance *c = (struct ct_instance *)inst;
    assert_true(c->into_cgroup); /* clone3 placed it: no cgroup.procs write */
    do
        assert_int_equal(vcb_instance_next_event(inst, vcb_now_ns() + 5 * VCB_NS_PER_S, &ev, &err),
                         1);
    while (ev.kind != VCB_EV_READY);
    snprintf(path, sizeof path, "/proc/%d/cgroup", (int)c->child.pid);
    assert_int_equal(vcb_read_file(path, &text, NULL, &err), 0);
    snprintf(want, sizeof want, "0::/vcbench/%s\n", spec.name);
    assert_non_null(strstr(text, want));
    free(text);
    assert_int_equal(ct_driver.stats(inst, &st, &err), 0);
    assert_true(st.mem_charged == VCB_STAT_UNSET); /* no memory controller here */
    assert_true(st.cpu_ns != VCB_STAT_UNSET);      /* cpu.stat is always there */
    assert_true(st.rss > 0);
    assert_true(group_exists(spec.name));
    vcb_instance_destroy(inst); /* kills a running instance */
    assert_false(group_exists(spec.name));
}

static void test_limit_without_controller_fails(void **state)
{
    struct vcb_instance_spec spec;
    struct vcb_instance *inst = NULL;
    struct vcb_err err = {0};
    char want[512];
    ct_test_spec(&env, &spec, "noop", NULL);
    spec.limits.memory_bytes = 64ULL << 20;
    assert_int_equal(ct_driver.create(&spec, &inst, &err), -1);
    assert_null(inst);
    const char *avail = ct_cg_host_get(&err)->v2_controllers; /* "hugetlb" here */
    if (strstr(avail, "memory"))
        skip(); /* memory bound to v2 after all: nothing to refuse */
    snprintf(want, sizeof want,
             "container %s: cgroup %s: cannot apply the memory limit: controller 'memory' is "
             "not available (cgroup.controllers: %s)",
             spec.name, spec.name, avail[0] ? avail : "none");
    assert_string_equal(err.msg, want);
    assert_false(group_exists(spec.name));
}

/* The soft limits need the cpu and memory controllers too: refused by
 * name where the unified hierarchy has none, nothing made. */
static void test_soft_limit_without_controller_fails(void **state)
{
    struct vcb_instance_spec spec;
    struct vcb_instance *inst = NULL;
    struct vcb_err err = {0};
    char want[512];
    const char *avail = ct_cg_host_get(&err)->v2_controllers;
    if (strstr(avail, "cpu"))
        skip(); /* cpu bound to v2 here: nothing to refuse */
    ct_test_spec(&env, &spec, "noop", NULL);
    spec.limits.cpu_weight = 200;
    assert_int_equal(ct_driver.create(&spec, &inst, &err), -1);
    snprintf(want, sizeof want,
             "container %s: cgroup %s: cannot apply the cpus limit: controller 'cpu' is "
             "not available (cgroup.controllers: %s)",
             spec.name, spec.name, avail[0] ? avail : "none");
    assert_string_equal(err.msg, want);
    assert_false(group_exists(spec.name));
}

int main(void)
{
    char why[512];
    struct statfs sf;
    if (geteuid() != 0)
        return printf("skipped: needs root\n"), 77;
    if (statfs("/sys/fs/cgroup", &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC)
        return printf("skipped: pure v2 host; test-ct-launch runs real v2 here\n"), 77;
    if (statfs(UNIFIED, &sf) < 0 || sf.f_type != CGROUP2_SUPER_MAGIC)
        return printf("skipped: no cgroup2 hierarchy at " UNIFIED "\n"), 77;
    setenv("VCB_CGROUP_ROOT", UNIFIED, 1);
    if (ct_test_env_make(&env, why, sizeof why) != 0)
        return printf("skipped: %s\n", why), 77;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_idle_in_v2_group),
        cmocka_unit_test(test_limit_without_controller_fails),
        cmocka_unit_test(test_soft_limit_without_controller_fails),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    ct_test_env_remove(&env);
    return rc;
}
