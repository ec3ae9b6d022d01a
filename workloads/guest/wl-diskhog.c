/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wl-diskhog — the disk aggressor: random O_DIRECT writes of --block bytes
 * over the first --size bytes of its own scratch volume, --jobs processes
 * at once (the queue depth: each has one write in flight), until
 * --duration ends or a stop signal comes. Bounded in space by its volume
 * and in time by --duration. Reports the writes per second it made. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guest-scratch.h"

#define JOBS_MAX 64

static const struct wl_prog prog = {
    "diskhog",
    "diskhog [--jobs N] [--block BYTES] [--size BYTES] [--duration D] [--device PATH]\n"
    "  --jobs N       writers at once: the queue depth (default 4, at most 64)\n"
    "  --block BYTES  write size, a multiple of 4KiB (default 4KiB)\n"
    "  --size BYTES   span of the volume written (default: all of it)\n"
    "  --duration D   stop after this (default 1h; a stop signal ends it sooner)\n"
    "  --device PATH  the volume (default: $" WL_SCRATCH_ENV ", else " WL_SCRATCH_PATH ")"};

struct diskhog_opts {
    uint64_t jobs, block, size, duration;
    const char *device;
};

static struct diskhog_opts parse_args(int argc, char **argv)
{
    struct diskhog_opts o = {4, 4096, 0, 3600 * WL_NS_PER_S, NULL};
    const char *v;
    wl_handle_help(&prog, argc, argv);
    for (int i = 1; i < argc; i++) {
        if (wl_opt(&prog, argc, argv, &i, "--jobs", &v))
            o.jobs = wl_opt_u64(&prog, "--jobs", v);
        else if (wl_opt(&prog, argc, argv, &i, "--block", &v))
            o.block = wl_opt_size(&prog, "--block", v);
        else if (wl_opt(&prog, argc, argv, &i, "--size", &v))
            o.size = wl_opt_size(&prog, "--size", v);
        else if (wl_opt(&prog, argc, argv, &i, "--duration", &v))
            o.duration = wl_opt_duration(&prog, "--duration", v);
        else if (wl_opt(&prog, argc, argv, &i, "--device", &v))
            o.device = v;
        else
            wl_usage_fail(&prog, "unexpected argument '%s'", argv[i]);
    }
    if (o.jobs == 0 || o.jobs > JOBS_MAX)
        wl_usage_fail(&prog, "--jobs must be 1 to %d", JOBS_MAX);
    if (o.block == 0 || o.block % WL_SCRATCH_ALIGN || o.block > (64ULL << 20))
        wl_usage_fail(&prog, "--block must be a multiple of 4KiB, at most 64MiB");
    if (o.duration == 0)
        wl_usage_fail(&prog, "--duration must be > 0");
    return o;
}

/* One writer: its own offsets, its count in shared memory the parent sums. */
static _Noreturn void writer(int fd, const struct diskhog_opts *o, uint64_t span, unsigned id,
                             volatile uint64_t *ops, uint64_t end)
{
    char *buf = wl_scratch_buf(&prog, o->block);
    uint64_t blocks = span / o->block, seed = 0x9E3779B97F4A7C15ULL + id * 0x100000001B3ULL;
    do {
        off_t off = (off_t)(wl_scratch_rand(&seed) % blocks * o->block);
        ssize_t n = pwrite(fd, buf, o->block, off);
        if (n != (ssize_t)o->block) {
            wl_line_fd(STDERR_FILENO, "diskhog: write: %s", n < 0 ? strerror(errno) : "short");
            _exit(1);
        }
        (*ops)++;
    } while (wl_now_ns() < end && !((*ops & 63) == 0 && wl_stop_requested()));
    _exit(0);
}

int main(int argc, char **argv)
{
    struct diskhog_opts o = parse_args(argc, argv);
    uint64_t bytes;
    int fd = wl_scratch_open(&prog, o.device, o.size ? o.size : o.block, &bytes);
    uint64_t span = o.size ? o.size : bytes;
    if (span < o.block)
        wl_usage_fail(&prog, "--size must hold one --block");
    volatile uint64_t *ops =
        mmap(NULL, JOBS_MAX * 64, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (ops == MAP_FAILED) {
        wl_line_fd(STDERR_FILENO, "diskhog: mmap: %s", strerror(errno));
        return 1;
    }
    wl_stop_signals_block(); /* the writers inherit it: they look at their own */
    pid_t pid[JOBS_MAX];
    uint64_t t0 = wl_now_ns(), end = wl_deadline_after(o.duration);
    for (unsigned i = 0; i < o.jobs; i++)
        if ((pid[i] = fork()) == 0)
            writer(fd, &o, span, i, &ops[i * 8], end); /* a cache line each */
    wl_emit_ready();
    wl_wait_stop(end);
    int failed = 0, st;
    for (unsigned i = 0; i < o.jobs; i++)
        if (pid[i] > 0)
            kill(pid[i], SIGTERM);
    for (unsigned i = 0; i < o.jobs; i++)
        if (pid[i] < 0 || waitpid(pid[i], &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
            failed++;
    uint64_t total = 0, ns = wl_now_ns() - t0;
    for (unsigned i = 0; i < o.jobs; i++)
        total += ops[i * 8];
    struct wl_json j;
    wl_json_begin(&j, NULL, prog.name);
    wl_json_u64(&j, "jobs", o.jobs);
    wl_json_u64(&j, "block_bytes", o.block);
    wl_json_u64(&j, "span_bytes", span);
    wl_json_u64(&j, "writes", total);
    wl_json_double(&j, "write_iops", ns ? (double)total / ((double)ns / 1e9) : 0.0);
    wl_json_double(&j, "write_mb_per_s",
                   ns ? (double)(total * o.block) / 1e6 / ((double)ns / 1e9) : 0.0);
    wl_json_u64(&j, "failed_jobs", (uint64_t)failed);
    wl_json_emit(&j, STDOUT_FILENO);
    return failed ? 1 : 0;
}
