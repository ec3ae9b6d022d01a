/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-suite.c — suite files: the shipped ones and a good one parse to what
 * they say; a table of bad ones each gets its exact error, as a usage error
 * (exit 2), with nothing half-made. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <string.h>

#include "boot.h"
#include "density.h"
#include "isolation.h"
#include "memory.h"
#include "suite-parse.h"

static const char good[] =
    "{\"name\": \"t\", \"backends\": [\"container\", \"process\"],"
    " \"limits\": {\"container\": {\"cpus\": 1.5, \"memory\": \"256MiB\", \"pids\": 64,"
    "   \"cpuset\": \"0-1\"}},"
    " \"timeouts\": {\"ready\": \"5s\", \"exit\": \"1500ms\"}, \"seed\": 4242, \"log_max\": "
    "\"2MiB\", \"scratch\": {\"size\": \"64MiB\", \"dir\": \"/srv/s\"},"
    " \"scenarios\": ["
    "  {\"type\": \"boot\", \"n\": 4, \"max_n\": 9, \"concurrency\": [1, 4], \"ci_target\": 0.2},"
    "  {\"type\": \"memory\", \"workloads\": [\"alloc\"], \"alloc\": \"32MiB\", \"n\": 2},"
    "  {\"type\": \"density\", \"instances_max\": 3, \"floor\": \"1GiB\"},"
    "  {\"type\": \"isolation\", \"victims\": [\"lat\"], \"aggressors\": [\"memhog\"],"
    "   \"duration\": \"2s\"}]}";

/* A suite with its own workloads w and scenarios scen. */
#define OWN(w, scen) "{\"name\": \"x\", \"workloads\": {" w "}, \"scenarios\": [" scen "]}"
#define BOOT_WEB     "{\"type\": \"boot\", \"workload\": \"web\"}"

static void test_good_suite(void **state)
{
    struct bench_suite s;
    struct vcb_err err = {0};
    assert_int_equal(parse(good, &s, &err), 0);
    assert_string_equal(s.name, "t");
    assert_int_equal(s.nbackends, 2);
    assert_string_equal(s.backends[0], "container");
    const struct vcb_limits *l = &s.limits[bench_backend_index("container")];
    assert_float_equal(l->cpus, 1.5, 0);
    assert_true(l->memory_bytes == 256ULL << 20);
    assert_int_equal(l->pids, 64);
    assert_string_equal(l->cpuset, "0-1");
    assert_false(vcb_limits_any(&s.limits[bench_backend_index("process")]));
    assert_true(s.ready_timeout_ns == 5 * VCB_NS_PER_S);
    assert_true(s.exit_timeout_ns == 1500 * VCB_NS_PER_MS);
    assert_true(s.has_seed);
    assert_int_equal(s.seed, 4242);
    assert_true(s.log_max == 2ULL << 20);
    assert_true(s.scratch.bytes == 64ULL << 20);
    assert_string_equal(s.scratch_dir, "/srv/s");
    assert_int_equal(s.nscen, 4);
    assert_string_equal(s.scen[0].ops->name, "boot");
    const struct boot_params *boot = s.scen[0].params;
    const struct memory_params *mem = s.scen[1].params;
    const struct density_params *den = s.scen[2].params;
    const struct iso_params *iso = s.scen[3].params;
    assert_string_equal(boot->workload, "noop"); /* default */
    assert_int_equal(boot->warmup, 1);
    assert_int_equal(boot->n, 4);
    assert_int_equal(boot->max_n, 9);
    assert_int_equal(boot->nconcurrency, 2);
    assert_int_equal(boot->concurrency[1], 4);
    assert_int_equal(mem->nworkloads, 1);
    assert_string_equal(mem->workloads[0], "alloc");
    assert_true(mem->alloc_bytes == 32ULL << 20);
    assert_int_equal(den->instances_max, 3);
    assert_int_equal(den->instances_cap[bench_backend_index("vm")], 3);
    assert_int_equal(den->step, 1); /* default */
    assert_true(den->floor_bytes == 1ULL << 30);
    assert_string_equal(iso->victims[0], "lat");
    assert_int_equal(iso->max_n, iso->n); /* max_n defaults to n */
    assert_true(iso->duration_ns == 2 * VCB_NS_PER_S);
    assert_non_null(s.json);
    bench_suite_free(&s);
}

