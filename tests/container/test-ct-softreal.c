/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-ct-softreal — the soft and I/O limits for real (root, this kernel,
 * this host's cgroups): written where the kernel reads them, read back from
 * the live group; a weight that works (two CPU loops on one CPU share it by
 * their weights); a block I/O weight on a loop device under BFQ; and what
 * this host cannot apply refused by name. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ct-test.h"

static struct ct_test_env env;

/* The text of controller ctl's file of group name (v1: its hierarchy; v2:
 * the one group), or NULL. */
static char *group_file(const char *ctl, const char *name, const char *file)
{
    struct vcb_err err = {0};
    struct ct_cg_host *h = ct_cg_host_get(&err);
    char path[PATH_MAX * 2];
    char *text = NULL;
    int c = 0;
    while (c < CT_CTL__COUNT && strcmp(ct_cg_ctl_name(c), ctl) != 0)
        c++;
    if (h->mode == CT_CG_V2)
        snprintf(path, sizeof path, "%s/vcbench/%s/%s", h->root, name, file);
    else
        snprintf(path, sizeof path, "%s/vcbench/%s/%s", h->v1_mnt[c], name, file);
    return vcb_read_file(path, &text, NULL, &err) == 0 ? text : NULL;
}

static void assert_group_file(const char *ctl, const char *name, const char *file, const char *want)
{
    cleanup_free char *got = group_file(ctl, name, file);
    if (!got)
        fail_msg("%s of %s: not readable", file, name);
    if (!strstr(got, want))
        fail_msg("%s of %s: got \"%s\", want \"%s\" in it", file, name, got, want);
}

static struct vcb_instance *start(struct vcb_instance_spec *spec)
{
    struct vcb_instance *inst = NULL;
    struct vcb_err err = {0};
    if (ct_driver.create(spec, &inst, &err) < 0 || ct_driver.start(inst, &err) < 0)
        fail_msg("%s: %s", spec->name, err.msg);
    return inst;
}

static void test_soft_limits_read_back(void **state)
{
    struct vcb_instance_spec spec;
    struct vcb_err err = {0};
    struct vcb_blockdev dev;
    char disk[64];
    bool v2 = ct_cg_host_get(&err)->mode == CT_CG_V2;
    ct_test_spec(&env, &spec, "idle", NULL);
    spec.limits.cpu_weight = 200;
    spec.limits.memory_soft = 64ULL << 20;
    spec.limits.io.rbps = 10ULL << 20;
    spec.limits.io.wiops = 100;
    assert_int_equal(vcb_blockdev_of_path(spec.rootfs, &dev, &err), 0);
    struct vcb_instance *inst = start(&spec);
    if (v2) {
        assert_group_file("cpu", spec.name, "cpu.weight", "200\n");
        assert_group_file("memory", spec.name, "memory.high", "67108864\n");
        snprintf(disk, sizeof disk, "%u:%u rbps=10485760 wbps=max riops=max wiops=100", dev.major,
                 dev.minor);
        assert_group_file("io", spec.name, "io.max", disk);
    } else {
        assert_group_file("cpu", spec.name, "cpu.shares", "2048\n");
        assert_group_file("memory", spec.name, "memory.soft_limit_in_bytes", "67108864\n");
        snprintf(disk, sizeof disk, "%u:%u 10485760\n", dev.major, dev.minor);
        assert_group_file("blkio", spec.name, "blkio.throttle.read_bps_device", disk);
        snprintf(disk, sizeof disk, "%u:%u 100\n", dev.major, dev.minor);
        assert_group_file("blkio", spec.name, "blkio.throttle.write_iops_device", disk);
    }
    vcb_instance_destroy(inst);
}

/* Two single-thread CPU loops on CPU 0, weights 100 and 400: the heavier
 * one gets most of the CPU (4:1 ideally; other work on this host blurs it,
 * so at least 2:1 passes). Without the weight they would split it evenly. */
static void test_cpu_weight_shares_a_cpu(void **state)
{
    char *args[] = {"--duration", "2s", NULL};
    struct vcb_instance_spec spec[2];
    struct vcb_instance *inst[2];
    double ops[2];
    for (int i = 0; i < 2; i++) {
        ct_test_spec(&env, &spec[i], "cpu", args);
        spec[i].limits.cpu_weight = i ? 400 : 100;
        snprintf(spec[i].limits.cpuset, sizeof spec[i].limits.cpuset, "0");
        inst[i] = start(&spec[i]);
    }
    for (int i = 0; i < 2; i++) {
        struct ct_test_events evs = {0};
        struct vcb_err err = {0};
        assert_int_equal(ct_test_collect(inst[i], 10 * VCB_NS_PER_S, &evs, &err), 0);
        json_t *r = ct_test_result(&evs);
        assert_non_null(r);
        ops[i] = json_number_value(json_object_get(r, "ops_per_s"));
        json_decref(r);
        ct_test_events_clear(&evs);
        vcb_instance_destroy(inst[i]);
    }
    printf("cpu weight 100: %.0f ops/s, 400: %.0f ops/s, ratio %.2f\n", ops[0], ops[1],
           ops[1] / ops[0]);
    assert_true(ops[0] > 0 && ops[1] / ops[0] >= 2.0);
}

/* memory.low has no v1 file: refused by name, before anything is made. */
static void test_memory_low_where_v1(void **state)
{
    struct vcb_instance_spec spec;
    struct vcb_instance *inst = NULL;
    struct vcb_err err = {0};
    if (ct_cg_host_get(&err)->mode == CT_CG_V2)
        skip();
    ct_test_spec(&env, &spec, "noop", NULL);
    spec.limits.memory_low = 32ULL << 20;
    assert_int_equal(ct_driver.create(&spec, &inst, &err), -1);
    assert_true(err.usage);
    assert_non_null(strstr(err.msg, "--memory-low needs cgroup v2's memory.low"));
}

/* A loop device under BFQ: the I/O weight is written for it. */
static void test_io_weight_under_bfq(void **state)
{
    char img[PATH_MAX], cmd[PATH_MAX * 2], loop[64] = "", sched[PATH_MAX];
    struct vcb_err err = {0};
    snprintf(img, sizeof img, "%s/bfq.img", env.run_dir);
    snprintf(cmd, sizeof cmd, "truncate -s 16M %s && losetup -f --show %s", img, img);
    FILE *p = popen(cmd, "r");
    if (!p || !fgets(loop, sizeof loop, p) || strncmp(loop, "/dev/loop", 9) != 0) {
        if (p)
            pclose(p);
        skip(); /* no free loop device here */
    }
    pclose(p);
    loop[strcspn(loop, "\n")] = '\0';
    snprintf(sched, sizeof sched, "/sys/block/%s/queue/scheduler", loop + 5);
    bool bfq = vcb_write_file(sched, "bfq", 3, &err) == 0;
    struct ct_cgroup cg;
    struct vcb_blockdev dev = {0};
    char want[64];
    int rc = -1;
    if (bfq && vcb_blockdev_of_path(loop, &dev, &err) == 0) {
        ct_cgroup_init(&cg, ct_cg_host_get(&err), "vcb-softreal-bfq");
        cg.io_file = loop;
        rc = ct_cgroup_create(&cg, &(struct vcb_limits){.io.weight = 300}, &err);
    }
    cleanup_free char *got =
        rc == 0 ? group_file("blkio", "vcb-softreal-bfq",
                             ct_cg_host_get(&err)->mode == CT_CG_V2 ? "io.bfq.weight"
                                                                    : "blkio.bfq.weight_device")
                : NULL;
    if (rc == 0)
        ct_cgroup_destroy(&cg, &err);
    snprintf(cmd, sizeof cmd, "losetup -d %s", loop);
    if (system(cmd) != 0)
        fail_msg("losetup -d %s failed", loop);
    if (!bfq)
        skip(); /* this kernel has no BFQ */
    if (rc < 0)
        fail_msg("%s", err.msg);
    snprintf(want, sizeof want, "%u:%u 300", dev.major, dev.minor);
    assert_non_null(got);
    if (!strstr(got, want))
        fail_msg("weight file: got \"%s\", want \"%s\" in it", got, want);
}

int main(void)
{
    char why[512];
    if (geteuid() != 0)
        return printf("skipped: needs root\n"), 77;
    if (ct_test_env_make(&env, why, sizeof why) != 0)
        return printf("skipped: %s\n", why), 77;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_soft_limits_read_back),
        cmocka_unit_test(test_cpu_weight_shares_a_cpu),
        cmocka_unit_test(test_memory_low_where_v1),
        cmocka_unit_test(test_io_weight_under_bfq),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    ct_test_env_remove(&env);
    return rc;
}
