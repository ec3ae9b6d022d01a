/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-rpt-hosts.c — a run whose VM arm ran on a remote libvirt host: the
 * report names each arm's host ("a different experiment"), the run facts
 * carry the VM arm's host (so two runs that differ in it say so), and the
 * memory table names the source of each figure when they are not one. A
 * run with a local URI, and a file from before these fields, say nothing
 * of the kind. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "rpt-priv.h"

#define HERE_SRC  "PSS, /proc (this host)"
#define THERE_SRC "virDomainMemoryStats rss (remote host: no PSS, smaps or cgroup)"

/* A memory + density run: container here, vm on vm_host (a JSON object or
 * "null"), each entry with its memory_source. */
#define DOC(vm_host, vm_mem_src, vm_dens_src)                                                      \
    "{\"schema\":\"vcbench-results/1.1\",\"host\":{\"hostname\":\"a\",\"accel\":\"tcg\","          \
    "\"vm_host\":" vm_host "},\"results\":["                                                       \
    "{\"scenario\":\"memory\",\"backend\":\"container\",\"params\":{\"workload\":\"idle\"},"       \
    "\"notes\":{\"memory_source\":\"" HERE_SRC "\"},\"metrics\":["                                 \
    "{\"name\":\"host_cost\",\"unit\":\"bytes\",\"samples\":[1048576]},"                           \
    "{\"name\":\"pss\",\"unit\":\"bytes\",\"samples\":[786432]}]},"                                \
    "{\"scenario\":\"memory\",\"backend\":\"vm\",\"params\":{\"workload\":\"idle\"},"              \
    "\"notes\":{\"memory_source\":\"" vm_mem_src "\"},\"metrics\":["                               \
    "{\"name\":\"rss\",\"unit\":\"bytes\",\"samples\":[188743680]}]},"                             \
    "{\"scenario\":\"density\",\"backend\":\"container\",\"notes\":{\"memory_source\":"            \
    "\"MemAvailable, /proc/meminfo (this host)\"},\"metrics\":[]},"                                \
    "{\"scenario\":\"density\",\"backend\":\"vm\",\"notes\":{\"memory_source\":\"" vm_dens_src     \
    "\"},\"metrics\":[]}]}"
#define REMOTE_B                                                                                   \
    "{\"uri\":\"qemu+ssh://root@b/system\",\"remote\":true,\"hostname\":\"b\","                    \
    "\"cpu_model\":\"Skylake-Server\"}"
#define LOCAL_A    "{\"uri\":\"qemu:///system\",\"remote\":false,\"hostname\":\"a\"}"
#define DENS_THERE "virNodeGetMemoryStats free + buffers + cached, remote host b"
#define DENS_HERE  "MemAvailable, /proc/meminfo (this host)"

static struct rpt_run *load(const char *doc)
{
    struct rpt_run *r = NULL;
    struct vcb_err err = {0};
    if (rpt_load_str(doc, "t.json", &r, &err) < 0)
        fail_msg("%s", err.msg);
    return r;
}

static void test_arms_on_two_hosts(void **state)
{
    cleanup_rpt_run struct rpt_run *r = load(DOC(REMOTE_B, THERE_SRC, DENS_THERE));
    char buf[1024];
    assert_true(rpt_vm_remote(r));
    assert_true(rpt_arm_hosts_line(r, buf, sizeof buf));
    assert_non_null(strstr(buf, "containers and the control ran on a; VMs on b, a remote "
                                "libvirt host (qemu+ssh://root@b/system, CPU Skylake-Server)"));
    assert_non_null(strstr(buf, "a different experiment"));
    assert_null(strstr(buf, "same hostname"));
    assert_true(rpt_vm_host_text(r, buf, sizeof buf));
    assert_string_equal(buf, "b (remote libvirt host, qemu+ssh://root@b/system)");
}

/* Over the network to a host with the same name: said, not hidden. */
static void test_same_hostname_remote(void **state)
{
    cleanup_rpt_run struct rpt_run *r =
        load(DOC("{\"uri\":\"qemu+ssh://root@vcb-a/system\",\"remote\":true,\"hostname\":\"a\"}",
                 THERE_SRC, DENS_THERE));
    char buf[1024];
    assert_true(rpt_arm_hosts_line(r, buf, sizeof buf));
    assert_non_null(strstr(buf, "VMs on a, a remote libvirt host"));
    assert_non_null(strstr(buf, "both report the same hostname"));
}

static void test_one_host_says_nothing(void **state)
{
    cleanup_rpt_run struct rpt_run *r = load(DOC(LOCAL_A, HERE_SRC, DENS_HERE));
    cleanup_rpt_run struct rpt_run *old = load(DOC("null", HERE_SRC, DENS_HERE));
    char buf[1024];
    assert_false(rpt_arm_hosts_line(r, buf, sizeof buf));
    assert_string_equal(buf, "");
    assert_true(rpt_vm_host_text(r, buf, sizeof buf));
    assert_string_equal(buf, "this run's host (qemu:///system)");
    assert_false(rpt_arm_hosts_line(old, buf, sizeof buf));
    assert_false(rpt_vm_host_text(old, buf, sizeof buf)); /* a VM arm, the fact not recorded */
}

