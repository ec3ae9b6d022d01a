/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-rpt-compare.c — run comparison on the fixtures: the planted regression
 * (container boot +40 %) is found and nothing else; a run against itself,
 * or within a wide tolerance, has none; metrics present on one side only and
 * KVM-vs-TCG pairs are flagged. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "rpt-priv.h"

#define FIX(name) RPT_FIXTURES "/" name

struct runs {
    struct rpt_run *tcg, *regressed, *kvm;
};

static int setup(void **state)
{
    struct vcb_err err = {0};
    struct runs *r = calloc(1, sizeof(*r));
    if (!r || rpt_load(FIX("results-tcg.json"), &r->tcg, &err) < 0 ||
        rpt_load(FIX("results-tcg-regressed.json"), &r->regressed, &err) < 0 ||
        rpt_load(FIX("results-kvm-partial.json"), &r->kvm, &err) < 0) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return -1;
    }
    *state = r;
    return 0;
}

static int teardown(void **state)
{
    struct runs *r = *state;
    rpt_run_free(r->tcg);
    rpt_run_free(r->regressed);
    rpt_run_free(r->kvm);
    free(r);
    return 0;
}

static const struct rpt_cmp_row *row_find(const struct rpt_cmp *c, const char *key_start)
{
    for (size_t i = 0; i < c->n_rows; i++)
        if (strncmp(c->rows[i].key, key_start, strlen(key_start)) == 0)
            return &c->rows[i];
    return NULL;
}

static void test_planted_regression(void **state)
{
    struct runs *r = *state;
    struct vcb_err err = {0};
    struct rpt_cmp c;
    assert_int_equal(rpt_compare(r->tcg, r->regressed, 10, &c, &err), 0);
    const struct rpt_cmp_row *row = row_find(&c, "boot container create_to_ready [mode=serial");
    assert_non_null(row);
    assert_int_equal(row->verdict, RPT_REGRESSION);
    assert_true(fabs(row->change - 40) < 1);
    /* Only container serial-boot metrics moved (six of them, all +40 %). */
    assert_int_equal(c.n_regressions, 6);
    for (size_t i = 0; i < c.n_rows; i++)
        if (c.rows[i].verdict == RPT_REGRESSION)
            assert_non_null(strstr(c.rows[i].key, "boot container"));
    rpt_cmp_clear(&c);
}

static void test_within_tolerance(void **state)
{
    struct runs *r = *state;
    struct vcb_err err = {0};
    struct rpt_cmp c;
    assert_int_equal(rpt_compare(r->tcg, r->regressed, 50, &c, &err), 0);
    assert_int_equal(c.n_regressions, 0);
    rpt_cmp_clear(&c);
    assert_int_equal(rpt_compare(r->tcg, r->tcg, 10, &c, &err), 0);
    assert_int_equal(c.n_regressions, 0);
    for (size_t i = 0; i < c.n_rows; i++) {
        assert_int_equal(c.rows[i].verdict, RPT_SAME);
        assert_true(c.rows[i].change == 0);
    }
    rpt_cmp_clear(&c);
}

static void test_improvement(void **state)
{
    struct runs *r = *state;
    struct vcb_err err = {0};
    struct rpt_cmp c;
    assert_int_equal(rpt_compare(r->regressed, r->tcg, 10, &c, &err), 0);
    assert_int_equal(c.n_regressions, 0);
    const struct rpt_cmp_row *row = row_find(&c, "boot container create_to_ready");
    assert_non_null(row);
    assert_int_equal(row->verdict, RPT_IMPROVED);
    rpt_cmp_clear(&c);
}

