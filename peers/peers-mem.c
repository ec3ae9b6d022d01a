/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* peers-mem.c — an idle guest's host cost as it settles: qemu's PSS read
 * once a second from 1 s after ready. A guest with free page reporting
 * gives freed pages back only after its kernel's 2 s wait, and KSM merges
 * pages at its scan rate, so the 1 s figure is kept beside the settled one
 * and the time it took. Both VM arms read the same way. */
#include <math.h>
#include <stdint.h>

#include "peers.h"

/* Spread of the n readings before (and at) slot k of the ring. */
static double spread(const double *ring, unsigned k, unsigned n)
{
    double lo = ring[k % PEERS_SETTLE_CAP_S], hi = lo;
    for (unsigned i = 1; i < n; i++) {
        lo = fmin(lo, ring[(k - i) % PEERS_SETTLE_CAP_S]);
        hi = fmax(hi, ring[(k - i) % PEERS_SETTLE_CAP_S]);
    }
    return hi - lo;
}

int peers_mem_settle(const struct peers_ctx *pc, struct peers_vm_arm *a, uint64_t ready_ns,
                     peers_pss_fn read, void *ctx, char *why, size_t len)
{
    double ring[PEERS_SETTLE_CAP_S];
    uint64_t at[PEERS_SETTLE_CAP_S];
    unsigned span = pc->settle_span_s ? pc->settle_span_s : PEERS_SETTLE_SPAN_S;
    unsigned reads = span + 1, bound = span + PEERS_SETTLE_MORE_S;
    reads = reads < PEERS_SETTLE_CAP_S ? reads : PEERS_SETTLE_CAP_S;
    bound = bound < PEERS_SETTLE_CAP_S ? bound : PEERS_SETTLE_CAP_S;
    for (unsigned k = 1; k <= bound; k++) {
        uint64_t due = ready_ns + k * VCB_NS_PER_S, now = vcb_now_ns(), pss;
        if (due > now)
            bench_pause(due - now);
        if (bench_stop_signal())
            return snprintf(why, len, "stopped"), -1;
        if (read(ctx, &pss, why, len) < 0)
            return -1;
        ring[k % PEERS_SETTLE_CAP_S] = (double)pss;
        at[k % PEERS_SETTLE_CAP_S] = vcb_now_ns() - ready_ns;
        bool settled = k >= reads && spread(ring, k, reads) <= PEERS_SETTLE_BAND;
        if (!settled && k < bound)
            continue;
        /* settled: when the level was first read (the span's oldest
         * reading); at the bound: the bound */
        uint64_t t = at[(settled ? k + 1 - reads : k) % PEERS_SETTLE_CAP_S];
        a->at_bound += !settled;
        if (bench_samples_add(&a->pss, (double)pss) < 0 ||
            bench_samples_add(&a->pss_1s, ring[1]) < 0 ||
            bench_samples_add(&a->settle, (double)t) < 0)
            return snprintf(why, len, "out of memory"), -1;
        return 0;
    }
    return snprintf(why, len, "no reading"), -1; /* bound >= 1: not reached */
}