/* Two runs, the VM arm here in one and on b in the other: a fact that differs. */
static void test_run_diff_names_vm_host(void **state)
{
    cleanup_rpt_run struct rpt_run *here = load(DOC(LOCAL_A, HERE_SRC, DENS_HERE));
    cleanup_rpt_run struct rpt_run *there = load(DOC(REMOTE_B, THERE_SRC, DENS_THERE));
    struct rpt_run_diff d[RPT_RUN_FACTS_MAX];
    size_t n = rpt_run_diffs(here, there, d, RPT_RUN_FACTS_MAX), i = 0;
    while (i < n && strcmp(d[i].what, "VM arm's host") != 0)
        i++;
    assert_true(i < n);
    assert_string_equal(d[i].base, "this run's host (qemu:///system)");
    assert_string_equal(d[i].new_, "b (remote libvirt host, qemu+ssh://root@b/system)");
}

static void test_mem_sources(void **state)
{
    cleanup_rpt_run struct rpt_run *r = load(DOC(REMOTE_B, THERE_SRC, DENS_THERE));
    cleanup_rpt_run struct rpt_run *one = load(DOC(LOCAL_A, HERE_SRC, DENS_HERE));
    const struct rpt_entry *e[] = {rpt_entry_find(r, "memory", "container", NULL),
                                   rpt_entry_find(r, "memory", "vm", NULL), NULL};
    char buf[1024];
    assert_true(rpt_mem_sources_mixed(e, 3, buf, sizeof buf));
    assert_string_equal(buf, "container: " HERE_SRC "; vm: " THERE_SRC);
    const struct rpt_entry *f[] = {rpt_entry_find(one, "memory", "container", NULL),
                                   rpt_entry_find(one, "memory", "vm", NULL)};
    assert_false(rpt_mem_sources_mixed(f, 2, buf, sizeof buf));
    struct rpt_mem_line l;
    assert_true(rpt_mem_line_get(r, "vm", &l));
    rpt_mem_breakdown_text(&l, buf, sizeof buf);
    assert_string_equal(buf, "RSS 180 MiB only (" THERE_SRC "): no PSS or kernel memory from "
                             "there");
}

/* The memory section's Markdown: the warning under the table, each line's
 * sources in its parts; none of it for one host. */
static char *mem_md(struct rpt_run *r)
{
    struct rpt_run *runs[] = {r};
    struct rpt_ctx ctx = {.runs = runs, .n_runs = 1};
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    rpt_mem_md(f, &ctx);
    fclose(f);
    return text;
}

static void test_mem_table_says_sources(void **state)
{
    cleanup_rpt_run struct rpt_run *r = load(DOC(REMOTE_B, THERE_SRC, DENS_THERE));
    cleanup_rpt_run struct rpt_run *one = load(DOC(LOCAL_A, HERE_SRC, DENS_HERE));
    cleanup_free char *md = mem_md(r), *md_one = mem_md(one);
    assert_non_null(strstr(md,
                           "> Not one measure: the figures of this table were read from "
                           "different sources (breakdown: container: " HERE_SRC "; vm: " THERE_SRC
                           "; density: container: " DENS_HERE "; vm: " DENS_THERE ")"));
    assert_non_null(strstr(md, "memory figures read from: " THERE_SRC));
    assert_non_null(strstr(md, "resident memory of qemu (RSS, as libvirt reports it): 180 MiB"));
    assert_null(strstr(md_one, "Not one measure"));
}

/* The answer's sentences that set VMs beside containers say where the VMs ran. */
static void test_answer_says_where(void **state)
{
    cleanup_rpt_run struct rpt_run *r = load(DOC(REMOTE_B, THERE_SRC, DENS_THERE));
    cleanup_rpt_run struct rpt_run *one = load(DOC(LOCAL_A, HERE_SRC, DENS_HERE));
    cleanup_free char *text = rpt_answer(r), *text_one = rpt_answer(one);
    assert_non_null(strstr(text, "; VMs (emulated, TCG) on b (a remote libvirt host) breakdown "
                                 "RSS 180 MiB only"));
    assert_null(strstr(text_one, "remote"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arms_on_two_hosts),     cmocka_unit_test(test_same_hostname_remote),
        cmocka_unit_test(test_one_host_says_nothing), cmocka_unit_test(test_run_diff_names_vm_host),
        cmocka_unit_test(test_mem_sources),           cmocka_unit_test(test_mem_table_says_sources),
        cmocka_unit_test(test_answer_says_where),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