static void test_sides_and_accel(void **state)
{
    struct runs *r = *state;
    struct vcb_err err = {0};
    struct rpt_cmp c;
    assert_int_equal(rpt_compare(r->tcg, r->kvm, 10, &c, &err), 0);
    const struct rpt_cmp_row *iso = row_find(&c, "isolation");
    assert_non_null(iso);
    assert_int_equal(iso->verdict, RPT_ONLY_BASE);
    const struct rpt_cmp_row *vm = row_find(&c, "boot vm — emulated (TCG) create_to_ready");
    assert_non_null(vm);
    assert_true(vm->accel_diff && vm->emulated);
    assert_int_equal(vm->verdict, RPT_INCOMPARABLE); /* 2.5 s -> 0.24 s: the emulation */
    assert_true(c.n_incomparable >= 1);
    rpt_cmp_clear(&c);
    /* KVM as the base, TCG as new: ten times slower, and still no regression */
    assert_int_equal(rpt_compare(r->kvm, r->tcg, 10, &c, &err), 0);
    assert_non_null(row_find(&c, "isolation"));
    assert_int_equal(row_find(&c, "isolation")->verdict, RPT_ONLY_NEW);
    vm = row_find(&c, "boot vm create_to_ready"); /* named by the KVM base */
    assert_non_null(vm);
    assert_int_equal(vm->verdict, RPT_INCOMPARABLE);
    for (size_t i = 0; i < c.n_rows; i++)
        assert_true(c.rows[i].verdict != RPT_REGRESSION || !c.rows[i].accel_diff);
    rpt_cmp_clear(&c);
    /* and the two runs are shown to differ in their VM acceleration */
    struct rpt_run_diff d[RPT_RUN_FACTS_MAX];
    size_t n = rpt_run_diffs(r->kvm, r->tcg, d, RPT_RUN_FACTS_MAX);
    assert_true(n >= 1);
    assert_string_equal(d[0].what, "VM acceleration");
    assert_string_equal(d[0].base, "KVM");
    assert_string_equal(d[0].new_, "emulated (TCG)");
}

/* Duplicate entries (same scenario, backend, params) pair up in order: a
 * run never regresses against itself. */
/* Options recorded under run (1.1) that differ are listed; equal ones not. */
static void test_run_option_diffs(void **state)
{
    struct vcb_err err = {0};
    cleanup_rpt_run struct rpt_run *a = NULL;
    cleanup_rpt_run struct rpt_run *b = NULL;
#define RUN_DOC(machine, userns)                                                                   \
    "{\"schema\":\"vcbench-results/1.1\",\"run\":{\"options\":{\"machine\":\"" machine             \
    "\",\"userns\":" userns ",\"seccomp\":\"default\"},\"suite_sha256\":\"aa\","                   \
    "\"command_line\":[\"vcbench\",\"run\"]},\"results\":[]}"
    const char *da = RUN_DOC("microvm", "false"), *db = RUN_DOC("q35", "true");
    assert_int_equal(rpt_load_str(da, "a.json", &a, &err), 0);
    assert_int_equal(rpt_load_str(db, "b.json", &b, &err), 0);
    struct rpt_run_diff d[RPT_RUN_FACTS_MAX];
    size_t n = rpt_run_diffs(a, b, d, RPT_RUN_FACTS_MAX);
    assert_int_equal(n, 2);
    assert_string_equal(d[0].what, "VM machine type");
    assert_string_equal(d[0].base, "microvm");
    assert_string_equal(d[0].new_, "q35");
    assert_string_equal(d[1].what, "container user namespace (--userns)");
    assert_string_equal(d[1].new_, "yes");
    assert_int_equal(rpt_run_diffs(a, a, d, RPT_RUN_FACTS_MAX), 0);
}

static void test_duplicates(void **state)
{
    struct vcb_err err = {0};
    cleanup_rpt_run struct rpt_run *r = NULL;
    const char *doc = "{\"schema\":\"vcbench-results/1\",\"results\":["
                      "{\"scenario\":\"boot\",\"backend\":\"vm\",\"metrics\":["
                      "{\"name\":\"m\",\"unit\":\"ns\",\"samples\":[1,1,1]},"
                      "{\"name\":\"m\",\"unit\":\"ns\",\"samples\":[9,9,9]}]},"
                      "{\"scenario\":\"boot\",\"backend\":\"vm\",\"metrics\":["
                      "{\"name\":\"m\",\"unit\":\"ns\",\"samples\":[50,50]}]}]}";
    assert_int_equal(rpt_load_str(doc, "dup.json", &r, &err), 0);
    struct rpt_cmp c;
    assert_int_equal(rpt_compare(r, r, 10, &c, &err), 0);
    assert_int_equal(c.n_rows, 3);
    for (size_t i = 0; i < c.n_rows; i++)
        assert_int_equal(c.rows[i].verdict, RPT_SAME);
    rpt_cmp_clear(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_planted_regression), cmocka_unit_test(test_within_tolerance),
        cmocka_unit_test(test_improvement),        cmocka_unit_test(test_sides_and_accel),
        cmocka_unit_test(test_run_option_diffs),   cmocka_unit_test(test_duplicates),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