/* A suite's own workloads: named, checked, and known to the scenarios that
 * run them; vcb-init's arguments built from them. */
static void test_own_workloads(void **state)
{
    struct bench_suite s;
    struct vcb_err err = {0};
    assert_int_equal(
        parse(OWN("\"web\": {\"image\": \"oci:/srv/web:1\", \"ready\": \"tcp:8080\","
                  " \"command\": [\"httpd\", \"-f\"], \"metrics\": [\"rps:per_s=([0-9.]+)\"],"
                  " \"max_image\": \"1GiB\"}",
                  BOOT_WEB ", {\"type\": \"memory\", \"workloads\": [\"idle\", \"web\"]}"),
              &s, &err),
        0);
    assert_int_equal(s.nown, 1);
    const struct bench_own_workload *w = bench_suite_own(&s, "web");
    assert_non_null(w);
    assert_null(bench_suite_own(&s, "idle"));
    assert_string_equal(w->image, "oci:/srv/web:1");
    assert_true(w->max_image == 1ULL << 30);
    char **args = bench_own_args(w);
    const char *want[] = {"--ready",   "tcp:8080", "--metric", "rps:per_s=([0-9.]+)",
                          "--command", "httpd",    "-f",       NULL};
    for (size_t i = 0; want[i] || args[i]; i++)
        assert_string_equal(args[i] ? args[i] : "(end)", want[i] ? want[i] : "(end)");
    vcb_strv_free(args);
    const struct memory_params *mem = s.scen[1].params;
    assert_string_equal(mem->workloads[1], "web");
    bench_suite_free(&s);
    assert_null(s.own);
    /* the noisy neighbour may be one; the victim, scored, may not */
    assert_int_equal(parse(OWN("\"web\": {\"image\": \"dir:/x\"}",
                               "{\"type\": \"isolation\", \"victims\": [\"cpu\"], "
                               "\"aggressors\": [\"web\", \"cpu\"]}"),
                           &s, &err),
                     0);
    bench_suite_free(&s);
    assert_int_equal(parse(OWN("\"web\": {\"image\": \"dir:/x\"}",
                               "{\"type\": \"isolation\", \"victims\": [\"web\"], "
                               "\"aggressors\": [\"cpu\"]}"),
                           &s, &err),
                     -1);
    assert_non_null(strstr(err.msg, "unknown victim 'web'"));
    /* with a score, a victim: scored by its metric, in its unit, its way */
    assert_int_equal(
        parse(OWN("\"job\": {\"image\": \"dir:/x\", \"metrics\": [\"lat:ns=took ([0-9]+)\"],"
                  " \"score\": {\"metric\": \"lat\", \"better\": \"lower\"}}",
                  "{\"type\": \"isolation\", \"victims\": [\"job\", \"cpu\"], "
                  "\"aggressors\": [\"cpu\"]}"),
              &s, &err),
        0);
    const struct iso_params *iso = s.scen[0].params;
    const struct victim_info *v = iso_victim(iso, "job");
    assert_non_null(v);
    assert_string_equal(v->key, "lat");
    assert_string_equal(v->unit, "ns");
    assert_false(v->higher_better);
    assert_string_equal(iso_victim(iso, "cpu")->unit, "ops_per_s");
    bench_suite_free(&s);
}

/* Density caps per backend; a backend left out gets the smallest cap. */
static void test_density_caps(void **state)
{
    struct bench_suite s;
    struct vcb_err err = {0};
    assert_int_equal(parse("{\"name\": \"d\", \"scenarios\": [{\"type\": \"density\", "
                           "\"instances_max\": {\"container\": 24, \"vm\": 4}, \"step\": 2}]}",
                           &s, &err),
                     0);
    const struct density_params *den = s.scen[0].params;
    assert_int_equal(den->instances_cap[bench_backend_index("container")], 24);
    assert_int_equal(den->instances_cap[bench_backend_index("vm")], 4);
    assert_int_equal(den->instances_cap[bench_backend_index("process")], 4);
    assert_int_equal(den->instances_max, 24);
    assert_int_equal(den->step, 2);
    bench_suite_free(&s);
}

