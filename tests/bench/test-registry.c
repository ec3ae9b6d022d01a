/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-registry.c — every list of backends follows the registry: the names
 * suites may use, --backends' and --help's lists, the built drivers, the
 * index and kind look-ups; a backend this build leaves out is still known
 * by name, with no driver and its reason. A family's line ("oci:RUNTIME") is
 * listed but never an arm; its members claim an index when first named.
 * Built twice: against this build's registry and against one compiled
 * without the VM driver (NO_VM). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <string.h>

#include "harness.h"

static void join(char *buf, size_t len, const char *sep, bool built_only)
{
    buf[0] = 0;
    for (size_t i = 0; i < bench_backend_count(); i++) {
        if (built_only && !bench_backend_driver(i))
            continue;
        size_t n = strlen(buf);
        snprintf(buf + n, len - n, "%s%s", n ? sep : "", bench_backend_name(i));
    }
}

static void test_lists_follow_the_registry(void **state)
{
    (void)state;
    char want[256];
    size_t n = bench_backend_count();
    assert_true(n >= 1 && n <= BENCH_BACKEND_MAX);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(bench_backend_names()[i], bench_backend_name(i));
        if (!bench_backend_fixed(i)) /* a family's line: "oci:RUNTIME" */
            continue;
        assert_int_equal(bench_backend_index(bench_backend_name(i)), (int)i);
        assert_true(bench_backend_of_kind(bench_backend_kind(i)) <= (int)i);
    }
    assert_null(bench_backend_names()[n]);
    assert_null(bench_backend_name(n));
    assert_int_equal(bench_backend_index("xen"), -1);
    join(want, sizeof want, ", ", false);
    assert_string_equal(bench_backend_list(false), want);
    join(want, sizeof want, ",", false);
    assert_string_equal(bench_backend_list(true), want);
    join(want, sizeof want, ", ", true);
    assert_string_equal(bench_driver_names(), want);
}

static void test_built_backends_are_their_drivers(void **state)
{
    (void)state;
    for (size_t i = 0; i < bench_backend_count(); i++) {
        if (!bench_backend_fixed(i))
            continue;
        const struct vcb_driver *d = bench_backend_driver(i);
        struct bench_backend be = bench_backend_at((int)i);
        assert_ptr_equal(bench_driver_find(bench_backend_name(i)), d);
        assert_ptr_equal(be.drv, d);
        assert_string_equal(be.name, bench_backend_name(i));
        if (!d)
            continue;
        assert_string_equal(d->name, bench_backend_name(i));
        assert_int_equal(d->kind, bench_backend_kind(i));
        assert_string_equal(bench_backend_why(i), "");
        assert_string_equal(be.why, "");
        /* the mandatory callbacks are there */
        assert_true(d->create && d->start && d->event_fd && d->next_event && d->stats && d->stop &&
                    d->destroy);
        for (const struct vcb_driver_opt *o = d->options; o && o->name; o++)
            assert_true(o->help && o->apply);
    }
    assert_int_equal(bench_backend_of_kind(VCB_ARM_CONTROL), bench_backend_index("process"));
}

/* The VM driver is known whether built or not; left out, it says why. */
static void test_vm_known_built_or_not(void **state)
{
    (void)state;
    int vm = bench_backend_index("vm");
    assert_true(vm >= 0);
    assert_int_equal(bench_backend_of_kind(VCB_ARM_VM), vm);
    struct bench_backend be = bench_backend_at(vm);
#ifdef NO_VM
    assert_null(bench_backend_driver((size_t)vm));
    assert_null(bench_driver_find("vm"));
    assert_non_null(strstr(bench_backend_why((size_t)vm), "VCB_WITH_VM"));
    assert_null(be.drv);
    assert_non_null(strstr(be.why, "backend 'vm' is not built into this vcbench (built: "));
    assert_non_null(strstr(be.why, bench_backend_why((size_t)vm)));
    assert_null(strstr(bench_driver_names(), "vm"));
#else
    assert_non_null(be.drv);
    assert_string_equal(be.why, "");
#endif
    be = bench_backend_at(-1);
    assert_null(be.drv);
    assert_true(be.why[0] != 0);
}

#ifndef NO_VM
/* The VM backend is a module: its options are known before it is loaded,
 * and asking for its driver loads it (VCB_MODULE_DIR names the build's). */
static void test_module_loaded_on_first_use(void **state)
{
    (void)state;
    size_t vm = (size_t)bench_backend_index("vm");
    assert_null(bench_backend_peek(vm));
    const struct vcb_driver_opt *o = bench_backend_options(vm);
    assert_non_null(o);
    assert_string_equal(o->name, "vm-uri");
    assert_null(bench_backend_peek(vm));
    const struct vcb_driver *d = bench_backend_driver(vm);
    assert_non_null(d);
    assert_ptr_equal(bench_backend_peek(vm), d);
    assert_null(d->options); /* a module leaves its options to its registry line */
    assert_ptr_equal(bench_backend_options(vm), o);
    /* the built-in ones need no loading */
    assert_non_null(bench_backend_peek((size_t)bench_backend_index("container")));
}

