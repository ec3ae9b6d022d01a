/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ssh.c — one remote command through the user's own `ssh` from PATH: their
 * ~/.ssh/config, keys and agent as they are. Only BatchMode (never ask for
 * a password: a fleet has no one at the keyboard) and -T (no terminal: the
 * remote stderr stays apart from the results on stdout) are given.
 *
 * A connection the server drops before the key exchange is tried again,
 * twice, a second and then two apart: sshd drops connections beyond its
 * MaxStartups (10 by default) at random, which a fleet connecting to many
 * hosts through one jump host, or to one host many times, runs into. The
 * remote command never started then, so nothing runs twice. */
#include <poll.h>
#include <string.h>

#include "fleet-priv.h"

#define SSH_ATTEMPTS   3
#define SSH_KEX_FAILED "kex_exchange_identification:" /* OpenSSH's words for it */

struct ssh_watch {
    const struct fleet_proc *orig;
    bool kex_failed;
};

static void ssh_line(void *ctx, const char *line)
{
    struct ssh_watch *w = ctx;
    if (!strncmp(line, SSH_KEX_FAILED, strlen(SSH_KEX_FAILED)))
        w->kex_failed = true;
    if (w->orig->line)
        w->orig->line(w->orig->ctx, line);
}

/* Sleep ms, cut short by a stop request: false when one came. */
static bool ssh_pause(int stop_fd, int ms)
{
    struct pollfd p = {.fd = stop_fd, .events = POLLIN};
    return poll(&p, stop_fd >= 0, ms) == 0;
}

int fleet_ssh_run(struct fleet_ssh *s, struct fleet_proc_end *end, struct vcb_err *err)
{
    char *argv[] = {"ssh", "-o", "BatchMode=yes", "-T", (char *)s->dest, (char *)s->command, NULL};
    struct ssh_watch w = {.orig = &s->proc};
    struct fleet_proc p = s->proc;
    p.argv = argv;
    p.line = ssh_line;
    p.ctx = &w;
    for (int attempt = 1;; attempt++) {
        w.kex_failed = false;
        if (fleet_proc_run(&p, end, err) < 0)
            return vcb_err_prefix(err, "ssh %s", s->dest);
        if (end->status != 255 || !w.kex_failed || end->stopped || attempt == SSH_ATTEMPTS)
            return 0;
        if (!ssh_pause(p.stop_fd, 1000 * attempt)) {
            end->stopped = true;
            return 0;
        }
    }
}
