/* cmd-doctor.c — `vcbench doctor`: what this host can do, each line with a
 * fix hint. The backends contribute their own checks. */
#include <errno.h>
#include <string.h>
#include <sys/utsname.h>

#include "bench.h"
#include "commands.h"
#include "container.h"
#ifdef VCB_WITH_VM
#include "vm.h"
#endif

static void add_check(json_t *checks, const char *name, bool ok, const char *value,
                      const char *hint)
{
    json_array_append_new(checks, json_pack("{s:s, s:b, s:s, s:s}", "check", name, "ok", ok,
                                            "value", value, "hint", ok ? "" : hint));
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
    add_check(checks, "host kernel", true, v, "");
    snprintf(v, sizeof(v), "%s/vcb-init", vcb_libexec_dir());
    add_check(checks, "guest binaries", vcb_path_exists(v), vcb_libexec_dir(),
              "build vcbench (scripts/setup) or set VCB_LIBEXEC_DIR");
    add_check(checks, "root", geteuid() == 0, geteuid() == 0 ? "yes" : "no",
              "run as root: containers need namespaces and cgroups, VMs need libvirtd");
    bool gp = on_path("gnuplot");
    add_check(checks, "gnuplot", gp, gp ? "present" : "missing",
              "apt-get install gnuplot-nox (reports draw their plots with it)");
}

static void print_checks(json_t *checks)
{
    size_t i;
    json_t *c;
    json_array_foreach(checks, i, c)
    {
        bool ok = json_is_true(json_object_get(c, "ok"));
        const char *hint = json_string_value(json_object_get(c, "hint"));
        printf("%-4s %-22s %s\n", ok ? "ok" : "FAIL",
               json_string_value(json_object_get(c, "check")),
               json_string_value(json_object_get(c, "value")));
        if (!ok && hint && *hint)
            printf("     %-22s fix: %s\n", "", hint);
    }
}

int cmd_doctor(int argc, char **argv)
{
    bool as_json = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            printf("usage: vcbench doctor [--json]\n\nShows what this host can do for each "
                   "backend (cgroups, namespaces,\nKVM that really boots, libvirtd, guest "
                   "kernel, gnuplot), with a fix\nhint on every failing line. Exit 1 if "
                   "a check fails.\n");
            return 0;
        }
        if (strcmp(argv[i], "--json") != 0) {
            fprintf(stderr, "vcbench doctor: unknown option '%s' (see --help)\n", argv[i]);
            return 2;
        }
        as_json = true;
    }
    cleanup_json json_t *checks = json_array();
    struct vcb_err err = {0};
    core_checks(checks);
    if (ct_doctor_checks(checks, &err) < 0)
        add_check(checks, "container backend", false, err.msg, "see the message");
#ifdef VCB_WITH_VM
    struct vcb_backend_opts opts = {0};
    if (vm_doctor_checks(&opts, checks, &err) < 0)
        add_check(checks, "vm backend", false, err.msg, "see the message");
#endif
    if (as_json) {
        json_dumpf(checks, stdout, JSON_INDENT(2));
        putchar('\n');
    } else {
        print_checks(checks);
    }
    size_t i;
    json_t *c;
    json_array_foreach(checks, i, c) if (!json_is_true(json_object_get(c, "ok"))) return 1;
    return 0;
}
