/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-oci-bundle.c — the config.json vcbench writes for an OCI runtime:
 * the program (vcb-init, the workload, its arguments; an image's own
 * vcb-init path passed through), our launcher's environment, the rootfs
 * read-only, the limits as linux.resources, the cgroupsPath naming the
 * instance, the namespaces, no seccomp; and which runtime names are
 * accepted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "oci-priv.h"

static json_t *bundle(const struct vcb_instance_spec *spec, char *dir, size_t len)
{
    struct vcb_err err = {0};
    char path[PATH_MAX + 16];
    assert_int_equal(oci_bundle_write(spec, dir, len, &err), 0);
    snprintf(path, sizeof path, "%s/config.json", dir);
    json_t *cfg = vcb_json_load_file(path, &err);
    assert_non_null(cfg);
    return cfg;
}

static const char *str_at(json_t *arr, size_t i)
{
    return json_string_value(json_array_get(arr, i));
}

static bool has_type(json_t *arr, const char *key, const char *want)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) if (strcmp(json_string_value(json_object_get(v, key)), want) ==
                                      0) return true;
    return false;
}

static void test_config_from_the_spec(void **state)
{
    (void)state;
    char run_dir[] = "/tmp/test-oci-bundle.XXXXXX", dir[PATH_MAX];
    assert_non_null(mkdtemp(run_dir));
    char *const args[] = {"--duration", "1s", NULL};
    struct vcb_instance_spec spec = {
        .run_dir = run_dir,
        .workload = "cpu",
        .rootfs = "/var/lib/vcbench/images/x/rootfs",
        .args = args,
        .backend = "oci:crun",
        .limits = {.cpus = 0.5, .memory_bytes = 64ULL << 20, .pids = 32, .cpuset = "0"}};
    snprintf(spec.name, sizeof spec.name, "vcb-1a2b3c4d-7");
    json_t *cfg = bundle(&spec, dir, sizeof dir);
    assert_string_equal(json_string_value(json_object_get(cfg, "ociVersion")), "1.0.2");
    json_t *proc = json_object_get(cfg, "process");
    json_t *argv = json_object_get(proc, "args");
    assert_int_equal(json_array_size(argv), 4);
    assert_string_equal(str_at(argv, 0), "/init");
    assert_string_equal(str_at(argv, 1), "cpu");
    assert_string_equal(str_at(argv, 2), "--duration");
    assert_string_equal(str_at(argv, 3), "1s");
    assert_true(json_is_false(json_object_get(proc, "terminal")));
    assert_true(json_is_true(json_object_get(proc, "noNewPrivileges")));
    assert_string_equal(json_string_value(json_object_get(proc, "cwd")), "/");
    assert_string_equal(str_at(json_object_get(proc, "env"), 0), "PATH=/bin:/sbin");
    json_t *root = json_object_get(cfg, "root");
    assert_string_equal(json_string_value(json_object_get(root, "path")), spec.rootfs);
    assert_true(json_is_true(json_object_get(root, "readonly")));
    json_t *mounts = json_object_get(cfg, "mounts");
    const char *const dsts[] = {"/proc",       "/dev", "/dev/pts", "/dev/shm",
                                "/dev/mqueue", "/sys", "/tmp"};
    for (size_t i = 0; i < sizeof dsts / sizeof dsts[0]; i++)
        assert_true(has_type(mounts, "destination", dsts[i]));
    json_t *lx = json_object_get(cfg, "linux");
    assert_string_equal(json_string_value(json_object_get(lx, "cgroupsPath")),
                        "/vcbench-oci/vcb-1a2b3c4d-7");
    json_t *res = json_object_get(lx, "resources");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(res, "memory"), "limit")),
                     64 << 20);
    json_t *cpu = json_object_get(res, "cpu");
    assert_int_equal(json_integer_value(json_object_get(cpu, "quota")), 50000);
    assert_int_equal(json_integer_value(json_object_get(cpu, "period")), 100000);
    assert_string_equal(json_string_value(json_object_get(cpu, "cpus")), "0");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(res, "pids"), "limit")),
                     32);
    json_t *ns = json_object_get(lx, "namespaces");
    const char *const types[] = {"pid", "network", "ipc", "uts", "mount"};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        assert_true(has_type(ns, "type", types[i]));
    assert_null(json_object_get(lx, "seccomp")); /* the runtime's default: none */
    assert_true(json_array_size(json_object_get(lx, "maskedPaths")) > 0);
    assert_true(json_array_size(json_object_get(lx, "readonlyPaths")) > 0);
    json_decref(cfg);

    /* no limits: no resources beyond the device rule; an image's own vcb-init */
    spec.limits = (struct vcb_limits){0};
    spec.init = "/.vcbench/init";
    spec.workload = "--image";
    spec.args = NULL;
    cfg = bundle(&spec, dir, sizeof dir);
    argv = json_object_get(json_object_get(cfg, "process"), "args");
    assert_int_equal(json_array_size(argv), 2);
    assert_string_equal(str_at(argv, 0), "/.vcbench/init");
    assert_string_equal(str_at(argv, 1), "--image");
    res = json_object_get(json_object_get(cfg, "linux"), "resources");
    assert_null(json_object_get(res, "memory"));
    assert_null(json_object_get(res, "cpu"));
    assert_null(json_object_get(res, "pids"));
    json_decref(cfg);
    struct vcb_err err = {0};
    assert_int_equal(vcb_rm_rf(run_dir, &err), 0);
}

