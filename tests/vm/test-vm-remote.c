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

/* A cached verdict, looked up; false when the key has none. */
static bool cached(const char *key)
{
    enum vcb_accel a;
    char why[256];
    return vm_accel_cache_lookup(key, &a, why, sizeof why);
}

/* The key of kernel under a remote host's identity (hv: its hypervisor
 * version, which a new qemu there changes) reached at uri. */
static char *remote_key(const char *hostname, unsigned long hv, const char *uri, const char *kernel,
                        char *id, size_t len)
{
    struct vcb_err err = {0};
    vm_remote_id(hostname, "<host><uuid>4c4c4544-0042</uuid></host>", 9000000, hv, id, len);
    char *key = vm_accel_cache_key(id, uri, kernel, &err);
    assert_non_null(key);
    return key;
}

/* The accel cache keeps a remote host's verdicts for every guest kernel it
 * probed while its identity holds; a new identity under the same URI drops
 * them, and leaves other URIs' (one the first's prefix, two past any
 * fixed buffer that share 400 characters) and this host boot's alone. */
static void test_accel_cache_prune(void **state)
{
    (void)state;
    char dir[] = "/tmp/vcb-vm-accel-XXXXXX";
    assert_non_null(mkdtemp(dir));
    setenv("VCB_STATE_DIR", dir, 1);
    struct vcb_err err = {0};
    char ka[PATH_MAX], kb[PATH_MAX], id[384], id2[384], idx[384], local[384];
    snprintf(ka, sizeof ka, "%s/vmlinuz-a", dir);
    snprintf(kb, sizeof kb, "%s/vmlinuz-b", dir);
    assert_int_equal(vcb_write_file(ka, "kernel a", 8, &err), 0);
    assert_int_equal(vcb_write_file(kb, "kernel bb", 9, &err), 0);
    const char *uri = "qemu+ssh://root@kvm-b/system";
    const char *uri_longer = "qemu+ssh://root@kvm-b/system?keyfile=/k";
    char long1[600], long2[600];
    snprintf(long1, sizeof long1, "qemu+ssh://root@kvm-c/system?socket=/%0400d/1", 0);
    snprintf(long2, sizeof long2, "qemu+ssh://root@kvm-c/system?socket=/%0400d/2", 0);

    cleanup_free char *a1 = remote_key("kvm-b", 7002000, uri, ka, id, sizeof id);
    vm_accel_cache_store(a1, id, uri, VCB_ACCEL_KVM, "probe a");
    cleanup_free char *b1 = remote_key("kvm-b", 7002000, uri, kb, id, sizeof id);
    vm_accel_cache_store(b1, id, uri, VCB_ACCEL_TCG, "probe b");
    assert_true(cached(a1)); /* another kernel on the same host: both stay */
    assert_true(cached(b1));

    cleanup_free char *o1 = remote_key("kvm-b", 7002000, uri_longer, ka, idx, sizeof idx);
    vm_accel_cache_store(o1, idx, uri_longer, VCB_ACCEL_KVM, "other uri");
    cleanup_free char *l1 = remote_key("kvm-c", 7002000, long1, ka, idx, sizeof idx);
    vm_accel_cache_store(l1, idx, long1, VCB_ACCEL_KVM, "long uri 1");
    assert_int_equal(vm_accel_host_id("qemu:///system", local, sizeof local, &err), 0);
    cleanup_free char *h1 = vm_accel_cache_key(local, "qemu:///system", ka, &err);
    assert_non_null(h1);
    vm_accel_cache_store(h1, local, "qemu:///system", VCB_ACCEL_TCG, "this host");
    assert_true(cached(a1) && cached(b1) && cached(o1) && cached(l1) && cached(h1));

    /* A new qemu on kvm-b: its verdicts under uri go, nothing else. */
    cleanup_free char *a2 = remote_key("kvm-b", 8002000, uri, ka, id2, sizeof id2);
    vm_accel_cache_store(a2, id2, uri, VCB_ACCEL_KVM, "probe a again");
    assert_true(cached(a2));
    assert_false(cached(a1));
    assert_false(cached(b1));
    assert_true(cached(o1) && cached(l1) && cached(h1));

    /* The long URI's twin, under another identity, leaves it alone. */
    cleanup_free char *l2 = remote_key("kvm-d", 7002000, long2, ka, idx, sizeof idx);
    vm_accel_cache_store(l2, idx, long2, VCB_ACCEL_KVM, "long uri 2");
    assert_true(cached(l1) && cached(l2));
    cleanup_free char *l1b = remote_key("kvm-e", 7002000, long1, ka, idx, sizeof idx);
    vm_accel_cache_store(l1b, idx, long1, VCB_ACCEL_KVM, "long uri 1, new host");
    assert_false(cached(l1));
    assert_true(cached(l2) && cached(l1b) && cached(a2));
    unsetenv("VCB_STATE_DIR");
    assert_int_equal(vcb_rm_rf(dir, &err), 0);
}

