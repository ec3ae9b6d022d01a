/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-ct-cgsoft — the soft and I/O limits of both cgroup backends against
 * fake trees: cpu.weight / cpu.shares, memory.high / memory.soft_limit_in_bytes,
 * memory.low (v2 only), io.max / blkio.throttle.* on the disk holding a real
 * file of this host, and a weight refused where the disk's scheduler would
 * ignore it, with nothing left behind. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <cmocka.h>

#include "cg-fake.h"

static const struct vcb_limits soft = {
    .cpu_weight = 200, .memory_soft = 128ULL << 20, .memory_low = 32ULL << 20};

/* The disk of the fake tree's own files (a real disk of this host), as
 * "MAJ:MIN"; skips where the temp dir is on no block device or on a
 * partition (the expected text is the disk's, which stat cannot tell). */
static void disk_of(const struct fake *f, char *buf, size_t len, struct vcb_blockdev *dev)
{
    struct vcb_err err = {0};
    struct stat st;
    assert_int_equal(stat(f->root, &st), 0);
    if (vcb_blockdev_of_path(f->root, dev, &err) < 0 || dev->major != major(st.st_dev) ||
        dev->minor != minor(st.st_dev))
        skip();
    snprintf(buf, len, "%u:%u", dev->major, dev->minor);
}

static void test_v2_soft_written(void **state)
{
    struct fake *f = *state;
    struct vcb_err err = {0};
    assert_int_equal(ct_cgroup_create(&f->cg, &soft, &err), 0);
    assert_file(f, "vcbench/cgroup.subtree_control", "+memory +pids +cpu");
    assert_file(f, "vcbench/" NAME "/cpu.weight", "200");
    assert_file(f, "vcbench/" NAME "/memory.high", "134217728");
    assert_file(f, "vcbench/" NAME "/memory.low", "33554432");
    assert_false(exists(f, "vcbench/" NAME "/memory.max")); /* no hard limit asked */
    assert_false(exists(f, "vcbench/" NAME "/cpu.max"));
}

static void test_v2_io_max(void **state)
{
    struct fake *f = *state;
    struct vcb_err err = {0};
    struct vcb_blockdev dev;
    char disk[32], want[128];
    disk_of(f, disk, sizeof disk, &dev);
    f->cg.io_file = f->root;
    struct vcb_limits l = {.io = {.rbps = 1 << 20, .wiops = 50}};
    assert_int_equal(ct_cgroup_create(&f->cg, &l, &err), 0);
    assert_file(f, "vcbench/cgroup.subtree_control", "+memory +pids +cpu +io");
    snprintf(want, sizeof want, "%s rbps=1048576 wiops=50", disk);
    assert_file(f, "vcbench/" NAME "/io.max", want);
}

/* A weight: refused under a scheduler that ignores it, written to io.weight
 * once the root enables iocost for that disk, to io.bfq.weight under BFQ. */
static void test_v2_io_weight(void **state)
{
    struct fake *f = *state;
    struct vcb_err err = {0};
    struct vcb_blockdev dev;
    char disk[32], want[512];
    disk_of(f, disk, sizeof disk, &dev);
    f->cg.io_file = f->root;
    struct vcb_limits l = {.io = {.weight = 300}};
    int rc = ct_cgroup_create(&f->cg, &l, &err);
    if (!strcmp(dev.sched, "bfq")) {
        assert_int_equal(rc, 0);
        snprintf(want, sizeof want, "%s 300", disk);
        assert_file(f, "vcbench/" NAME "/io.bfq.weight", want);
        return;
    }
    assert_int_equal(rc, -1);
    snprintf(want, sizeof want,
             "cgroup " NAME ": --io-weight is not honoured on %s (%s): its I/O scheduler is %s, "
             "which ignores weights (bfq honours them: echo bfq > /sys/block/%s/queue/scheduler)",
             dev.name, disk, dev.sched, dev.name);
    assert_string_equal(err.msg, want);
    assert_false(exists(f, "vcbench/" NAME)); /* nothing half-made */
    snprintf(want, sizeof want, "%s enable=1 ctrl=auto rpct=0.00 rlat=250000\n", disk);
    plant(f, "io.cost.qos", want);
    fake_open(f);
    f->cg.io_file = f->root;
    assert_int_equal(ct_cgroup_create(&f->cg, &l, &err), 0);
    snprintf(want, sizeof want, "%s 300", disk);
    assert_file(f, "vcbench/" NAME "/io.weight", want);
}

