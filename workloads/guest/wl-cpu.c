/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wl-cpu — CPU throughput: a mixed integer (xorshift) and floating-point
 * loop for --duration, on --threads threads; the result is loop iterations
 * per second, summed. As an aggressor it runs one thread per host CPU, so
 * that without a limit it really competes with its neighbour. */
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include "guest.h"

static const struct wl_prog prog = {
    "cpu", "cpu [--duration D] [--threads N]\n  --duration D  how long to run (default 1s)\n"
           "  --threads N   loops in parallel, 1 to 256 (default 1)"};

#define CPU_THREADS_MAX 256

struct cpu_cfg {
    uint64_t duration_ns;
    uint64_t threads;
};

struct cpu_worker {
    pthread_t tid;
    uint64_t end_ns;
    atomic_bool *stop;
    uint64_t ops;
};

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

static struct cpu_cfg parse_args(int argc, char **argv)
{
    struct cpu_cfg c = {WL_NS_PER_S, 1};
    const char *v;
    wl_handle_help(&prog, argc, argv);
    for (int i = 1; i < argc; i++) {
        if (wl_opt(&prog, argc, argv, &i, "--duration", &v))
            c.duration_ns = wl_opt_duration(&prog, "--duration", v);
        else if (wl_opt(&prog, argc, argv, &i, "--threads", &v))
            c.threads = wl_opt_u64(&prog, "--threads", v);
        else
            wl_usage_fail(&prog, "unexpected argument '%s'", argv[i]);
    }
    if (c.duration_ns == 0)
        wl_usage_fail(&prog, "--duration must be > 0");
    if (c.threads < 1 || c.threads > CPU_THREADS_MAX)
        wl_usage_fail(&prog, "--threads must be 1 to %d", CPU_THREADS_MAX);
    return c;
}

/* Loop until the end or a stop; the main thread also watches for SIGTERM. */
static void *cpu_loop(void *arg)
{
    struct cpu_worker *w = arg;
    volatile uint64_t sink_x;
    volatile double sink_f;
    uint64_t x = 88172645463325252ULL ^ (uint64_t)(uintptr_t)w;
    double f = 1.0;
    for (uint64_t now = wl_now_ns(); now < w->end_ns && !atomic_load(w->stop);) {
        for (int k = 0; k < 64 && now < w->end_ns; k++) {
            x = cpu_chunk(x, &f);
            w->ops += CPU_CHUNK;
            now = wl_now_ns();
        }
    }
    sink_x = x;
    sink_f = f;
    (void)sink_x;
    (void)sink_f;
    return NULL;
}

/* The main thread's share: the loop, with a stop check between rounds. */
static void cpu_main_loop(struct cpu_worker *w)
{
    uint64_t end = w->end_ns;
    while (!atomic_load(w->stop) && wl_now_ns() < end) {
        w->end_ns = wl_now_ns() + 10 * WL_NS_PER_MS;
        if (w->end_ns > end)
            w->end_ns = end;
        cpu_loop(w);
        if (wl_stop_requested())
            atomic_store(w->stop, true);
    }
    w->end_ns = end;
}

int main(int argc, char **argv)
{
    struct cpu_cfg cfg = parse_args(argc, argv);
    static struct cpu_worker w[CPU_THREADS_MAX];
    atomic_bool stop = false;
    wl_stop_signals_block(); /* before the threads: they inherit the mask */
    wl_emit_ready();
    uint64_t t0 = wl_now_ns(), ops = 0;
    for (uint64_t i = 0; i < cfg.threads; i++)
        w[i] = (struct cpu_worker){.end_ns = t0 + cfg.duration_ns, .stop = &stop};
    uint64_t started = 1;
    for (; started < cfg.threads; started++)
        if (pthread_create(&w[started].tid, NULL, cpu_loop, &w[started]) != 0)
            break; /* fewer threads than asked: the result says how many */
    cpu_main_loop(&w[0]);
    for (uint64_t i = 1; i < started; i++)
        pthread_join(w[i].tid, NULL);
    for (uint64_t i = 0; i < started; i++)
        ops += w[i].ops;
    uint64_t elapsed = wl_now_ns() - t0;
    struct wl_json j;
    wl_json_begin(&j, NULL, prog.name);
    wl_json_u64(&j, "ops", ops);
    wl_json_u64(&j, "threads", started);
    wl_json_u64(&j, "duration_ns", elapsed);
    wl_json_double(&j, "ops_per_s", elapsed ? (double)ops * 1e9 / (double)elapsed : 0.0);
    wl_json_emit(&j, STDOUT_FILENO);
    return 0;
}
