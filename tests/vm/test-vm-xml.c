/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-vm-xml.c — domain XML against expected files, XML escaping, limit
 * mapping, the kernel command line and small parsers of the vm backend.
 * VCB_REGEN_EXPECTED=1 rewrites the expected files (review the diff). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "vm-priv.h"

static void expect_file(const char *name, const char *got)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", VM_EXPECTED_DIR, name);
    struct vcb_err err = {0};
    if (getenv("VCB_REGEN_EXPECTED")) {
        assert_int_equal(vcb_write_file(path, got, strlen(got), &err), 0);
        return;
    }
    cleanup_free char *want = NULL;
    if (vcb_read_file(path, &want, NULL, &err) < 0)
        fail_msg("%s", err.msg);
    assert_string_equal(got, want);
}

/* A config the way the driver builds it: limits mapped, then the rest. */
static void xml_profile_for(const struct vcb_limits *l, const char *machine, enum vcb_accel accel,
                            enum vcb_vm_profile profile, const char *expected)
{
    struct vcb_err err = {0};
    struct vm_xml_config c = {
        .name = "vcb-0badcafe-3",
        .accel = accel,
        .machine = machine,
        .kernel = "/var/lib/vcbench/kernel/vmlinuz",
        .initramfs = "/var/lib/vcbench/images/idle-0123456789abcdef/initramfs.cpio.gz",
        .console_log = "/run/vcbench/vcb-0badcafe/vcb-0badcafe-3.console.log",
        .protocol_pty = true,
    };
    vm_profile_apply(profile, &c);
    cleanup_free char *cmdline = NULL, *xml = NULL;
    char *args[] = {"--duration", "2s", NULL};
    assert_int_equal(vm_limits_map(l, &c, &err), 0);
    assert_int_equal(vm_cmdline_build(NULL, "idle", args, 2596120, profile != VCB_VM_PROFILE_PLAIN,
                                      &cmdline, &err),
                     0);
    c.cmdline = cmdline;
    assert_int_equal(vm_xml_build(&c, &xml, &err), 0);
    expect_file(expected, xml);
}

/* The configuration these expected files were first written for. */
static void xml_for(const struct vcb_limits *l, const char *machine, enum vcb_accel accel,
                    const char *expected)
{
    xml_profile_for(l, machine, accel, VCB_VM_PROFILE_PLAIN, expected);
}

static void test_xml_pc_tcg(void **state)
{
    struct vcb_limits l = {.cpus = 2, .memory_bytes = 512ULL << 20};
    xml_for(&l, "pc", VCB_ACCEL_TCG, "pc-tcg.xml");
}

static void test_xml_microvm_kvm_fractional(void **state)
{
    struct vcb_limits l = {.cpus = 1.5}; /* memory unlimited: the default */
    xml_for(&l, "microvm", VCB_ACCEL_KVM, "microvm-kvm-frac.xml");
}

static void test_xml_q35_cpuset(void **state)
{
    struct vcb_limits l = {.cpus = 1, .memory_bytes = 128ULL << 20, .cpuset = "0-1"};
    xml_for(&l, "q35", VCB_ACCEL_TCG, "q35-tcg-cpuset.xml");
}

/* lean: a balloon that reports freed pages (on microvm's virtio-mmio bus,
 * which has no PCI) and the smaller TCG cache. */
static void test_xml_lean_microvm_tcg(void **state)
{
    struct vcb_limits l = {0};
    xml_profile_for(&l, "microvm", VCB_ACCEL_TCG, VCB_VM_PROFILE_LEAN, "microvm-tcg-lean.xml");
}

static void test_xml_lean_pc_kvm(void **state)
{
    struct vcb_limits l = {.cpus = 1};
    xml_profile_for(&l, "pc", VCB_ACCEL_KVM, VCB_VM_PROFILE_LEAN, "pc-kvm-lean.xml");
}

