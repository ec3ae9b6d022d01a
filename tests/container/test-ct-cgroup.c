/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-ct-cgroup — the cgroup backends against fake cgroup trees in a temp
 * dir (as libvirt's vircgrouptest does): limits written -> exact file
 * contents, stats parsed from planted files, unsupported limits -> exact
 * errors; mode detection; cpu quota mapping; cleanup of stale groups. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>

#include <cmocka.h>

#include "container-priv.h"

#include "cg-fake.h"

static const struct vcb_limits all_limits = {
    .cpus = 1.5, .memory_bytes = 256ULL << 20, .pids = 128, .cpuset = "1"};

/* ---- v2 ---- */

static void test_v2_detected(void **state)
{
    struct fake *f = *state;
    assert_int_equal(f->host.mode, CT_CG_V2);
    assert_ptr_equal(f->host.ops, &ct_cg_v2_ops);
    assert_string_equal(f->host.v2_controllers, "cpuset cpu io memory hugetlb pids rdma misc");
}

static void test_v2_limits_written(void **state)
{
    struct fake *f = *state;
    struct vcb_err err = {0};
    assert_int_equal(ct_cgroup_create(&f->cg, &all_limits, &err), 0);
    assert_file(f, "cgroup.subtree_control", "+memory +pids +cpu +cpuset");
    assert_file(f, "vcbench/cgroup.subtree_control", "+memory +pids +cpu +cpuset");
    assert_file(f, "vcbench/" NAME "/memory.max", "268435456");
    assert_file(f, "vcbench/" NAME "/memory.swap.max", "0");
    assert_file(f, "vcbench/" NAME "/cpu.max", "150000 100000");
    assert_file(f, "vcbench/" NAME "/pids.max", "128");
    assert_file(f, "vcbench/" NAME "/cpuset.cpus", "1");
    assert_true(f->cg.procs_fd[0] >= 0);
    assert_int_equal(f->host.ops->clone_fd(&f->cg), -1); /* never CLONE_INTO a fake */
}

static void test_v2_unlimited_writes_nothing(void **state)
{
    struct fake *f = *state;
    struct vcb_err err = {0};
    const struct vcb_limits none = {0};
    assert_int_equal(ct_cgroup_create(&f->cg, &none, &err), 0);
    assert_file(f, "cgroup.subtree_control", "+memory +pids +cpu"); /* stats only */
    assert_false(exists(f, "vcbench/" NAME "/memory.max"));
    assert_false(exists(f, "vcbench/" NAME "/memory.swap.max"));
    assert_false(exists(f, "vcbench/" NAME "/cpu.max"));
    assert_false(exists(f, "vcbench/" NAME "/pids.max"));
    assert_false(exists(f, "vcbench/" NAME "/cpuset.cpus"));
}

static void test_v2_enabled_controllers_not_rewritten(void **state)
{
    struct fake *f = *state;
    struct vcb_err err = {0};
    plant(f, "cgroup.subtree_control", "cpu memory pids\n");
    plant(f, "vcbench/cgroup.subtree_control", "memory\n");
    assert_int_equal(ct_cgroup_create(&f->cg, &(struct vcb_limits){.pids = 8}, &err), 0);
    assert_file(f, "cgroup.subtree_control", "cpu memory pids\n");
    assert_file(f, "vcbench/cgroup.subtree_control", "+pids +cpu"); /* only the missing */
}

static void test_v2_missing_controller_is_error(void **state)
{
    struct fake *f = *state;
    struct vcb_err err = {0};
    plant(f, "cgroup.controllers", "cpu memory\n");
    fake_open(f);
    assert_int_equal(ct_cgroup_create(&f->cg, &all_limits, &err), -1);
    assert_string_equal(err.msg, "cgroup " NAME ": cannot apply the pids limit: controller "
                                 "'pids' is not available (cgroup.controllers: cpu memory)");
    assert_false(exists(f, "vcbench/" NAME));
}

/* A group of that name already there is someone else's: error, left alone. */
static void test_v2_existing_group_untouched(void **state)
{
    struct fake *f = *state;
    struct vcb_err err = {0};
    plant_dir(f, "vcbench/" NAME);
    plant(f, "vcbench/" NAME "/pids.max", "7");
    assert_int_equal(ct_cgroup_create(&f->cg, &all_limits, &err), -1);
    assert_string_equal(err.msg, "cgroup " NAME ": mkdir " NAME ": File exists");
    assert_file(f, "vcbench/" NAME "/pids.max", "7");
}

static void test_v2_no_swap_accounting(void **state)
{
    struct fake *f = *state;
    struct vcb_err err = {0};
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/vcbench/memory.swap.max", f->root);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(ct_cgroup_create(&f->cg, &(struct vcb_limits){.memory_bytes = 4096}, &err), 0);
    assert_file(f, "vcbench/" NAME "/memory.max", "4096");
    assert_false(exists(f, "vcbench/" NAME "/memory.swap.max"));
}

static void test_v2_stats(void **state)
{
    struct fake *f = *state;
    struct vcb_err err = {0};
    struct vcb_stats s;
    assert_int_equal(ct_cgroup_create(&f->cg, &all_limits, &err), 0);
    plant(f, "vcbench/" NAME "/memory.current", "1234\n");
    plant(f, "vcbench/" NAME "/memory.events", "low 0\nhigh 0\nmax 7\noom 2\noom_kill 1\n");
    plant(f, "vcbench/" NAME "/pids.current", "3\n");
    plant(f, "vcbench/" NAME "/cpu.stat", "usage_usec 2500\nuser_usec 2000\nsystem_usec 500\n");
    vcb_stats_init(&s);
    assert_int_equal(f->host.ops->stats(&f->cg, &s, &err), 0);
    assert_int_equal(s.mem_charged, 1234);
    assert_true(s.mem_peak == VCB_STAT_UNSET); /* no memory.peak before 5.19 */
    assert_int_equal(s.oom_kills, 1);
    assert_int_equal(s.pids, 3);
    assert_int_equal(s.cpu_ns, 2500000);
    plant(f, "vcbench/" NAME "/memory.peak", "5678\n");
    assert_int_equal(f->host.ops->stats(&f->cg, &s, &err), 0);
    assert_int_equal(s.mem_peak, 5678);
}

/* The charge split: user memory, page cache, and the kernel's own part
 * (stacks, page tables, slab …), which an idle container is mostly made of. */
static void test_v2_stats_kernel_split(void **state)
{
    struct fake *f = *state;
    struct vcb_err err = {0};
    struct vcb_stats s;
    assert_int_equal(ct_cgroup_create(&f->cg, &all_limits, &err), 0);
    plant(f, "vcbench/" NAME "/memory.current", "622592\n");
    plant(f, "vcbench/" NAME "/memory.stat",
          "anon 118784\nfile 12288\nkernel 491520\nkernel_stack 32768\npagetables 57344\n"
          "percpu 5760\nsock 0\nvmalloc 8192\nslab 301000\n");
    vcb_stats_init(&s);
    assert_int_equal(f->host.ops->stats(&f->cg, &s, &err), 0);
    assert_int_equal(s.cg.anon, 118784);
    assert_int_equal(s.cg.file, 12288);
    assert_int_equal(s.cg.kernel, 491520);
    assert_int_equal(s.cg.kernel_stack, 32768);
    assert_int_equal(s.cg.pagetables, 57344);
    assert_int_equal(s.cg.slab, 301000);
    assert_int_equal(s.cg.percpu, 5760);
    assert_int_equal(s.cg.sock, 0);
}

static void test_v2_destroy_removes(void **state)
{
    struct fake *f = *state;
    struct vcb_err err = {0};
    assert_int_equal(ct_cgroup_create(&f->cg, &all_limits, &err), 0);
    assert_true(exists(f, "vcbench/" NAME));
    assert_int_equal(ct_cgroup_destroy(&f->cg, &err), 0);
    assert_false(exists(f, "vcbench/" NAME));
    assert_true(exists(f, "vcbench"));
}

/* ---- v1 ---- */

static void test_v1_detected(void **state)
{
    struct fake *f = *state;
    assert_int_equal(f->host.mode, CT_CG_V1);
    assert_ptr_equal(f->host.ops, &ct_cg_v1_ops);
    assert_string_equal(strrchr(f->host.v1_mnt[CT_CTL_CPU], '/'), "/cpu,cpuacct");
    assert_string_equal(f->host.v1_mnt[CT_CTL_CPU], f->host.v1_mnt[CT_CTL_CPUACCT]);
    assert_string_equal(strrchr(f->host.v1_mnt[CT_CTL_CPUSET], '/'), "/cpuset");
}

static void test_v1_limits_written(void **state)
{
    struct fake *f = *state;
    struct vcb_err err = {0};
    assert_int_equal(ct_cgroup_create(&f->cg, &all_limits, &err), 0);
    assert_file(f, "memory/vcbench/" NAME "/memory.limit_in_bytes", "268435456");
    assert_file(f, "memory/vcbench/" NAME "/memory.memsw.limit_in_bytes", "268435456");
    assert_file(f, "cpu,cpuacct/vcbench/" NAME "/cpu.cfs_period_us", "100000");
    assert_file(f, "cpu,cpuacct/vcbench/" NAME "/cpu.cfs_quota_us", "150000");
    assert_file(f, "pids/vcbench/" NAME "/pids.max", "128");
    assert_file(f, "cpuset/vcbench/cpuset.cpus", "0-1"); /* parent made usable */
    assert_file(f, "cpuset/vcbench/cpuset.mems", "0");
    assert_file(f, "cpuset/vcbench/" NAME "/cpuset.cpus", "1");
    assert_file(f, "cpuset/vcbench/" NAME "/cpuset.mems", "0");
    /* the device allowlist: everything denied, then the table (the fake keeps
     * the last write of a command file; the real list is checked by
     * test-ct-escape against the kernel's devices.list) */
    assert_file(f, "devices/vcbench/" NAME "/devices.deny", "a");
    assert_file(f, "devices/vcbench/" NAME "/devices.allow", "c 136:* rwm");
    /* co-mounted cpu,cpuacct: one directory, joined once */
    assert_int_equal(f->cg.dfd[CT_CTL_CPU], f->cg.dfd[CT_CTL_CPUACCT]);
    assert_true(f->cg.procs_fd[CT_CTL_CPU] >= 0);
    assert_int_equal(f->cg.procs_fd[CT_CTL_CPUACCT], -1);
}

/* v1: a group whose list it copied from its parent (deny by default, the
 * table exactly) is only read back; one that allows by default or allows
 * less gets the table written. */
static void test_v1_devices_read_back_or_written(void **state)
{
    static const char *const lists[] = {"c 1:3 rwm\nc 1:5 rwm\nc 1:7 rwm\nc 1:8 rwm\nc 1:9 rwm\nc "
                                        "5:0 rwm\nc 5:2 rwm\nc 136:* rwm\n",
                                        "a *:* rwm\n", "c 1:3 rwm\n"};
    struct fake *f = *state;
    char rel[64], path[PATH_MAX + 64];
    plant_dir(f, "devices/vcbench");
    for (int i = 0; i < 3; i++) {
        struct vcb_err err = {0};
        snprintf(rel, sizeof rel, "devices/vcbench/g%d", i);
        plant_dir(f, rel);
        snprintf(rel, sizeof rel, "devices/vcbench/g%d/devices.list", i);
        plant(f, rel, lists[i]);
        snprintf(path, sizeof path, "%s/devices/vcbench/g%d", f->root, i);
        int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        assert_true(fd >= 0);
        assert_int_equal(ct_dev_v1_apply(&f->cg, fd, &err), 0);
        close(fd);
        snprintf(rel, sizeof rel, "devices/vcbench/g%d/devices.deny", i);
        if (i == 0) {
            assert_false(exists(f, rel));
            continue;
        }
        assert_file(f, rel, "a");
        snprintf(rel, sizeof rel, "devices/vcbench/g%d/devices.allow", i);
        assert_file(f, rel, "c 136:* rwm");
    }
}

static void test_v1_unlimited_joins_stats_only(void **state)
{
    struct fake *f = *state;
    struct vcb_err err = {0};
    const struct vcb_limits none = {0};
    assert_int_equal(ct_cgroup_create(&f->cg, &none, &err), 0);
    assert_true(exists(f, "memory/vcbench/" NAME));
    assert_false(exists(f, "cpu,cpuacct/vcbench/" NAME));         /* only for a cpus limit */
    assert_false(exists(f, "pids/vcbench/" NAME));                /* only for a pids limit */
    assert_false(exists(f, "cpuset/vcbench/" NAME));              /* only for a cpuset limit */
    assert_file(f, "devices/vcbench/" NAME "/devices.deny", "a"); /* never optional */
    assert_false(exists(f, "memory/vcbench/" NAME "/memory.limit_in_bytes"));
    assert_false(exists(f, "pids/vcbench/" NAME "/pids.max"));
}

static void test_v1_no_memsw(void **state)
{
    struct fake *f = *state;
    struct vcb_err err = {0};
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/memory/vcbench/memory.memsw.limit_in_bytes", f->root);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(ct_cgroup_create(&f->cg, &(struct vcb_limits){.memory_bytes = 1 << 20}, &err),
                     0);
    assert_file(f, "memory/vcbench/" NAME "/memory.limit_in_bytes", "1048576");
    assert_false(exists(f, "memory/vcbench/" NAME "/memory.memsw.limit_in_bytes"));
}

