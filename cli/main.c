/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* main.c — the vcbench command: global flags, then dispatch to subcommands. */
#include <string.h>

#include "commands.h"

struct cli_command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
    int usage_rc; /* exit status for bad input */
};

static const struct cli_command commands[] = {
    {"doctor", cmd_doctor, "show what this host can do, with fix hints", 2},
    {"image", cmd_image, "build or list workload images (rootfs + initramfs)", 2},
    {"launch", cmd_launch, "run one instance of a workload and print its events", 125},
    {"run", cmd_run, "run a benchmark suite and write results.json", 2},
    {"report", cmd_report, "make plots and HTML/Markdown/CSV reports from results", 2},
    {"compare", cmd_compare, "compare two results files, exit 1 on a regression", 2},
    {"demo", cmd_demo, "narrated classroom demo: process vs container vs VM", 2},
    {"peers", cmd_peers, "time our launcher and VM path against crun, runc, bwrap, qemu", 2},
    {"cleanup", cmd_cleanup, "remove leftovers of runs whose process is gone", 2},
    {"fleet", cmd_fleet, "run one suite on several hosts over ssh, report them side by side", 2},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: vcbench [-v] [-c URI] <command> [options]\n"
                 "       vcbench -V | --version\n\n"
                 "Runs the same workload as a plain process, a container and a VM,\n"
                 "and measures what isolation costs and what it buys.\n\ncommands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(out, "  %-8s  %s\n", commands[i].name, commands[i].summary);
    fprintf(out,
            "\nglobal options (before or after the command, not after \"--\"):\n"
            "  -v, --verbose       accepted (errors are always shown)\n"
            "  -c, --connect URI   libvirt URI for commands that drive VMs, as virsh -c\n"
            "                      (default: $LIBVIRT_DEFAULT_URI, else qemu:///system)\n"
            "  -V, --version       print the version and exit\n"
            "  -h, --help          this text\n\n"
            "Sizes (--memory, suite files): a number of bytes, optionally with a "
            "suffix:\n" CLI_SIZE_SUFFIXES ".\n"
            "\n'vcbench <command> --help' tells more. Version %s (%s).\n",
            vcb_version(), vcb_git_hash());
}

struct cli_globals {
    bool version;
    const char *uri;
};

/* The global flag at argv[i], applied: how many words it took, 0 if argv[i]
 * is none, -1 when its value is missing. */
static int global_flag(int argc, char **argv, int i, struct cli_globals *g)
{
    const char *a = argv[i];
    if (!strcmp(a, "-v") || !strcmp(a, "--verbose"))
        return 1; /* accepted as docker and podman accept it; errors always show */
    if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
        g->version = true;
        return 1;
    }
    if (!strncmp(a, "--connect=", 10) || (!strncmp(a, "-c", 2) && a[2])) {
        g->uri = a[1] == '-' ? a + 10 : a + 2;
        return 1;
    }
    if (strcmp(a, "-c") && strcmp(a, "--connect"))
        return 0;
    if (i + 1 >= argc)
        return -1;
    g->uri = argv[i + 1];
    return 2;
}

/* Take the global flags out of a command's arguments (up to "--"), so the
 * command never sees them; argv stays NULL-terminated. Returns the new argc,
 * or -1 with *bad naming a flag without its value. */
static int strip_global_flags(int argc, char **argv, struct cli_globals *g, const char **bad)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--");) {
        int n = global_flag(argc, argv, i, g);
        if (n < 0) {
            *bad = argv[i];
            return -1;
        }
        if (n == 0) {
            i++;
            continue;
        }
        memmove(argv + i, argv + i + n, (size_t)(argc - i - n + 1) * sizeof(*argv));
        argc -= n;
    }
    return argc;
}

static const struct cli_command *find_command(const char *name)
{
    for (size_t c = 0; c < sizeof(commands) / sizeof(commands[0]); c++)
        if (strcmp(name, commands[c].name) == 0)
            return &commands[c];
    return NULL;
}

/* -c URI reaches every command the way virsh's does: as the default URI. */
static int apply_globals(const struct cli_globals *g)
{
    if (g->version) {
        printf("vcbench %s %s\n", vcb_version(), vcb_git_hash());
        return 0;
    }
    if (g->uri && setenv("LIBVIRT_DEFAULT_URI", g->uri, 1) < 0) {
        perror("vcbench: setenv LIBVIRT_DEFAULT_URI");
        return 1;
    }
    return -1;
}

int main(int argc, char **argv)
{
    struct cli_globals g = {0};
    const char *bad = NULL;
    int i = 1;
    while (i < argc && argv[i][0] == '-') {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        }
        int n = global_flag(argc, argv, i, &g);
        if (n <= 0) {
            fprintf(stderr,
                    n < 0 ? "vcbench: %s: expected a libvirt URI\n"
                          : "vcbench: unknown option '%s'\n",
                    argv[i]);
            usage(stderr);
            return 2;
        }
        i += n;
    }
    if (i >= argc && !g.version) {
        usage(stderr);
        return 2;
    }
    const struct cli_command *cmd = i < argc ? find_command(argv[i]) : NULL;
    if (i < argc && !cmd) {
        fprintf(stderr, "vcbench: unknown command '%s'\n", argv[i]);
        usage(stderr);
        return 2;
    }
    int cargc = cmd ? strip_global_flags(argc - i, argv + i, &g, &bad) : 0;
    if (cargc < 0) {
        fprintf(stderr, "vcbench %s: %s: expected a libvirt URI\n", cmd->name, bad);
        return cmd->usage_rc;
    }
    int rc = apply_globals(&g);
    return rc >= 0 ? rc : cmd->fn(cargc, argv + i);
}
