/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* commands.h — the vcbench subcommands. Each returns the process exit code:
 * 0 ok, 1 failure (or a regression for compare), 2 bad input (launch: 125
 * for its own errors, else the workload's status, as docker run). */
#ifndef VCB_COMMANDS_H
#define VCB_COMMANDS_H

#include <getopt.h>
#include <stdio.h>

#include "vcb-driver.h"
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
int cmd_fleet(int argc, char **argv);

/* What the size suffixes mean, for --help texts. */
#define CLI_SIZE_SUFFIXES                                                                          \
    "k, M, G, T (and Ki, KiB, Mi, MiB, Gi, GiB, Ti, TiB) are powers of 1024;\n"                    \
    "kB, MB, GB, TB are powers of 1000"

/* The backend options, from the drivers' tables (cli-opts.c): a command
 * hands its own long options to cli_opts_init and getopt_long's results to
 * cli_backend_opt first, which applies a backend option (1), says it is none
 * of them (0) or fails with a usage error naming it (-1). */
#define CLI_OPTS_MAX 64
struct cli_opts {
    struct option longopts[CLI_OPTS_MAX]; /* the command's own, then the backends' */
};
int cli_opts_init(struct cli_opts *p, const struct option *own, struct vcb_err *err);
int cli_backend_opt(int opt, const char *arg, struct vcb_backend_opts *b, struct vcb_err *err);
/* The whole command line of a command whose own options are flags (each
 * with struct option's flag pointer set) and the backend options; anything
 * else is a usage error: "<what> '<word>' (see --help)". */
int cli_parse_flags(int argc, char **argv, const struct option *own, const char *what,
                    struct vcb_backend_opts *b, struct vcb_err *err);
/* The "backend options" block of a command's --help. */
void cli_backend_opts_usage(FILE *out);

/* The soft and I/O limit options (cli-limits.c): their long options (values
 * 0x800 on), the parser (1 applied, 0 not one of them, -1 error), the check
 * of the ones that must agree, once all are read, and their --help lines. */
extern const struct option cli_limit_longopts[];
int cli_limit_opt(int opt, const char *name, const char *arg, struct vcb_limits *l,
                  struct vcb_err *err);
int cli_limits_done(const struct vcb_limits *l, struct vcb_err *err);
void cli_limits_usage(FILE *out);

/* Print err as "vcbench <cmd>: <msg>" and map it to an exit code (2 for usage). */
int cli_fail(const char *cmd, const struct vcb_err *err);
/* True when argv holds -h or --help before any "--". */
bool cli_wants_help(int argc, char **argv);

#endif
