/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-rpt-load.c — the results loader: the fixtures load with the values
 * expected; each kind of malformed input fails as a usage error naming the
 * file and the field; and thousands of type-swapped and cut-short variants
 * of a fixture neither crash the loader nor the writers fed from it (run
 * under ASan/UBSan in CI; the libFuzzer target can reuse the same entry). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "rpt-priv.h"

#define FIX(name) RPT_FIXTURES "/" name

static size_t count_samples(const struct rpt_run *r)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n_entries; i++)
        for (size_t m = 0; m < r->entries[i].n_metrics; m++)
            n += r->entries[i].metrics[m].n_samples;
    return n;
}

static void test_fixture(void **state)
{
    struct vcb_err err = {0};
    cleanup_rpt_run struct rpt_run *r = NULL;
    assert_int_equal(rpt_load(FIX("results-tcg.json"), &r, &err), 0);
    assert_string_equal(r->id, "3f2a9c01");
    assert_string_equal(r->host.accel, "tcg");
    assert_int_equal(r->host.cores, 2);
    assert_true(r->complete);
    assert_true(rpt_run_any_emulated(r));
    const struct rpt_entry *vm = rpt_entry_find(r, "boot", "vm", rpt_is_boot_serial);
    assert_non_null(vm);
    assert_true(vm->emulated);
    assert_string_equal(vm->params_key, "mode=serial workload=noop");
    const struct rpt_metric *m = rpt_metric_find(vm, "create_to_ready");
    assert_non_null(m);
    assert_int_equal(m->n_samples, 20);
    assert_true(m->has_summary && m->sum.median > 1e9); /* emulated: seconds */
    FILE *devnull = fopen("/dev/null", "w");
    assert_int_equal(rpt_csv_write_run(devnull, r), count_samples(r));
    fclose(devnull);
    assert_int_equal(count_samples(r), 861); /* 825 + all_ready: 3 per concurrent entry */
}

/* The density fits: slope, CI (null: none) and intercept. */
static void test_memory_fixture(void **state)
{
    struct vcb_err err = {0};
    cleanup_rpt_run struct rpt_run *r = NULL;
    assert_int_equal(rpt_load(FIX("results-memory.json"), &r, &err), 0);
    const struct rpt_entry *vm = rpt_entry_find(r, "density", "vm", NULL);
    assert_non_null(vm);
    assert_true(vm->fit.has && vm->daemons_fit.has);
    assert_float_equal(vm->fit.slope, 157286400, 0.5);
    assert_float_equal(vm->fit.lo, 146800640, 0.5);
    assert_false(isnan(vm->fit.intercept));
    const struct rpt_entry *mem = rpt_entry_find(r, "memory", "vm", NULL);
    assert_false(mem->fit.has);
    cleanup_rpt_run struct rpt_run *n = NULL;
    assert_int_equal(rpt_load_str("{\"schema\":\"vcbench-results/1\",\"results\":[{\"scenario\":"
                                  "\"density\",\"backend\":\"vm\",\"fit\":{\"slope_bytes\":5,"
                                  "\"ci95_lo\":null}}]}",
                                  "t.json", &n, &err),
                     0);
    assert_true(n->entries[0].fit.has && isnan(n->entries[0].fit.lo) &&
                isnan(n->entries[0].fit.hi) && isnan(n->entries[0].fit.intercept));
}

static void test_partial_fixture(void **state)
{
    struct vcb_err err = {0};
    cleanup_rpt_run struct rpt_run *r = NULL;
    assert_int_equal(rpt_load(FIX("results-kvm-partial.json"), &r, &err), 0);
    assert_false(r->complete);
    assert_string_equal(r->stopped_by, "SIGINT");
    assert_false(rpt_run_any_emulated(r));
    assert_null(r->finished);
}

struct bad_case {
    const char *json, *want;
};

