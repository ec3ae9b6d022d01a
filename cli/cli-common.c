/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cli-common.c — what every command shares: its failure line and exit
 * status, and whether --help was asked. Commands call these; main.c calls
 * the commands: never the other way round. */
#include <string.h>

#include "commands.h"

int cli_fail(const char *cmd, const struct vcb_err *err)
{
    fprintf(stderr, "vcbench %s: %s\n", cmd, err->msg[0] ? err->msg : "failed");
    return err->usage ? 2 : 1;
}

bool cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return false;
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return true;
    }
    return false;
}
