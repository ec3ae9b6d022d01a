/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-parse.c — sizes and durations: good inputs, junk, exact messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "vcb.h"

static void size_ok(const char *s, uint64_t want)
{
    struct vcb_err err = {0};
    uint64_t v = 0;
    if (vcb_parse_size(s, "--memory", &v, &err) != 0)
        fail_msg("\"%s\" rejected: %s", s, err.msg);
    assert_int_equal(v, want);
}

static void size_bad(const char *s)
{
    struct vcb_err err = {0};
    uint64_t v = 12345;
    assert_int_equal(vcb_parse_size(s, "--memory", &v, &err), -1);
    assert_int_equal(err.usage, 1);
    assert_int_equal(v, 12345); /* output untouched on failure */
}

static void test_sizes_good(void **state)
{
    size_ok("4096", 4096);
    size_ok("512k", 512 * 1024);
    size_ok("512K", 512 * 1024);
    size_ok("256MiB", 256ULL << 20);
    size_ok("1G", 1ULL << 30);
    size_ok("1.5GiB", 3ULL << 29);
    size_ok("2MB", 2000000);
    size_ok("1TB", 1000000000000ULL);
    size_ok("0", 0);
}

static void test_sizes_bad(void **state)
{
    const char *bad[] = {"",
                         "12XB",
                         "-5",
                         " 5",
                         "5 ",
                         "1e3",
                         "MiB",
                         "1.",
                         ".5G",
                         "1..2",
                         "99999999999999999999",
                         "20000000T",
                         "0x10",
                         "1 G"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        size_bad(bad[i]);
}

static void test_size_message(void **state)
{
    struct vcb_err err = {0};
    uint64_t v;
    vcb_parse_size("12XB", "--memory", &v, &err);
    assert_string_equal(err.msg, "--memory: \"12XB\" is not a size (expected a number with an "
                                 "optional unit, e.g. 4096, 512k, 256MiB, 1G)");
}

static void test_durations(void **state)
{
    struct vcb_err err = {0};
    uint64_t v;
    assert_int_equal(vcb_parse_duration("1.5s", "d", &v, &err), 0);
    assert_int_equal(v, 1500000000ULL);
    assert_int_equal(vcb_parse_duration("200ms", "d", &v, &err), 0);
    assert_int_equal(v, 200000000ULL);
    assert_int_equal(vcb_parse_duration("50us", "d", &v, &err), 0);
    assert_int_equal(v, 50000ULL);
    assert_int_equal(vcb_parse_duration("3", "d", &v, &err), 0);
    assert_int_equal(v, 3000000000ULL);
    assert_int_equal(vcb_parse_duration("2m", "d", &v, &err), 0);
    assert_int_equal(v, 120000000000ULL);
    const char *bad[] = {"", "1.5.s", "ms", "10 ms", "-1s", "1sec", "1e9ns"};
    assert_int_equal(vcb_parse_duration("1.5", "d", &v, &err), 0); /* fractional seconds ok */
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(vcb_parse_duration(bad[i], "--timeout", &v, &err), -1);
    assert_string_equal(err.msg, "--timeout: \"1e9ns\" is not a duration (expected a number with "
                                 "an optional unit ns, us, ms, s, m, h, e.g. 200ms, 1.5s)");
}

static void test_numbers(void **state)
{
    struct vcb_err err = {0};
    uint64_t u;
    double d;
    assert_int_equal(vcb_parse_u64("128", "--pids", &u, &err), 0);
    assert_int_equal(u, 128);
    assert_int_equal(vcb_parse_u64("12a", "--pids", &u, &err), -1);
    assert_string_equal(err.msg, "--pids: \"12a\" is not a whole number");
    assert_int_equal(vcb_parse_double("1.5", "--cpus", &d, &err), 0);
    assert_true(d == 1.5);
    assert_int_equal(vcb_parse_double("nan", "--cpus", &d, &err), -1);
    assert_int_equal(vcb_parse_double("1.5x", "--cpus", &d, &err), -1);
    /* decimal only: strtod would read these as 16, 1000 and 16 */
    assert_int_equal(vcb_parse_double("0x10", "--cpus", &d, &err), -1);
    assert_string_equal(err.msg, "--cpus: \"0x10\" is not a number (expected a decimal such as 2 "
                                 "or 0.5)");
    assert_int_equal(vcb_parse_double("1e3", "--cpus", &d, &err), -1);
    assert_int_equal(vcb_parse_double("0x1p4", "--cpus", &d, &err), -1);
    assert_int_equal(vcb_parse_double(".", "--cpus", &d, &err), -1);
    assert_int_equal(vcb_parse_double(".5", "--cpus", &d, &err), 0);
    assert_true(d == 0.5);
    assert_int_equal(vcb_parse_double("2.", "--cpus", &d, &err), 0);
    assert_true(d == 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sizes_good),   cmocka_unit_test(test_sizes_bad),
        cmocka_unit_test(test_size_message), cmocka_unit_test(test_durations),
        cmocka_unit_test(test_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
