/* wl-cpu — CPU throughput: a mixed integer (xorshift) and floating-point
 * loop for --duration; the result is loop iterations per second. */
#include <unistd.h>

#include "guest.h"

static const struct wl_prog prog = {
    "cpu", "cpu [--duration D]\n  --duration D  how long to run (default 1s)"};

/* Iterations between clock reads: small enough to stop within ~1 ms. */
#define CPU_CHUNK 4096

/* One chunk of work. The state is returned so the compiler cannot drop it. */
static uint64_t cpu_chunk(uint64_t x, double *f)
{
    double acc = *f;
    for (int i = 0; i < CPU_CHUNK; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        acc = acc * 1.0000001 + (double)(x & 0xff) * 0.5;
        if (acc > 1e12)
            acc *= 1e-6;
    }
    *f = acc;
    return x;
}

static uint64_t parse_args(int argc, char **argv)
{
    uint64_t duration = WL_NS_PER_S;
    const char *v;
    wl_handle_help(&prog, argc, argv);
    for (int i = 1; i < argc; i++) {
        if (wl_opt(&prog, argc, argv, &i, "--duration", &v))
            duration = wl_opt_duration(&prog, "--duration", v);
        else
            wl_usage_fail(&prog, "unexpected argument '%s'", argv[i]);
    }
    if (duration == 0)
        wl_usage_fail(&prog, "--duration must be > 0");
    return duration;
}

int main(int argc, char **argv)
{
    uint64_t duration = parse_args(argc, argv);
    wl_stop_signals_block();
    wl_emit_ready();
    volatile uint64_t sink_x;
    volatile double sink_f;
    uint64_t x = 88172645463325252ULL, ops = 0;
    double f = 1.0;
    uint64_t t0 = wl_now_ns(), end = t0 + duration, now = t0;
    while (now < end && !wl_stop_requested()) {
        for (int k = 0; k < 64 && now < end; k++) {
            x = cpu_chunk(x, &f);
            ops += CPU_CHUNK;
            now = wl_now_ns();
        }
    }
    sink_x = x;
    sink_f = f;
    (void)sink_x;
    (void)sink_f;
    uint64_t elapsed = now - t0;
    struct wl_json j;
    wl_json_begin(&j, NULL, prog.name);
    wl_json_u64(&j, "ops", ops);
    wl_json_u64(&j, "duration_ns", elapsed);
    wl_json_double(&j, "ops_per_s", elapsed ? (double)ops * 1e9 / (double)elapsed : 0.0);
    wl_json_emit(&j, STDOUT_FILENO);
    return 0;
}