/* An image too big for an initramfs: a read-only virtio disk, on
 * microvm's MMIO bus where there is no PCI; none without one. */
static void test_xml_disk(void **state)
{
    static const char *const machines[] = {"microvm", "pc"};
    for (size_t i = 0; i < 2; i++) {
        struct vcb_err err = {0};
        struct vm_xml_config c = {.name = "vcb-0badcafe-4",
                                  .accel = VCB_ACCEL_TCG,
                                  .machine = machines[i],
                                  .vcpus = 1,
                                  .memory_mib = 256,
                                  .kernel = "/k",
                                  .initramfs = "/img/initramfs.cpio",
                                  .disk = "/img/rootfs.ext4",
                                  .cmdline = "x",
                                  .console_log = "/c.log"};
        cleanup_free char *xml = NULL;
        assert_int_equal(vm_xml_build(&c, &xml, &err), 0);
        const char *d = strstr(xml, "<disk type='file' device='disk'>");
        assert_non_null(d);
        assert_non_null(strstr(d, "<source file='/img/rootfs.ext4'/>"));
        assert_non_null(strstr(d, "<target dev='vda' bus='virtio'/>"));
        assert_non_null(strstr(d, "<readonly/>"));
        assert_true((strstr(d, "virtio-mmio") != NULL) == (i == 0));
        c.disk = NULL;
        cleanup_free char *none = NULL;
        assert_int_equal(vm_xml_build(&c, &none, &err), 0);
        assert_null(strstr(none, "<disk"));
    }
}

/* A scratch volume: a second virtio disk, writable, uncached by the host
 * (qemu opens it with O_DIRECT), found by its serial; beside the root
 * disk it is another disk, not the root one changed. */
static void test_xml_scratch(void **state)
{
    static const char *const machines[] = {"microvm", "q35"};
    for (size_t i = 0; i < 2; i++) {
        struct vcb_err err = {0};
        struct vm_xml_config c = {.name = "vcb-0badcafe-5",
                                  .accel = VCB_ACCEL_TCG,
                                  .machine = machines[i],
                                  .vcpus = 1,
                                  .memory_mib = 256,
                                  .kernel = "/k",
                                  .initramfs = "/img/initramfs.cpio",
                                  .disk = i ? "/img/rootfs.ext4" : NULL,
                                  .scratch = "/var/tmp/s/<x>.img",
                                  .cmdline = "x",
                                  .console_log = "/c.log"};
        cleanup_free char *xml = NULL;
        assert_int_equal(vm_xml_build(&c, &xml, &err), 0);
        const char *d = strstr(xml, "<source file='/var/tmp/s/&lt;x&gt;.img'/>");
        assert_non_null(d);
        const char *start = d, *end = strstr(d, "</disk>");
        while (start > xml && strncmp(start, "<disk ", 6) != 0)
            start--;
        assert_non_null(end);
        cleanup_free char *disk = strndup(start, (size_t)(end - start));
        assert_non_null(strstr(disk, "cache='none' io='native'"));
        assert_non_null(strstr(disk, "<serial>vcb-scratch</serial>"));
        assert_null(strstr(disk, "<readonly/>"));
        assert_true((strstr(disk, "virtio-mmio") != NULL) == (i == 0));
        assert_true((strstr(xml, "rootfs.ext4") != NULL) == (i == 1));
    }
}

/* A network workload: passt's socket as a virtio NIC through qemu's
 * stream netdev (the MMIO device on microvm, PCI elsewhere), with the
 * qemu namespace declared; nothing of it without a socket. */