#define HEAD      "{\"schema\":\"vcbench-results/1\","
#define ENTRY(x)  HEAD "\"results\":[{\"scenario\":\"boot\",\"backend\":\"vm\"," x "}]}"
#define METRIC(x) ENTRY("\"metrics\":[{\"name\":\"m\",\"unit\":\"ns\"," x "}]")

static const struct bad_case bad_cases[] = {
    {"[]", "t.json: expected a JSON object at the top, got an array"},
    {"{", "t.json:1:1: not valid JSON"},
    {"{\"schema\":\"a\",\"schema\":\"b\"}", "not valid JSON"},
    {"{\"results\":[]}", "t.json: schema: expected a string"},
    {"{\"schema\":\"vcbench-results/9\",\"results\":[]}", "schema: expected \"vcbench-results/1\""},
    {HEAD "\"results\":{}}", "t.json: results: expected an array, got an object"},
    {HEAD "\"results\":null}", "t.json: results: expected an array"},
    {HEAD "\"results\":[1]}", "t.json: results[0]: expected an object, got a number"},
    {HEAD "\"results\":[{\"backend\":\"vm\"}]}", "results[0].scenario: expected a string"},
    {ENTRY("\"emulated\":\"yes\""), "results[0].emulated: expected true or false"},
    {ENTRY("\"params\":[]"), "results[0].params: expected an object, got an array"},
    {ENTRY("\"metrics\":[7]"), "results[0].metrics[0]: expected an object"},
    {METRIC("\"unit\":\"parsec\""), "not valid JSON"}, /* duplicate key "unit" */
    {ENTRY("\"metrics\":[{\"name\":\"m\",\"unit\":\"parsec\"}]"),
     "results[0].metrics[0].unit: expected one of ns, bytes"},
    {METRIC("\"samples\":[1,\"x\"]"), "results[0].metrics[0].samples[1]: expected a number"},
    {METRIC("\"samples\":[-5]"), "samples[0]: expected a number >= 0"},
    {METRIC("\"samples\":[1e300]"), "samples[0]: expected a number >= 0, at most 1e18"},
    {METRIC("\"summary\":{\"median\":\"1\"}"),
     "results[0].metrics[0].summary.median: expected a number of at most 1e18, got a string"},
    {METRIC("\"summary\":{\"median\":1,\"ci95_lo\":3,\"ci95_hi\":2}"), "summary.ci95_lo"},
    {ENTRY("\"curve\":[{\"instances\":\"a\"}]"),
     "results[0].curve[0].instances: expected a number"},
    {ENTRY("\"fit\":[]"), "results[0].fit: expected an object, got an array"},
    {ENTRY("\"fit\":{\"ci95_lo\":1}"), "results[0].fit.slope_bytes: expected a number"},
    {ENTRY("\"daemons_fit\":{\"slope_bytes\":1,\"ci95_hi\":\"x\"}"),
     "results[0].daemons_fit.ci95_hi: expected a number"},
    {ENTRY("\"dnf\":[3]"), "results[0].dnf[0]: expected an object with a reason"},
    {ENTRY("\"notes\":{\"aggressor_outcome\":1}"), "results[0].notes.aggressor_outcome"},
    {HEAD "\"host\":{\"accel\":\"xen\"},\"results\":[]}", "t.json: host.accel: expected \"kvm\""},
    {HEAD "\"host\":{\"cores\":-2},\"results\":[]}", "host.cores"},
    {HEAD "\"run\":{\"complete\":1},\"results\":[]}", "run.complete: expected true or false"},
    {"{\"schema\":\"vcbench-results/1.x\",\"results\":[]}", "schema: expected"},
    {"{\"schema\":\"vcbench-results/10\",\"results\":[]}", "schema: expected"},
    {"{\"schema\":\"vcbench-results/1.\",\"results\":[]}", "schema: expected"},
    {HEAD "\"run\":{\"options\":[]},\"results\":[]}", "run.options: expected an object"},
    {HEAD "\"run\":{\"options\":{\"userns\":1}},\"results\":[]}",
     "run.options.userns: expected a string, true, false or null, got a number"},
    {HEAD "\"run\":{\"command_line\":[\"vcbench\",2]},\"results\":[]}",
     "run.command_line[1]: expected a string"},
    {HEAD "\"run\":{\"suite_sha256\":5},\"results\":[]}", "run.suite_sha256: expected a string"},
};