/* A host's answer is kept per URI, whatever its length: a second ask of a
 * URI past any fixed buffer is answered from the cache (its libvirt's
 * file is gone by then), and a URI that is the first's cut is its own
 * (libvirt's test driver: a host described by a file, no daemon). */
static void test_remote_host_long_uri(void **state)
{
    (void)state;
    char dir[PATH_MAX] = "/tmp/vcb-vm-host-XXXXXX", uri[PATH_MAX + 16];
    assert_non_null(mkdtemp(dir));
    char top[PATH_MAX];
    snprintf(top, sizeof top, "%s", dir);
    for (int i = 0; i < 3; i++) { /* 3 × 101 characters */
        size_t n = strlen(dir);
        snprintf(dir + n, sizeof dir - n, "/%0100d", i);
        assert_int_equal(mkdir(dir, 0700), 0);
    }
    char file[PATH_MAX + 16];
    snprintf(file, sizeof file, "%s/node.xml", dir);
    struct vcb_err err = {0};
    assert_int_equal(vcb_write_file(file, "<node></node>\n", 14, &err), 0);
    snprintf(uri, sizeof uri, "test://%s", file);
    assert_true(strlen(uri) > 320);

    struct vm_remote_host h = {0}, again = {0};
    assert_int_equal(vm_remote_host(uri, &h, &err), 0);
    assert_non_null(strstr(h.id, VM_REMOTE_ID_TAG));
    assert_int_equal(unlink(file), 0);
    assert_int_equal(vm_remote_host(uri, &again, &err), 0); /* no second connection */
    assert_string_equal(again.id, h.id);

    for (size_t cut = 255; cut < strlen(uri); cut += 64) {
        char shorter[PATH_MAX + 16];
        snprintf(shorter, sizeof shorter, "%.*s", (int)cut, uri);
        vcb_err_clear(&err);
        assert_int_equal(vm_remote_host(shorter, &again, &err), -1); /* no such file there */
        assert_non_null(strstr(err.msg, "libvirt test:///tmp/vcb-vm-host-"));
    }
    assert_int_equal(vcb_rm_rf(top, &err), 0);
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

/* What needs this host's files is refused for a remote URI, by name: by
 * the driver's check_spec before anything is made, under the words that
 * asked for it, and again by create on the spec (naming the file). */
static void test_remote_refusals(void **state)
{
    (void)state;
    struct vcb_err err = {0};
    struct vcb_backend_opts o = {.vm_uri = "qemu+ssh://root@kvm-b/system"};
    assert_ptr_equal(vm_driver.check_spec, vm_remote_check_needs);
    struct vcb_spec_needs needs = {.scratch = "suite.json: scratch.size"};
    assert_int_equal(vm_driver.check_spec(&o, &needs, &err), -1);
    assert_int_equal(err.usage, 1);
    assert_non_null(strstr(err.msg, "suite.json: scratch.size: the VM's scratch volume"));
    assert_non_null(strstr(err.msg, "qemu+ssh://root@kvm-b/system"));
    assert_non_null(strstr(err.msg, "needs this host's files"));
    needs = (struct vcb_spec_needs){.net = "netflood"};
    vcb_err_clear(&err);
    assert_int_equal(vm_driver.check_spec(&o, &needs, &err), -1);
    assert_non_null(strstr(err.msg, "network workload netflood"));
    needs = (struct vcb_spec_needs){0}; /* nothing of this host's: fine */
    assert_int_equal(vm_driver.check_spec(&o, &needs, &err), 0);
    o.vm_uri = "qemu:///system"; /* locally: everything */
    needs = (struct vcb_spec_needs){.scratch = "--scratch", .net = "netio"};
    assert_int_equal(vm_driver.check_spec(&o, &needs, &err), 0);

    struct vcb_instance_spec spec = {.workload = "diskio",
                                     .scratch = "/var/tmp/x.img",
                                     .opts.vm_uri = "qemu+ssh://root@kvm-b/system"};
    vcb_err_clear(&err);
    assert_int_equal(vm_remote_check(&spec, &err), -1);
    assert_int_equal(err.usage, 1);
    assert_non_null(strstr(err.msg, "/var/tmp/x.img: the VM's scratch volume"));
    assert_non_null(strstr(err.msg, "qemu+ssh://root@kvm-b/system"));

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
        cmocka_unit_test(test_accel_cache_prune),  cmocka_unit_test(test_remote_host_long_uri),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
