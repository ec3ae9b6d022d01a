/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-ct-charge — where the kernel charges what a container start
 * allocates (root, real kernel). N idle containers are created, then
 * started, from this one process; the kernel memory of this process's own
 * memory cgroup is read before and after each phase and set against what
 * the instances' groups were charged. The instance's own objects (task,
 * kernel stack, its namespaces) must land in its group, not ours.
 * Prints the figures: they are the measurement behind the memory notes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "ct-test.h"

#define N 8

static struct ct_test_env env;
static char own_dir[PATH_MAX];

static double own_kernel(void)
{
    struct vcb_memcg_split m;
    struct vcb_err err = {0};
    if (vcb_memcg_read(own_dir, &m, &err) < 0)
        fail_msg("%s", err.msg);
    assert_true(m.kernel != VCB_STAT_UNSET);
    return (double)m.kernel;
}

static void wait_ready(struct vcb_instance *inst)
{
    struct vcb_event ev;
    struct vcb_err err = {0};
    enum vcb_event_kind kind;
    do {
        assert_int_equal(vcb_instance_next_event(inst, vcb_now_ns() + 10 * VCB_NS_PER_S, &ev, &err),
                         1);
        kind = ev.kind;
        vcb_event_clear(&ev);
    } while (kind != VCB_EV_READY);
}

static void test_start_charges_the_instance(void **state)
{
    struct vcb_instance *v[N] = {0};
    struct vcb_instance_spec spec[N];
    struct vcb_err err = {0};
    char *args[] = {"--duration", "60s", NULL};
    /* one start first: code paths, slab caches and our own buffers warm up */
    ct_test_spec(&env, &spec[0], "idle", args);
    struct vcb_instance *warm = NULL;
    assert_int_equal(ct_driver.create(&spec[0], &warm, &err), 0);
    assert_int_equal(ct_driver.start(warm, &err), 0);
    wait_ready(warm); /* kept to the end: its teardown frees kernel memory late (RCU, netns) */

    double k0 = own_kernel();
    for (int i = 0; i < N; i++) {
        ct_test_spec(&env, &spec[i], "idle", args);
        if (ct_driver.create(&spec[i], &v[i], &err) < 0)
            fail_msg("%s", err.msg);
    }
    double k1 = own_kernel();
    for (int i = 0; i < N; i++) {
        if (ct_driver.start(v[i], &err) < 0)
            fail_msg("%s", err.msg);
        wait_ready(v[i]);
    }
    double k2 = own_kernel(), inst = 0;
    for (int i = 0; i < N; i++) {
        struct vcb_stats st;
        assert_int_equal(ct_driver.stats(v[i], &st, &err), 0);
        assert_true(st.cg.kernel != VCB_STAT_UNSET);
        inst += (double)st.cg.kernel;
    }
    for (int i = 0; i < N; i++)
        vcb_instance_destroy(v[i]);
    vcb_instance_destroy(warm);
    printf("# per container, KiB: create (cgroups, log, pipes) charged to our group %.1f; "
           "start charged to our group %.1f; charged to the instance's group %.1f\n",
           (k1 - k0) / N / 1024, (k2 - k1) / N / 1024, inst / N / 1024);
    /* The start's kernel memory is the instance's: our group may keep a
     * little (pipes, the pidfd), not the task and its namespaces. */
    assert_true(inst / N >= 64 * 1024);
    assert_true((k2 - k1) / N < inst / N / 8);
}

static int setup(void **state)
{
    char why[256];
    bool root = false;
    struct vcb_err err = {0};
    int rc = ct_test_env_make(&env, why, sizeof why);
    if (rc == 77 || (rc == 0 && vcb_memcg_dir_of(0, own_dir, sizeof own_dir, &root, &err) < 0)) {
        printf("skip: %s\n", rc == 77 ? why : err.msg);
        ct_test_env_remove(&env);
        exit(77);
    }
    if (root) { /* the kernel charges nothing to the root group: nothing to compare */
        printf("skip: this test runs in the root memory cgroup (%s)\n", own_dir);
        ct_test_env_remove(&env);
        exit(77);
    }
    return rc;
}

static int teardown(void **state)
{
    ct_test_env_remove(&env);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_start_charges_the_instance),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
