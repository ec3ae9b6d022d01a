/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-scenario-table.c — the scenario table: every row has every op and a
 * name of its own; each row reads its own fields (defaults, and its exact
 * error for a bad one), plans its launches and names the images it needs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <string.h>

#include "scenario.h"

static void test_rows_complete_and_unique(void **state)
{
    size_t n = 0;
    char names[256] = "";
    for (size_t i = 0; bench_scenarios[i]; i++, n++) {
        const struct bench_scenario_ops *o = bench_scenarios[i];
        assert_non_null(o->name);
        assert_non_null(o->parse);
        assert_non_null(o->plan);
        assert_non_null(o->images);
        assert_non_null(o->run);
        assert_non_null(o->free);
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(bench_scenarios[j]->name, o->name);
        assert_ptr_equal(bench_scenario_find(o->name), o);
        snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s", i ? ", " : "",
                 o->name);
    }
    assert_int_equal(n, 4);
    assert_string_equal(bench_scenario_names(), "boot, memory, density, isolation");
    assert_string_equal(bench_scenario_names(), names);
    assert_null(bench_scenario_find("warp"));
}

/* ---- one row at a time ------------------------------------------------------ */
struct seen {
    char list[256];          /* "noop idle" */
    unsigned calls, fail_at; /* fail_at: the call that fails; 0: none */
};

static int need(void *arg, const char *workload, struct vcb_err *err)
{
    struct seen *s = arg;
    size_t len = strlen(s->list);
    snprintf(s->list + len, sizeof(s->list) - len, "%s%s", len ? " " : "", workload);
    if (++s->calls == s->fail_at)
        return vcb_err_set(err, 0, "image %s: no room", workload);
    return 0;
}

static int parse(const char *name, const char *text, void **params, struct vcb_err *err)
{
    const struct bench_scenario_ops *o = bench_scenario_find(name);
    struct sj sj = {.file = "t.json", .err = err};
    json_t *doc = json_loads(text, 0, NULL);
    assert_non_null(o);
    assert_non_null(doc);
    *params = NULL;
    int rc = o->parse(&sj, doc, "scenarios[2]", params);
    json_decref(doc);
    return rc;
}

struct good_case {
    const char *name, *json;
    unsigned plan2; /* planned launches over 2 backends */
    const char *images;
};

static const struct good_case good[] = {
    {"boot", "{\"type\": \"boot\"}", 2 * (1 + 10), "noop"}, /* warmup 1, n 10 */
    {"boot",
     "{\"type\": \"boot\", \"workload\": \"idle\", \"warmup\": 0, \"n\": 2, "
     "\"concurrency\": [1, 4], \"rounds\": 3}",
     2 * (2 + 3 * (1 + 4)), "idle"},
    {"memory", "{\"type\": \"memory\"}", 2 * 2 * 3, "idle alloc"},
    {"density",
     "{\"type\": \"density\", \"instances_max\": {\"vm\": 3, \"container\": 5}, "
     "\"n\": 2}",
     2 * 5 * 2, "idle"},
    {"isolation",
     "{\"type\": \"isolation\", \"victims\": [\"cpu\", \"lat\"], "
     "\"aggressors\": [\"memhog\"]}",
     2 * 2 * (1 + 2) * 3, "cpu lat memhog"},
};

static void test_rows_parse_plan_images(void **state)
{
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        const struct bench_scenario_ops *o = bench_scenario_find(good[i].name);
        struct vcb_err err = {0};
        struct seen seen = {0};
        void *params;
        if (parse(good[i].name, good[i].json, &params, &err) < 0)
            fail_msg("%s: %s", good[i].json, err.msg);
        assert_int_equal(o->plan(params, 2), good[i].plan2);
        assert_int_equal(o->plan(params, 0), 0);
        assert_int_equal(o->images(params, need, &seen, &err), 0);
        assert_string_equal(seen.list, good[i].images);
        o->free(params);
    }
}

/* The walk of images stops at the first that fails, with its error. */
static void test_images_stop_at_first_failure(void **state)
{
    const struct bench_scenario_ops *o = bench_scenario_find("isolation");
    struct vcb_err err = {0};
    struct seen seen = {.fail_at = 2};
    void *params;
    assert_int_equal(parse("isolation",
                           "{\"type\": \"isolation\", \"victims\": [\"cpu\"], "
                           "\"aggressors\": [\"memhog\", \"cpu\"]}",
                           &params, &err),
                     0);
    assert_int_equal(o->images(params, need, &seen, &err), -1);
    assert_string_equal(seen.list, "cpu memhog");
    assert_string_equal(err.msg, "image memhog: no room");
    o->free(params);
}

struct bad_case {
    const char *name, *json, *msg;
};

/* Each row's own error, at the path the suite gave it, nothing allocated. */
static const struct bad_case bad[] = {
    {"boot", "{\"type\": \"boot\", \"rounds\": 0}",
     "t.json: scenarios[2].rounds: expected an integer from 1 to 1000, got 0"},
    {"boot", "{\"type\": \"boot\", \"n\": 4, \"max_n\": 2}",
     "t.json: scenarios[2]: max_n (2) must be at least n (4)"},
    {"memory", "{\"type\": \"memory\", \"n\": 2, \"max_n\": 3}",
     "t.json: scenarios[2]: unknown key 'max_n' (expected one of: type, workloads, alloc, n, "
     "settle)"},
    {"memory", "{\"type\": \"memory\", \"alloc\": 0}",
     "t.json: scenarios[2].alloc: expected a size above 0 (e.g. \"64MiB\")"},
    {"density", "{\"type\": \"density\", \"instances_max\": 5000}",
     "t.json: scenarios[2].instances_max: expected an integer from 1 to 4096, got 5000"},
    {"density", "{\"type\": \"density\", \"instances_max\": 2, \"n\": 101}",
     "t.json: scenarios[2].n: expected an integer from 1 to 100, got 101"},
    {"isolation", "{\"type\": \"isolation\", \"victims\": [\"cpu\"]}",
     "t.json: scenarios[2].aggressors: missing (expected an array of workload names)"},
    {"isolation",
     "{\"type\": \"isolation\", \"victims\": [\"cpu\"], \"aggressors\": [\"cpu\"], \"n\": 3, "
     "\"max_n\": 1}",
     "t.json: scenarios[2]: max_n (1) must be at least n (3)"},
};

static void test_rows_parse_errors(void **state)
{
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct vcb_err err = {0};
        void *params;
        assert_int_equal(parse(bad[i].name, bad[i].json, &params, &err), -1);
        assert_string_equal(err.msg, bad[i].msg);
        assert_int_equal(err.usage, 1); /* the CLI exits 2 */
        assert_null(params);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_complete_and_unique),
        cmocka_unit_test(test_rows_parse_plan_images),
        cmocka_unit_test(test_images_stop_at_first_failure),
        cmocka_unit_test(test_rows_parse_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
