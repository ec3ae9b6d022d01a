/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* progress.c — progress on stderr: one redrawn bar on a terminal, plain
 * lines otherwise (logs, CI). ETA = elapsed / done × remaining. */
#include <string.h>

#include "harness.h"

#define BAR_WIDTH 24

void bench_progress_init(struct bench_progress *p, bool enabled, unsigned total)
{
    memset(p, 0, sizeof(*p));
    p->enabled = enabled;
    p->tty = isatty(STDERR_FILENO);
    p->total = total;
    p->t_start = vcb_now_ns();
}

void bench_progress_add_total(struct bench_progress *p, int delta)
{
    long t = (long)p->total + delta;
    p->total = t < (long)p->done ? p->done : (unsigned)t;
}

static void eta_text(const struct bench_progress *p, char *buf, size_t len)
{
    if (p->done == 0 || p->total <= p->done) {
        snprintf(buf, len, "%s", p->total <= p->done && p->done ? "0s" : "?");
        return;
    }
    uint64_t elapsed = vcb_now_ns() - p->t_start;
    uint64_t eta_s = elapsed / p->done * (p->total - p->done) / VCB_NS_PER_S;
    if (eta_s >= 60)
        snprintf(buf, len, "%llum%02llus", (unsigned long long)(eta_s / 60),
                 (unsigned long long)(eta_s % 60));
    else
        snprintf(buf, len, "%llus", (unsigned long long)eta_s);
}

void bench_progress_step(struct bench_progress *p, const char *scenario, const char *backend,
                         unsigned i, unsigned n)
{
    if (p->done < p->total)
        p->done++;
    if (!p->enabled)
        return;
    char eta[32];
    eta_text(p, eta, sizeof(eta));
    unsigned pct = p->total ? p->done * 100 / p->total : 0;
    if (!p->tty) {
        fprintf(stderr, "vcbench: [%3u%%] %s %s %u/%u ETA %s\n", pct, scenario, backend, i, n, eta);
        return;
    }
    char bar[BAR_WIDTH + 1];
    unsigned fill = pct * BAR_WIDTH / 100;
    for (unsigned k = 0; k < BAR_WIDTH; k++)
        bar[k] = k < fill ? '#' : '-';
    bar[BAR_WIDTH] = 0;
    fprintf(stderr, "\r[%s] %3u%% %s %s %u/%u ETA %s\033[K", bar, pct, scenario, backend, i, n,
            eta);
    p->dirty = true;
}

void bench_progress_note(struct bench_progress *p, const char *fmt, ...)
{
    if (!p->enabled)
        return;
    if (p->dirty)
        fputc('\n', stderr);
    p->dirty = false;
    va_list ap;
    va_start(ap, fmt);
    fputs("vcbench: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

void bench_progress_end(struct bench_progress *p)
{
    if (p->enabled && p->dirty)
        fputc('\n', stderr);
    p->dirty = false;
}
