/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wl-netio — network throughput and latency against a peer (netperf's
 * TCP_STREAM and TCP_RR, in one binary): a TCP stream to a sink for the
 * first half of --duration, MB/s (10^6 bytes) and Mbit/s counted up to the
 * peer's close; then one-byte request/response transactions for the
 * second half, per second with latency p50/p99. `--serve ADDR` is the
 * peer itself (net-serve.c), which the host starts beside each instance. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guest-net.h"

static const struct wl_prog prog = {
    "netio", "netio --peer ADDR:PORT [--duration D] | netio --serve ADDR\n"
             "  --peer ADDR:PORT  the peer (IPv4) the host started for this instance\n"
             "  --duration D      stream for half, request/response for half (default 2s)\n"
             "  --serve ADDR      be the peer: listen on ADDR, an ephemeral port"};

#define RR_SAMPLES_MAX (1u << 20)
#define CONNECT_WAIT   (10 * WL_NS_PER_S)

struct netio_opts {
    struct sockaddr_in peer;
    const char *peer_text;
    uint64_t duration;
};

struct rr_stats {
    uint64_t count, elapsed_ns;
    uint64_t *samples;
    size_t n;
};

static struct netio_opts parse_args(int argc, char **argv)
{
    struct netio_opts o = {.duration = 2 * WL_NS_PER_S};
    const char *v;
    wl_handle_help(&prog, argc, argv);
    if (argc == 3 && strcmp(argv[1], "--serve") == 0)
        exit(wl_net_serve(argv[2]));
    for (int i = 1; i < argc; i++) {
        if (wl_opt(&prog, argc, argv, &i, "--peer", &v)) {
            if (wl_net_parse_addr(v, &o.peer) < 0)
                wl_usage_fail(&prog, "--peer: expected IPv4:PORT, got '%s'", v);
            o.peer_text = v;
        } else if (wl_opt(&prog, argc, argv, &i, "--duration", &v))
            o.duration = wl_opt_duration(&prog, "--duration", v);
        else
            wl_usage_fail(&prog, "unexpected argument '%s'", argv[i]);
    }
    if (!o.peer_text)
        wl_usage_fail(&prog, "--peer is required (the host adds it when it starts the peer)");
    if (o.duration < 2 * WL_NS_PER_MS)
        wl_usage_fail(&prog, "--duration must be at least 2ms");
    return o;
}

/* One byte out, one back, until deadline or a stop signal. */
static int rr_run(int fd, uint64_t deadline_ns, struct rr_stats *st)
{
    char c = 'r';
    uint64_t t0 = wl_now_ns(), now = t0;
    while (now < deadline_ns) {
        if (wl_write_all(fd, &c, 1) < 0 || read(fd, &c, 1) != 1)
            return -1;
        uint64_t t = wl_now_ns();
        if (st->n < RR_SAMPLES_MAX)
            st->samples[st->n++] = t - now;
        now = t;
        if ((++st->count & 255) == 0 && wl_stop_requested())
            break;
    }
    st->elapsed_ns = now - t0;
    return 0;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static uint64_t percentile(const uint64_t *s, size_t n, unsigned pct)
{
    size_t rank = (n * pct + 99) / 100;
    return n ? s[rank ? rank - 1 : 0] : 0;
}

static int fail(const char *what, const struct netio_opts *o)
{
    fprintf(stderr, "netio: %s %s: %m\n", what, o->peer_text);
    return 1;
}

static void emit(const struct netio_opts *o, uint64_t bytes, uint64_t stream_ns,
                 struct rr_stats *rr)
{
    struct wl_json j;
    double s = stream_ns ? (double)stream_ns / 1e9 : 1.0;
    qsort(rr->samples, rr->n, sizeof *rr->samples, cmp_u64);
    wl_json_begin(&j, NULL, prog.name);
    wl_json_str(&j, "peer", o->peer_text);
    wl_json_u64(&j, "stream_bytes", bytes);
    wl_json_double(&j, "stream_mb_per_s", (double)bytes / 1e6 / s);
    wl_json_double(&j, "stream_mbit_per_s", (double)bytes * 8 / 1e6 / s);
    wl_json_u64(&j, "rr_count", rr->count);
    wl_json_double(&j, "rr_per_s",
                   rr->elapsed_ns ? (double)rr->count / ((double)rr->elapsed_ns / 1e9) : 0.0);
    wl_json_u64(&j, "rr_p50_ns", percentile(rr->samples, rr->n, 50));
    wl_json_u64(&j, "rr_p99_ns", percentile(rr->samples, rr->n, 99));
    wl_json_emit(&j, STDOUT_FILENO);
}

int main(int argc, char **argv)
{
    struct netio_opts o = parse_args(argc, argv);
    struct rr_stats rr = {.samples = calloc(RR_SAMPLES_MAX, sizeof(uint64_t))};
    uint64_t bytes = 0, stream_ns = 0;
    if (!rr.samples)
        return fail("cannot allocate samples for", &o);
    wl_stop_signals_block();
    int fd = wl_net_connect(&o.peer, WL_NET_MODE_SINK, wl_deadline_after(CONNECT_WAIT));
    if (fd < 0)
        return fail("connect to", &o);
    wl_emit_ready();
    uint64_t t0 = wl_now_ns(), half = o.duration / 2;
    if (wl_net_stream(fd, t0 + half, UINT64_MAX, &bytes, &stream_ns) < 0)
        return fail("stream to", &o);
    close(fd);
    if (!wl_stop_requested()) {
        fd = wl_net_connect(&o.peer, WL_NET_MODE_ECHO, wl_deadline_after(CONNECT_WAIT));
        if (fd < 0 || rr_run(fd, wl_now_ns() + half, &rr) < 0)
            return fail("request/response with", &o);
        close(fd);
    }
    emit(&o, bytes, stream_ns, &rr);
    free(rr.samples);
    return 0;
}
