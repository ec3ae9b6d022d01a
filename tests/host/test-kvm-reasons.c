/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-kvm-reasons.c — every reason the VM backend gives for not using KVM
 * names what was seen (a permission, an MSR abort, a hang past the timeout),
 * and names kvm_pvm only when the module is loaded; the /dev/kvm node check
 * against files in a temp dir with udev's owner and mode and without. */
#include <grp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "vm-priv.h"

#define PERM_MSG "-accel kvm: failed to initialize kvm: Permission denied"
#define MSR_MSG  "error: failed to set MSR 0x10a to 0x69"

static void assert_has(const char *s, const char *piece)
{
    if (!strstr(s, piece))
        fail_msg("\"%s\" lacks \"%s\"", s, piece);
}

static void assert_lacks(const char *s, const char *piece)
{
    if (strstr(s, piece))
        fail_msg("\"%s\" has \"%s\"", s, piece);
}

/* A permission is a permission even where kvm_pvm is loaded. */
static void test_permission_denied(void **state)
{
    char r[256];
    vm_accel_reason_qemu(PERM_MSG, "root:root 0600", true, r, sizeof r);
    assert_has(r, "Permission denied");
    assert_has(r, "libvirt's qemu user");
    assert_has(r, "root:root 0600");
    assert_has(r, "root:kvm 0660");
    assert_lacks(r, "kvm_pvm");
    /* The node looks right: a denial from elsewhere (AppArmor, SELinux). */
    vm_accel_reason_qemu(PERM_MSG, NULL, false, r, sizeof r);
    assert_has(r, "Permission denied");
    assert_lacks(r, "udev");
}

static void test_msr_abort(void **state)
{
    char r[256];
    vm_accel_reason_qemu(MSR_MSG, NULL, true, r, sizeof r);
    assert_has(r, "aborted on an MSR");
    assert_has(r, "0x10a");
    assert_has(r, "kvm_pvm is loaded");
    vm_accel_reason_qemu(MSR_MSG, NULL, false, r, sizeof r);
    assert_has(r, "aborted on an MSR");
    assert_lacks(r, "kvm_pvm");
}

static void test_hang(void **state)
{
    char r[256];
    vm_accel_reason_hang(10, false, r, sizeof r);
    assert_has(r, "hung");
    assert_has(r, "within 10 s");
    assert_lacks(r, "kvm_pvm");
    vm_accel_reason_hang(10, true, r, sizeof r);
    assert_has(r, "kvm_pvm is loaded");
}

/* Anything else is quoted, first line only, and not blamed on kvm_pvm. */
static void test_other_failure(void **state)
{
    char r[256];
    vm_accel_reason_qemu("could not load kernel\nsecond line", NULL, false, r, sizeof r);
    assert_has(r, "qemu failed to start under KVM (could not load kernel)");
    assert_lacks(r, "second line");
    assert_lacks(r, "kvm_pvm");
    char tiny[24];
    vm_accel_reason_qemu(PERM_MSG, "root:root 0600", false, tiny, sizeof tiny);
    assert_int_equal(strlen(tiny), sizeof tiny - 1);
}

/* A file named like the node: (owner, group, mode) → usable by group kvm? */
static int node_as(const char *path, gid_t gid, mode_t mode, char *seen, size_t len)
{
    assert_int_equal(chown(path, 0, gid), 0);
    assert_int_equal(chmod(path, mode), 0);
    return vm_kvm_node_check(path, seen, len);
}

static void test_node_check(void **state)
{
    if (geteuid() != 0)
        skip(); /* chown to root and group kvm */
    struct group *kvm = getgrnam("kvm");
    if (!kvm)
        skip();
    gid_t kvm_gid = kvm->gr_gid;
    char dir[] = "/tmp/vcb-kvmnode.XXXXXX", path[64], seen[128];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/kvm", dir);
    struct vcb_err err = {0};
    assert_int_equal(vcb_write_file(path, "", 0, &err), 0);
    assert_int_equal(node_as(path, 0, 0600, seen, sizeof seen), 0);
    assert_string_equal(seen, "root:root 0600");
    assert_int_equal(node_as(path, kvm_gid, 0600, seen, sizeof seen), 0);
    assert_int_equal(node_as(path, kvm_gid, 0660, seen, sizeof seen), 1);
    assert_string_equal(seen, "root:kvm 0660");
    assert_int_equal(node_as(path, 0, 0666, seen, sizeof seen), 1);
    unlink(path);
    assert_int_equal(vm_kvm_node_check(path, seen, sizeof seen), -1);
    assert_has(seen, "No such file");
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_permission_denied),
        cmocka_unit_test(test_msr_abort),
        cmocka_unit_test(test_hang),
        cmocka_unit_test(test_other_failure),
        cmocka_unit_test(test_node_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
