/* main.c — the vcbench command: dispatch to subcommands. */
#include <string.h>

#include "commands.h"

struct cli_command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
};

static const struct cli_command commands[] = {
    {"doctor", cmd_doctor, "show what this host can do, with fix hints"},
    {"image", cmd_image, "build or list workload images (rootfs + initramfs)"},
    {"launch", cmd_launch, "run one instance of a workload and print its events"},
    {"run", cmd_run, "run a benchmark suite and write results.json"},
    {"report", cmd_report, "make plots and HTML/Markdown/CSV reports from results"},
    {"compare", cmd_compare, "compare two results files, exit 1 on a regression"},
    {"demo", cmd_demo, "narrated classroom demo: process vs container vs VM"},
    {"peers", cmd_peers, "time our launcher and VM path against crun, runc, bwrap, qemu"},
    {"cleanup", cmd_cleanup, "remove leftovers of runs whose process is gone"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: vcbench [--verbose] <command> [options]\n\n"
                 "Runs the same workload as a plain process, a container and a VM,\n"
                 "and measures what isolation costs and what it buys.\n\ncommands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(out, "  %-8s  %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n'vcbench <command> --help' tells more. Version %s (%s).\n", vcb_version(),
            vcb_git_hash());
}

int cli_fail(const char *cmd, const struct vcb_err *err)
{
    fprintf(stderr, "vcbench %s: %s\n", cmd, err->msg[0] ? err->msg : "failed");
    return err->usage ? 2 : 1;
}

bool cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return false;
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return true;
    }
    return false;
}

int main(int argc, char **argv)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--verbose") == 0 || strcmp(argv[i], "-v") == 0) {
            vcb_log_set_level(VCB_LOG_DEBUG);
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--version") == 0) {
            printf("vcbench %s (%s)\n", vcb_version(), vcb_git_hash());
            return 0;
        } else {
            fprintf(stderr, "vcbench: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    if (i >= argc) {
        usage(stderr);
        return 2;
    }
    for (size_t c = 0; c < sizeof(commands) / sizeof(commands[0]); c++)
        if (strcmp(argv[i], commands[c].name) == 0)
            return commands[c].fn(argc - i, argv + i);
    fprintf(stderr, "vcbench: unknown command '%s'\n", argv[i]);
    usage(stderr);
    return 2;
}