static void test_shipped_suites(void **state)
{
    const char *names[] = {"quick", "default", "full"},
               *types[] = {"boot", "memory", "density", "isolation"};
    /* quick: the disk and the network cells are isolation scenarios of their
     * own; default and full add the soft-against-hard variants too */
    const size_t nscen[] = {6, 7, 7};
    setenv("VCB_SUITE_DIR", SUITE_DIR, 1);
    for (size_t i = 0; i < 3; i++) {
        char path[PATH_MAX];
        struct bench_suite s;
        struct vcb_err err = {0};
        assert_int_equal(bench_suite_resolve(names[i], path, sizeof(path), &err), 0);
        if (bench_suite_load(path, &s, &err) < 0)
            fail_msg("%s: %s", names[i], err.msg);
        assert_string_equal(s.name, names[i]);
        assert_int_equal(s.nscen, nscen[i]);
        for (size_t t = 0; t < 4; t++) { /* every scenario */
            bool found = false;
            for (size_t k = 0; k < s.nscen; k++)
                found |= strcmp(s.scen[k].ops->name, types[t]) == 0;
            assert_true(found);
        }
        assert_int_equal(s.nbackends, 3);
        bench_suite_free(&s);
    }
}

/* The demo's plan is a suite like the others, with the demo's three steps. */
static void test_demo_suite(void **state)
{
    const char *steps[] = {"boot", "memory", "isolation"};
    char path[PATH_MAX];
    struct bench_suite s;
    struct vcb_err err = {0};
    setenv("VCB_SUITE_DIR", SUITE_DIR, 1);
    assert_int_equal(bench_suite_resolve("demo", path, sizeof(path), &err), 0);
    if (bench_suite_load(path, &s, &err) < 0)
        fail_msg("demo: %s", err.msg);
    assert_string_equal(s.name, "demo");
    assert_int_equal(s.nscen, 3);
    for (size_t i = 0; i < 3; i++)
        assert_string_equal(s.scen[i].ops->name, steps[i]);
    assert_true(vcb_limits_any(&s.limits[bench_backend_index("container")]));
    bench_suite_free(&s);
}

struct bad_case {
    const char *json;
    const char *msg;
};

#define SC(x) "{\"name\": \"x\", \"scenarios\": [" x "]}"

