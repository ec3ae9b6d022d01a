/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-core-misc.c — names, limits, errors, atomic writes, rm -rf. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "vcb-driver.h"

static void test_names(void **state)
{
    char name[VCB_NAME_MAX], id[VCB_RUN_ID_LEN + 1], id2[VCB_RUN_ID_LEN + 1];
    unsigned n = 0;
    vcb_run_id_new(id);
    assert_int_equal(strlen(id), VCB_RUN_ID_LEN);
    vcb_instance_name(id, 42, name);
    assert_int_equal(vcb_instance_name_parse(name, id2, &n), 0);
    assert_string_equal(id, id2);
    assert_int_equal(n, 42);
    const char *bad[] = {"vcb-",         "vcb-1234567-1",   "vcb-1234567g-1",  "vcb-12345678-",
                         "vcb-12345678", "vcb-12345678-1x", "xvcb-12345678-1", "vcb-12345678_1"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(vcb_instance_name_parse(bad[i], id2, &n), -1);
}

static void test_limits(void **state)
{
    struct vcb_err err = {0};
    struct vcb_limits l = {0};
    assert_false(vcb_limits_any(&l));
    assert_int_equal(vcb_limits_check(&l, &err), 0);
    l.cpus = 1.5;
    snprintf(l.cpuset, sizeof(l.cpuset), "0");
    assert_true(vcb_limits_any(&l));
    assert_int_equal(vcb_limits_check(&l, &err), 0);
    snprintf(l.cpuset, sizeof(l.cpuset), "0,4095"); /* syntax fine, CPU absent */
    assert_int_equal(vcb_limits_check(&l, &err), -1);
    assert_string_equal(err.msg, "--cpuset: CPU 4095 is not online on this host (see "
                                 "/sys/devices/system/cpu/online)");
    snprintf(l.cpuset, sizeof(l.cpuset), "3-1");
    assert_int_equal(vcb_limits_check(&l, &err), -1);
    assert_string_equal(err.msg, "--cpuset: \"3-1\" is not a CPU list (expected e.g. 1 or 0-1,3)");
    l.cpuset[0] = 0;
    l.memory_bytes = 1024;
    assert_int_equal(vcb_limits_check(&l, &err), -1);
    l.memory_bytes = UINT64_MAX; /* a guest that size overflows libvirt's units */
    assert_int_equal(vcb_limits_check(&l, &err), -1);
    assert_non_null(strstr(err.msg, "TiB is more than this host's memory (expected 4MiB to "));
    l.memory_bytes = 0;
    l.cpus = 0.001;
    assert_int_equal(vcb_limits_check(&l, &err), -1);
}

/* A limit given by the user: 0 or empty is an error, never "no limit". */
static void test_limit_given(void **state)
{
    struct vcb_err err = {0};
    assert_int_equal(vcb_limit_check_cpus(0, "--cpus", &err), -1);
    assert_string_equal(err.msg, "--cpus: 0 is out of range (expected a number from 0.01 to "
                                 "4096; omit it for no limit)");
    assert_int_equal(vcb_limit_check_cpus(0.5, "--cpus", &err), 0);
    assert_int_equal(vcb_limit_check_memory(0, "--memory", &err), -1);
    assert_string_equal(err.msg, "--memory: 0 bytes is too small (expected at least 4MiB; omit "
                                 "it for no limit)");
    assert_int_equal(vcb_limit_check_memory(64ULL << 20, "--memory", &err), 0);
    assert_int_equal(vcb_limit_check_pids(0, "--pids", &err), -1);
    assert_string_equal(err.msg, "--pids: 0 is out of range (expected a whole number from 1 to "
                                 "4194304; omit it for no limit)");
    assert_int_equal(vcb_limit_check_pids(4194305, "--pids", &err), -1);
    assert_int_equal(vcb_limit_check_pids(64, "--pids", &err), 0);
    assert_int_equal(vcb_limit_check_cpuset("", "--cpuset", &err), -1);
    assert_string_equal(err.msg, "--cpuset: \"\" is not a CPU list (expected e.g. 1 or 0-1,3)");
    assert_int_equal(vcb_limit_check_cpuset("0", "--cpuset", &err), 0);
}

static void test_err_prefix(void **state)
{
    struct vcb_err err = {0};
    vcb_err_sys(&err, 16, "write memory.max");
    vcb_err_prefix(&err, "cgroup %s", "vcb-3f2a0000-1");
    assert_string_equal(err.msg,
                        "cgroup vcb-3f2a0000-1: write memory.max: Device or resource busy");
    assert_int_equal(err.code, 16);
    char longp[600];
    memset(longp, 'p', sizeof(longp) - 1);
    longp[sizeof(longp) - 1] = 0;
    vcb_err_prefix(&err, "%s", longp); /* truncated, never overflows */
    assert_int_equal(strlen(err.msg), VCB_ERR_MSG_MAX - 1);
}

static void test_files(void **state)
{
    char dir[] = "/tmp/vcbtest-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256], sub[256];
    struct vcb_err err = {0};
    snprintf(sub, sizeof(sub), "%s/a/b/c", dir);
    assert_int_equal(vcb_mkdir_p(sub, 0755, &err), 0);
    snprintf(path, sizeof(path), "%s/a/file", dir);
    assert_int_equal(vcb_write_file_atomic(path, "one\n", 4, &err), 0);
    assert_int_equal(vcb_write_file_atomic(path, "two\n", 4, &err), 0);
    char *data = NULL;
    size_t len = 0;
    assert_int_equal(vcb_read_file(path, &data, &len, &err), 0);
    assert_string_equal(data, "two\n");
    free(data);
    /* an unwritable target leaves the earlier file intact */
    snprintf(sub, sizeof(sub), "%s/a/b", dir);
    chmod(sub, 0500);
    snprintf(path, sizeof(path), "%s/a/b/new", dir);
    if (geteuid() != 0)
        assert_int_equal(vcb_write_file_atomic(path, "x", 1, &err), -1);
    chmod(sub, 0755);
    assert_int_equal(vcb_rm_rf(dir, &err), 0);
    assert_false(vcb_path_exists(dir));
    assert_int_equal(vcb_rm_rf(dir, &err), 0); /* missing is fine */
}

static void test_evq(void **state)
{
    struct vcb_evq q = {0};
    struct vcb_event ev = {0};
    for (int i = 0; i < 100; i++) {
        ev.kind = VCB_EV_RESULT;
        ev.host_ns = (uint64_t)i;
        ev.text = strdup("{}");
        assert_int_equal(vcb_evq_push(&q, &ev), 0);
    }
    struct vcb_event out;
    for (int i = 0; i < 50; i++) {
        assert_true(vcb_evq_pop(&q, &out));
        assert_int_equal(out.host_ns, i);
        vcb_event_clear(&out);
    }
    vcb_evq_free(&q); /* frees the 50 left */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),       cmocka_unit_test(test_limits),
        cmocka_unit_test(test_limit_given), cmocka_unit_test(test_err_prefix),
        cmocka_unit_test(test_files),       cmocka_unit_test(test_evq),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