static int parse(const char *text, struct bench_suite *s, struct vcb_err *err)
{
    json_t *doc = json_loads(text, 0, NULL);
    assert_non_null(doc);
    int rc = bench_suite_parse(doc, "t.json", s, err);
    json_decref(doc);
    return rc;
}

/* A suite that names no backends gets all of them, in the registry's order;
 * one naming another is told the registry's names. */
static void test_suite_backends_follow_the_registry(void **state)
{
    (void)state;
    struct bench_suite s;
    struct vcb_err err = {0};
    char want[256];
    assert_int_equal(parse("{\"name\": \"x\", \"scenarios\": [{\"type\": \"boot\"}]}", &s, &err),
                     0);
    size_t fixed = 0;
    for (size_t i = 0; i < bench_backend_count(); i++)
        if (bench_backend_fixed(i))
            assert_string_equal(s.backends[fixed++], bench_backend_name(i));
    assert_int_equal(s.nbackends, fixed);
    bench_suite_free(&s);
    assert_int_equal(parse("{\"name\": \"x\", \"backends\": [\"xen\"], "
                           "\"scenarios\": [{\"type\": \"boot\"}]}",
                           &s, &err),
                     -1);
    snprintf(want, sizeof want, "unknown backend 'xen' (expected one of: %s)",
             bench_backend_list(false));
    assert_non_null(strstr(err.msg, want));
}
#endif

static bool listed(const char *name)
{
    for (const char *const *n = bench_backend_names(); *n; n++)
        if (strcmp(*n, name) == 0)
            return true;
    return false;
}

/* oci:RUNTIME: a member's name claims an index (the same name, the same
 * index) whose driver is the family's, named after it; a malformed one is
 * no backend. The lists show the family once, the names hold each member. */
static void test_family_members(void **state)
{
    (void)state;
    size_t before = bench_backend_count();
    assert_non_null(strstr(bench_backend_list(false), "oci:RUNTIME"));
    assert_true(listed("oci:RUNTIME"));
    int crun = bench_backend_index("oci:crun");
    assert_true(crun >= (int)before);
    assert_int_equal(bench_backend_index("oci:crun"), crun);
    assert_int_equal(bench_backend_count(), before + 1);
    assert_string_equal(bench_backend_name((size_t)crun), "oci:crun");
    assert_false(bench_backend_fixed((size_t)crun));
    assert_int_equal(bench_backend_kind((size_t)crun), VCB_ARM_CONTAINER);
    assert_true(listed("oci:crun"));
    assert_null(strstr(bench_backend_list(false), "oci:crun"));
    const struct vcb_driver *d = bench_backend_driver((size_t)crun);
    assert_non_null(d);
    assert_string_equal(d->name, "oci:crun");
    assert_ptr_equal(bench_driver_find("oci:crun"), d);
    assert_null(d->cleanup); /* the family's line cleans for every member */
    assert_null(d->doctor);
    struct bench_backend be = bench_backend_at(crun);
    assert_ptr_equal(be.drv, d);
    assert_string_equal(be.name, "oci:crun");
    int runc = bench_backend_index("oci:/usr/sbin/runc");
    assert_true(runc >= 0 && runc != crun);
    assert_ptr_equal(bench_backend_driver((size_t)runc)->create, d->create);
    const char *const bad[] = {"oci:",    "oci:../x", "oci:a/b",     "oci:/a/../b", "oci:a b",
                               "oci:a,b", "oci",      "container:x", "oci:/"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(bench_backend_index(bad[i]), -1);
    assert_int_equal(bench_backend_count(), before + 2);
    /* a few members at once; then no more, and the arrays stay in bounds */
    char name[32];
    for (int k = 0; k < 16; k++) {
        snprintf(name, sizeof name, "oci:rt%d", k);
        (void)bench_backend_index(name);
    }
    assert_true(bench_backend_count() <= BENCH_BACKEND_MAX);
    assert_null(bench_backend_names()[bench_backend_count()]);
}

#ifndef NO_VM
/* A suite names members in its backends and limits. */
static void test_suite_names_members(void **state)
{
    (void)state;
    struct bench_suite s;
    struct vcb_err err = {0};
    assert_int_equal(parse("{\"name\": \"x\", \"backends\": [\"process\", \"oci:runc\"], "
                           "\"limits\": {\"oci:runc\": {\"memory\": \"64MiB\"}}, "
                           "\"scenarios\": [{\"type\": \"boot\"}]}",
                           &s, &err),
                     0);
    assert_int_equal(s.nbackends, 2);
    assert_string_equal(s.backends[1], "oci:runc");
    assert_int_equal(s.limits[bench_backend_index("oci:runc")].memory_bytes, 64ULL << 20);
    bench_suite_free(&s);
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
#ifndef NO_VM
        cmocka_unit_test(test_module_loaded_on_first_use), /* first: nothing loaded yet */
#endif
        cmocka_unit_test(test_lists_follow_the_registry),
        cmocka_unit_test(test_built_backends_are_their_drivers),
        cmocka_unit_test(test_vm_known_built_or_not),
#ifndef NO_VM
        cmocka_unit_test(test_suite_backends_follow_the_registry),
        cmocka_unit_test(test_suite_names_members),
#endif
        cmocka_unit_test(test_family_members), /* last: its members stay claimed */
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
