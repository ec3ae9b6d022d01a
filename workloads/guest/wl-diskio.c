/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wl-diskio — disk figures on the instance's scratch volume, with O_DIRECT
 * so the page cache (the host's, or a guest's) is never what is measured:
 * sequential write and read MB/s (1 MiB blocks, wrapping around --size) and
 * 4 KiB random read and write IOPS with per-operation latency p50/p99.
 * --duration is split in four equal phases run in that order: sequential
 * write, sequential read, random read, random write. Every phase covers the
 * first --size bytes of the volume (default: all of it). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guest-scratch.h"

#define SEQ_BLOCK       (1U << 20)
#define RAND_BLOCK      4096U
#define MIN_BYTES       (2ULL * SEQ_BLOCK)
#define LATENCY_SAMPLES (1U << 20) /* per random phase; later ops are counted, not sampled */

static const struct wl_prog prog = {
    "diskio",
    "diskio [--size BYTES] [--duration D] [--device PATH]\n"
    "  --size BYTES   span of the volume used (default: all of it, at least 2MiB)\n"
    "  --duration D   total time, split in 4 phases: seq write, seq read,\n"
    "                 4KiB random read, 4KiB random write (default 4s)\n"
    "  --device PATH  the volume (default: $" WL_SCRATCH_ENV ", else " WL_SCRATCH_PATH ")"};

struct diskio_opts {
    uint64_t size, duration;
    const char *device;
};

struct phase {
    uint64_t ops, bytes, ns;
    uint64_t *lat; /* random phases: one sample per op, up to LATENCY_SAMPLES */
    size_t nlat;
};

static struct diskio_opts parse_args(int argc, char **argv)
{
    struct diskio_opts o = {0, 4 * WL_NS_PER_S, NULL};
    const char *v;
    wl_handle_help(&prog, argc, argv);
    for (int i = 1; i < argc; i++) {
        if (wl_opt(&prog, argc, argv, &i, "--size", &v))
            o.size = wl_opt_size(&prog, "--size", v);
        else if (wl_opt(&prog, argc, argv, &i, "--duration", &v))
            o.duration = wl_opt_duration(&prog, "--duration", v);
        else if (wl_opt(&prog, argc, argv, &i, "--device", &v))
            o.device = v;
        else
            wl_usage_fail(&prog, "unexpected argument '%s'", argv[i]);
    }
    if (o.duration < 4 * WL_NS_PER_MS)
        wl_usage_fail(&prog, "--duration must be at least 4ms (1ms per phase)");
    return o;
}

/* A stop signal, looked for every 64 operations: one syscall each time. */
static bool stop_due(uint64_t ops)
{
    return (ops & 63) == 0 && wl_stop_requested();
}

static void io_failed(const char *what, ssize_t n)
{
    wl_line_fd(STDERR_FILENO, "diskio: %s: %s", what, n < 0 ? strerror(errno) : "short transfer");
    exit(1);
}

static void run_seq(int fd, bool write_, char *buf, uint64_t span, uint64_t ns, struct phase *ph)
{
    uint64_t t0 = wl_now_ns(), end = t0 + ns, off = 0;
    do {
        ssize_t n =
            write_ ? pwrite(fd, buf, SEQ_BLOCK, (off_t)off) : pread(fd, buf, SEQ_BLOCK, (off_t)off);
        if (n != SEQ_BLOCK)
            io_failed(write_ ? "sequential write" : "sequential read", n);
        ph->ops++;
        off = off + SEQ_BLOCK + SEQ_BLOCK > span ? 0 : off + SEQ_BLOCK;
    } while (wl_now_ns() < end && !stop_due(ph->ops));
    ph->bytes = ph->ops * SEQ_BLOCK;
    ph->ns = wl_now_ns() - t0;
}