static void test_malformed(void **state)
{
    for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
        struct vcb_err err = {0};
        struct rpt_run *r = NULL;
        int rc = rpt_load_str(bad_cases[i].json, "t.json", &r, &err);
        if (rc != -1 || !strstr(err.msg, bad_cases[i].want) || !err.usage)
            fail_msg("case %zu: rc %d usage %d msg '%s', wanted '%s'", i, rc, err.usage, err.msg,
                     bad_cases[i].want);
        assert_null(r);
    }
}

/* A 1.1 file: a later minor version loads, with its run options. */
static void test_minor_version(void **state)
{
    struct vcb_err err = {0};
    cleanup_rpt_run struct rpt_run *r = NULL;
    const char *doc = "{\"schema\":\"vcbench-results/1.1\",\"run\":{\"options\":"
                      "{\"userns\":true,\"machine\":null},\"suite_sha256\":\"ab\","
                      "\"command_line\":[\"vcbench\",\"run\"]},\"results\":[]}";
    if (rpt_load_str(doc, "t.json", &r, &err) < 0)
        fail_msg("%s", err.msg);
    assert_true(json_is_true(json_object_get(r->options, "userns")));
    assert_string_equal(r->suite_sha256, "ab");
    assert_int_equal(json_array_size(r->command_line), 2);
}

static void test_missing_file(void **state)
{
    struct vcb_err err = {0};
    struct rpt_run *r = NULL;
    assert_int_equal(rpt_load("/nonexistent/r.json", &r, &err), -1);
    assert_int_equal(err.usage, 1);
    assert_non_null(strstr(err.msg, "/nonexistent/r.json: cannot read"));
}

/* A tolerant minimum: only the schema and an empty results array. */
static void test_minimal(void **state)
{
    struct vcb_err err = {0};
    cleanup_rpt_run struct rpt_run *r = NULL;
    assert_int_equal(rpt_load_str(HEAD "\"results\":[]}", "t.json", &r, &err), 0);
    assert_int_equal(r->n_entries, 0);
    assert_null(r->options); /* a 1.0 file: no run options */
    cleanup_free char *answer = rpt_answer(r);
    assert_non_null(strstr(answer, "No serial boot results"));
}

/* What the runner writes for values it could not compute: null. */
static void test_nulls(void **state)
{
    struct vcb_err err = {0};
    cleanup_rpt_run struct rpt_run *r = NULL;
    const char *doc = METRIC("\"samples\":[1,null,3],"
                             "\"summary\":{\"median\":2,\"ci95_lo\":null,\"ci95_hi\":5}");
    assert_int_equal(rpt_load_str(doc, "t.json", &r, &err), 0);
    const struct rpt_metric *m = &r->entries[0].metrics[0];
    assert_int_equal(m->n_samples, 2);
    assert_true(m->has_summary && m->sum.median == 2);
    assert_true(isnan(m->sum.ci_lo) && isnan(m->sum.ci_hi)); /* half a CI is none */
    rpt_run_free(steal_pointer(&r));
    /* No summary at all: made from the samples. */
    assert_int_equal(rpt_load_str(METRIC("\"samples\":[5,1,3]"), "t.json", &r, &err), 0);
    assert_true(r->entries[0].metrics[0].has_summary && r->entries[0].metrics[0].sum.median == 3);
}

/* ---- mutations ---------------------------------------------------------- */
static unsigned long long rng = 0x9e3779b97f4a7c15ULL;
static unsigned rnd(unsigned n)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return (unsigned)(rng % n);
}

