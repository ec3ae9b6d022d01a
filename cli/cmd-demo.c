/* cmd-demo.c — PLACEHOLDER until its issue lands: says so and fails. */
#include "commands.h"

int cmd_demo(int argc, char **argv)
{
    fprintf(stderr, "vcbench demo: not built yet\n");
    return 1;
}
