/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-vm-limits.c — the soft and I/O limits in the domain XML: <shares> in
 * the host cgroup's scale, <memtune><soft_limit>, the limits a VM refuses,
 * and the <iotune>/<blkiotune> text made for a scratch disk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "vm-priv.h"

static char *xml_of(const struct vcb_limits *l, bool v2)
{
    struct vcb_err err = {0};
    struct vm_xml_config c = {.name = "vcb-0badcafe-5",
                              .accel = VCB_ACCEL_TCG,
                              .machine = "pc",
                              .kernel = "/k",
                              .cmdline = "console=ttyS0",
                              .console_log = "/c.log",
                              .host_cgroup_v2 = v2};
    char *xml = NULL;
    assert_int_equal(vm_limits_map(l, &c, &err), 0);
    assert_int_equal(vm_xml_build(&c, &xml, &err), 0);
    return xml;
}

static void test_shares_in_host_scale(void **state)
{
    struct vcb_limits l = {.cpu_weight = 200};
    cleanup_free char *v1 = xml_of(&l, false), *v2 = xml_of(&l, true);
    /* v1: cpu.shares = weight * 1024 / 100; v2: cpu.weight as given. */
    assert_non_null(strstr(v1, "  <cputune>\n    <shares>2048</shares>\n  </cputune>\n"));
    assert_non_null(strstr(v2, "  <cputune>\n    <shares>200</shares>\n  </cputune>\n"));
}

static void test_shares_beside_quota(void **state)
{
    struct vcb_limits l = {.cpus = 0.5, .cpu_weight = 50};
    cleanup_free char *xml = xml_of(&l, false);
    assert_non_null(strstr(xml,
                           "  <cputune>\n    <shares>512</shares>\n    <period>100000</period>\n"
                           "    <quota>50000</quota>\n  </cputune>\n"));
}

static void test_memory_soft_limit(void **state)
{
    struct vcb_limits l = {.memory_bytes = 512ULL << 20, .memory_soft = 384ULL << 20};
    cleanup_free char *xml = xml_of(&l, false), *plain = xml_of(&(struct vcb_limits){0}, false);
    assert_non_null(strstr(xml, "  <memtune>\n    <soft_limit unit='KiB'>393216</soft_limit>\n"
                                "  </memtune>\n"));
    assert_null(strstr(plain, "<memtune>"));
}

static void test_refused_limits(void **state)
{
    struct vcb_err err = {0};
    struct vm_xml_config c = {0};
    assert_int_equal(vm_limits_map(&(struct vcb_limits){.memory_low = 64ULL << 20}, &c, &err), -1);
    assert_true(err.usage);
    assert_non_null(strstr(err.msg, "--memory-low"));
    /* I/O limits are the scratch disk's (vm_io_plan): none, none to map */
    err = (struct vcb_err){0};
    assert_int_equal(vm_limits_map(&(struct vcb_limits){.io.rbps = 1 << 20}, &c, &err), 0);
    struct vcb_instance_spec spec = {.limits.io.riops = 100};
    char *xml = NULL;
    assert_int_equal(vm_io_plan(&spec, &c, &xml, &err), -1);
    assert_true(err.usage);
    assert_non_null(strstr(err.msg, "scratch disk"));
    assert_null(xml);
}

static void test_blkiotune_text(void **state)
{
    struct vcb_err err = {0};
    struct vcb_blockdev bfq = {254, 0, "vda", "bfq"}, dl = {254, 0, "vda", "mq-deadline"};
    cleanup_free char *w = NULL, *none = NULL;
    assert_int_equal(vm_xml_blkiotune(&(struct vcb_io_limits){.weight = 300}, &bfq, &w, &err), 0);
    assert_string_equal(w, "  <blkiotune>\n    <weight>300</weight>\n  </blkiotune>\n");
    assert_int_equal(vm_xml_blkiotune(&(struct vcb_io_limits){0}, &dl, &none, &err), 0);
    assert_string_equal(none, "");
    cleanup_free char *t = NULL;
    assert_int_equal(
        vm_xml_blkiotune(&(struct vcb_io_limits){.rbps = 10 << 20, .wiops = 200}, &dl, &t, &err),
        0);
    assert_string_equal(t, "  <blkiotune>\n    <device>\n      <path>/dev/vda</path>\n"
                           "      <read_bytes_sec>10485760</read_bytes_sec>\n"
                           "      <write_iops_sec>200</write_iops_sec>\n    </device>\n"
                           "  </blkiotune>\n");
    char *bad = NULL;
    assert_int_equal(vm_xml_blkiotune(&(struct vcb_io_limits){.weight = 300}, &dl, &bad, &err), -1);
    assert_non_null(strstr(err.msg, "scheduler is mq-deadline"));
    assert_int_equal(vm_xml_blkiotune(&(struct vcb_io_limits){.weight = 50}, &bfq, &bad, &err), -1);
    assert_true(err.usage);
    assert_null(bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shares_in_host_scale), cmocka_unit_test(test_shares_beside_quota),
        cmocka_unit_test(test_memory_soft_limit),    cmocka_unit_test(test_refused_limits),
        cmocka_unit_test(test_blkiotune_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