/* The soft limits in the spec's fields on a v1 host, in "unified" on v2;
 * throttles on the disk holding the file named; memory.low refused on v1. */
static void test_soft_resources(void **state)
{
    struct vcb_err err = {0};
    struct vcb_blockdev d;
    const struct vcb_limits l = {
        .cpu_weight = 200, .memory_soft = 64ULL << 20, .io = {.rbps = 1 << 20}};
    cleanup_json json_t *r = json_object();
    assert_int_equal(oci_resources_soft(&l, "/", r, &err), 0);
    if (oci_cg_mode() == OCI_CG_V2) {
        assert_string_equal(
            json_string_value(json_object_get(json_object_get(r, "unified"), "cpu.weight")), "200");
        assert_string_equal(
            json_string_value(json_object_get(json_object_get(r, "unified"), "memory.high")),
            "67108864");
    } else {
        assert_int_equal(json_integer_value(json_object_get(json_object_get(r, "cpu"), "shares")),
                         2048);
        assert_int_equal(
            json_integer_value(json_object_get(json_object_get(r, "memory"), "reservation")),
            64LL << 20);
        json_t *r2 = json_object();
        assert_int_equal(
            oci_resources_soft(&(struct vcb_limits){.memory_low = 8ULL << 20}, "/", r2, &err), -1);
        json_decref(r2);
        assert_true(err.usage);
        assert_non_null(strstr(err.msg, "--memory-low needs cgroup v2's memory.low"));
    }
    assert_int_equal(vcb_blockdev_of_path("/", &d, &err), 0);
    json_t *t =
        json_array_get(json_object_get(json_object_get(r, "blockIO"), "throttleReadBpsDevice"), 0);
    assert_int_equal(json_integer_value(json_object_get(t, "major")), d.major);
    assert_int_equal(json_integer_value(json_object_get(t, "minor")), d.minor);
    assert_int_equal(json_integer_value(json_object_get(t, "rate")), 1 << 20);
}

static void test_runtime_names(void **state)
{
    (void)state;
    const char *const good[] = {"crun",  "runc",          "kata-runtime",
                                "runsc", "/usr/bin/crun", "/opt/x.y/crun+1"};
    const char *const bad[] = {"",  "..",  ".",   "../x", "a/b", "/a/../b", "/a/./b",
                               "/", "/a/", "a b", "a,b",  "a:b", "$x"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_true(oci_member_ok(good[i]));
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(oci_member_ok(bad[i]));
}

/* A runtime that is not there: the message says so and names it. */
static void test_runtime_not_found(void **state)
{
    (void)state;
    struct oci_runtime rt;
    struct vcb_err err = {0};
    setenv("PATH", "/nonexistent", 1);
    assert_int_equal(oci_runtime_find("oci:nosuch", &rt, &err), -1);
    assert_string_equal(err.msg, "runtime 'nosuch' not found in PATH");
    assert_int_equal(err.usage, 0);
    assert_int_equal(oci_runtime_find("oci:../x", &rt, &err), -1);
    assert_int_equal(err.usage, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_from_the_spec),
        cmocka_unit_test(test_soft_resources),
        cmocka_unit_test(test_runtime_names),
        cmocka_unit_test(test_runtime_not_found),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
