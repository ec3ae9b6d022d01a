/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cli-shims.h — the CLI option parsers, opened to fuzz-cli.c by the shims
 * that include the command files (their parsers are static). */
#ifndef VCB_FUZZ_CLI_SHIMS_H
#define VCB_FUZZ_CLI_SHIMS_H

#include "vcb.h"

int fuzz_launch_parse(int argc, char **argv, struct vcb_err *err);
int fuzz_run_parse(int argc, char **argv, struct vcb_err *err);

#endif
