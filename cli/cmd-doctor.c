/* cmd-doctor.c — `vcbench doctor`: PLACEHOLDER until the backends land. */
#include "commands.h"

int cmd_doctor(int argc, char **argv)
{
    fprintf(stderr, "vcbench doctor: not built yet\n");
    return 1;
}
