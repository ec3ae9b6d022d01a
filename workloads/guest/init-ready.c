/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* init-ready.c — readiness of an image's own command and the metrics read
 * from its output (init-ready.h). Regular expressions are POSIX ERE. */
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "init-ready.h"

/* The TCP probe's schedule: a new connect() every 1 ms for the first 100 ms
 * after the exec, then every 5 ms. Readiness is so seen at most 1 ms (later
 * 5 ms) after the port starts to accept, plus poll()'s millisecond rounding:
 * a finer grain would cost a busy guest CPU time while it boots. */
#define PROBE_FAST_NS     (1 * WL_NS_PER_MS)
#define PROBE_SLOW_NS     (5 * WL_NS_PER_MS)
#define PROBE_FAST_FOR_NS (100 * WL_NS_PER_MS)

void init_watch_init(struct init_watch *w)
{
    memset(w, 0, sizeof(*w));
    w->probe_fd = -1;
}

/* The rules are guest-image-args.c's, the host's too; a refusal is logged
 * as the usage error it is. */
int init_watch_ready_arg(struct init_watch *w, const char *kind)
{
    char why[256];
    if (w->ready.kind == WL_READY_LINE)
        regfree(&w->line_re); /* given twice: the last one counts */
    if (wl_ready_parse(kind, &w->ready, &w->line_re, why, sizeof(why)) < 0) {
        w->ready.kind = WL_READY_START; /* nothing compiled to free */
        init_log("--ready: '%s': %s", kind, why);
        return -1;
    }
    return 0;
}

int init_watch_metric_arg(struct init_watch *w, const char *spec)
{
    char why[256];
    if (w->nmetrics == WL_METRICS_MAX) {
        init_log("--metric: at most %d", WL_METRICS_MAX);
        return -1;
    }
    struct init_metric *m = &w->metrics[w->nmetrics];
    if (wl_metric_parse(spec, &m->spec, &m->re, why, sizeof(why)) < 0) {
        init_log("--metric: '%s': %s", spec, why);
        return -1;
    }
    w->nmetrics++;
    return 0;
}

static void ready(struct init *in)
{
    struct init_watch *w = in->watch;
    if (w->ready_sent)
        return;
    w->ready_sent = true;
    w->probe_next_ns = 0;
    if (w->probe_fd >= 0) {
        close(w->probe_fd);
        w->probe_fd = -1;
    }
    init_emit_ready(in);
}

void init_watch_started(struct init *in)
{
    struct init_watch *w = in->watch;
    if (w->ready.kind == WL_READY_START) {
        ready(in);
    } else if (w->ready.kind == WL_READY_TCP) {
        w->probe_since_ns = wl_now_ns();
        w->probe_next_ns = w->probe_since_ns;
    }
}

void init_watch_exited(struct init *in)
{
    if (in->watch->ready.kind == WL_READY_EXIT && in->status == 0)
        ready(in);
}

/* The first group of a metric's match as a finite number, whole. */
static int group_number(const char *line, const regmatch_t *g, double *out)
{
    char buf[64], *end;
    size_t n = (size_t)(g->rm_eo - g->rm_so);
    if (g->rm_so < 0 || n == 0 || n >= sizeof(buf))
        return -1;
    memcpy(buf, line + g->rm_so, n);
    buf[n] = '\0';
    errno = 0;
    *out = strtod(buf, &end);
    return *end || errno || !isfinite(*out) ? -1 : 0;
}

void init_watch_line(struct init *in, const char *line)
{
    struct init_watch *w = in->watch;
    if (w->ready.kind == WL_READY_LINE && !w->ready_sent &&
        regexec(&w->line_re, line, 0, NULL, 0) == 0)
        ready(in);
    for (size_t i = 0; i < w->nmetrics; i++) {
        regmatch_t g[2];
        double v;
        if (regexec(&w->metrics[i].re, line, 2, g, 0) != 0 || group_number(line, &g[1], &v) < 0)
            continue;
        struct wl_json j;
        wl_json_begin(&j, "metric", w->metrics[i].spec.name);
        wl_json_number(&j, "value", v);
        wl_json_str(&j, "unit", w->metrics[i].spec.unit);
        wl_json_emit(&j, in->chan_out);
    }
}

/* ---- the TCP probe ------------------------------------------------------------ */

static void probe_later(struct init_watch *w, uint64_t now)
{
    if (w->probe_fd >= 0) {
        close(w->probe_fd);
        w->probe_fd = -1;
    }
    w->probe_next_ns =
        now + (now - w->probe_since_ns < PROBE_FAST_FOR_NS ? PROBE_FAST_NS : PROBE_SLOW_NS);
}

/* One non-blocking connect(): loopback mostly answers at once (accepted or
 * refused); otherwise the poll loop waits for the socket to be writable. */
static void probe_connect(struct init *in, uint64_t now)
{
    struct init_watch *w = in->watch;
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(w->ready.port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    w->probe_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (w->probe_fd < 0) {
        init_log("tcp probe: socket: %s", strerror(errno));
        probe_later(w, now);
        return;
    }
    if (connect(w->probe_fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
        ready(in);
    else if (errno != EINPROGRESS)
        probe_later(w, now);
}

void init_watch_poll_prepare(const struct init_watch *w, struct pollfd *pfd, int *timeout_ms)
{
    *pfd = (struct pollfd){w->probe_fd, POLLOUT, 0};
    *timeout_ms = -1;
    if (w->probe_fd >= 0 || w->probe_next_ns == 0)
        return;
    uint64_t now = wl_now_ns();
    uint64_t wait = w->probe_next_ns > now ? w->probe_next_ns - now : 0;
    *timeout_ms = (int)((wait + WL_NS_PER_MS - 1) / WL_NS_PER_MS);
}

void init_watch_poll_done(struct init *in, short revents)
{
    struct init_watch *w = in->watch;
    uint64_t now = wl_now_ns();
    if (w->probe_fd >= 0 && revents) {
        int err = 0;
        socklen_t len = sizeof(err);
        if (getsockopt(w->probe_fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0)
            ready(in);
        else
            probe_later(w, now);
    } else if (w->probe_fd < 0 && w->probe_next_ns && now >= w->probe_next_ns) {
        probe_connect(in, now);
    }
}
