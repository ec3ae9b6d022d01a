/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cli-shim-launch.c — opens the static option parser of `vcbench launch`
 * (cli/cmd-launch.c) to the CLI fuzz target, without touching that file.
 * Only launch_parse is called: nothing is launched. */
#include "../cli/cmd-launch.c"

#include "cli-shims.h"
#include "fuzz-common.h"

int fuzz_launch_parse(int argc, char **argv, struct vcb_err *err)
{
    struct launch_cfg cfg;
    int rc = launch_parse(argc, argv, &cfg, err);
    struct vcb_err e = {0};
    /* A limit the options accept is one every backend accepts. */
    FUZZ_CHECK(rc < 0 || vcb_limits_check(&cfg.limits, &e) == 0, "limits accepted: %s", e.msg);
    return rc;
}
