/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* peers-mem.c — an idle guest's host cost as it settles: qemu's PSS read
 * once a second from 1 s after ready. A guest with free page reporting
 * gives freed pages back only after its kernel's 2 s wait, and KSM merges
 * pages at its scan rate, so the 1 s figure is kept beside the settled one
 * and the time it took. Both VM arms read the same way. */
#include <math.h>

#include "peers.h"

/* Spread of the last PEERS_SETTLE_READS readings. */
static double spread(const double *last)
{
    double lo = last[0], hi = last[0];
    for (int i = 1; i < PEERS_SETTLE_READS; i++) {
        lo = fmin(lo, last[i]);
        hi = fmax(hi, last[i]);
    }
    return hi - lo;
}

int peers_mem_settle(struct peers_vm_arm *a, uint64_t ready_ns, peers_pss_fn read, void *ctx,
                     char *why, size_t len)
{
    double last[PEERS_SETTLE_READS], first = 0;
    uint64_t at[PEERS_SETTLE_READS];
    for (unsigned k = 1; k <= PEERS_SETTLE_MAX_S; k++) {
        uint64_t due = ready_ns + k * VCB_NS_PER_S, now = vcb_now_ns(), pss;
        if (due > now)
            bench_pause(due - now);
        if (bench_stop_signal())
            return snprintf(why, len, "stopped"), -1;
        if (read(ctx, &pss, why, len) < 0)
            return -1;
        size_t slot = (k - 1) % PEERS_SETTLE_READS;
        last[slot] = (double)pss;
        at[slot] = vcb_now_ns() - ready_ns;
        first = k == 1 ? (double)pss : first;
        bool settled = k >= PEERS_SETTLE_READS && spread(last) <= PEERS_SETTLE_BAND;
        if (!settled && k < PEERS_SETTLE_MAX_S)
            continue;
        /* settled: when the level was first reached (the window's oldest
         * reading); at the bound: the bound */
        uint64_t t = settled ? at[k % PEERS_SETTLE_READS] : at[slot];
        a->at_bound += !settled;
        if (bench_samples_add(&a->pss, (double)pss) < 0 ||
            bench_samples_add(&a->pss_1s, first) < 0 ||
            bench_samples_add(&a->settle, (double)t) < 0)
            return snprintf(why, len, "out of memory"), -1;
        return 0;
    }
    return snprintf(why, len, "no reading"), -1; /* not reached */
}