static void test_xml_passt(void **state)
{
    static const char *const machines[] = {"microvm", "q35"};
    for (size_t i = 0; i < 2; i++) {
        struct vcb_err err = {0};
        struct vm_xml_config c = {.name = "vcb-0badcafe-5",
                                  .accel = VCB_ACCEL_TCG,
                                  .machine = machines[i],
                                  .vcpus = 1,
                                  .memory_mib = 256,
                                  .kernel = "/k",
                                  .initramfs = "/i",
                                  .cmdline = "x",
                                  .console_log = "/c.log",
                                  .net_socket = "/run/x/vcb-0badcafe-5.passt"};
        cleanup_free char *xml = NULL;
        assert_int_equal(vm_xml_build(&c, &xml, &err), 0);
        assert_non_null(strstr(xml, "xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'"));
        assert_non_null(strstr(xml, "<qemu:arg value='stream,id=vcbnet,server=off,addr.type=unix,"
                                    "addr.path=/run/x/vcb-0badcafe-5.passt'/>"));
        assert_non_null(strstr(xml, i == 0 ? "<qemu:arg value='virtio-net-device,netdev=vcbnet'/>"
                                           : "<qemu:arg value='virtio-net-pci,netdev=vcbnet'/>"));
        c.net_socket = NULL;
        cleanup_free char *none = NULL;
        assert_int_equal(vm_xml_build(&c, &none, &err), 0);
        assert_null(strstr(none, "qemu:"));
    }
}

/* --net-rate is refused (passt has no tap for <bandwidth>), and so is a
 * network workload with no run namespace to put passt in. */
static void test_net_plan_refusals(void **state)
{
    struct vcb_err err = {0};
    struct vm_xml_config c = {0};
    char *cmdline = strdup("console=ttyS0 -- netio");
    struct vcb_instance_spec spec = {.limits.net_rate = 1000000};
    assert_int_equal(vm_net_plan(&spec, &c, &cmdline, &err), -1);
    assert_int_equal(err.usage, 1);
    assert_non_null(strstr(err.msg, "tap-based interfaces only"));
    spec = (struct vcb_instance_spec){.net.path = VCB_NET_USER};
    assert_int_equal(vm_net_plan(&spec, &c, &cmdline, &err), -1);
    assert_int_equal(err.usage, 1);
    spec = (struct vcb_instance_spec){0};
    assert_int_equal(vm_net_plan(&spec, &c, &cmdline, &err), 0);
    assert_string_equal(cmdline, "console=ttyS0 -- netio");
    free(cmdline);
}

static const struct vcb_driver_opt *vm_opt_find(const char *name)
{
    for (const struct vcb_driver_opt *o = vm_options; o->name; o++)
        if (!strcmp(o->name, name))
            return o;
    return NULL;
}

/* --vm-profile: lean is the default (zeroed opts), plain is kept for
 * comparison, anything else is a usage error naming the option; the run's
 * options record it. */
static void test_vm_profile_option(void **state)
{
    struct vcb_err err = {0};
    struct vcb_backend_opts o = {0};
    const struct vcb_driver_opt *opt = vm_opt_find("vm-profile");
    assert_non_null(opt);
    assert_string_equal(vm_profile_name(o.vm_profile), "lean");
    assert_int_equal(opt->apply(&o, "--vm-profile", "plain", &err), 0);
    assert_int_equal(o.vm_profile, VCB_VM_PROFILE_PLAIN);
    cleanup_json json_t *ro = json_object();
    assert_int_equal(vm_run_options(&o, ro, &err), 0);
    assert_string_equal(json_string_value(json_object_get(ro, "vm_profile")), "plain");
    assert_int_equal(opt->apply(&o, "--vm-profile", "lean", &err), 0);
    assert_int_equal(o.vm_profile, VCB_VM_PROFILE_LEAN);
    assert_int_equal(opt->apply(&o, "--vm-profile", "fast", &err), -1);
    assert_int_equal(err.usage, 1);
    assert_non_null(strstr(err.msg, "--vm-profile: \"fast\" (expected lean or plain)"));
    assert_int_equal(o.vm_profile, VCB_VM_PROFILE_LEAN);
}

