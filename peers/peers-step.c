/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* peers-step.c — what every peer's sample takes from the run: the next
 * instance name, and a step of the progress bar. The arms call these; the
 * loop calls the arms: never the other way round. */
#include "peers.h"

void peers_progress(struct peers_ctx *pc, unsigned weight, const char *what, const char *peer,
                    unsigned i, unsigned n)
{
    struct bench_progress *p = &pc->session.progress;
    p->done = p->done + weight - 1 < p->total ? p->done + weight - 1 : p->done;
    bench_progress_step(p, what, peer, i, n);
}

void peers_next_name(struct peers_ctx *pc, char out[VCB_NAME_MAX])
{
    vcb_instance_name(pc->bctx.run_id, pc->bctx.next_instance++, out);
}
