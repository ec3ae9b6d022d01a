/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wl-membw — memory bandwidth: the STREAM triad a[i] = b[i] + s * c[i] over
 * three arrays, repeated for --duration. Bandwidth counts 3 arrays per pass
 * (two reads, one write) in MB (10^6 bytes) per second, as STREAM does. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "guest.h"

static const struct wl_prog prog = {
    "membw", "membw [--size BYTES] [--duration D]\n"
             "  --size BYTES  total over the 3 arrays (default 64MiB, at least 24KiB)\n"
             "  --duration D  how long to run (default 1s)"};

struct membw_opts {
    uint64_t size, duration;
};

struct membw_stats {
    double best, sum;
    uint64_t passes;
};

static struct membw_opts parse_args(int argc, char **argv)
{
    struct membw_opts o = {64ULL << 20, WL_NS_PER_S};
    const char *v;
    wl_handle_help(&prog, argc, argv);
    for (int i = 1; i < argc; i++) {
        if (wl_opt(&prog, argc, argv, &i, "--size", &v))
            o.size = wl_opt_size(&prog, "--size", v);
        else if (wl_opt(&prog, argc, argv, &i, "--duration", &v))
            o.duration = wl_opt_duration(&prog, "--duration", v);
        else
            wl_usage_fail(&prog, "unexpected argument '%s'", argv[i]);
    }
    if (o.size < 24 * 1024)
        wl_usage_fail(&prog, "--size must be at least 24KiB");
    if (o.duration == 0)
        wl_usage_fail(&prog, "--duration must be > 0");
    return o;
}

static void triad(double *restrict a, const double *restrict b, const double *restrict c, size_t n,
                  double s)
{
    for (size_t i = 0; i < n; i++)
        a[i] = b[i] + s * c[i];
}

static void run_passes(double *a, double *b, double *c, size_t n, uint64_t duration,
                       struct membw_stats *st)
{
    double bytes = 3.0 * sizeof(double) * (double)n;
    uint64_t end = wl_now_ns() + duration;
    do {
        uint64_t t0 = wl_now_ns();
        triad(a, b, c, n, 3.0);
        uint64_t dt = wl_now_ns() - t0;
        double mbps = dt ? bytes / 1e6 / ((double)dt / 1e9) : 0.0;
        st->best = mbps > st->best ? mbps : st->best;
        st->sum += mbps;
        st->passes++;
    } while (wl_now_ns() < end && !wl_stop_requested());
}

int main(int argc, char **argv)
{
    struct membw_opts o = parse_args(argc, argv);
    size_t n = (size_t)(o.size / 3 / sizeof(double));
    double *a = malloc(n * sizeof(double)), *b = malloc(n * sizeof(double));
    double *c = malloc(n * sizeof(double));
    if (!a || !b || !c) {
        fprintf(stderr, "membw: cannot allocate 3 x %zu bytes\n", n * sizeof(double));
        return 1;
    }
    for (size_t i = 0; i < n; i++) { /* touch every page before timing */
        a[i] = 1.0;
        b[i] = 2.0;
        c[i] = 0.5;
    }
    wl_stop_signals_block();
    wl_emit_ready();
    struct membw_stats st = {0};
    run_passes(a, b, c, n, o.duration, &st);
    struct wl_json j;
    wl_json_begin(&j, NULL, prog.name);
    wl_json_u64(&j, "bytes", 3 * n * sizeof(double));
    wl_json_u64(&j, "passes", st.passes);
    wl_json_double(&j, "mb_per_s_best", st.best);
    wl_json_double(&j, "mb_per_s_mean", st.passes ? st.sum / (double)st.passes : 0.0);
    wl_json_emit(&j, STDOUT_FILENO);
    volatile double sink = a[n / 2]; /* the triad's stores are used */
    (void)sink;
    free(a);
    free(b);
    free(c);
    return 0;
}
