/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-guest-parse — the guest-side size and duration parsers: accepted
 * forms give exact values; junk, negatives, empty and overflow are refused. */
#include <stdint.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "guest.h"

struct good {
    const char *in;
    uint64_t want;
};

static void test_sizes_good(void **state)
{
    static const struct good cases[] = {
        {"4096", 4096},         {"0", 0},
        {"512k", 512 << 10},    {"512K", 512 << 10},
        {"256MiB", 256 << 20},  {"1G", 1ULL << 30},
        {"1GiB", 1ULL << 30},   {"2T", 2ULL << 40},
        {"1.5GiB", 3ULL << 29}, {"1KB", 1000},
        {"3MB", 3000000},       {"100B", 100},
        {"0.5k", 512},          {"18446744073709551615", UINT64_MAX},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        uint64_t v = 12345;
        print_message("size %s\n", cases[i].in);
        assert_int_equal(wl_parse_size(cases[i].in, &v), 0);
        assert_int_equal(v, cases[i].want);
    }
}

static void test_sizes_bad(void **state)
{
    static const char *const cases[] = {
        "",
        "12XB",
        "-1",
        "1.5.5M",
        "1.",
        ".5k",
        " 1k",
        "1k ",
        "1 k",
        "1kk",
        "MiB",
        "1mib",
        "18446744073709551616",
        "17179869184G",
        NULL,
    };
    for (size_t i = 0; cases[i]; i++) {
        uint64_t v = 777;
        print_message("size '%s'\n", cases[i]);
        assert_int_equal(wl_parse_size(cases[i], &v), -1);
        assert_int_equal(v, 777); /* untouched on failure */
    }
    assert_int_equal(wl_parse_size(NULL, &(uint64_t){0}), -1);
}

static void test_durations_good(void **state)
{
    static const struct good cases[] = {
        {"1.5s", 1500000000ULL},
        {"200ms", 200000000ULL},
        {"50us", 50000ULL},
        {"10ns", 10},
        {"2", 2000000000ULL},
        {"0.25", 250000000ULL},
        {"2m", 120000000000ULL},
        {"1h", 3600000000000ULL},
        {"0", 0},
        {"1.000000001s", 1000000001ULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        uint64_t v = 12345;
        print_message("duration %s\n", cases[i].in);
        assert_int_equal(wl_parse_duration(cases[i].in, &v), 0);
        assert_int_equal(v, cases[i].want);
    }
}

static void test_durations_bad(void **state)
{
    static const char *const cases[] = {
        "", "soon", "-1s", "1.5.5s", "1 s", "1S", "1sec", "ms", "99999999999h", NULL,
    };
    for (size_t i = 0; cases[i]; i++) {
        uint64_t v = 777;
        print_message("duration '%s'\n", cases[i]);
        assert_int_equal(wl_parse_duration(cases[i], &v), -1);
        assert_int_equal(v, 777);
    }
}

static void test_u64(void **state)
{
    uint64_t v = 0;
    assert_int_equal(wl_parse_u64("4096", &v), 0);
    assert_int_equal(v, 4096);
    assert_int_equal(wl_parse_u64("18446744073709551615", &v), 0);
    assert_int_equal(v, UINT64_MAX);
    assert_int_equal(wl_parse_u64("18446744073709551616", &v), -1);
    assert_int_equal(wl_parse_u64("2.5", &v), -1);
    assert_int_equal(wl_parse_u64("-1", &v), -1);
    assert_int_equal(wl_parse_u64("1k", &v), -1);
    assert_int_equal(wl_parse_u64("", &v), -1);
}

/* The JSON writer escapes what could break a line and refuses inf/nan. */
static void test_json_writer(void **state)
{
    struct wl_json j;
    wl_json_begin(&j, NULL, "cpu");
    wl_json_u64(&j, "ops", 42);
    wl_json_double(&j, "ops_per_s", 1.0 / 0.0);
    wl_json_bool(&j, "refused", true);
    wl_json_str(&j, "error", "a\"b\\c\nd");
    wl_json_i64(&j, "errno", -11);
    assert_false(j.overflow);
    j.buf[j.len] = '\0';
    assert_string_equal(j.buf, "{\"workload\":\"cpu\",\"ops\":42,\"ops_per_s\":null,"
                               "\"refused\":true,\"error\":\"a\\\"b\\\\c\\u000ad\",\"errno\":-11");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sizes_good),
        cmocka_unit_test(test_sizes_bad),
        cmocka_unit_test(test_durations_good),
        cmocka_unit_test(test_durations_bad),
        cmocka_unit_test(test_u64),
        cmocka_unit_test(test_json_writer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