/* The KSM knobs as the host has them: read, not assumed. */
static void test_ksm_facts(void **state)
{
    cleanup_json json_t *k = vm_ksm_facts();
    assert_non_null(k);
    struct vcb_err err = {0};
    uint64_t run = 0;
    json_int_t want = vcb_read_u64_file(VM_KSM_DIR "/run", &run, &err) == 0 ? (json_int_t)run : -1;
    assert_int_equal(json_integer_value(json_object_get(k, "run")), want);
    assert_non_null(json_object_get(k, "use_zero_pages"));
}

static void test_xml_escape(void **state)
{
    cleanup_free char *e = vm_xml_escape("a<b>&c\"d'e");
    assert_string_equal(e, "a&lt;b&gt;&amp;c&quot;d&apos;e");
    cleanup_free char *plain = vm_xml_escape("/plain/path");
    assert_string_equal(plain, "/plain/path");
}

static void test_xml_escapes_names_and_paths(void **state)
{
    struct vcb_err err = {0};
    struct vm_xml_config c = {
        .name = "vcb-<&'\">",
        .accel = VCB_ACCEL_TCG,
        .machine = "pc",
        .vcpus = 1,
        .memory_mib = 64,
        .kernel = "/k/<vm&linuz>",
        .initramfs = "/i/'it\"rd'",
        .cmdline = "console=ttyS0 -- idle \"a b\"",
        .console_log = "/r/<&>.log",
    };
    cleanup_free char *xml = NULL;
    assert_int_equal(vm_xml_build(&c, &xml, &err), 0);
    assert_non_null(strstr(xml, "<name>vcb-&lt;&amp;&apos;&quot;&gt;</name>"));
    assert_non_null(strstr(xml, "<kernel>/k/&lt;vm&amp;linuz&gt;</kernel>"));
    assert_non_null(strstr(xml, "<initrd>/i/&apos;it&quot;rd&apos;</initrd>"));
    assert_non_null(strstr(xml, "<cmdline>console=ttyS0 -- idle &quot;a b&quot;</cmdline>"));
    assert_non_null(strstr(xml, "<source path='/r/&lt;&amp;&gt;.log'/>"));
    /* No raw special character survives outside markup. */
    assert_null(strstr(xml, "<&"));
    assert_null(strstr(xml, "vm&linuz"));
}

static void test_limits_pids_is_an_error(void **state)
{
    struct vcb_err err = {0};
    struct vcb_limits l = {.pids = 64};
    struct vm_xml_config c = {0};
    assert_int_equal(vm_limits_map(&l, &c, &err), -1);
    assert_int_equal(err.usage, 1);
    assert_string_equal(err.msg, "vm backend cannot apply --pids (a VM has no pids.max; the "
                                 "guest kernel's own limits apply)");
}

static void map(double cpus, uint64_t mem, struct vm_xml_config *c)
{
    struct vcb_err err = {0};
    struct vcb_limits l = {.cpus = cpus, .memory_bytes = mem};
    assert_int_equal(vm_limits_map(&l, c, &err), 0);
}

static void test_limits_mapping(void **state)
{
    struct vm_xml_config c = {0};
    map(0, 0, &c); /* unlimited: 1 vCPU, no quota, 256 MiB */
    assert_int_equal(c.vcpus, 1);
    assert_int_equal(c.cpu_quota_us, 0);
    assert_int_equal(c.memory_mib, 256);
    assert_null(c.cpuset);
    map(0.5, 100ULL << 20, &c);
    assert_int_equal(c.vcpus, 1);
    assert_int_equal(c.cpu_quota_us, 50000);
    assert_int_equal(c.memory_mib, 100);
    map(2.5, (100ULL << 20) + 1, &c); /* per-vCPU quota: 2.5 / 3 of a period */
    assert_int_equal(c.vcpus, 3);
    assert_int_equal(c.cpu_quota_us, 83333);
    assert_int_equal(c.memory_mib, 101); /* rounded up to whole MiB */
    map(2, 1ULL << 30, &c);
    assert_int_equal(c.vcpus, 2);
    assert_int_equal(c.cpu_quota_us, 0);
    assert_int_equal(c.memory_mib, 1024);
}