static void test_v1_missing_hierarchy_is_error(void **state)
{
    struct fake *f = *state;
    struct vcb_err err = {0};
    char path[PATH_MAX + 64], expected[PATH_MAX + 160];
    snprintf(path, sizeof path, "%s/pids", f->root);
    assert_int_equal(rmdir(path), 0);
    fake_open(f);
    assert_int_equal(ct_cgroup_create(&f->cg, &all_limits, &err), -1);
    snprintf(expected, sizeof expected,
             "cgroup " NAME ": cannot apply the pids limit: no v1 'pids' hierarchy is mounted "
             "under %s",
             f->root);
    assert_string_equal(err.msg, expected);
    /* what was made before the error is gone again */
    assert_false(exists(f, "memory/vcbench/" NAME));
    assert_false(exists(f, "cpu,cpuacct/vcbench/" NAME));
}

static void test_v1_no_devices_hierarchy_is_error(void **state)
{
    struct fake *f = *state;
    struct vcb_err err = {0};
    char path[PATH_MAX + 64], expected[PATH_MAX + 160];
    snprintf(path, sizeof path, "%s/devices", f->root);
    assert_int_equal(rmdir(path), 0);
    fake_open(f);
    assert_int_equal(ct_cgroup_create(&f->cg, &(struct vcb_limits){0}, &err), -1);
    snprintf(expected, sizeof expected,
             "cgroup " NAME ": cannot apply the device allowlist: no v1 'devices' hierarchy is "
             "mounted under %s",
             f->root);
    assert_string_equal(err.msg, expected);
    assert_false(exists(f, "memory/vcbench/" NAME));
}

