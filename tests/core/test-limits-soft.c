/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-limits-soft — the rules of the soft and I/O limits (the same for
 * option and suite key), cpu.weight -> cpu.shares, and the disk holding a
 * host file, found through /sys/dev/block as the cgroup I/O files name it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <cmocka.h>

#include "vcb-driver.h"

static void test_cpu_weight(void **state)
{
    struct vcb_err err = {0};
    assert_int_equal(vcb_limit_check_cpu_weight(1, "--cpu-weight", &err), 0);
    assert_int_equal(vcb_limit_check_cpu_weight(10000, "--cpu-weight", &err), 0);
    assert_int_equal(vcb_limit_check_cpu_weight(0, "--cpu-weight", &err), -1);
    assert_true(err.usage);
    assert_int_equal(vcb_limit_check_cpu_weight(10001, "--cpu-weight", &err), -1);
    assert_int_equal(vcb_limit_check_cpu_weight(2.5, "--cpu-weight", &err), -1);
    assert_string_equal(err.msg, "--cpu-weight: 2.5 is out of range (expected a whole number from "
                                 "1 to 10000, cpu.weight's scale where 100 is the default; omit "
                                 "it for none)");
    /* systemd's mapping: the defaults meet, the ends stay inside v1's 2..262144 */
    assert_int_equal(vcb_cpu_weight_to_shares(100), 1024);
    assert_int_equal(vcb_cpu_weight_to_shares(1), 10);
    assert_int_equal(vcb_cpu_weight_to_shares(10000), 102400);
}

static void test_io_rules(void **state)
{
    struct vcb_err err = {0};
    assert_int_equal(vcb_limit_check_io_bps(4096, "--io-read-bps", &err), 0);
    assert_int_equal(vcb_limit_check_io_bps(4095, "--io-read-bps", &err), -1);
    assert_true(err.usage);
    assert_int_equal(vcb_limit_check_io_iops(1, "--io-read-iops", &err), 0);
    assert_int_equal(vcb_limit_check_io_iops(0, "--io-read-iops", &err), -1);
    assert_int_equal(vcb_limit_check_io_weight(1000, "--io-weight", &err), 0);
    assert_int_equal(vcb_limit_check_io_weight(1001, "--io-weight", &err), -1);
    assert_string_equal(err.msg, "--io-weight: 1001 is out of range (expected a whole number from "
                                 "1 to 1000, where 100 is the default; omit it for none)");
}

/* The soft limits count as limits (the control refuses them) and must
 * agree with the hard one. */
static void test_limits_check(void **state)
{
    struct vcb_err err = {0};
    struct vcb_limits l = {.cpu_weight = 50};
    assert_true(vcb_limits_any(&l));
    assert_true(vcb_limits_any(&(struct vcb_limits){.io.wiops = 5}));
    assert_int_equal(vcb_limits_check(&l, &err), 0);
    l = (struct vcb_limits){.memory_bytes = 64ULL << 20, .memory_soft = 65ULL << 20};
    assert_int_equal(vcb_limits_check(&l, &err), -1);
    assert_string_equal(err.msg, "--memory-soft: above --memory limits nothing (expected a soft "
                                 "limit below the hard one)");
    l = (struct vcb_limits){.memory_bytes = 64ULL << 20, .memory_low = 64ULL << 20};
    assert_int_equal(vcb_limits_check(&l, &err), -1);
    assert_string_equal(err.msg, "--memory-low: expected a protection below --memory");
    l = (struct vcb_limits){.memory_soft = 64ULL << 20, .memory_low = 16ULL << 20};
    assert_int_equal(vcb_limits_check(&l, &err), 0);
    l.io.weight = 2000;
    assert_int_equal(vcb_limits_check(&l, &err), -1);
    assert_non_null(strstr(err.msg, "--io-weight: 2000"));
}

/* The disk of this file: stat's st_dev is the disk itself or one of its
 * partitions; the answer is a disk (no "partition" file), with a scheduler. */
static void test_blockdev_of_path(void **state)
{
    struct vcb_err err = {0};
    struct vcb_blockdev d;
    struct stat st;
    char path[128];
    assert_int_equal(stat("/", &st), 0);
    if (major(st.st_dev) == 0)
        skip(); /* root on no block device (an overlay, a tmpfs) */
    assert_int_equal(vcb_blockdev_of_path("/", &d, &err), 0);
    snprintf(path, sizeof path, "/sys/dev/block/%u:%u/partition", d.major, d.minor);
    assert_false(vcb_path_exists(path));
    assert_true(d.name[0] && d.sched[0]);
    snprintf(path, sizeof path, "/sys/block/%s", d.name);
    assert_true(vcb_path_exists(path)); /* a whole disk is listed there */
    assert_int_equal(vcb_blockdev_of_path("/proc/self/status", &d, &err), -1);
    assert_non_null(strstr(err.msg, "disk of /proc/self/status: /sys/dev/block/0:"));
    assert_int_equal(vcb_blockdev_of_path("/nonexistent/x", &d, &err), -1);
    assert_non_null(strstr(err.msg, "disk of /nonexistent/x: stat"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cpu_weight),
        cmocka_unit_test(test_io_rules),
        cmocka_unit_test(test_limits_check),
        cmocka_unit_test(test_blockdev_of_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
