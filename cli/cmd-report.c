/* cmd-report.c — PLACEHOLDER until its issue lands: says so and fails. */
#include "commands.h"

int cmd_report(int argc, char **argv)
{
    fprintf(stderr, "vcbench report: not built yet\n");
    return 1;
}
