/* cmd-run.c — PLACEHOLDER until its issue lands: says so and fails. */
#include "commands.h"

int cmd_run(int argc, char **argv)
{
    fprintf(stderr, "vcbench run: not built yet\n");
    return 1;
}
