/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* guest-net.h — what netio, netflood and netio's peer share: the peer's
 * address, connecting with the mode byte, and the two modes. */
#ifndef WL_GUEST_NET_H
#define WL_GUEST_NET_H

#include <netinet/in.h>
#include <stdint.h>

#include "guest.h"

/* The first byte a client sends says what the peer does with the rest. */
#define WL_NET_MODE_SINK 'S' /* read and discard until EOF, then close */
#define WL_NET_MODE_ECHO 'E' /* write back every byte read */

/* "A.B.C.D:PORT" (IPv4, port 1-65535); -1 when it is not that. */
int wl_net_parse_addr(const char *s, struct sockaddr_in *out);
/* A connected TCP socket with the mode byte sent; connects again until
 * deadline_ns while the peer refuses or is unreachable (a guest's link may
 * come up after its workload starts). -1 with errno. */
int wl_net_connect(const struct sockaddr_in *peer, char mode, uint64_t deadline_ns);
/* Stream to a sink connection until deadline_ns, max_bytes or a stop
 * signal, then half-close and wait for the peer's close, so the time
 * covers every byte the peer read. The bytes sent and the time from the
 * first write to the peer's close; -1 with errno on a failed write. */
int wl_net_stream(int fd, uint64_t deadline_ns, uint64_t max_bytes, uint64_t *bytes,
                  uint64_t *elapsed_ns);
/* Serve the peer's side on addr (port 0: one the kernel picks): print
 * "port N" on stdout once listening, then sink or echo every connection
 * until a stop signal. Returns the exit status. */
int wl_net_serve(const char *addr);

#endif
