/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* peers-loop.c — the interleaved rounds: every round runs each peer once
 * (A B C … A B C …), so a host that drifts during the run shifts every peer
 * alike instead of biasing whichever ran last. Warm-up rounds are discarded.
 * A peer that fails 3 times in a row with no sample yet is given up. */
#include <string.h>

#include "peers.h"

#define GIVE_UP_AFTER 3

static bool ct_runs(const struct peers_arm *a)
{
    return a->enabled && !a->skip[0] && !(a->fails >= GIVE_UP_AFTER && a->s.n == 0);
}

static void ct_sample(struct peers_ctx *pc, struct peers_arm *a, bool warm)
{
    char why[PEERS_WHY_MAX] = "";
    uint64_t ns = 0;
    size_t gone_n = a->gone.n;
    int rc = a->once(pc, a, &ns, why, sizeof why);
    if (warm) {
        a->gone.n = gone_n; /* warm-ups count for nothing */
        if (rc == 0)
            return;
    }
    if (rc == 0 && bench_samples_add(&a->s, (double)ns) == 0) {
        if (bench_samples_add(&a->round, (double)pc->round) == 0)
            return;
        a->s.n--; /* a sample without its round cannot be paired */
        snprintf(why, sizeof why, "out of memory");
    }
    a->fails++;
    if (!a->first_fail[0])
        snprintf(a->first_fail, sizeof a->first_fail, "%s", why[0] ? why : "failed");
}

int peers_loop_ct(struct peers_ctx *pc)
{
    unsigned rounds = pc->o->warmup + pc->o->runs;
    for (unsigned r = 0; r < rounds && !bench_stop_signal(); r++) {
        bool warm = r < pc->o->warmup;
        pc->round = r;
        for (size_t i = 0; i < pc->nct && !bench_stop_signal(); i++) {
            struct peers_arm *a = &pc->ct[i];
            if (!ct_runs(a))
                continue;
            ct_sample(pc, a, warm);
            bench_progress_step(&pc->session.progress, warm ? "peers warm-up" : "peers", a->name,
                                warm ? r + 1 : r + 1 - pc->o->warmup,
                                warm ? pc->o->warmup : pc->o->runs);
        }
    }
    if (pc->with_mem && !bench_stop_signal())
        peers_launcher_memory(pc);
    return 0;
}

static bool vm_runs(const struct peers_ctx *pc, const struct peers_vm_arm *a, bool mem)
{
    if (pc->vm_skip[0] || a->skip[0] || !(mem ? a->mem : a->enabled))
        return false;
    size_t have = mem ? a->pss.n : a->ready.n;
    return !(a->fails >= GIVE_UP_AFTER && have == 0);
}

static void vm_sample(struct peers_ctx *pc, struct peers_vm_arm *a, bool idle, bool warm)
{
    char why[PEERS_WHY_MAX] = "";
    size_t nr = a->ready.n, ng = a->gone.n, nc = a->guest_clock.n, nb = a->before_guest.n;
    bool ours = !strcmp(a->name, "vm-libvirt");
    int rc = ours ? peers_vm_once(pc, a, idle, why, sizeof why)
                  : peers_qemu_once(pc, a, idle, why, sizeof why);
    if (warm) {
        a->ready.n = nr;
        a->gone.n = ng;
        a->guest_clock.n = nc;
        a->before_guest.n = nb;
    }
    if (rc < 0 && !bench_stop_signal()) {
        a->fails++;
        if (!a->first_fail[0])
            snprintf(a->first_fail, sizeof a->first_fail, "%s", why[0] ? why : "failed");
    }
}

/* One warm-up round (the first boot pays for page cache and libvirt's
 * capability probing), then vm_runs timed rounds, then the idle PSS rounds
 * under --ksm's setting. */
int peers_loop_vm(struct peers_ctx *pc)
{
    unsigned rounds = 1 + pc->o->vm_runs;
    for (unsigned r = 0; r < rounds && !bench_stop_signal(); r++)
        for (size_t i = 0; i < pc->nvm && !bench_stop_signal(); i++) {
            struct peers_vm_arm *a = &pc->vm[i];
            if (!vm_runs(pc, a, false))
                continue;
            char label[48];
            snprintf(label, sizeof label, "%s %s", a->name, a->machine);
            vm_sample(pc, a, false, r == 0);
            peers_progress(pc, PEERS_VM_WEIGHT, r == 0 ? "peers warm-up" : "peers", label,
                           r == 0 ? 1 : r, r == 0 ? 1 : pc->o->vm_runs);
        }
    peers_ksm_apply(pc); /* what --ksm asks, for these rows alone */
    for (unsigned r = 0; r < pc->o->mem_runs && !pc->ksm_why[0] && !bench_stop_signal(); r++)
        for (size_t i = 0; i < pc->nvm && !bench_stop_signal(); i++) {
            struct peers_vm_arm *a = &pc->vm[i];
            if (!vm_runs(pc, a, true))
                continue;
            char label[48];
            snprintf(label, sizeof label, "%s %s idle PSS", a->name, a->machine);
            vm_sample(pc, a, true, false);
            peers_progress(pc, PEERS_VM_WEIGHT, "peers", label, r + 1, pc->o->mem_runs);
        }
    peers_ksm_restore(pc); /* also after a stop request: the rows end the same way */
    return 0;
}
