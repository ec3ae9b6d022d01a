/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-vm-remote.c — the parts of a remote libvirt host's VM arm that need
 * no host: the kernel console as a pty in the XML, volume names, the
 * cached content hash, which volumes cleanup keeps, the remote host's identity in the accel cache
 * key and what is refused for a remote URI. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "sha256.h"
#include "vm-priv.h"
#include "wl-image.h"

/* A remote guest's serial0 is a pty (read through a stream), never a file
 * path of this host; a local one keeps virtlogd's file. */
static void test_xml_console_pty(void **state)
{
    (void)state;
    struct vcb_err err = {0};
    struct vm_xml_config c = {.name = "vcb-0badcafe-1",
                              .accel = VCB_ACCEL_TCG,
                              .machine = "microvm",
                              .vcpus = 1,
                              .memory_mib = 256,
                              .kernel = VM_POOL_DIR "/vmlinuz-0123456789abcdef",
                              .initramfs = VM_POOL_DIR "/initramfs.cpio-fedcba9876543210",
                              .cmdline = "x",
                              .protocol_pty = true};
    cleanup_free char *xml = NULL;
    assert_int_equal(vm_xml_build(&c, &xml, &err), 0);
    assert_null(strstr(xml, "<serial type='file'>"));
    const char *s0 = strstr(xml, "<serial type='pty'>\n      <target port='0'/>");
    const char *s1 = strstr(xml, "<serial type='pty'>\n      <target port='1'/>");
    assert_non_null(s0);
    assert_non_null(s1);
    c.console_log = "/run/vcbench/vcb-0badcafe/vcb-0badcafe-1.console.log";
    cleanup_free char *local = NULL;
    assert_int_equal(vm_xml_build(&c, &local, &err), 0);
    assert_non_null(strstr(local, "<serial type='file'>\n      <source path='/run/vcbench/"));
    assert_null(strstr(local, "<serial type='pty'>\n      <target port='0'/>"));
}

static void test_volume_name(void **state)
{
    (void)state;
    const char hex[65] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    char out[96];
    vm_volume_name("/var/lib/vcbench/kernel/vmlinuz", hex, out, sizeof out);
    assert_string_equal(out, "vmlinuz-0123456789abcdef");
    vm_volume_name("/x/a b:c'd.cpio", hex, out, sizeof out);
    assert_string_equal(out, "a_b_c_d.cpio-0123456789abcdef");
    vm_volume_name("/x/.hidden", hex, out, sizeof out);
    assert_string_equal(out, "file-0123456789abcdef");
}

/* Until its ctime is a few seconds old (the image builder's racy rule). */
static void wait_not_racy(const char *path)
{
    char id[PATH_MAX + 128];
    const char *one[1] = {path};
    bool racy = true;
    while (wl_key_identity(one, 1, id, sizeof id, &racy) == 0 && racy)
        usleep(100 * 1000);
}

/* The digest is the file's; a file changed a moment ago is not cached; a
 * second look trusts the cache while the file's identity holds (a planted
 * digest comes back), and hashes again after a same-size rewrite whose
 * mtime was put back (touch -r): its ctime moved. */
