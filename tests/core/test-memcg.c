/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-memcg.c — the memory cgroup split read from planted memory.stat
 * files (v2 with its kernel parts, v1 with the kmem counters), the paths of
 * /proc/PID/cgroup and mountinfo, and page-cache residency of a file tree. */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "vcb-driver.h"

static char dir[64];

static void plant(const char *file, const char *text)
{
    char path[128];
    struct vcb_err err = {0};
    snprintf(path, sizeof path, "%s/%s", dir, file);
    assert_int_equal(vcb_write_file(path, text, strlen(text), &err), 0);
}

static int make_dir(void **state)
{
    snprintf(dir, sizeof dir, "/tmp/test-memcg-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
    struct vcb_err err = {0};
    return vcb_rm_rf(dir, &err);
}

/* cgroup v2 (6.x): "kernel" holds the stacks, page tables, slab, percpu. */
static void test_v2_split(void **state)
{
    struct vcb_memcg_split m;
    struct vcb_err err = {0};
    plant("memory.stat", "anon 118784\nfile 8192\nkernel 491520\nkernel_stack 32768\n"
                         "pagetables 57344\nsec_pagetables 0\npercpu 5760\nsock 0\nvmalloc 8192\n"
                         "shmem 0\nfile_mapped 0\nslab_reclaimable 100000\nslab 301000\n");
    assert_int_equal(vcb_memcg_read(dir, &m, &err), 0);
    assert_int_equal(m.anon, 118784);
    assert_int_equal(m.file, 8192);
    assert_int_equal(m.kernel, 491520);
    assert_int_equal(m.kernel_stack, 32768);
    assert_int_equal(m.pagetables, 57344);
    assert_int_equal(m.slab, 301000);
    assert_int_equal(m.percpu, 5760);
    assert_int_equal(m.vmalloc, 8192);
    assert_int_equal(m.sock, 0);
}

/* Before 5.18 there is no "kernel" line: the sum of its parts. */
static void test_v2_kernel_from_parts(void **state)
{
    struct vcb_memcg_split m;
    vcb_memstat_parse("anon 4096\nfile 0\nkernel_stack 16384\npagetables 8192\npercpu 1000\n"
                      "sock 0\nslab 20000\n",
                      &m);
    assert_int_equal(m.kernel, 16384 + 8192 + 1000 + 20000);
    assert_true(m.vmalloc == VCB_STAT_UNSET);
}

/* cgroup v1: memory.stat has rss/cache only; kernel memory is its own file. */
static void test_v1_split(void **state)
{
    struct vcb_memcg_split m;
    struct vcb_err err = {0};
    plant("memory.stat", "cache 0\nrss 114688\nrss_huge 0\nshmem 0\nmapped_file 0\n"
                         "total_cache 0\ntotal_rss 114688\n");
    plant("memory.kmem.usage_in_bytes", "180224\n");
    plant("memory.kmem.tcp.usage_in_bytes", "0\n");
    assert_int_equal(vcb_memcg_read(dir, &m, &err), 0);
    assert_int_equal(m.anon, 114688);
    assert_int_equal(m.file, 0);
    assert_int_equal(m.kernel, 180224);
    assert_int_equal(m.sock, 0);
    assert_true(m.kernel_stack == VCB_STAT_UNSET); /* v1 does not split it */
}

static void test_missing_stat_is_error(void **state)
{
    struct vcb_memcg_split m;
    struct vcb_err err = {0};
    assert_int_equal(vcb_memcg_read(dir, &m, &err), -1);
    assert_non_null(strstr(err.msg, "memory.stat"));
}

static void test_proc_cgroup_paths(void **state)
{
    const char *hybrid = "9:name=systemd:/\n4:memory:/machine/qemu-1-vcb.libvirt-qemu\n"
                         "2:cpu,cpuacct:/x\n0::/machine/qemu-1-vcb.libvirt-qemu/emulator\n";
    char buf[256];
    assert_true(vcb_memcg_proc_path(hybrid, true, buf, sizeof buf));
    assert_string_equal(buf, "/machine/qemu-1-vcb.libvirt-qemu");
    assert_true(vcb_memcg_proc_path(hybrid, false, buf, sizeof buf));
    assert_string_equal(buf, "/machine/qemu-1-vcb.libvirt-qemu/emulator");
    assert_false(vcb_memcg_proc_path("0::/user.slice\n", true, buf, sizeof buf));
    assert_true(vcb_memcg_proc_path("3:cpu,memory:/a\n", true, buf, sizeof buf));
    assert_string_equal(buf, "/a");
    assert_false(vcb_memcg_proc_path("3:memory_x:/a\n", true, buf, sizeof buf));
}

static void test_mountinfo(void **state)
{
    const char *mi =
        "25 1 0:22 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
        "30 25 0:26 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
        "31 25 0:27 / /sys/fs/cgroup/memory rw,relatime shared:5 - cgroup cgroup rw,memory\n"
        "36 25 0:32 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
    char buf[256];
    assert_true(vcb_memcg_mount(mi, true, buf, sizeof buf));
    assert_string_equal(buf, "/sys/fs/cgroup/memory");
    assert_true(vcb_memcg_mount(mi, false, buf, sizeof buf));
    assert_string_equal(buf, "/sys/fs/cgroup/unified");
    assert_false(vcb_memcg_mount("30 25 0:26 / /x rw - cgroup cgroup rw,memory_recursiveprot\n",
                                 true, buf, sizeof buf));
}

/* Two files just written sit in the page cache; a directory's are summed. */
static void test_path_cached(void **state)
{
    char sub[128], big[4 * 4096 + 100];
    struct vcb_err err = {0};
    uint64_t cached = 0, size = 0;
    memset(big, 'x', sizeof big);
    snprintf(sub, sizeof sub, "%s/bin", dir);
    assert_int_equal(mkdir(sub, 0755), 0);
    plant("init", "0123456789");
    char path[160];
    snprintf(path, sizeof path, "%s/bin/idle", dir);
    assert_int_equal(vcb_write_file(path, big, sizeof big, &err), 0);
    assert_int_equal(vcb_path_cached(dir, &cached, &size, &err), 0);
    assert_int_equal(size, 10 + sizeof big);
    long page = sysconf(_SC_PAGESIZE);
    assert_int_equal(cached, (uint64_t)page * (1 + (sizeof big + page - 1) / page));
    /* a link given is followed (vmlinuz -> vmlinuz-6.1…); one inside the tree is not */
    char link[160];
    snprintf(link, sizeof link, "%s/bin/sh", dir);
    assert_int_equal(symlink("idle", link), 0);
    assert_int_equal(vcb_path_cached(dir, &cached, &size, &err), 0);
    assert_int_equal(size, 10 + sizeof big);
    assert_int_equal(vcb_path_cached(link, &cached, &size, &err), 0);
    assert_int_equal(size, sizeof big);
    snprintf(path, sizeof path, "%s/nope", dir);
    assert_int_equal(vcb_path_cached(path, &cached, &size, &err), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_v2_split, make_dir, remove_dir),
        cmocka_unit_test(test_v2_kernel_from_parts),
        cmocka_unit_test_setup_teardown(test_v1_split, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_missing_stat_is_error, make_dir, remove_dir),
        cmocka_unit_test(test_proc_cgroup_paths),
        cmocka_unit_test(test_mountinfo),
        cmocka_unit_test_setup_teardown(test_path_cached, make_dir, remove_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
