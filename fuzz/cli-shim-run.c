/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cli-shim-run.c — opens the static option parser of `vcbench run`
 * (cli/cmd-run.c) to the CLI fuzz target. Only run_parse is called:
 * nothing runs. */
#include "../cli/cmd-run.c"

#include "cli-shims.h"

int fuzz_run_parse(int argc, char **argv, struct vcb_err *err)
{
    struct bench_run_opts o = {.suite = "quick", .progress = true};
    return run_parse(argc, argv, &o, err);
}
