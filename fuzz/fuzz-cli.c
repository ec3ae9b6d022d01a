/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-cli.c — command-line parsing of vcbench without running anything.
 * Byte 0 picks a parser, the rest is split on NUL bytes into argv:
 *   0: `vcbench launch` options (launch_parse, via cli-shim-launch.c)
 *   1: `vcbench run` options (run_parse, via cli-shim-run.c)
 *   2: `vcbench compare --tolerance` (rpt_parse_tolerance)
 * Why not exec the binary with --help-like argv: a fork/exec per input runs
 * at a few hundred inputs a second and sees no coverage; the parsers are
 * pure functions of argv, so they are called in-process. Every failure must
 * be a usage error (exit 2; launch exits 125 for it) with a message. */
#include <getopt.h>

#include "commands.h"
#include "cli-shims.h"
#include "fuzz-common.h"
#include "reports.h"

/* main.c is not linked (it holds main). Only the cmd_* functions call
 * these, and none of them runs here. */
int cli_fail(const char *cmd, const struct vcb_err *err)
{
    abort();
}

bool cli_wants_help(int argc, char **argv)
{
    abort();
}

/* getopt keeps a position inside a short-option cluster ("-xy") between
 * calls; a parser that resets with optind = 1 (not 0) would read the last
 * input's freed argv. Reset fully, as a new process would start. */
static void getopt_reset(void)
{
    static char *none[] = {"x", NULL};
    optind = 0;
    opterr = 0;
    getopt_long(1, none, "", NULL, NULL);
}

static void check_err(int rc, const struct vcb_err *err, const char *what)
{
    if (rc < 0)
        FUZZ_CHECK(err->usage && err->msg[0], "%s: failure without a usage message", what);
    else
        FUZZ_CHECK(rc == 0, "%s: rc %d", what, rc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    char *buf, *argv[FUZZ_ARGV_MAX + 1];
    int argc = fuzz_argv(data + 1, size - 1, "cmd", &buf, argv);
    struct vcb_err err = {0};
    double tol;
    getopt_reset();
    switch (data[0] % 3) {
    case 0:
        check_err(fuzz_launch_parse(argc, argv, &err), &err, "launch");
        break;
    case 1:
        check_err(fuzz_run_parse(argc, argv, &err), &err, "run");
        break;
    default:
        check_err(rpt_parse_tolerance(argv[1], &tol, &err), &err, "tolerance");
    }
    free(buf);
    return 0;
}
