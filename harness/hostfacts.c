/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hostfacts.c — the facts about this host that every results file carries,
 * so a number is never read without knowing where it was measured. The
 * backends add what only they know (cgroup mode, accel) through their
 * drivers' host_facts. */
#include <string.h>
#include <sys/utsname.h>

#include "harness.h"

/* First line of a file, without its newline; "" if unreadable. */
static void read_line(const char *path, char *buf, size_t len)
{
    buf[0] = 0;
    cleanup_fclose FILE *f = fopen(path, "re");
    if (f && fgets(buf, (int)len, f))
        buf[strcspn(buf, "\n")] = 0;
}

/* "always [madvise] never" -> "madvise" */
static void bracketed(const char *path, char *buf, size_t len)
{
    char line[256];
    read_line(path, line, sizeof(line));
    char *a = strchr(line, '['), *b = a ? strchr(a, ']') : NULL;
    if (a && b) {
        *b = 0;
        snprintf(buf, len, "%s", a + 1);
    } else {
        snprintf(buf, len, "%s", line);
    }
}

static void cpu_model(char *buf, size_t len)
{
    char line[512];
    snprintf(buf, len, "unknown");
    cleanup_fclose FILE *f = fopen("/proc/cpuinfo", "re");
    while (f && fgets(line, sizeof(line), f)) {
        char *colon = strchr(line, ':');
        if (strncmp(line, "model name", 10) == 0 && colon) {
            line[strcspn(line, "\n")] = 0;
            snprintf(buf, len, "%s", colon + 1 + strspn(colon + 1, " \t"));
            return;
        }
    }
}

/* A /proc/meminfo field in bytes, or 0. */
static uint64_t meminfo(const char *field)
{
    char line[256];
    size_t flen = strlen(field);
    cleanup_fclose FILE *f = fopen("/proc/meminfo", "re");
    while (f && fgets(line, sizeof(line), f))
        if (strncmp(line, field, flen) == 0 && line[flen] == ':')
            return strtoull(line + flen + 1, NULL, 10) * 1024;
    return 0;
}

static void basic_facts(json_t *h)
{
    struct utsname u;
    char buf[256];
    if (uname(&u) == 0) {
        json_object_set_new(h, "hostname", json_string(u.nodename));
        json_object_set_new(h, "kernel", json_string(u.release));
    }
    cpu_model(buf, sizeof(buf));
    json_object_set_new(h, "cpu_model", json_string(buf));
    json_object_set_new(h, "cores", json_integer(sysconf(_SC_NPROCESSORS_ONLN)));
    json_object_set_new(h, "mem_total_bytes", json_integer((json_int_t)meminfo("MemTotal")));
    bracketed("/sys/kernel/mm/transparent_hugepage/enabled", buf, sizeof(buf));
    json_object_set_new(h, "thp", buf[0] ? json_string(buf) : json_null());
    read_line("/sys/kernel/mm/ksm/run", buf, sizeof(buf));
    json_object_set_new(h, "ksm", buf[0] ? json_string(buf) : json_null());
    json_object_set_new(h, "run_root", json_string(vcb_run_root()));
    vcb_run_root_fs(buf, sizeof(buf));
    json_object_set_new(h, "run_root_fs", json_string(buf));
}

/* Whether a run uses a backend of this kind (the process kind always runs). */
static bool kind_used(enum vcb_arm_kind kind, bool with_vm, bool with_ct)
{
    return kind == VCB_ARM_VM ? with_vm : kind == VCB_ARM_CONTAINER ? with_ct : true;
}

/* The schema's backend keys default to null, so every one is present even
 * when a backend is not built, not used or fails; then each backend that
 * is asked fills its own (a failure kept as the reason). */
static void backend_facts(json_t *h, const struct vcb_backend_opts *opts, bool with_vm,
                          bool with_ct)
{
    static const char *const keys[] = {"cgroup_mode", "accel", "accel_reason", "libvirt_version",
                                       "qemu_version"};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        json_object_set_new(h, keys[i], json_null());
    for (size_t i = 0; i < bench_backend_count(); i++) {
        /* A module is loaded only for a run that uses its kind. */
        bool used = kind_used(bench_backend_kind(i), with_vm, with_ct);
        const struct vcb_driver *d = used ? bench_backend_driver(i) : bench_backend_peek(i);
        if (d && d->host_facts && (d->host_facts_always || used))
            d->host_facts(opts, h);
        if (used)
            bench_backend_member_facts(i, opts, h);
    }
}

json_t *bench_host_facts(const struct vcb_backend_opts *opts, bool with_vm, bool with_ct)
{
    json_t *h = json_object();
    if (!h)
        return NULL;
    basic_facts(h);
    backend_facts(h, opts, with_vm, with_ct);
    json_object_set_new(h, "mem_available_bytes",
                        json_integer((json_int_t)meminfo("MemAvailable")));
    return h;
}

uint64_t bench_mem_available(void)
{
    return meminfo("MemAvailable");
}
