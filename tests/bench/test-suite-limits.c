/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-suite-limits.c — a suite's soft and I/O limits and the isolation
 * scenario's limit variants: good ones parse to what they say, bad ones
 * each get their exact usage error naming the field, nothing half-made. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <string.h>

#include "isolation.h"
#include "suite-parse.h"

#define LIM(x)                                                                                     \
    "{\"name\": \"x\", \"limits\": {\"container\": " x "}, \"scenarios\": [{\"type\": \"boot\"}]}"
#define ISO(v)                                                                                     \
    "{\"name\": \"x\", \"scenarios\": [{\"type\": \"isolation\", \"victims\": [\"cpu\"], "         \
    "\"aggressors\": [\"cpu\"], \"variants\": " v "}]}"

static void test_soft_and_io_limits(void **state)
{
    struct bench_suite s = {0};
    struct vcb_err err = {0};
    int c = bench_backend_index("container");
    assert_int_equal(parse(LIM("{\"memory\": \"256MiB\", \"cpu_weight\": 200, \"memory_soft\": "
                               "\"192MiB\", \"memory_low\": \"64MiB\", \"io_read_bps\": \"10MiB\", "
                               "\"io_write_bps\": 1048576, \"io_read_iops\": 500, "
                               "\"io_write_iops\": 100, \"io_weight\": 300}"),
                           &s, &err),
                     0);
    const struct vcb_limits *l = &s.limits[c];
    assert_int_equal(l->cpu_weight, 200);
    assert_int_equal(l->memory_soft, 192ULL << 20);
    assert_int_equal(l->memory_low, 64ULL << 20);
    assert_int_equal(l->io.rbps, 10ULL << 20);
    assert_int_equal(l->io.wbps, 1048576);
    assert_int_equal(l->io.riops, 500);
    assert_int_equal(l->io.wiops, 100);
    assert_int_equal(l->io.weight, 300);
    bench_suite_free(&s);
}

static void test_variants(void **state)
{
    struct bench_suite s = {0};
    struct vcb_err err = {0};
    int c = bench_backend_index("container"), v = bench_backend_index("vm");
    assert_int_equal(parse(ISO("{\"hard\": {\"container\": {\"cpus\": 1}, \"vm\": {\"cpus\": 1}}, "
                               "\"weight\": {\"container\": {\"cpu_weight\": 100}}, "
                               "\"cpuset\": {\"container\": {\"cpuset\": \"0\"}}}"),
                           &s, &err),
                     0);
    const struct iso_params *p = s.scen[0].params;
    assert_int_equal(p->nvariants, 3);
    assert_string_equal(p->variants[0].name, "hard"); /* the suite's order */
    assert_string_equal(p->variants[1].name, "weight");
    assert_string_equal(p->variants[2].name, "cpuset");
    assert_true(p->variants[0].limits[c].cpus == 1 && p->variants[0].given[c]);
    assert_true(v < 0 || (p->variants[0].given[v] && p->variants[0].limits[v].cpus == 1));
    assert_int_equal(p->variants[1].limits[c].cpu_weight, 100);
    assert_true(v < 0 || !p->variants[1].given[v]); /* the VM sits "weight" out */
    assert_string_equal(p->variants[2].limits[c].cpuset, "0");
    bench_suite_free(&s);
    /* without "variants": none, as before */
    assert_int_equal(parse(ISO("{\"w\": {\"container\": {}}}"), &s, &err), 0);
    bench_suite_free(&s);
}

static const struct {
    const char *json, *msg;
} bad_cases[] = {
    {LIM("{\"cpu_weight\": 0}"),
     "t.json: limits.container.cpu_weight: 0 is out of range (expected a whole number from 1 to "
     "10000, cpu.weight's scale where 100 is the default; omit it for none)"},
    {LIM("{\"cpu_weight\": 10001}"),
     "t.json: limits.container.cpu_weight: 10001 is out of range (expected a whole number from 1 "
     "to 10000, cpu.weight's scale where 100 is the default; omit it for none)"},
    {LIM("{\"cpu_weight\": 1.5}"),
     "t.json: limits.container.cpu_weight: expected an integer, got a number"},
    {LIM("{\"memory_soft\": \"1k\"}"),
     "t.json: limits.container.memory_soft: 1024 bytes is too small (expected at least 4MiB; omit "
     "it for no limit)"},
    {LIM("{\"memory\": \"64MiB\", \"memory_soft\": \"128MiB\"}"),
     "t.json: limits.container.memory_soft: above limits.container.memory limits nothing "
     "(expected a soft limit below the hard one)"},
    {LIM("{\"memory_soft\": \"64MiB\", \"memory_low\": \"64MiB\"}"),
     "t.json: limits.container.memory_low: expected a protection below "
     "limits.container.memory_soft"},
    {LIM("{\"io_read_bps\": 100}"),
     "t.json: limits.container.io_read_bps: 100 bytes/s is too small (expected at least 4KiB per "
     "second; omit it for no limit)"},
    {LIM("{\"io_write_iops\": 0}"),
     "t.json: limits.container.io_write_iops: 0 is out of range (expected a whole number of "
     "operations per second, at least 1; omit it for no limit)"},
    {LIM("{\"io_weight\": 1001}"),
     "t.json: limits.container.io_weight: 1001 is out of range (expected a whole number from 1 to "
     "1000, where 100 is the default; omit it for none)"},
    {ISO("[]"), "t.json: scenarios[0].variants: expected an object, got an array"},
    {ISO("{}"), "t.json: scenarios[0].variants: expected 1 to 8 named variants, got 0"},
    {ISO("{\"Hard\": {\"container\": {}}}"),
     "t.json: scenarios[0].variants.Hard: expected a variant name of lowercase letters, digits and "
     "'-', starting with a letter, at most 31 characters, not \"control\""},
    {ISO("{\"control\": {\"container\": {}}}"),
     "t.json: scenarios[0].variants.control: expected a variant name of lowercase letters, digits "
     "and '-', starting with a letter, at most 31 characters, not \"control\""},
    {ISO("{\"hard\": {}}"),
     "t.json: scenarios[0].variants.hard: names no backend (expected e.g. {\"container\": "
     "{\"cpus\": 1}})"},
    {ISO("{\"hard\": {\"process\": {\"cpus\": 1}}}"),
     "t.json: scenarios[0].variants.hard.process: the process backend is the unlimited control "
     "and applies no limits; remove it"},
    {ISO("{\"hard\": {\"container\": {\"cpus\": 0}}}"),
     "t.json: scenarios[0].variants.hard.container.cpus: 0 is out of range (expected a number "
     "from 0.01 to 4096; omit it for no limit)"},
    {ISO("{\"w\": {\"container\": {\"cpu_weight\": -1}}}"),
     "t.json: scenarios[0].variants.w.container.cpu_weight: -1 is out of range (expected a whole "
     "number from 1 to 10000, cpu.weight's scale where 100 is the default; omit it for none)"},
};

static void test_bad(void **state)
{
    for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
        struct bench_suite s = {0};
        struct vcb_err err = {0};
        if (parse(bad_cases[i].json, &s, &err) == 0)
            fail_msg("case %zu parsed but should not: %s", i, bad_cases[i].json);
        if (strcmp(err.msg, bad_cases[i].msg) != 0)
            fail_msg("case %zu:\n  got  %s\n  want %s", i, err.msg, bad_cases[i].msg);
        assert_int_equal(err.usage, 1);
        assert_null(s.scen);
        assert_null(s.json);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_soft_and_io_limits),
        cmocka_unit_test(test_variants),
        cmocka_unit_test(test_bad),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
