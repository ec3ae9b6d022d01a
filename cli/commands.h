/* commands.h — the vcbench subcommands. Each returns the process exit code:
 * 0 ok, 1 failure (or a regression for compare), 2 bad input. */
#ifndef VCB_COMMANDS_H
#define VCB_COMMANDS_H

#include "vcb.h"

int cmd_doctor(int argc, char **argv);
int cmd_image(int argc, char **argv);
int cmd_launch(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_cleanup(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_peers(int argc, char **argv);

/* Print err as "vcbench <cmd>: <msg>" and map it to an exit code (2 for usage). */
int cli_fail(const char *cmd, const struct vcb_err *err);
/* True when argv holds -h or --help before any "--". */
bool cli_wants_help(int argc, char **argv);

#endif
