/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* peers-results.c — the peers' results entries (scenario "peers", backend =
 * the peer's name, params {"program", "rootfs"[, "machine"]}) and the ratios
 * against their targets (what each ratio should reach), each with a bootstrap CI of the ratio of
 * medians (the harness's vcb_bootstrap_ratio_ci). */
#include <math.h>
#include <string.h>

#include "peers.h"

#define MIB (1024.0 * 1024.0)

static double div_ab(double a, double b)
{
    return b != 0 ? a / b : NAN;
}

static json_t *num_or_null(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

/* {name, of, machine, value, ci95_lo, ci95_hi, target, hit, what}; NULL if either side is empty. */
static json_t *ratio(const char *name, const char *of, const char *machine,
                     const struct bench_samples *a, const struct bench_samples *b, double target,
                     const char *what)
{
    double lo = NAN, hi = NAN;
    if (!a->n || !b->n)
        return NULL;
    double v = div_ab(vcb_median(a->v, a->n), vcb_median(b->v, b->n));
    vcb_bootstrap_ratio_ci(a->v, a->n, b->v, b->n, div_ab, VCB_STATS_SEED, VCB_BOOTSTRAP_B, &lo,
                           &hi);
    return json_pack(
        "{s:s, s:s, s:s?, s:o, s:o, s:o, s:o, s:o, s:s}", "name", name, "of", of, "machine",
        machine, "value", num_or_null(v), "ci95_lo", num_or_null(lo), "ci95_hi", num_or_null(hi),
        "target", isfinite(target) ? json_real(target) : json_null(), "hit",
        isfinite(target) && isfinite(v) ? json_boolean(v <= target) : json_null(), "what", what);
}

static void push(json_t *arr, json_t *r)
{
    if (r)
        json_array_append_new(arr, r);
}

static struct peers_arm *arm(struct peers_ctx *pc, const char *name)
{
    for (size_t i = 0; i < pc->nct; i++)
        if (!strcmp(pc->ct[i].name, name))
            return &pc->ct[i];
    return NULL;
}

/* crun minus the measured wrapper (hybrid host only): medians, no CI. */
static json_t *ratio_adjusted(struct peers_ctx *pc, const char *rt, double target)
{
    struct peers_arm *l = arm(pc, "launcher"), *r = arm(pc, rt), *w = arm(pc, "wrapper-umount");
    if (!pc->cg_hybrid || !l->s.n || !r->s.n || !w->s.n)
        return NULL;
    double own = vcb_median(r->s.v, r->s.n) - vcb_median(w->s.v, w->s.n);
    double v = own > 0 ? vcb_median(l->s.v, l->s.n) / own : NAN;
    char name[64];
    snprintf(name, sizeof name, "launcher / (%s - wrapper-umount)", rt);
    return json_pack("{s:s, s:s, s:o, s:n, s:n, s:o, s:o, s:s}", "name", name, "of", "launcher",
                     "value", num_or_null(v), "ci95_lo", "ci95_hi", "target",
                     isfinite(target) ? json_real(target) : json_null(), "hit",
                     isfinite(target) && isfinite(v) ? json_boolean(v <= target) : json_null(),
                     "what",
                     "median start_to_exit; the unshare+sh+umount wrapper this hybrid "
                     "host forces on the runtime subtracted from it");
}

static void ratios_ct(struct peers_ctx *pc, json_t *out)
{
    struct peers_arm *l = arm(pc, "launcher");
    const char *what = "median start_to_exit ratio";
    push(out, ratio("launcher / crun", "launcher", NULL, &l->s, &arm(pc, "crun")->s, 0.5, what));
    push(out, ratio_adjusted(pc, "crun", 0.5));
    push(out, ratio("launcher / clone-floor", "launcher", NULL, &l->s, &arm(pc, "clone-floor")->s,
                    1.5, what));
    push(out, ratio("launcher / runc", "launcher", NULL, &l->s, &arm(pc, "runc")->s, NAN, what));
    push(out, ratio_adjusted(pc, "runc", NAN));
    push(out, ratio("launcher / bwrap", "launcher", NULL, &l->s, &arm(pc, "bwrap")->s, NAN, what));
    push(out,
         ratio("launcher / unshare", "launcher", NULL, &l->s, &arm(pc, "unshare")->s, NAN, what));
    push(out, ratio("launcher / spawn", "launcher", NULL, &l->s, &arm(pc, "spawn")->s, NAN, what));
    if (l->pss.n) {
        double v = vcb_median(l->pss.v, l->pss.n);
        push(out, json_pack("{s:s, s:s, s:f, s:s, s:f, s:b, s:I, s:s}", "name",
                            "launcher resident PSS per instance (MiB)", "of", "launcher-resident",
                            "value", v / MIB, "unit", "MiB", "target", 1.0, "hit", v <= MIB,
                            "helper_processes", (json_int_t)pc->launcher_helpers, "what",
                            "no helper process stays beside a container (helper PSS 0); value = "
                            "the launcher process's own PSS growth per running idle instance"));
    }
}

static void ratios_vm(struct peers_ctx *pc, json_t *out)
{
    for (size_t i = 0; i + 1 < pc->nvm; i += 2) {
        struct peers_vm_arm *ours = &pc->vm[i], *bare = &pc->vm[i + 1];
        char name[64];
        snprintf(name, sizeof name, "vm-libvirt / qemu create_to_ready (%s)", ours->machine);
        push(out, ratio(name, "vm-libvirt", ours->machine, &ours->ready, &bare->ready, 1.15,
                        "median create_to_ready ratio"));
        snprintf(name, sizeof name, "vm-libvirt / qemu create_to_gone (%s)", ours->machine);
        push(out, ratio(name, "vm-libvirt", ours->machine, &ours->gone, &bare->gone, 1.15,
                        "median create_to_gone ratio"));
        snprintf(name, sizeof name, "vm-libvirt / qemu idle PSS (%s)", ours->machine);
        push(out, ratio(name, "vm-libvirt-resident", ours->machine, &ours->pss, &bare->pss, NAN,
                        "median qemu PSS ratio, idle guest"));
    }
}

json_t *peers_ratios(struct peers_ctx *pc)
{
    json_t *out = json_array();
    ratios_ct(pc, out);
    ratios_vm(pc, out);
    return out;
}
