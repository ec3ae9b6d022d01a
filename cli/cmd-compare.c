/* cmd-compare.c — PLACEHOLDER until its issue lands: says so and fails. */
#include "commands.h"

int cmd_compare(int argc, char **argv)
{
    fprintf(stderr, "vcbench compare: not built yet\n");
    return 1;
}
