/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ssh.c — one remote command through the user's own `ssh` from PATH: their
 * ~/.ssh/config, keys and agent as they are. Only BatchMode (never ask for
 * a password: a fleet has no one at the keyboard) and -T (no terminal: the
 * remote stderr stays apart from the results on stdout) are given. */
#include "fleet-priv.h"

int fleet_ssh_run(struct fleet_ssh *s, struct fleet_proc_end *end, struct vcb_err *err)
{
    char *argv[] = {"ssh", "-o", "BatchMode=yes", "-T", (char *)s->dest, (char *)s->command, NULL};
    s->proc.argv = argv;
    int r = fleet_proc_run(&s->proc, end, err);
    s->proc.argv = NULL;
    return r < 0 ? vcb_err_prefix(err, "ssh %s", s->dest) : 0;
}