static const struct bad_case bad_cases[] = {
    {"[]", "t.json: (top level): expected an object, got an array"},
    {"{\"name\": \"x\", \"scenarios\": [{\"type\": \"boot\"}], \"bogus\": 1}",
     "t.json: (top level): unknown key 'bogus' (expected one of: name, description, backends, "
     "limits, timeouts, seed, log_max, workloads, scenarios, net, scratch)"},
    {"{\"name\": \"x\", \"net\": \"wifi\", \"scenarios\": [{\"type\": \"boot\"}]}",
     "t.json: net: expected \"bridge\" or \"user\""},
    {"{\"name\": \"x\", \"limits\": {\"container\": {\"net_rate\": 100}}, \"scenarios\": "
     "[{\"type\": \"boot\"}]}",
     "t.json: limits.container.net_rate: 100 bytes/s is out of range (expected 8kB to 100GB, "
     "bytes per second; omit it for no limit)"},
    {"{\"name\": \"x\", \"scratch\": {\"size\": \"1MiB\"}, \"scenarios\": [{\"type\": \"boot\"}]}",
     "t.json: scratch.size: expected a multiple of 4KiB from 4MiB to 1TiB"},
    {"{\"name\": \"x\", \"scratch\": {\"size\": \"8MiB\", \"dir\": \"tmp\"}, "
     "\"scenarios\": [{\"type\": \"boot\"}]}",
     "t.json: scratch.dir: expected an absolute directory path"},
    {"{\"name\": \"x\", \"scratch\": {\"bytes\": 1}, \"scenarios\": [{\"type\": \"boot\"}]}",
     "t.json: scratch: unknown key 'bytes' (expected one of: size, dir)"},
    {OWN("\"Web\": {\"image\": \"dir:/x\"}", BOOT_WEB),
     "t.json: workloads.Web: expected a name of 1 to 31 characters from [a-z0-9_-]"},
    {OWN("\"idle\": {\"image\": \"dir:/x\"}", BOOT_WEB),
     "t.json: workloads.idle: 'idle' is a built-in workload's name; choose another"},
    {OWN("\"web\": {\"command\": [\"x\"]}", BOOT_WEB),
     "t.json: workloads.web.image: expected a string of 1 to 4127 characters"},
    {OWN("\"web\": {\"image\": \"dir:/x\", \"ready\": \"soon\"}", BOOT_WEB),
     "t.json: workloads.web.ready: \"soon\": expected start, exit, line:REGEX or tcp:PORT "
     "(1-65535)"},
    {OWN("\"web\": {\"image\": \"dir:/x\", \"ready\": \"tcp:0\"}", BOOT_WEB),
     "t.json: workloads.web.ready: \"tcp:0\": expected start, exit, line:REGEX or tcp:PORT "
     "(1-65535)"},
    {OWN("\"web\": {\"image\": \"dir:/x\", \"metrics\": [\"rps=([0-9]+)\"]}", BOOT_WEB),
     "t.json: workloads.web.metrics[0]: \"rps=([0-9]+)\": expected NAME:UNIT=REGEX (NAME 1-63 "
     "of letters, digits, '_', '.', '-'; UNIT 1-31 printable, without quotes)"},
    {OWN("\"web\": {\"image\": \"dir:/x\", \"metrics\": [\"rps:per_s=[0-9]+\"]}", BOOT_WEB),
     "t.json: workloads.web.metrics[0]: \"rps:per_s=[0-9]+\": expected a group around the "
     "number, as in \"rps=([0-9.]+)\""},
    {OWN("\"web\": {\"image\": \"dir:/x\", \"metrics\": "
         "[\"rps:requests_per_second_served_by_web=([0-9]+)\"]}",
         BOOT_WEB),
     "t.json: workloads.web.metrics[0]: \"rps:requests_per_second_served_by_web=([0-9]+)\": "
     "expected NAME:UNIT=REGEX (NAME 1-63 of letters, digits, '_', '.', '-'; UNIT 1-31 "
     "printable, without quotes)"},
    {OWN("\"web\": {\"image\": \"dir:/x\", \"command\": []}", BOOT_WEB),
     "t.json: workloads.web.command: expected an array of 1 to 256 strings (the command and its "
     "arguments)"},
    {OWN("\"web\": {\"image\": \"dir:/x\", \"user\": \"root\"}", BOOT_WEB),
     "t.json: workloads.web: unknown key 'user' (expected one of: image, command, ready, "
     "metrics, max_image, score)"},
    {OWN("\"web\": {\"image\": \"dir:/x\", \"metrics\": [\"rps:req/s=([0-9]+)\"], \"score\": "
         "{\"metric\": \"rps\"}}",
         BOOT_WEB),
     "t.json: workloads.web.score: metric 'rps' is in 'req/s'; a victim's score needs one of ns, "
     "bytes, pct, per_s, ops_per_s, mb_per_s"},
    {OWN("\"web\": {\"image\": \"dir:/x\", \"score\": {\"metric\": \"rps\"}}", BOOT_WEB),
     "t.json: workloads.web.score: 'rps' is none of this workload's metrics"},
    /* Its own workloads are parsed before the scenarios: freed when those are bad. */
    {OWN("\"web\": {\"image\": \"dir:/x\"}", ""),
     "t.json: scenarios: expected an array of 1 to 64 scenario objects"},
    {OWN("\"web\": {\"image\": \"dir:/x\"}", "{\"type\": \"boot\", \"workload\": \"db\"}"),
     "t.json: scenarios[0].workload: unknown workload 'db' (expected one of: noop, idle, cpu, "
     "membw, lat, alloc, memhog, forkbomb, netio, netflood, diskio, diskhog, web)"},
    {"{\"name\": \"x\", \"seed\": -1, \"scenarios\": [{\"type\": \"boot\"}]}",
     "t.json: seed: expected an integer from 0 to 4294967295, got -1"},
    {"{\"name\": \"x\", \"seed\": \"7\", \"scenarios\": [{\"type\": \"boot\"}]}",
     "t.json: seed: expected an integer from 0 to 4294967295, got a string"},
    {"{\"name\": \"x\", \"log_max\": \"1k\", \"scenarios\": [{\"type\": \"boot\"}]}",
     "t.json: log_max: 1024 bytes is out of range (expected 4KiB to 1GiB)"},
    {"{\"scenarios\": [{\"type\": \"boot\"}]}",
     "t.json: name: expected a string of 1 to 63 characters"},
    {"{\"name\": \"x\"}", "t.json: scenarios: expected an array of 1 to 64 scenario objects"},
    {"{\"name\": \"x\", \"scenarios\": []}",
     "t.json: scenarios: expected an array of 1 to 64 scenario objects"},
    {SC("3"), "t.json: scenarios[0]: expected an object, got a number"},
    {SC("{\"type\": \"warp\"}"), "t.json: scenarios[0].type: unknown scenario type 'warp' "
                                 "(expected one of: boot, memory, density, isolation)"},
    {SC("{\"n\": 3}"),
     "t.json: scenarios[0].type: missing (expected one of: boot, memory, density, isolation)"},
    {SC("{\"type\": \"boot\", \"n\": \"3\"}"),
     "t.json: scenarios[0].n: expected an integer from 1 to 100000, got a string"},
    {SC("{\"type\": \"boot\", \"n\": 0}"),
     "t.json: scenarios[0].n: expected an integer from 1 to 100000, got 0"},
    {SC("{\"type\": \"boot\", \"warmups\": 1}"),
     "t.json: scenarios[0]: unknown key 'warmups' (expected one of: type, workload, warmup, n, "
     "max_n, ci_target, concurrency, rounds)"},
    {SC("{\"type\": \"boot\", \"workload\": \"nope\"}"),
     "t.json: scenarios[0].workload: unknown workload 'nope' (expected one of: noop, idle, cpu, "
     "membw, lat, alloc, memhog, forkbomb, netio, netflood, diskio, diskhog)"},
    {SC("{\"type\": \"boot\", \"n\": 5, \"max_n\": 3}"),
     "t.json: scenarios[0]: max_n (3) must be at least n (5)"},
    {SC("{\"type\": \"boot\", \"concurrency\": [1, 0]}"),
     "t.json: scenarios[0].concurrency[1]: expected an integer from 1 to 256"},
    {SC("{\"type\": \"boot\", \"ci_target\": 0}"),
     "t.json: scenarios[0].ci_target: expected a number from 0.001 to 10, got 0"},
    {SC("{\"type\": \"memory\", \"alloc\": \"12XB\"}"),
     "t.json: scenarios[0].alloc: \"12XB\" is not a size (expected a number with an optional "
     "unit, e.g. 4096, 512k, 256MiB, 1G)"},
    {SC("{\"type\": \"memory\", \"alloc\": true}"),
     "t.json: scenarios[0].alloc: expected a size like \"256MiB\", got a boolean"},
    {SC("{\"type\": \"memory\", \"workloads\": [\"cpu\"]}"),
     "t.json: scenarios[0].workloads[0]: unknown workload 'cpu' (expected one of: idle, alloc)"},
    {SC("{\"type\": \"memory\", \"settle\": 5}"),
     "t.json: scenarios[0].settle: expected a duration like \"500ms\", got a number"},
    {SC("{\"type\": \"density\"}"),
     "t.json: scenarios[0].instances_max: missing (expected an integer from 1 to 4096, or one "
     "per backend)"},
    {SC("{\"type\": \"density\", \"instances_max\": {\"kvm\": 4}}"),
     "t.json: scenarios[0].instances_max: unknown key 'kvm' (expected one of: @BACKENDS@)"},
    {SC("{\"type\": \"density\", \"instances_max\": {\"vm\": 0}}"),
     "t.json: scenarios[0].instances_max.vm: expected an integer from 1 to 4096, got 0"},
    {SC("{\"type\": \"density\", \"instances_max\": {}}"),
     "t.json: scenarios[0].instances_max: expected at least one backend"},
    {SC("{\"type\": \"density\", \"instances_max\": 4, \"step\": 0}"),
     "t.json: scenarios[0].step: expected an integer from 1 to 256, got 0"},
    {SC("{\"type\": \"density\", \"instances_max\": 2, \"floor\": \"lots\"}"),
     "t.json: scenarios[0].floor: \"lots\" is not a size (expected a number with an optional "
     "unit, e.g. 4096, 512k, 256MiB, 1G)"},
    {SC("{\"type\": \"isolation\", \"aggressors\": [\"cpu\"]}"),
     "t.json: scenarios[0].victims: missing (expected an array of workload names)"},
    {SC("{\"type\": \"isolation\", \"victims\": [\"memhog\"], \"aggressors\": [\"cpu\"]}"),
     "t.json: scenarios[0].victims[0]: unknown victim 'memhog' (expected one of: cpu, membw, "
     "lat, netio, diskio)"},
    {SC("{\"type\": \"isolation\", \"victims\": [\"cpu\"], \"aggressors\": [\"cpu\", \"cpu\"]}"),
     "t.json: scenarios[0].aggressors[1]: 'cpu' is listed twice"},
    {SC("{\"type\": \"isolation\", \"victims\": [], \"aggressors\": [\"cpu\"]}"),
     "t.json: scenarios[0].victims: expected an array of 1 to 8 victim names"},
    {SC("{\"type\": \"isolation\", \"victims\": [\"cpu\"], \"aggressors\": [\"cpu\"], "
        "\"duration\": \"fast\"}"),
     "t.json: scenarios[0].duration: \"fast\" is not a duration (expected a number with an "
     "optional unit ns, us, ms, s, m, h, e.g. 200ms, 1.5s)"},
    {"{\"name\": \"x\", \"backends\": [\"xen\"], \"scenarios\": [{\"type\": \"boot\"}]}",
     "t.json: backends[0]: unknown backend 'xen' (expected one of: @BACKENDS@)"},
    {"{\"name\": \"x\", \"limits\": {\"process\": {}}, \"scenarios\": [{\"type\": \"boot\"}]}",
     "t.json: limits.process: the process backend is the unlimited control and applies no "
     "limits; remove it"},
    {"{\"name\": \"x\", \"limits\": {\"container\": {\"cpus\": 0}}, \"scenarios\": "
     "[{\"type\": \"boot\"}]}",
     "t.json: limits.container.cpus: 0 is out of range (expected a number from 0.01 to 4096; "
     "omit it for no limit)"},
    {"{\"name\": \"x\", \"limits\": {\"container\": {\"cpus\": \"1\"}}, \"scenarios\": "
     "[{\"type\": \"boot\"}]}",
     "t.json: limits.container.cpus: expected a number, got a string"},
    {"{\"name\": \"x\", \"limits\": {\"container\": {\"memory\": 0}}, \"scenarios\": "
     "[{\"type\": \"boot\"}]}",
     "t.json: limits.container.memory: 0 bytes is too small (expected at least 4MiB; omit it "
     "for no limit)"},
    {"{\"name\": \"x\", \"limits\": {\"vm\": {\"memory\": \"0.4\"}}, \"scenarios\": "
     "[{\"type\": \"boot\"}]}",
     "t.json: limits.vm.memory: 0 bytes is too small (expected at least 4MiB; omit it for no "
     "limit)"},
    {"{\"name\": \"x\", \"limits\": {\"container\": {\"pids\": -5}}, \"scenarios\": "
     "[{\"type\": \"boot\"}]}",
     "t.json: limits.container.pids: -5 is out of range (expected a whole number from 1 to "
     "4194304; omit it for no limit)"},
    {"{\"name\": \"x\", \"limits\": {\"container\": {\"cpuset\": \"\"}}, \"scenarios\": "
     "[{\"type\": \"boot\"}]}",
     "t.json: limits.container.cpuset: \"\" is not a CPU list (expected e.g. 1 or 0-1,3)"},
    {SC("{\"type\": \"memory\", \"alloc\": 0}"),
     "t.json: scenarios[0].alloc: expected a size above 0 (e.g. \"64MiB\")"},
    {"{\"name\": \"x\", \"limits\": {\"container\": {\"swap\": 1}}, \"scenarios\": "
     "[{\"type\": \"boot\"}]}",
     "t.json: limits.container: unknown key 'swap' (expected one of: cpus, memory, pids, "
     "cpuset, cpu_weight, memory_soft, memory_low, io_read_bps, io_write_bps, io_read_iops, "
     "io_write_iops, io_weight, net_rate)"},
    {"{\"name\": \"x\", \"limits\": {\"kvm\": {}}, \"scenarios\": [{\"type\": \"boot\"}]}",
     "t.json: limits: unknown key 'kvm' (expected one of: @BACKENDS@)"},
    {"{\"name\": \"x\", \"timeouts\": {\"ready\": \"0s\"}, \"scenarios\": [{\"type\": \"boot\"}]}",
     "t.json: timeouts.ready: expected a duration above 0"},
};