static void test_io_without_disk(void **state)
{
    struct fake *f = *state;
    struct vcb_err err = {0};
    f->cg.io_file = "/proc/self/status"; /* procfs: no disk to limit */
    assert_int_equal(ct_cgroup_create(&f->cg, &(struct vcb_limits){.io.rbps = 8192}, &err), -1);
    assert_non_null(strstr(err.msg, "cgroup " NAME ": I/O limits: disk of /proc/self/status"));
    assert_non_null(strstr(err.msg, "is no block device"));
    assert_false(exists(f, "vcbench/" NAME));
}

static void test_v1_soft_written(void **state)
{
    struct fake *f = *state;
    struct vcb_err err = {0};
    struct vcb_limits l = soft;
    l.memory_low = 0;
    assert_int_equal(ct_cgroup_create(&f->cg, &l, &err), 0);
    assert_file(f, "cpu,cpuacct/vcbench/" NAME "/cpu.shares", "2048"); /* 200 * 1024 / 100 */
    assert_file(f, "memory/vcbench/" NAME "/memory.soft_limit_in_bytes", "134217728");
    assert_false(exists(f, "memory/vcbench/" NAME "/memory.limit_in_bytes"));
    assert_false(exists(f, "cpu,cpuacct/vcbench/" NAME "/cpu.cfs_quota_us"));
}

static void test_v1_memory_low_refused(void **state)
{
    struct fake *f = *state;
    struct vcb_err err = {0};
    assert_int_equal(ct_cgroup_create(&f->cg, &soft, &err), -1);
    assert_true(err.usage);
    assert_string_equal(err.msg, "cgroup " NAME ": --memory-low needs cgroup v2's memory.low; v1 "
                                 "has none (its soft limit is --memory-soft)");
    assert_false(exists(f, "memory/vcbench/" NAME));
}

static void test_v1_blkio_throttle(void **state)
{
    struct fake *f = *state;
    struct vcb_err err = {0};
    struct vcb_blockdev dev;
    char disk[32], want[64];
    disk_of(f, disk, sizeof disk, &dev);
    plant_dir(f, "blkio");
    fake_open(f);
    f->cg.io_file = f->root;
    struct vcb_limits l = {.io = {.rbps = 1 << 20, .wbps = 2 << 20, .riops = 10, .wiops = 20}};
    assert_int_equal(ct_cgroup_create(&f->cg, &l, &err), 0);
    snprintf(want, sizeof want, "%s 1048576", disk);
    assert_file(f, "blkio/vcbench/" NAME "/blkio.throttle.read_bps_device", want);
    snprintf(want, sizeof want, "%s 2097152", disk);
    assert_file(f, "blkio/vcbench/" NAME "/blkio.throttle.write_bps_device", want);
    snprintf(want, sizeof want, "%s 10", disk);
    assert_file(f, "blkio/vcbench/" NAME "/blkio.throttle.read_iops_device", want);
    snprintf(want, sizeof want, "%s 20", disk);
    assert_file(f, "blkio/vcbench/" NAME "/blkio.throttle.write_iops_device", want);
}

static void test_v1_no_blkio_hierarchy(void **state)
{
    struct fake *f = *state;
    struct vcb_err err = {0};
    f->cg.io_file = f->root;
    assert_int_equal(ct_cgroup_create(&f->cg, &(struct vcb_limits){.io.rbps = 8192}, &err), -1);
    assert_non_null(strstr(err.msg, "cannot apply the io limits: no v1 'blkio' hierarchy"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_v2_soft_written, v2_setup, fake_teardown),
        cmocka_unit_test_setup_teardown(test_v2_io_max, v2_setup, fake_teardown),
        cmocka_unit_test_setup_teardown(test_v2_io_weight, v2_setup, fake_teardown),
        cmocka_unit_test_setup_teardown(test_io_without_disk, v2_setup, fake_teardown),
        cmocka_unit_test_setup_teardown(test_v1_soft_written, v1_setup, fake_teardown),
        cmocka_unit_test_setup_teardown(test_v1_memory_low_refused, v1_setup, fake_teardown),
        cmocka_unit_test_setup_teardown(test_v1_blkio_throttle, v1_setup, fake_teardown),
        cmocka_unit_test_setup_teardown(test_v1_no_blkio_hierarchy, v1_setup, fake_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
