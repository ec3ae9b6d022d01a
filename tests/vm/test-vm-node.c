/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-vm-node.c — the VM host's facts as read over libvirt: the host CPU
 * in a capabilities document (this host's, trimmed), SMBIOS names in a
 * sysinfo document (libvirt's format, a laptop's values), results'
 * vm_host from a fake set of values (each fact with its source, a failed
 * call null with its reason), a remote domain's memory records, and the
 * readings that must refuse a remote URI instead of reading this host. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "vm-priv.h"

static char *fixture(const char *name)
{
    char path[512];
    char *text = NULL;
    struct vcb_err err = {0};
    snprintf(path, sizeof path, "%s/%s", VM_FIXTURE_DIR, name);
    if (vcb_read_file(path, &text, NULL, &err) < 0)
        fail_msg("%s", err.msg);
    return text;
}

static void test_caps_host_cpu(void **state)
{
    cleanup_free char *caps = fixture("capabilities-host.xml");
    char model[64], vendor[64];
    assert_true(vm_caps_host_cpu(caps, model, vendor, sizeof model));
    assert_string_equal(model, "kvm64");
    assert_string_equal(vendor, "AMD");
}

/* The security model's <model> is not the CPU's; no host CPU, no model. */
static void test_caps_without_cpu_model(void **state)
{
    const char *caps = "<capabilities><host><cpu><arch>x86_64</arch></cpu>"
                       "<secmodel><model>dac</model></secmodel></host></capabilities>";
    char model[64], vendor[64];
    assert_false(vm_caps_host_cpu(caps, model, vendor, sizeof model));
    assert_string_equal(model, "");
    assert_false(
        vm_caps_host_cpu("<capabilities><guest/></capabilities>", model, vendor, sizeof model));
    assert_false(vm_caps_host_cpu(NULL, model, vendor, sizeof model));
}

static void test_sysinfo_entries(void **state)
{
    cleanup_free char *si = fixture("sysinfo-smbios.xml");
    char buf[128];
    assert_true(vm_sysinfo_entry(si, "processor", "version", buf, sizeof buf));
    assert_string_equal(buf, "Intel(R) Core(TM) i7-4600U CPU @ 2.10GHz & more");
    assert_true(vm_sysinfo_entry(si, "system", "product", buf, sizeof buf));
    assert_string_equal(buf, "20ARS0MJ00");
    /* bios has a version too: the section asked for is the one read */
    assert_true(vm_sysinfo_entry(si, "system", "version", buf, sizeof buf));
    assert_string_equal(buf, "ThinkPad T440s");
    assert_false(vm_sysinfo_entry(si, "processor", "no_such", buf, sizeof buf));
    assert_false(vm_sysinfo_entry(si, "chassis", "version", buf, sizeof buf));
    /* a cut that fits the buffer, not an overrun */
    assert_true(vm_sysinfo_entry(si, "processor", "version", buf, 9));
    assert_string_equal(buf, "Intel(R)");
}

static const char *src_of(json_t *f, const char *key)
{
    return json_string_value(json_object_get(json_object_get(f, "sources"), key));
}

/* Every call answered: the values, remote, the URI, and each one's call. */
static void test_facts_json(void **state)
{
    cleanup_free char *caps = fixture("capabilities-host.xml");
    cleanup_free char *si = fixture("sysinfo-smbios.xml");
    struct vm_node_raw raw = {.uri = "qemu+ssh://root@b.example/system",
                              .remote = true,
                              .hostname = "b.example",
                              .info = {.model = "x86_64",
                                       .memory = 8 << 20,
                                       .cpus = 16,
                                       .mhz = 2100,
                                       .nodes = 1,
                                       .sockets = 1,
                                       .cores = 8,
                                       .threads = 2},
                              .caps = caps,
                              .sysinfo = si,
                              .mem = {.total = 32ULL << 30,
                                      .free = 20ULL << 30,
                                      .buffers = 1ULL << 30,
                                      .cached = 3ULL << 30},
                              .lib_version = 9000000,
                              .hv_version = 7002022};
    cleanup_json json_t *f = vm_node_facts_json(&raw);
    assert_non_null(f);
    assert_string_equal(json_string_value(json_object_get(f, "uri")), raw.uri);
    assert_true(json_is_true(json_object_get(f, "remote")));
    assert_string_equal(json_string_value(json_object_get(f, "hostname")), "b.example");
    assert_string_equal(json_string_value(json_object_get(f, "cpu_model")), "kvm64");
    assert_string_equal(json_string_value(json_object_get(f, "cpu_vendor")), "AMD");
    assert_string_equal(json_string_value(json_object_get(f, "cpu_name")),
                        "Intel(R) Core(TM) i7-4600U CPU @ 2.10GHz & more");
    assert_string_equal(json_string_value(json_object_get(f, "system")), "LENOVO 20ARS0MJ00");
    assert_int_equal(json_integer_value(json_object_get(f, "cores")), 16);
    assert_int_equal(json_integer_value(json_object_get(f, "threads_per_core")), 2);
    assert_int_equal(json_integer_value(json_object_get(f, "cpu_mhz")), 2100);
    assert_int_equal(json_integer_value(json_object_get(f, "node_info_memory_bytes")), 8ULL << 30);
    assert_int_equal(json_integer_value(json_object_get(f, "mem_total_bytes")), 32ULL << 30);
    assert_int_equal(json_integer_value(json_object_get(f, "mem_available_bytes")), 24ULL << 30);
    assert_string_equal(json_string_value(json_object_get(f, "libvirt_version")), "9.0.0");
    assert_string_equal(json_string_value(json_object_get(f, "hypervisor_version")), "7.2.22");
    assert_string_equal(src_of(f, "hostname"), "virConnectGetHostname");
    assert_string_equal(src_of(f, "cores"), "virNodeGetInfo");
    assert_string_equal(src_of(f, "cpu_model"), "virConnectGetCapabilities host/cpu/model");
    assert_string_equal(src_of(f, "mem_available_bytes"), VM_NODE_AVAIL_SOURCE);
    /* every value has its source, and nothing else is there */
    const char *key;
    json_t *v;
    json_object_foreach(f, key, v)
    {
        if (strcmp(key, "uri") && strcmp(key, "remote") && strcmp(key, "sources"))
            assert_non_null(src_of(f, key));
    }
    assert_int_equal(json_object_size(json_object_get(f, "sources")), json_object_size(f) - 3);
}

/* A failed call: its facts are null, and the source says why. */
static void test_facts_json_failures(void **state)
{
    struct vm_node_raw raw = {.uri = "qemu:///system", .remote = false};
    snprintf(raw.hostname_why, sizeof raw.hostname_why, "virConnectGetHostname failed: boom");
    snprintf(raw.sysinfo_why, sizeof raw.sysinfo_why,
             "virConnectGetSysinfo failed: Host SMBIOS information is not available");
    snprintf(raw.caps_why, sizeof raw.caps_why, "virConnectGetCapabilities failed: x");
    snprintf(raw.info_why, sizeof raw.info_why, "virNodeGetInfo failed: y");
    snprintf(raw.mem_why, sizeof raw.mem_why, "virNodeGetMemoryStats: z");
    snprintf(raw.version_why, sizeof raw.version_why, "versions: w");
    cleanup_json json_t *f = vm_node_facts_json(&raw);
    assert_false(json_is_true(json_object_get(f, "remote")));
    assert_true(json_is_null(json_object_get(f, "hostname")));
    assert_string_equal(src_of(f, "hostname"), "virConnectGetHostname failed: boom");
    assert_true(json_is_null(json_object_get(f, "cpu_name")));
    assert_string_equal(src_of(f, "cpu_name"),
                        "virConnectGetSysinfo failed: Host SMBIOS information is not available");
    assert_true(json_is_null(json_object_get(f, "cpu_model")));
    assert_true(json_is_null(json_object_get(f, "cores")));
    assert_string_equal(src_of(f, "cores"), "virNodeGetInfo failed: y");
    assert_true(json_is_null(json_object_get(f, "mem_total_bytes")));
    assert_true(json_is_null(json_object_get(f, "libvirt_version")));
    /* a document without the element: said so, not the call's failure */
    raw.sysinfo = "<sysinfo type='smbios'><bios/></sysinfo>";
    cleanup_json json_t *g = vm_node_facts_json(&raw);
    assert_string_equal(src_of(g, "cpu_name"), "virConnectGetSysinfo: no processor version");
}

static void test_memstats_records(void **state)
{
    virDomainMemoryStatStruct st[] = {{VIR_DOMAIN_MEMORY_STAT_SWAP_IN, 5},
                                      {VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON, 262144},
                                      {VIR_DOMAIN_MEMORY_STAT_RSS, 186364},
                                      {VIR_DOMAIN_MEMORY_STAT_UNUSED, 200000}};
    struct vcb_stats s;
    vcb_stats_init(&s);
    vm_memstats_apply(st, 4, &s);
    assert_int_equal(s.rss, 186364ULL * 1024);
    assert_int_equal(s.balloon_actual, 256ULL << 20);
    assert_int_equal(s.guest_unused, 200000ULL * 1024);
    assert_int_equal(s.guest_available, VCB_STAT_UNSET); /* not sent: left alone */
    assert_int_equal(s.pss, VCB_STAT_UNSET);
    assert_null(s.mem_source);
}

/* A local URI leaves density to this host's /proc/meminfo; the daemons of
 * a remote one are refused, never read from this host's /proc. */
static void test_remote_uri_not_read_here(void **state)
{
    struct vcb_backend_opts local = {.vm_uri = "qemu:///system"},
                            remote = {.vm_uri = "qemu+ssh://root@b.example/system"};
    struct vcb_node_mem m;
    struct vcb_proc_mem d;
    struct vcb_err err = {0};
    assert_int_equal(vm_node_mem(&local, &m, &err), 0);
    assert_int_equal(vm_daemons_mem(&remote, &d, &err), -1);
    assert_non_null(strstr(err.msg, "qemu+ssh://root@b.example/system"));
    assert_non_null(strstr(err.msg, "/proc"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_caps_host_cpu),
        cmocka_unit_test(test_caps_without_cpu_model),
        cmocka_unit_test(test_sysinfo_entries),
        cmocka_unit_test(test_facts_json),
        cmocka_unit_test(test_facts_json_failures),
        cmocka_unit_test(test_memstats_records),
        cmocka_unit_test(test_remote_uri_not_read_here),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