static void test_cmdline(void **state)
{
    struct vcb_err err = {0};
    cleanup_free char *line = NULL;
    char *args[] = {"--duration", "a b", "k=v", NULL};
    assert_int_equal(vm_cmdline_build(NULL, "cpu", args, 0, false, &line, &err), 0);
    assert_non_null(strstr(line, "console=ttyS0 "));
    assert_non_null(strstr(line, " vcb.vm=1 -- cpu --duration \"a b\" k=v"));
    assert_null(strstr(line, "tsc_early_khz"));
    assert_null(strstr(line, "vcb.balloon")); /* plain: vcb-init loads no modules */
    assert_null(strstr(line, "lockdown="));   /* plain: the kernel as it was */
    assert_null(strstr(line, "percpu_alloc="));
    const char *tail = strstr(line, " -- ");
    assert_string_equal(tail, " -- cpu --duration \"a b\" k=v");
    free(line);
    line = NULL;
    assert_int_equal(vm_cmdline_build(NULL, "cpu", args, 0, true, &line, &err), 0);
    assert_non_null(strstr(line, " vcb.vm=1 vcb.balloon=1 -- cpu ")); /* lean: it loads them */
    assert_null(strstr(line, "rdinit="));                             /* /init: the default */
    /* lean: a kernel that keeps less (no tracefs, per-CPU chunks by the page),
     * named before "--" so neither reaches the workload */
    assert_non_null(strstr(line, " lockdown=confidentiality percpu_alloc=page vcb.vm=1 "));
    assert_string_equal(strstr(line, " -- "), " -- cpu --duration \"a b\" k=v");
    free(line);
    line = NULL;
    /* an image from outside: vcb-init under its own directory, named before "--" */
    char *image_args[] = {"--ready", "tcp:80", "--command", "httpd", NULL};
    assert_int_equal(
        vm_cmdline_build("/.vcbench/init", "--image", image_args, 0, false, &line, &err), 0);
    assert_non_null(
        strstr(line, " rdinit=/.vcbench/init -- --image --ready tcp:80 --command httpd"));
}

