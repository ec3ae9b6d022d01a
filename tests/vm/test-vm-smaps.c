/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-vm-smaps.c — finding the guest RAM among qemu's mappings: a real
 * smaps of qemu under TCG with 256 MiB of guest RAM (trimmed to its
 * anonymous mappings and a few files), and made-up layouts for a RAM split
 * in two VMAs, a memfd backing and the TCG translation cache. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "vm-priv.h"

static char *fixture(void)
{
    char *text = NULL;
    struct vcb_err err = {0};
    if (vcb_read_file(VM_FIXTURE_DIR "/qemu-tcg-256m.smaps", &text, NULL, &err) < 0)
        fail_msg("%s", err.msg);
    return text;
}

static void test_real_qemu_guest_ram(void **state)
{
    cleanup_free char *text = fixture();
    struct vm_ram_map m;
    assert_int_equal(vm_smaps_guest_ram(text, 256ULL << 20, &m), 0);
    assert_int_equal(m.size, 256ULL << 20);
    assert_int_equal(m.pss, 120832ULL << 10); /* the guest touched 118 MiB of it */
    assert_int_equal(m.rss, 120832ULL << 10);
    assert_int_equal(m.vmas, 1);
}

/* No mapping is 512 MiB; the 16 MiB executable TCG cache is not RAM. */
static void test_no_such_ram(void **state)
{
    cleanup_free char *text = fixture();
    struct vm_ram_map m;
    assert_int_equal(vm_smaps_guest_ram(text, 512ULL << 20, &m), -1);
    assert_int_equal(vm_smaps_guest_ram(text, 16ULL << 20, &m), -1);
}

#define VMA(range, perms, path, kb)                                                                \
    range " " perms " 00000000 00:00 0          " path "\nSize: 1 kB\nRss: " kb " kB\nPss: " kb    \
          " kB\n"

/* A RAM region split by madvise is one run of adjacent VMAs; a memfd
 * backing counts; a file of the right size does not. */
static void test_split_and_memfd(void **state)
{
    const char *split = VMA("7f0000000000-7f0004000000", "rw-p", "", "1000")
        VMA("7f0004000000-7f0008000000", "rw-p", "", "24")
            VMA("7f0008000000-7f0008001000", "---p", "", "0");
    const char *memfd = VMA("7f1000000000-7f1000400000", "r--p", "/usr/lib/big.so", "4096")
        VMA("7f2000000000-7f2008000000", "rw-s", "/memfd:pc.ram (deleted)", "2048");
    const char *file = VMA("7f3000000000-7f3008000000", "rw-p", "/var/lib/some.img", "9");
    struct vm_ram_map m;
    assert_int_equal(vm_smaps_guest_ram(split, 128ULL << 20, &m), 0);
    assert_int_equal(m.vmas, 2);
    assert_int_equal(m.size, 128ULL << 20);
    assert_int_equal(m.pss, 1024ULL << 10);
    assert_int_equal(vm_smaps_guest_ram(memfd, 128ULL << 20, &m), 0);
    assert_int_equal(m.pss, 2048ULL << 10);
    assert_int_equal(vm_smaps_guest_ram(file, 128ULL << 20, &m), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_qemu_guest_ram),
        cmocka_unit_test(test_no_such_ram),
        cmocka_unit_test(test_split_and_memfd),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
