/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-cgroup-cpu.c — the CPU controller's record, read the same way for a
 * container's cgroup and a domain's: a fake tree with cgroup v1 and v2
 * cpu.stat files (libvirt's layout: the domain, its emulator and vCPU
 * groups), and this process's own group on the real host. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <string.h>
#include <sys/stat.h>

#include "vcb-driver.h"

static void put(const char *dir, const char *sub, const char *text)
{
    char path[512];
    struct vcb_err err = {0};
    snprintf(path, sizeof(path), "%s/%s", dir, sub);
    assert_int_equal(vcb_mkdir_p(path, 0755, &err), 0);
    strcat(path, "/cpu.stat");
    assert_int_equal(vcb_write_file(path, text, strlen(text), &err), 0);
}

static void test_domain_tree_summed(void **state)
{
    char dir[] = "/tmp/vcb-cpustat-XXXXXX";
    struct vcb_err err = {0};
    struct vcb_cpu_throttle t;
    assert_non_null(mkdtemp(dir));
    put(dir, ".", "nr_periods 0\nnr_throttled 0\nthrottled_time 0\n");
    put(dir, "emulator", "nr_periods 0\nnr_throttled 0\nthrottled_time 0\n");
    /* v1: throttled_time in ns; nr_bursts and friends ignored */
    put(dir, "vcpu0", "nr_periods 97\nnr_throttled 81\nthrottled_time 2689545207\nnr_bursts 0\n");
    /* v2: usage first, throttled_usec in us */
    put(dir, "vcpu1",
        "usage_usec 5\nuser_usec 4\nsystem_usec 1\nnr_periods 10\n"
        "nr_throttled 3\nthrottled_usec 1500\n");
    char nostat[512];
    snprintf(nostat, sizeof(nostat), "%s/empty", dir);
    assert_int_equal(vcb_mkdir_p(nostat, 0755, &err), 0); /* no cpu.stat: adds nothing */

    assert_int_equal(vcb_cgroup_cpu_throttle(dir, true, &t, &err), 0);
    assert_true(t.periods == 107 && t.throttled_periods == 84);
    assert_true(t.throttled_ns == 2689545207ULL + 1500000ULL);

    char vcpu0[512];
    snprintf(vcpu0, sizeof(vcpu0), "%s/vcpu0", dir);
    assert_int_equal(vcb_cgroup_cpu_throttle(vcpu0, false, &t, &err), 0);
    assert_true(t.periods == 97 && t.throttled_periods == 81);
    assert_int_equal(vcb_cgroup_cpu_throttle(dir, false, &t, &err), 0);
    assert_true(t.periods == 0 && t.throttled_periods == 0); /* the domain's own: none */
    assert_int_equal(vcb_rm_rf(dir, &err), 0);
}

/* This process's group on the host: a directory with a cpu.stat, unless
 * the host mounts no cpu controller at all (skipped then). */
static void test_own_group(void **state)
{
    char dir[4096], stat[4200];
    struct vcb_err err = {0};
    struct vcb_cpu_throttle t = {1, 1, 1};
    if (vcb_proc_cpu_cgroup(getpid(), dir, sizeof(dir), &err) < 0)
        skip();
    snprintf(stat, sizeof(stat), "%s/cpu.stat", dir);
    if (!vcb_path_exists(stat))
        skip();
    assert_int_equal(vcb_proc_cpu_throttle(getpid(), &t, &err), 0);
    assert_true(t.throttled_periods <= t.periods);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_domain_tree_summed),
        cmocka_unit_test(test_own_group),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
