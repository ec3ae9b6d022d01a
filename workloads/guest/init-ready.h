/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* init-ready.h — when an image's own command counts as ready (`--ready
 * KIND`) and the figures read from its output (`--metric NAME:UNIT=REGEX`),
 * for vcb-init (guest-image.h gives the command line). */
#ifndef WL_INIT_READY_H
#define WL_INIT_READY_H

#include <poll.h>
#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "guest-image.h"
#include "init.h"

struct init_metric {
    struct wl_metric spec; /* its name and unit */
    regex_t re;
};

struct init_watch {
    struct wl_ready ready; /* its kind and (tcp) port */
    bool ready_sent;
    regex_t line_re;         /* WL_READY_LINE */
    int probe_fd;            /* a connect in flight; -1 none */
    uint64_t probe_since_ns; /* the exec: the retry schedule starts here */
    uint64_t probe_next_ns;  /* the next attempt; 0 = not probing */
    struct init_metric metrics[WL_METRICS_MAX];
    size_t nmetrics;
};

void init_watch_init(struct init_watch *w);
/* Option values; a bad one is logged and returns -1 (a usage error). */
int init_watch_ready_arg(struct init_watch *w, const char *kind);
int init_watch_metric_arg(struct init_watch *w, const char *spec);

/* The command's exec succeeded. */
void init_watch_started(struct init *in);
/* A line the command printed (stdout or stderr). */
void init_watch_line(struct init *in, const char *line);
/* The command was reaped (in->status set), its output drained. */
void init_watch_exited(struct init *in);
/* The poll loop: what to wait for (the probe's fd and events, a timeout in
 * ms, -1 none), then what happened (the probe fd's revents). */
void init_watch_poll_prepare(const struct init_watch *w, struct pollfd *pfd, int *timeout_ms);
void init_watch_poll_done(struct init *in, short revents);

#endif
