/* cmd-cleanup.c — PLACEHOLDER until its issue lands: says so and fails. */
#include "commands.h"

int cmd_cleanup(int argc, char **argv)
{
    fprintf(stderr, "vcbench cleanup: not built yet\n");
    return 1;
}