static json_t *random_value(void)
{
    switch (rnd(9)) {
    case 0:
        return json_null();
    case 1:
        return json_integer(-1);
    case 2:
        return json_real(1e308);
    case 3:
        return json_string("x\"<&`");
    case 4:
        return json_array();
    case 5:
        return json_object();
    case 6:
        return json_true();
    case 7:
        return json_integer(0);
    default:
        return json_pack("[i,i,i]", 0, 1, 2);
    }
}

/* Replace the k-th node (pre-order) below j with a random value. */
static bool mutate(json_t *j, unsigned *k)
{
    const char *key;
    json_t *v;
    size_t i;
    if (json_is_object(j)) {
        json_object_foreach(j, key, v)
        {
            if ((*k)-- == 0)
                return json_object_set_new(j, key, random_value()) == 0;
            if (mutate(v, k))
                return true;
        }
    } else if (json_is_array(j)) {
        json_array_foreach(j, i, v)
        {
            if ((*k)-- == 0)
                return json_array_set_new(j, i, random_value()) == 0;
            if (mutate(v, k))
                return true;
        }
    }
    return false;
}

/* Everything the report makes from a run that needs no gnuplot. */
static void exercise(struct rpt_run *r, const char *dir)
{
    struct vcb_err err = {0};
    struct rpt_cmp cmp;
    struct rpt_run *runs[] = {r, r};
    struct rpt_opts opts = {0};
    struct rpt_ctx ctx = {.runs = runs, .n_runs = 2, .dir = dir, .opts = &opts};
    char path[512];
    snprintf(r->label, sizeof(r->label), "fuzz");
    free(rpt_answer(r));
    if (rpt_compare(r, r, 10, &cmp, &err) == 0) {
        assert_int_equal(cmp.n_regressions, 0);
        rpt_cmp_clear(&cmp);
    }
    snprintf(path, sizeof(path), "%s/report.html", dir);
    assert_int_equal(rpt_html_write(&ctx, path, &err), 0);
    snprintf(path, sizeof(path), "%s/report.md", dir);
    assert_int_equal(rpt_md_write(&ctx, path, &err), 0);
    snprintf(path, sizeof(path), "%s/samples.csv", dir);
    assert_int_equal(rpt_csv_write(runs, 1, path, &err), 0);
}

static void test_mutations(void **state)
{
    struct vcb_err err = {0};
    char dir[] = "/tmp/test-rpt-load-XXXXXX";
    assert_non_null(mkdtemp(dir));
    json_error_t jerr;
    json_t *orig = json_load_file(FIX("results-tcg.json"), 0, &jerr);
    assert_non_null(orig);
    size_t loaded = 0;
    for (int it = 0; it < 800; it++) {
        json_t *doc = json_deep_copy(orig);
        for (int n = 1 + (int)rnd(3); n > 0; n--) {
            unsigned k = rnd(it < 200 ? 60 : 4000);
            mutate(doc, &k);
        }
        char *text = json_dumps(doc, JSON_COMPACT);
        json_decref(doc);
        if (rnd(4) == 0) /* also cut short: a file being written */
            text[rnd((unsigned)strlen(text))] = '\0';
        struct rpt_run *r = NULL;
        vcb_err_clear(&err);
        if (rpt_load_str(text, "fuzz.json", &r, &err) == 0) {
            exercise(r, dir);
            rpt_run_free(r);
            loaded++;
        } else {
            assert_int_equal(err.usage, 1);
            assert_non_null(strstr(err.msg, "fuzz.json"));
        }
        free(text);
    }
    json_decref(orig);
    assert_true(loaded > 10); /* the loop did reach the writers */
    assert_int_equal(vcb_rm_rf(dir, &err), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture),        cmocka_unit_test(test_partial_fixture),
        cmocka_unit_test(test_memory_fixture), cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_minor_version),  cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_minimal),        cmocka_unit_test(test_nulls),
        cmocka_unit_test(test_mutations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
