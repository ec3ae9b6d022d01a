/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wl-lat — timer latency: wake every --interval on an absolute schedule
 * (clock_nanosleep TIMER_ABSTIME, CLOCK_MONOTONIC) and record how late each
 * wake-up was. The result gives oversleep percentiles in ns. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "guest.h"

static const struct wl_prog prog = {"lat",
                                    "lat [--interval D] [--duration D]\n"
                                    "  --interval D  wake-up period (default 1ms, at least 10us)\n"
                                    "  --duration D  how long to run (default 1s)"};

/* Bound the sample buffer whatever the arguments (80 MB of uint64_t). */
#define LAT_MAX_SAMPLES 10000000ULL

struct lat_opts {
    uint64_t interval, duration;
};

static struct lat_opts parse_args(int argc, char **argv)
{
    struct lat_opts o = {WL_NS_PER_MS, WL_NS_PER_S};
    const char *v;
    wl_handle_help(&prog, argc, argv);
    for (int i = 1; i < argc; i++) {
        if (wl_opt(&prog, argc, argv, &i, "--interval", &v))
            o.interval = wl_opt_duration(&prog, "--interval", v);
        else if (wl_opt(&prog, argc, argv, &i, "--duration", &v))
            o.duration = wl_opt_duration(&prog, "--duration", v);
        else
            wl_usage_fail(&prog, "unexpected argument '%s'", argv[i]);
    }
    if (o.interval < 10 * WL_NS_PER_US)
        wl_usage_fail(&prog, "--interval must be at least 10us");
    if (o.duration < o.interval)
        wl_usage_fail(&prog, "--duration must be at least one --interval");
    return o;
}

static void sleep_until(uint64_t t_ns)
{
    struct timespec ts = {.tv_sec = (time_t)(t_ns / WL_NS_PER_S),
                          .tv_nsec = (long)(t_ns % WL_NS_PER_S)};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
        ;
}

/* Fill samples with oversleep values; returns how many were taken. */
static size_t lat_measure(const struct lat_opts *o, uint64_t *samples, size_t max)
{
    size_t n = 0;
    uint64_t next = wl_now_ns() + o->interval;
    while (n < max) {
        sleep_until(next);
        uint64_t now = wl_now_ns();
        samples[n++] = now > next ? now - next : 0;
        if (wl_stop_requested())
            break;
        next += o->interval;
        if (now > next) /* fell a whole period behind: restart the schedule */
            next = now + o->interval;
    }
    return n;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of sorted samples. */
static uint64_t percentile(const uint64_t *s, size_t n, unsigned pct)
{
    size_t rank = (n * pct + 99) / 100;
    return s[rank ? rank - 1 : 0];
}

int main(int argc, char **argv)
{
    struct lat_opts o = parse_args(argc, argv);
    uint64_t max = o.duration / o.interval;
    max = max > LAT_MAX_SAMPLES ? LAT_MAX_SAMPLES : max;
    uint64_t *samples = calloc(max, sizeof(*samples));
    if (!samples) {
        fprintf(stderr, "lat: cannot allocate %llu samples\n", (unsigned long long)max);
        return 1;
    }
    wl_stop_signals_block();
    wl_emit_ready();
    size_t n = lat_measure(&o, samples, (size_t)max);
    qsort(samples, n, sizeof(*samples), cmp_u64);
    uint64_t sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += samples[i];
    struct wl_json j;
    wl_json_begin(&j, NULL, prog.name);
    wl_json_u64(&j, "samples", n);
    wl_json_u64(&j, "interval_ns", o.interval);
    wl_json_u64(&j, "oversleep_p50_ns", percentile(samples, n, 50));
    wl_json_u64(&j, "oversleep_p99_ns", percentile(samples, n, 99));
    wl_json_u64(&j, "oversleep_max_ns", samples[n - 1]);
    wl_json_u64(&j, "oversleep_mean_ns", sum / n);
    wl_json_emit(&j, STDOUT_FILENO);
    free(samples);
    return 0;
}