static void test_file_sha256_cached(void **state)
{
    (void)state;
    char dir[] = "/tmp/vcb-vm-remote-XXXXXX";
    assert_non_null(mkdtemp(dir));
    setenv("VCB_STATE_DIR", dir, 1);
    char file[PATH_MAX], cache[PATH_MAX];
    snprintf(file, sizeof file, "%s/vmlinuz", dir);
    snprintf(cache, sizeof cache, "%s/upload-hash.json", dir);
    struct vcb_err err = {0};
    assert_int_equal(vcb_write_file(file, "kernel bytes", 12, &err), 0);
    char want[65], got[65];
    assert_int_equal(wl_sha256_file(file, want, &err), 0);
    assert_int_equal(vm_file_sha256(file, got, &err), 0);
    assert_string_equal(got, want);
    assert_false(vcb_path_exists(cache)); /* racy: it may change within its timestamp */

    wait_not_racy(file);
    assert_int_equal(vm_file_sha256(file, got, &err), 0);
    assert_string_equal(got, want);
    cleanup_free char *text = NULL;
    assert_int_equal(vcb_read_file(cache, &text, NULL, &err), 0);
    char *at = strstr(text, want);
    assert_non_null(at);
    memset(at, 'e', 64);
    assert_int_equal(vcb_write_file(cache, text, strlen(text), &err), 0);
    assert_int_equal(vm_file_sha256(file, got, &err), 0);
    assert_memory_equal(got, "eeeeeeee", 8);

    /* Rewritten in place, same size, same inode, its mtime put back. */
    struct stat before, after;
    assert_int_equal(stat(file, &before), 0);
    int fd = open(file, O_WRONLY | O_CLOEXEC);
    assert_true(fd >= 0);
    assert_int_equal(pwrite(fd, "KERNEL BYTES", 12, 0), 12);
    close(fd);
    struct timespec keep[2] = {before.st_atim, before.st_mtim};
    assert_int_equal(utimensat(AT_FDCWD, file, keep, 0), 0);
    assert_int_equal(stat(file, &after), 0);
    assert_int_equal(after.st_ino, before.st_ino);
    assert_int_equal(after.st_size, before.st_size);
    assert_memory_equal(&after.st_mtim, &before.st_mtim, sizeof before.st_mtim);
    char now[65];
    assert_int_equal(wl_sha256_file(file, now, &err), 0);
    assert_string_not_equal(now, want);
    assert_int_equal(vm_file_sha256(file, got, &err), 0);
    assert_string_equal(got, now);
    unsetenv("VCB_STATE_DIR");
    assert_int_equal(vcb_rm_rf(dir, &err), 0);
}

/* A running domain uses a volume when its XML names the volume's whole
 * path, not when the path is the start of another one. */
static void test_xml_names_path(void **state)
{
    (void)state;
    const char *xml = "<os>\n  <kernel>" VM_POOL_DIR "/vmlinuz-0123456789abcdef</kernel>\n"
                      "  <initrd>" VM_POOL_DIR "/initramfs.cpio-fedcba9876543210</initrd>\n"
                      "</os>\n<disk><source file='" VM_POOL_DIR "/rootfs.ext4-00112233"
                      "44556677'/></disk>\n";
    assert_true(vm_xml_names_path(xml, VM_POOL_DIR "/vmlinuz-0123456789abcdef"));
    assert_true(vm_xml_names_path(xml, VM_POOL_DIR "/initramfs.cpio-fedcba9876543210"));
    assert_true(vm_xml_names_path(xml, VM_POOL_DIR "/rootfs.ext4-0011223344556677"));
    assert_false(vm_xml_names_path(xml, VM_POOL_DIR "/vmlinuz-0123456789abcde"));
    assert_false(vm_xml_names_path(xml, "/vmlinuz-0123456789abcdef"));
    assert_false(vm_xml_names_path(xml, VM_POOL_DIR "/vmlinuz-0123456789abcdef.1a2b3c4d.part"));
    assert_false(vm_xml_names_path(NULL, VM_POOL_DIR "/vmlinuz-0123456789abcdef"));
    assert_false(vm_xml_names_path(xml, ""));
}

/* A part volume is known by its name; its age by its XML's mtime. */
static void test_vol_part_age(void **state)
{
    (void)state;
    assert_true(vm_vol_is_part("vmlinuz-0123456789abcdef.1a2b3c4d" VM_POOL_PART));
    assert_false(vm_vol_is_part("vmlinuz-0123456789abcdef"));
    assert_false(vm_vol_is_part(VM_POOL_PART));
    const char *xml = "<volume><target><path>/x</path>\n<timestamps>\n"
                      "<atime>1795904557.478511986</atime>\n"
                      "<mtime>1795731757.378107733</mtime>\n</timestamps></target></volume>";
    assert_int_equal(vm_vol_xml_mtime(xml), 1795731757);
    assert_int_equal(vm_vol_xml_mtime("<volume><mtime>5</mtime></volume>"), -1);
    assert_int_equal(vm_vol_xml_mtime("<timestamps><mtime>x</mtime></timestamps>"), -1);
    assert_int_equal(vm_vol_xml_mtime(NULL), -1);
}

