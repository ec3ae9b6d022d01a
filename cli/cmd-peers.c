/* cmd-peers.c — PLACEHOLDER until issue 8 lands: says so and fails. */
#include "commands.h"

int cmd_peers(int argc, char **argv)
{
    fprintf(stderr, "vcbench peers: not built yet\n");
    return 1;
}