static void test_cmdline_rejects(void **state)
{
    struct vcb_err err = {0};
    char *line = NULL;
    char *quote[] = {"say \"hi\"", NULL};
    assert_int_equal(vm_cmdline_build(NULL, "cpu", quote, 0, false, &line, &err), -1);
    assert_int_equal(err.usage, 1);
    assert_non_null(strstr(err.msg, "workload argument 1 contains a quote"));
    char *nl[] = {"a\nb", NULL};
    assert_int_equal(vm_cmdline_build(NULL, "cpu", nl, 0, false, &line, &err), -1);
    char *dashes[] = {"sh", "--", "x", NULL}; /* the kernel would end init's words there */
    assert_int_equal(vm_cmdline_build(NULL, "cpu", dashes, 0, false, &line, &err), -1);
    assert_non_null(strstr(err.msg, "argument 2 is \"--\""));
    char big[3000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    char *longv[] = {big, NULL};
    assert_int_equal(vm_cmdline_build(NULL, "cpu", longv, 0, false, &line, &err), -1);
    assert_non_null(strstr(err.msg, "kernel command line is"));
    assert_null(line);
}

static void test_machine_names(void **state)
{
    assert_true(vm_machine_valid("pc"));
    assert_true(vm_machine_valid("q35"));
    assert_true(vm_machine_valid("microvm"));
    assert_false(vm_machine_valid("virt"));
    assert_false(vm_machine_valid(NULL));
    assert_true(vm_machine_valid(vm_machine_default()));
}

static void test_uri_local(void **state)
{
    assert_true(vm_uri_is_local("qemu:///system"));
    assert_true(vm_uri_is_local("qemu+unix:///system?socket=/x"));
    assert_false(vm_uri_is_local("qemu+ssh://root@host/system"));
    assert_false(vm_uri_is_local("qemu+tcp://10.0.0.1/system"));
}

static void test_meminfo_result(void **state)
{
    uint64_t used = 0;
    assert_true(vm_meminfo_result_used(
        "{\"from\":\"vcb-init\",\"mem_total_bytes\":10,\"mem_available_bytes\":4,"
        "\"mem_used_bytes\":6}",
        &used));
    assert_int_equal(used, 6);
    assert_false(vm_meminfo_result_used("{\"workload\":\"idle\",\"mem_used_bytes\":6}", &used));
    assert_false(vm_meminfo_result_used("{\"from\":\"vcb-init\",\"mem_used_bytes\":-1}", &used));
    assert_false(vm_meminfo_result_used("not json", &used));
}

/* The cache key follows the guest kernel: a new file means a new probe. */
static void test_accel_cache_key(void **state)
{
    struct vcb_err err = {0};
    char path[] = "/tmp/vcb-vm-kernel-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "k", 1), 1);
    close(fd);
    cleanup_free char *k1 = vm_accel_cache_key("h", "qemu:///system", path, &err);
    cleanup_free char *k2 = vm_accel_cache_key("h", "qemu+ssh://h/system", path, &err);
    struct timespec ts[2] = {{.tv_sec = 1000}, {.tv_sec = 1000}};
    assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
    cleanup_free char *k3 = vm_accel_cache_key("h", "qemu:///system", path, &err);
    unlink(path);
    assert_non_null(k1);
    assert_string_not_equal(k1, k2);
    assert_string_not_equal(k1, k3);
    assert_null(vm_accel_cache_key("h", "qemu:///system", "/nonexistent/vmlinuz", &err));
}

static void test_accel_forced(void **state)
{
    struct vcb_err err = {0};
    struct vcb_backend_opts o = {.accel = VCB_ACCEL_TCG};
    enum vcb_accel a = VCB_ACCEL_AUTO;
    char why[160];
    assert_int_equal(vm_accel_decide(&o, &a, why, sizeof why, &err), 0);
    assert_int_equal(a, VCB_ACCEL_TCG);
    assert_string_equal(why, "forced by --accel tcg");
    o.accel = VCB_ACCEL_AUTO;
    o.kernel = "/nonexistent/vmlinuz";
    assert_int_equal(vm_accel_decide(&o, &a, why, sizeof why, &err), -1);
    assert_int_equal(err.usage, 1);
    assert_non_null(strstr(err.msg, "/nonexistent/vmlinuz: not found"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xml_pc_tcg),
        cmocka_unit_test(test_xml_microvm_kvm_fractional),
        cmocka_unit_test(test_xml_q35_cpuset),
        cmocka_unit_test(test_xml_lean_microvm_tcg),
        cmocka_unit_test(test_xml_lean_pc_kvm),
        cmocka_unit_test(test_xml_disk),
        cmocka_unit_test(test_xml_scratch),
        cmocka_unit_test(test_xml_passt),
        cmocka_unit_test(test_net_plan_refusals),
        cmocka_unit_test(test_vm_profile_option),
        cmocka_unit_test(test_ksm_facts),
        cmocka_unit_test(test_xml_escape),
        cmocka_unit_test(test_xml_escapes_names_and_paths),
        cmocka_unit_test(test_limits_pids_is_an_error),
        cmocka_unit_test(test_limits_mapping),
        cmocka_unit_test(test_cmdline),
        cmocka_unit_test(test_cmdline_rejects),
        cmocka_unit_test(test_machine_names),
        cmocka_unit_test(test_uri_local),
        cmocka_unit_test(test_meminfo_result),
        cmocka_unit_test(test_accel_cache_key),
        cmocka_unit_test(test_accel_forced),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