/* A remote host is named by what its libvirtd says, not by this host's
 * boot id or /dev/kvm. */
static void test_remote_host_id(void **state)
{
    (void)state;
    const char *caps = "<capabilities>\n  <host>\n    <uuid>4c4c4544-0042-1234</uuid>\n"
                       "    <cpu><arch>x86_64</arch></cpu>\n  </host>\n"
                       "  <guest><uuid>not-this</uuid></guest>\n</capabilities>\n";
    char id[384], other[384], local[384];
    vm_remote_id("kvm-b", caps, 9000000, 7002000, id, sizeof id);
    assert_string_equal(id, VM_REMOTE_ID_TAG "kvm-b|4c4c4544-0042-1234|9000000|7002000");
    vm_remote_id("kvm-b", caps, 9000000, 8002000, other, sizeof other);
    assert_string_not_equal(id, other); /* a new qemu there probes again */

    struct vcb_err err = {0};
    cleanup_free char *boot = NULL;
    assert_int_equal(vcb_read_file("/proc/sys/kernel/random/boot_id", &boot, NULL, &err), 0);
    boot[strcspn(boot, "\n")] = '\0';
    assert_int_equal(vm_accel_host_id("qemu:///system", local, sizeof local, &err), 0);
    assert_non_null(strstr(local, boot));
    assert_null(strstr(id, boot));
    assert_false(strncmp(local, VM_REMOTE_ID_TAG, strlen(VM_REMOTE_ID_TAG)) == 0);
}

/* The guest kernel learns its host's TSC rate from that host's libvirt. */
static void test_caps_tsc(void **state)
{
    (void)state;
    const char *caps = "<host><cpu><arch>x86_64</arch><model>kvm64</model>\n"
                       "      <counter name='tsc' frequency='2445412000' scaling='no'/>\n"
                       "</cpu></host>";
    assert_int_equal(vm_caps_tsc_khz(caps), 2445412);
    assert_int_equal(vm_caps_tsc_khz("<host><cpu><arch>x86_64</arch></cpu></host>"), 0);
    assert_int_equal(vm_caps_tsc_khz("<counter name='tsc'/><x frequency='5000'/>"), 0);
    assert_int_equal(vm_caps_tsc_khz(NULL), 0);
}

/* What needs this host's files is refused for a remote URI, by name. */
static void test_remote_refusals(void **state)
{
    (void)state;
    struct vcb_err err = {0};
    struct vcb_instance_spec spec = {.workload = "diskio",
                                     .scratch = "/var/tmp/x.img",
                                     .opts.vm_uri = "qemu+ssh://root@kvm-b/system"};
    assert_int_equal(vm_remote_check(&spec, &err), -1);
    assert_int_equal(err.usage, 1);
    assert_non_null(strstr(err.msg, "--scratch"));
    assert_non_null(strstr(err.msg, "qemu+ssh://root@kvm-b/system"));
    assert_non_null(strstr(err.msg, "needs this host's files"));

    spec = (struct vcb_instance_spec){
        .workload = "netio", .net.path = VCB_NET_USER, .opts.vm_uri = "qemu+tcp://kvm-b/system"};
    vcb_err_clear(&err);
    assert_int_equal(vm_remote_check(&spec, &err), -1);
    assert_int_equal(err.usage, 1);
    assert_non_null(strstr(err.msg, "network workload netio"));
    assert_non_null(strstr(err.msg, "qemu+tcp://kvm-b/system"));

    spec.opts.vm_uri = "qemu:///system"; /* the same spec, locally: fine */
    assert_int_equal(vm_remote_check(&spec, &err), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xml_console_pty),    cmocka_unit_test(test_volume_name),
        cmocka_unit_test(test_file_sha256_cached), cmocka_unit_test(test_remote_host_id),
        cmocka_unit_test(test_remote_refusals),    cmocka_unit_test(test_caps_tsc),
        cmocka_unit_test(test_xml_names_path),     cmocka_unit_test(test_vol_part_age),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
