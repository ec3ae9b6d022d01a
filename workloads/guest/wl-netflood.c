/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wl-netflood — the network aggressor: one TCP stream to its peer (a
 * sink), bounded in bytes (--bytes) and time (--duration), stopped early by
 * SIGTERM like the other aggressors; it reports what it sent and its rate
 * (MB/s, 10^6 bytes). */
#include <stdio.h>
#include <unistd.h>

#include "guest-net.h"

static const struct wl_prog prog = {
    "netflood", "netflood --peer ADDR:PORT [--duration D] [--bytes SIZE]\n"
                "  --peer ADDR:PORT  the sink the host started for this instance\n"
                "  --duration D      how long at most (default 10s)\n"
                "  --bytes SIZE      how much at most (default 64GiB)"};

#define CONNECT_WAIT (10 * WL_NS_PER_S)

int main(int argc, char **argv)
{
    struct sockaddr_in peer;
    const char *peer_text = NULL, *v;
    uint64_t duration = 10 * WL_NS_PER_S, max = 64ULL << 30, bytes = 0, ns = 0;
    wl_handle_help(&prog, argc, argv);
    for (int i = 1; i < argc; i++) {
        if (wl_opt(&prog, argc, argv, &i, "--peer", &v)) {
            if (wl_net_parse_addr(v, &peer) < 0)
                wl_usage_fail(&prog, "--peer: expected IPv4:PORT, got '%s'", v);
            peer_text = v;
        } else if (wl_opt(&prog, argc, argv, &i, "--duration", &v))
            duration = wl_opt_duration(&prog, "--duration", v);
        else if (wl_opt(&prog, argc, argv, &i, "--bytes", &v))
            max = wl_opt_size(&prog, "--bytes", v);
        else
            wl_usage_fail(&prog, "unexpected argument '%s'", argv[i]);
    }
    if (!peer_text)
        wl_usage_fail(&prog, "--peer is required (the host adds it when it starts the peer)");
    if (duration == 0 || max == 0)
        wl_usage_fail(&prog, "--duration and --bytes must be > 0");
    wl_stop_signals_block();
    int fd = wl_net_connect(&peer, WL_NET_MODE_SINK, wl_deadline_after(CONNECT_WAIT));
    if (fd < 0) {
        fprintf(stderr, "netflood: connect to %s: %m\n", peer_text);
        return 1;
    }
    wl_emit_ready();
    if (wl_net_stream(fd, wl_deadline_after(duration), max, &bytes, &ns) < 0) {
        fprintf(stderr, "netflood: stream to %s: %m\n", peer_text);
        return 1;
    }
    struct wl_json j;
    wl_json_begin(&j, NULL, prog.name);
    wl_json_str(&j, "peer", peer_text);
    wl_json_u64(&j, "bytes", bytes);
    wl_json_double(&j, "mb_per_s", ns ? (double)bytes / 1e6 / ((double)ns / 1e9) : 0.0);
    wl_json_emit(&j, STDOUT_FILENO);
    return 0;
}