/* The allowlist is the OCI default set, nothing more. */
static void test_device_rules(void **state)
{
    static const char *const want[] = {"c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm",
                                       "c 1:9 rwm", "c 5:0 rwm", "c 5:2 rwm", "c 136:* rwm"};
    char buf[48];
    size_t n = 0;
    for (const struct ct_dev_rule *r = ct_dev_allowed; r->type; r++, n++) {
        assert_true(n < sizeof want / sizeof want[0]);
        ct_dev_rule_format(r, buf, sizeof buf);
        assert_string_equal(buf, want[n]);
    }
    assert_int_equal(n, sizeof want / sizeof want[0]);
}

static void test_v1_stats(void **state)
{
    struct fake *f = *state;
    struct vcb_err err = {0};
    struct vcb_stats s;
    assert_int_equal(ct_cgroup_create(&f->cg, &all_limits, &err), 0);
    plant(f, "memory/vcbench/" NAME "/memory.usage_in_bytes", "4096\n");
    plant(f, "memory/vcbench/" NAME "/memory.max_usage_in_bytes", "8192\n");
    plant(f, "memory/vcbench/" NAME "/memory.oom_control",
          "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
    plant(f, "pids/vcbench/" NAME "/pids.current", "5\n");
    plant(f, "cpu,cpuacct/vcbench/" NAME "/cpuacct.usage", "123456789\n");
    vcb_stats_init(&s);
    assert_int_equal(f->host.ops->stats(&f->cg, &s, &err), 0);
    assert_int_equal(s.mem_charged, 4096);
    assert_int_equal(s.mem_peak, 8192);
    assert_int_equal(s.oom_kills, 2);
    assert_int_equal(s.pids, 5);
    assert_int_equal(s.cpu_ns, 123456789);
}

/* v1: memory.stat has no kernel lines; memory.kmem.usage_in_bytes does. */
/* No pids limit, so no pids group: the count is what the memory group
 * lists. No cpus limit, no cpuacct group: the cpu time is left to the
 * driver (the reaped init's rusage). */
static void test_v1_pids_without_group(void **state)
{
    struct fake *f = *state;
    struct vcb_err err = {0};
    struct vcb_stats s;
    assert_int_equal(ct_cgroup_create(&f->cg, &(struct vcb_limits){0}, &err), 0);
    assert_int_equal(f->cg.dfd[CT_CTL_PIDS], -1);
    plant(f, "memory/vcbench/" NAME "/memory.usage_in_bytes", "4096\n");
    plant(f, "memory/vcbench/" NAME "/memory.max_usage_in_bytes", "8192\n");
    plant(f, "memory/vcbench/" NAME "/memory.oom_control", "oom_kill 0\n");
    plant(f, "memory/vcbench/" NAME "/cgroup.procs", "41\n42\n43\n");
    vcb_stats_init(&s);
    assert_int_equal(f->host.ops->stats(&f->cg, &s, &err), 0);
    assert_int_equal(s.pids, 3);
    assert_true(s.cpu_ns == VCB_STAT_UNSET);
}

static void test_v1_stats_kmem(void **state)
{
    struct fake *f = *state;
    struct vcb_err err = {0};
    struct vcb_stats s;
    assert_int_equal(ct_cgroup_create(&f->cg, &all_limits, &err), 0);
    plant(f, "memory/vcbench/" NAME "/memory.usage_in_bytes", "299008\n");
    plant(f, "memory/vcbench/" NAME "/memory.stat", "cache 0\nrss 114688\nshmem 0\n");
    plant(f, "memory/vcbench/" NAME "/memory.kmem.usage_in_bytes", "184320\n");
    plant(f, "memory/vcbench/" NAME "/memory.kmem.tcp.usage_in_bytes", "4096\n");
    plant(f, "memory/vcbench/" NAME "/memory.max_usage_in_bytes", "299008\n");
    plant(f, "memory/vcbench/" NAME "/memory.oom_control", "oom_kill 0\n");
    plant(f, "pids/vcbench/" NAME "/pids.current", "1\n");
    plant(f, "cpu,cpuacct/vcbench/" NAME "/cpuacct.usage", "1\n");
    vcb_stats_init(&s);
    assert_int_equal(f->host.ops->stats(&f->cg, &s, &err), 0);
    assert_int_equal(s.mem_charged, 299008);
    assert_int_equal(s.cg.anon, 114688);
    assert_int_equal(s.cg.file, 0);
    assert_int_equal(s.cg.kernel, 184320);
    assert_int_equal(s.cg.sock, 4096);
    assert_true(s.cg.kernel_stack == VCB_STAT_UNSET); /* v1 does not split it */
}

static void test_v1_destroy_removes_every_hierarchy(void **state)
{
    struct fake *f = *state;
    struct vcb_err err = {0};
    assert_int_equal(ct_cgroup_create(&f->cg, &all_limits, &err), 0);
    assert_int_equal(ct_cgroup_destroy(&f->cg, &err), 0);
    assert_false(exists(f, "memory/vcbench/" NAME));
    assert_false(exists(f, "cpu,cpuacct/vcbench/" NAME));
    assert_false(exists(f, "pids/vcbench/" NAME));
    assert_false(exists(f, "cpuset/vcbench/" NAME));
}

/* ---- mode detection, quota, parsing ---- */

static void test_mode_from_magic(void **state)
{
    enum ct_cg_mode m;
    struct vcb_err err = {0};
    assert_int_equal(ct_cg_mode_from_magic(CGROUP2_SUPER_MAGIC, false, &m, &err), 0);
    assert_int_equal(m, CT_CG_V2);
    assert_int_equal(ct_cg_mode_from_magic(TMPFS_MAGIC, true, &m, &err), 0);
    assert_int_equal(m, CT_CG_HYBRID);
    assert_int_equal(ct_cg_mode_from_magic(TMPFS_MAGIC, false, &m, &err), 0);
    assert_int_equal(m, CT_CG_V1);
    assert_int_equal(ct_cg_mode_from_magic(EXT4_SUPER_MAGIC, false, &m, &err), -1);
    assert_string_equal(err.msg, "cgroups: unknown filesystem type 0xef53 (expected cgroup2 or "
                                 "tmpfs)");
}

/* The real host, read only: the mode agrees with statfs of /sys/fs/cgroup. */
static void test_mode_of_this_host(void **state)
{
    struct statfs sf;
    struct ct_cg_host h;
    struct vcb_err err = {0};
    if (statfs("/sys/fs/cgroup", &sf) < 0)
        skip();
    assert_int_equal(ct_cg_host_init(&h, "/sys/fs/cgroup", &err), 0);
    assert_false(h.fake);
    if (sf.f_type == CGROUP2_SUPER_MAGIC) {
        assert_int_equal(h.mode, CT_CG_V2);
    } else {
        assert_int_not_equal(h.mode, CT_CG_V2);
        assert_string_equal(h.v1_mnt[CT_CTL_MEMORY], "/sys/fs/cgroup/memory");
    }
}

static void test_cpu_quota(void **state)
{
    assert_int_equal(ct_cpu_quota_us(1.5), 150000);
    assert_int_equal(ct_cpu_quota_us(2), 200000);
    assert_int_equal(ct_cpu_quota_us(0.333), 33300);
    assert_int_equal(ct_cpu_quota_us(0.01), 1000);
    assert_int_equal(ct_cpu_quota_us(0.005), 1000); /* the kernel's minimum */
}

static void test_kv_find(void **state)
{
    uint64_t v = 0;
    assert_int_equal(ct_kv_find("oom 3\noom_kill 2\n", "oom_kill", &v), 0);
    assert_int_equal(v, 2);
    assert_int_equal(ct_kv_find("oom_kill 2\noom 3\n", "oom", &v), 0);
    assert_int_equal(v, 3);
    assert_int_equal(ct_kv_find("oom_kill_disable 0\n", "oom_kill", &v), -1);
}

/* ---- cleanup through VCB_CGROUP_ROOT (the process-wide host) ---- */

static bool stale_1a(const char *run_id, void *ctx)
{
    return strcmp(run_id, "1a2b3c4d") == 0;
}

static void note_removed(const char *what, void *ctx)
{
    char *log = ctx;
    snprintf(log + strlen(log), 1024 - strlen(log), "%s;", what);
}

static void test_cleanup_stale_only(void **state)
{
    struct fake *f = *state;
    struct vcb_err err = {0};
    char log[1024] = "", expected[PATH_MAX + 64];
    plant_dir(f, "vcbench/vcb-1a2b3c4d-1");
    plant_dir(f, "vcbench/vcb-1a2b3c4d-2");
    plant_dir(f, "vcbench/vcb-99999999-1");
    plant_dir(f, "vcbench/not-ours");
    setenv("VCB_CGROUP_ROOT", f->root, 1);
    assert_int_equal(ct_cleanup(stale_1a, note_removed, log, &err), 0);
    assert_false(exists(f, "vcbench/vcb-1a2b3c4d-1"));
    assert_false(exists(f, "vcbench/vcb-1a2b3c4d-2"));
    assert_true(exists(f, "vcbench/vcb-99999999-1"));
    assert_true(exists(f, "vcbench/not-ours"));
    snprintf(expected, sizeof expected, "cgroup %s/vcbench/vcb-1a2b3c4d-1;", f->root);
    assert_non_null(strstr(log, expected));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_v2_detected, v2_setup, fake_teardown),
        cmocka_unit_test_setup_teardown(test_v2_limits_written, v2_setup, fake_teardown),
        cmocka_unit_test_setup_teardown(test_v2_unlimited_writes_nothing, v2_setup, fake_teardown),
        cmocka_unit_test_setup_teardown(test_v2_enabled_controllers_not_rewritten, v2_setup,
                                        fake_teardown),
        cmocka_unit_test_setup_teardown(test_v2_missing_controller_is_error, v2_setup,
                                        fake_teardown),
        cmocka_unit_test_setup_teardown(test_v2_existing_group_untouched, v2_setup, fake_teardown),
        cmocka_unit_test_setup_teardown(test_v2_no_swap_accounting, v2_setup, fake_teardown),
        cmocka_unit_test_setup_teardown(test_v2_stats, v2_setup, fake_teardown),
        cmocka_unit_test_setup_teardown(test_v2_stats_kernel_split, v2_setup, fake_teardown),
        cmocka_unit_test_setup_teardown(test_v2_destroy_removes, v2_setup, fake_teardown),
        cmocka_unit_test_setup_teardown(test_v1_detected, v1_setup, fake_teardown),
        cmocka_unit_test_setup_teardown(test_v1_limits_written, v1_setup, fake_teardown),
        cmocka_unit_test_setup_teardown(test_v1_unlimited_joins_stats_only, v1_setup,
                                        fake_teardown),
        cmocka_unit_test_setup_teardown(test_v1_devices_read_back_or_written, v1_setup,
                                        fake_teardown),
        cmocka_unit_test_setup_teardown(test_v1_no_memsw, v1_setup, fake_teardown),
        cmocka_unit_test_setup_teardown(test_v1_missing_hierarchy_is_error, v1_setup,
                                        fake_teardown),
        cmocka_unit_test_setup_teardown(test_v1_no_devices_hierarchy_is_error, v1_setup,
                                        fake_teardown),
        cmocka_unit_test(test_device_rules),
        cmocka_unit_test_setup_teardown(test_v1_stats, v1_setup, fake_teardown),
        cmocka_unit_test_setup_teardown(test_v1_pids_without_group, v1_setup, fake_teardown),
        cmocka_unit_test_setup_teardown(test_v1_stats_kmem, v1_setup, fake_teardown),
        cmocka_unit_test_setup_teardown(test_v1_destroy_removes_every_hierarchy, v1_setup,
                                        fake_teardown),
        cmocka_unit_test(test_mode_from_magic),
        cmocka_unit_test(test_mode_of_this_host),
        cmocka_unit_test(test_cpu_quota),
        cmocka_unit_test(test_kv_find),
        cmocka_unit_test_setup_teardown(test_cleanup_stale_only, v2_setup, fake_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