/* The expected text with @BACKENDS@ as the registry lists them now
 * ("process, container, vm"): a new backend changes no expectation. */
static void expand_backends(const char *msg, char *out, size_t len)
{
    const char *at = strstr(msg, "@BACKENDS@");
    if (!at) {
        snprintf(out, len, "%s", msg);
        return;
    }
    snprintf(out, len, "%.*s%s%s", (int)(at - msg), msg, bench_backend_list(false),
             at + strlen("@BACKENDS@"));
}

static void test_bad_suites(void **state)
{
    for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
        struct bench_suite s = {0};
        struct vcb_err err = {0};
        if (parse(bad_cases[i].json, &s, &err) == 0)
            fail_msg("case %zu parsed but should not: %s", i, bad_cases[i].json);
        char want[512];
        expand_backends(bad_cases[i].msg, want, sizeof(want));
        if (strcmp(err.msg, want) != 0)
            fail_msg("case %zu:\n  got  %s\n  want %s", i, err.msg, want);
        assert_int_equal(err.usage, 1); /* the CLI exits 2 */
        assert_null(s.scen);            /* nothing half-made */
        assert_null(s.json);
    }
}

static void test_files(void **state)
{
    char path[] = "/tmp/vcb-suite-XXXXXX";
    int fd = mkstemp(path);
    struct bench_suite s;
    struct vcb_err err = {0};
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "{\"name\": 1,", 11), 11);
    close(fd);
    assert_int_equal(bench_suite_load(path, &s, &err), -1);
    assert_int_equal(err.usage, 1);
    assert_non_null(strstr(err.msg, "not valid JSON"));
    assert_non_null(strstr(err.msg, path));
    unlink(path);
    assert_int_equal(bench_suite_load("/nonexistent/s.json", &s, &err), -1);
    assert_string_equal(err.msg, "/nonexistent/s.json: no such suite file");
    char out[PATH_MAX];
    assert_int_equal(bench_suite_resolve("nosuch", out, sizeof(out), &err), -1);
    assert_int_equal(err.usage, 1);
    assert_non_null(strstr(err.msg, "--suite: no suite named 'nosuch'"));
    assert_int_equal(bench_suite_resolve("dir/my.json", out, sizeof(out), &err), 0);
    assert_string_equal(out, "dir/my.json");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_suite),    cmocka_unit_test(test_shipped_suites),
        cmocka_unit_test(test_demo_suite),    cmocka_unit_test(test_density_caps),
        cmocka_unit_test(test_bad_suites),    cmocka_unit_test(test_files),
        cmocka_unit_test(test_own_workloads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
