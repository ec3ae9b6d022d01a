/* cli-shim-launch.c — opens the static option parser of `vcbench launch`
 * (cli/cmd-launch.c) to the CLI fuzz target, without touching that file.
 * Only launch_parse is called: nothing is launched. */
#include "../cli/cmd-launch.c"

#include "cli-shims.h"

int fuzz_launch_parse(int argc, char **argv, struct vcb_err *err)
{
    struct launch_cfg cfg;
    return launch_parse(argc, argv, &cfg, err);
}