static void run_rand(int fd, bool write_, char *buf, uint64_t span, uint64_t ns, struct phase *ph)
{
    uint64_t blocks = span / RAND_BLOCK, seed = 0x9E3779B97F4A7C15ULL ^ (write_ ? 1 : 2);
    uint64_t t0 = wl_now_ns(), end = t0 + ns, now = t0;
    ph->lat = malloc(LATENCY_SAMPLES * sizeof(uint64_t));
    if (!ph->lat)
        io_failed("latency samples", -1);
    do {
        off_t off = (off_t)(wl_scratch_rand(&seed) % blocks * RAND_BLOCK);
        uint64_t s = now;
        ssize_t n = write_ ? pwrite(fd, buf, RAND_BLOCK, off) : pread(fd, buf, RAND_BLOCK, off);
        now = wl_now_ns();
        if (n != RAND_BLOCK)
            io_failed(write_ ? "random write" : "random read", n);
        if (ph->nlat < LATENCY_SAMPLES)
            ph->lat[ph->nlat++] = now - s;
        ph->ops++;
    } while (now < end && !stop_due(ph->ops));
    ph->bytes = ph->ops * RAND_BLOCK;
    ph->ns = now - t0;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static uint64_t percentile(const struct phase *ph, unsigned pct)
{
    return ph->nlat ? ph->lat[(ph->nlat - 1) * pct / 100] : 0;
}

static double per_s(uint64_t n, uint64_t ns)
{
    return ns ? (double)n / ((double)ns / 1e9) : 0.0;
}

static void emit(const struct diskio_opts *o, uint64_t span, struct phase ph[4])
{
    static const char *const rnd[2] = {"rand_read", "rand_write"};
    char key[48];
    struct wl_json j;
    wl_json_begin(&j, NULL, prog.name);
    wl_json_u64(&j, "span_bytes", span);
    wl_json_u64(&j, "phase_ns", o->duration / 4);
    wl_json_u64(&j, "seq_block_bytes", SEQ_BLOCK);
    wl_json_u64(&j, "rand_block_bytes", RAND_BLOCK);
    wl_json_bool(&j, "o_direct", true);
    wl_json_double(&j, "seq_write_mb_per_s", per_s(ph[0].bytes, ph[0].ns) / 1e6);
    wl_json_double(&j, "seq_read_mb_per_s", per_s(ph[1].bytes, ph[1].ns) / 1e6);
    for (int i = 0; i < 2; i++) {
        struct phase *p = &ph[2 + i];
        qsort(p->lat, p->nlat, sizeof(uint64_t), cmp_u64);
        snprintf(key, sizeof key, "%s_iops", rnd[i]);
        wl_json_double(&j, key, per_s(p->ops, p->ns));
        snprintf(key, sizeof key, "%s_p50_ns", rnd[i]);
        wl_json_u64(&j, key, percentile(p, 50));
        snprintf(key, sizeof key, "%s_p99_ns", rnd[i]);
        wl_json_u64(&j, key, percentile(p, 99));
    }
    wl_json_emit(&j, STDOUT_FILENO);
}

int main(int argc, char **argv)
{
    struct diskio_opts o = parse_args(argc, argv);
    uint64_t bytes;
    int fd = wl_scratch_open(&prog, o.device, o.size ? o.size : MIN_BYTES, &bytes);
    uint64_t span = o.size ? o.size / WL_SCRATCH_ALIGN * WL_SCRATCH_ALIGN : bytes;
    if (span < MIN_BYTES)
        wl_usage_fail(&prog, "--size must be at least 2MiB");
    char *buf = wl_scratch_buf(&prog, SEQ_BLOCK);
    wl_stop_signals_block();
    wl_emit_ready();
    struct phase ph[4] = {{0}};
    uint64_t slice = o.duration / 4;
    run_seq(fd, true, buf, span, slice, &ph[0]);
    run_seq(fd, false, buf, span, slice, &ph[1]);
    run_rand(fd, false, buf, span, slice, &ph[2]);
    run_rand(fd, true, buf, span, slice, &ph[3]);
    emit(&o, span, ph);
    free(ph[2].lat);
    free(ph[3].lat);
    free(buf);
    close(fd);
    return 0;
}
