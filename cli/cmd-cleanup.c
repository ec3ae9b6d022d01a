/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cmd-cleanup.c — `vcbench cleanup`: remove leftovers of runs whose process
 * is gone (cgroups, mounts, domains, run dirs) and say what was removed. */
#include <string.h>

#include "bench.h"
#include "commands.h"

static void cleanup_usage(FILE *out)
{
    fprintf(out, "usage: vcbench cleanup [--dry-run] [--orphans] [--volumes] [-c URI] [backend "
                 "options]\n\n"
                 "Removes what runs whose process is gone left behind: cgroups and\n"
                 "mounts of containers, libvirt domains, run directories. A run is gone\n"
                 "when the lock in its run directory is free, so a live run is never\n"
                 "touched. Prints each thing removed and a total.\n\n"
                 "  --dry-run      say what would be removed, remove nothing\n"
                 "  --orphans      also remove resources whose run has no run directory\n"
                 "                 here, nor in the VCB_RUN_DIR of any running process\n"
                 "  --volumes      also remove the volumes vcbench uploaded to the libvirt\n"
                 "                 host (kernel, images: kept between runs so a second run\n"
                 "                 sends nothing) and their storage pool "
                 "\"vcbench\"\n"
                 "  -c, --connect URI  libvirt connection (default: $LIBVIRT_DEFAULT_URI,\n"
                 "                 else qemu:///system); also --vm-uri\n");
    cli_backend_opts_usage(out);
}

static void print_removed(const char *what, void *ctx)
{
    printf("%s %s\n", *(int *)ctx ? "would remove" : "removed", what);
}

int cmd_cleanup(int argc, char **argv)
{
    struct vcb_err err = {0};
    struct vcb_backend_opts bopts = {0};
    int dry_run = 0, orphans = 0, volumes = 0;
    const struct option own[] = {{"dry-run", no_argument, &dry_run, 1},
                                 {"orphans", no_argument, &orphans, 1},
                                 {"volumes", no_argument, &volumes, 1},
                                 {NULL, 0, NULL, 0}};
    if (cli_wants_help(argc, argv)) {
        cleanup_usage(stdout);
        return 0;
    }
    if (cli_parse_flags(argc, argv, own, "unexpected argument", &bopts, &err) < 0)
        return cli_fail("cleanup", &err);
    int n = bench_cleanup(dry_run, orphans, volumes, &bopts, print_removed, &dry_run, &err);
    if (err.msg[0])
        fprintf(stderr, "vcbench cleanup: warning: %s\n", err.msg);
    printf("%s %d item%s\n", dry_run ? "would remove" : "removed", n, n == 1 ? "" : "s");
    return 0;
}
