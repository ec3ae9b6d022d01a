/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cmd-doctor.c — `vcbench doctor`: what this host can do, each line with a
 * fix hint. The backends contribute their own checks; a check marked
 * "severity": "degraded" leaves its arm running (VMs under TCG, labelled),
 * any other failed check means an arm cannot run or its figures would be
 * wrong. */
#include <errno.h>
#include <getopt.h>
#include <string.h>
#include <sys/utsname.h>

#include "bench.h"
#include "commands.h"

/* degraded: when it fails, every arm still runs (as the backends' checks
 * say it with their "severity"). */
static void add_check(json_t *checks, const char *name, bool ok, bool degraded, const char *value,
                      const char *hint)
{
    json_array_append_new(checks, json_pack("{s:s, s:b, s:s, s:s, s:s}", "check", name, "ok", ok,
                                            "severity", degraded ? "degraded" : "fail", "value",
                                            value, "hint", ok ? "" : hint));
}

static bool on_path(const char *prog)
{
    const char *path = getenv("PATH");
    char buf[4096];
    snprintf(buf, sizeof(buf), "%s", path ? path : "/usr/bin:/bin");
    for (char *save, *dir = strtok_r(buf, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
        char full[4352];
        snprintf(full, sizeof(full), "%s/%s", dir, prog);
        if (access(full, X_OK) == 0)
            return true;
    }
    return false;
}

/* Checks that belong to no backend: host kernel, our binaries, gnuplot. */
static void core_checks(json_t *checks)
{
    struct utsname u;
    char v[256];
    uname(&u);
    snprintf(v, sizeof(v), "%s %s", u.sysname, u.release);
    add_check(checks, "host kernel", true, false, v, "");
    snprintf(v, sizeof(v), "%s/vcb-init", vcb_libexec_dir());
    add_check(checks, "guest binaries", vcb_path_exists(v), false, vcb_libexec_dir(),
              "build vcbench (scripts/setup) or set VCB_LIBEXEC_DIR");
    add_check(checks, "root", geteuid() == 0, false, geteuid() == 0 ? "yes" : "no",
              "run as root: containers need namespaces and cgroups, VMs need libvirtd");
    char fs[32];
    vcb_run_root_fs(fs, sizeof(fs));
    bool ram = !strcmp(fs, "tmpfs") || !strcmp(fs, "ramfs");
    snprintf(v, sizeof(v), "%s on %s", vcb_run_root(), fs);
    add_check(checks, "run root", ram, true, v, /* on a disk: slower starts, nothing lost */
              "on a disk, each start's run dir, lock and logs go through its journal (about "
              "1 ms a launch): scripts/setup mounts a tmpfs there, as /run is on systemd hosts");
    bool gp = on_path("gnuplot");
    add_check(checks, "gnuplot", gp, false, gp ? "present" : "missing",
              "apt-get install gnuplot-nox (reports draw their plots with it)");
}

static bool check_degrades(json_t *c)
{
    const char *sev = json_string_value(json_object_get(c, "severity"));
    return sev && !strcmp(sev, "degraded");
}

static void print_checks(json_t *checks)
{
    size_t i;
    json_t *c;
    json_array_foreach(checks, i, c)
    {
        bool ok = json_is_true(json_object_get(c, "ok"));
        const char *hint = json_string_value(json_object_get(c, "hint"));
        printf("%-4s %-22s %s\n",
               ok                  ? "ok"
               : check_degrades(c) ? "warn"
                                   : "FAIL",
               json_string_value(json_object_get(c, "check")),
               json_string_value(json_object_get(c, "value")));
        if (!ok && hint && *hint)
            printf("     %-22s fix: %s\n", "", hint);
    }
}

/* 0 when every arm can run (degraded ones labelled), 1 when one cannot.
 * A check that says nothing about its severity fails its arm; --json gets
 * that written into every such check. */
static int doctor_verdict(json_t *checks, bool print)
{
    size_t i, failed = 0, degraded = 0;
    json_t *c;
    json_array_foreach(checks, i, c)
    {
        if (!json_object_get(c, "severity"))
            json_object_set_new(c, "severity", json_string("fail"));
        if (json_is_true(json_object_get(c, "ok")))
            continue;
        if (check_degrades(c))
            degraded++;
        else
            failed++;
    }
    if (print && failed)
        printf("\n%zu check%s FAIL: an arm cannot run, or its figures would be wrong\n", failed,
               failed == 1 ? "" : "s");
    else if (print)
        printf("\nevery arm can run%s\n",
               degraded ? "; VMs run emulated (TCG), and every VM figure says so" : "");
    return failed ? 1 : 0;
}

static void doctor_usage(void)
{
    printf("usage: vcbench [-c URI] doctor [--json] [backend options]\n\n"
           "Shows what this host can do for each backend (cgroups, namespaces,\n"
           "libvirtd and how fast it answers, KVM that really boots, guest kernel,\n"
           "gnuplot), with a fix hint on every line that is not ok.\n\n"
           "  --json            the checks as a JSON array\n"
           "  -c, --connect URI libvirt URI (default: $LIBVIRT_DEFAULT_URI, else\n"
           "                    qemu:///system)\n\n"
           "Exit status: 0 when every arm can run (a \"warn\" line: VMs run emulated\n"
           "(TCG), labelled so in every figure); 1 when a check FAILs: an arm cannot\n"
           "run, or its figures would be wrong (libvirt_latency); 2 bad input.\n");
    cli_backend_opts_usage(stdout);
}

/* Each built backend's own checks; one whose checks cannot be made at all,
 * or whose module cannot be loaded, gets a failed "<name> backend" line
 * saying why. One this build leaves out is not checked. */
static void backend_checks(json_t *checks, const struct vcb_backend_opts *opts)
{
    for (size_t i = 0; i < bench_backend_count(); i++) {
        const struct vcb_driver *d = bench_backend_driver(i);
        struct vcb_err err = {0};
        char name[64];
        snprintf(name, sizeof name, "%s backend", bench_backend_name(i));
        if (!d && bench_backend_options(i)) /* a module: built, but not loadable here */
            add_check(checks, name, false, false, bench_backend_why(i),
                      "reinstall vcbench with its lib/vcbench/ and libvirt (scripts/setup)");
        if (!d || !d->doctor || d->doctor(opts, checks, &err) == 0)
            continue;
        add_check(checks, name, false, false, err.msg, "see the message");
    }
}

int cmd_doctor(int argc, char **argv)
{
    int as_json = 0;
    struct vcb_backend_opts opts = {0};
    struct vcb_err err = {0};
    const struct option own[] = {{"json", no_argument, &as_json, 1}, {NULL, 0, NULL, 0}};
    if (cli_wants_help(argc, argv)) {
        doctor_usage();
        return 0;
    }
    if (cli_parse_flags(argc, argv, own, "unknown option", &opts, &err) < 0)
        return cli_fail("doctor", &err);
    cleanup_json json_t *checks = json_array();
    core_checks(checks);
    backend_checks(checks, &opts);
    if (!as_json) {
        print_checks(checks);
        return doctor_verdict(checks, true);
    }
    int rc = doctor_verdict(checks, false);
    json_dumpf(checks, stdout, JSON_INDENT(2));
    putchar('\n');
    return rc;
}
