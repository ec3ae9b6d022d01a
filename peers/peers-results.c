/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* peers-results.c — the peers' results entries (scenario "peers", backend =
 * the peer's name, params {"program", "rootfs"[, "machine"]}) and the ratios
 * against their targets (what each ratio should reach), each with a bootstrap CI of the ratio of
 * medians (the harness's vcb_bootstrap_ratio_ci). Ratios pair like with like: whole commands
 * with whole commands, in-process with in-process; the one exception, the launcher against
 * unshare, says so in its pairing. */
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

static double sub_ab(double a, double b)
{
    return a - b;
}

/* What a ratio is; diff: a difference of medians in ms, not a ratio. */
struct ratio_spec {
    const char *name, *of, *vs, *machine, *pairing, *what; /* of / vs: numerator, denominator */
    const char *unit;                                      /* NULL: a plain ratio */
    double target;                                         /* NAN: none */
    bool diff;
};

/* {name, of, vs, machine, pairing, value, ci95_lo, ci95_hi, [unit,] target, hit, what}, the CI a
 * bootstrap of the ratio (or difference) of medians; NULL if either side is empty. */
static json_t *ratio(const struct ratio_spec *sp, const struct bench_samples *a,
                     const struct bench_samples *b)
{
    double lo = NAN, hi = NAN, scale = sp->diff ? 1.0 / VCB_NS_PER_MS : 1.0;
    double (*f)(double, double) = sp->diff ? sub_ab : div_ab;
    if (!a->n || !b->n)
        return NULL;
    double v = f(vcb_median(a->v, a->n), vcb_median(b->v, b->n)) * scale;
    vcb_bootstrap_ratio_ci(a->v, a->n, b->v, b->n, f, VCB_STATS_SEED, VCB_BOOTSTRAP_B, &lo, &hi);
    json_t *r = json_pack(
        "{s:s, s:s, s:s?, s:s?, s:s, s:o, s:o, s:o, s:o, s:o, s:s}", "name", sp->name, "of", sp->of,
        "vs", sp->vs, "machine", sp->machine, "pairing", sp->pairing, "value", num_or_null(v),
        "ci95_lo", num_or_null(lo * scale), "ci95_hi", num_or_null(hi * scale), "target",
        isfinite(sp->target) ? json_real(sp->target) : json_null(), "hit",
        isfinite(sp->target) && isfinite(v) ? json_boolean(v <= sp->target) : json_null(), "what",
        sp->what);
    if (r && (sp->diff || sp->unit))
        json_object_set_new(r, "unit", json_string(sp->diff ? "ms" : sp->unit));
    return r;
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

/* The runtime's time less the wrapper's in the same round, for every round
 * both have a sample of (rounds are recorded in ascending order). */
static int minus_wrapper(const struct peers_arm *rt, const struct peers_arm *w,
                         struct bench_samples *out)
{
    for (size_t i = 0, j = 0; i < rt->s.n && j < w->s.n;) {
        if (rt->round.v[i] < w->round.v[j])
            i++;
        else if (rt->round.v[i] > w->round.v[j])
            j++;
        else if (bench_samples_add(out, rt->s.v[i++] - w->s.v[j++]) < 0)
            return -1;
    }
    return 0;
}

/* vcbench launch against an OCI runtime. On a hybrid host the runtime only
 * runs inside the unshare + sh + umount wrapper: the raw ratio is kept
 * (without a target) beside the fair one, the runtime less the wrapper
 * timed in the same round, which carries the target. */
static void ratios_oci(struct peers_ctx *pc, json_t *out, const char *rt, double target)
{
    struct peers_arm *l = arm(pc, "vcbench-launch"), *r = arm(pc, rt);
    struct peers_arm *w = arm(pc, "wrapper-umount");
    char name[96];
    snprintf(name, sizeof name, "vcbench-launch / %s%s", rt, pc->cg_hybrid ? " (wrapped)" : "");
    struct ratio_spec sp = {.name = name,
                            .of = "vcbench-launch",
                            .vs = rt,
                            .pairing = PEERS_PAIR_WHOLE,
                            .what = "median start_to_exit ratio, both whole commands",
                            .target = pc->cg_hybrid ? NAN : target};
    push(out, ratio(&sp, &l->s, &r->s));
    if (!pc->cg_hybrid)
        return;
    struct bench_samples own = {0};
    snprintf(name, sizeof name, "vcbench-launch / (%s - wrapper-umount)", rt);
    sp.target = target;
    sp.what = "median start_to_exit ratio, both whole commands; from the runtime, the "
              "unshare+sh+umount wrapper this hybrid host forces on it, timed alone in the "
              "same round, subtracted";
    if (minus_wrapper(r, w, &own) == 0)
        push(out, ratio(&sp, &l->s, &own));
    bench_samples_free(&own);
}

/* One ratio of two whole commands' start_to_exit medians. */
static void ratio_whole(struct peers_ctx *pc, json_t *out, const char *of, const char *vs,
                        double target)
{
    char name[96];
    snprintf(name, sizeof name, "%s / %s", of, vs);
    struct ratio_spec sp = {.name = name,
                            .of = of,
                            .vs = vs,
                            .pairing = PEERS_PAIR_WHOLE,
                            .what = "median start_to_exit ratio, both whole commands",
                            .target = target};
    push(out, ratio(&sp, &arm(pc, of)->s, &arm(pc, vs)->s));
}

/* A command's own start-up and exit: its median less /bin/true's, in ms. */
static void diff_true(struct peers_ctx *pc, json_t *out, const char *of, double target_ms)
{
    char name[96];
    snprintf(name, sizeof name, "%s - true", of);
    struct ratio_spec sp = {.name = name,
                            .of = of,
                            .vs = "true",
                            .pairing = PEERS_PAIR_WHOLE,
                            .what = "difference of median start_to_exit (ms): the command's own "
                                    "start-up and exit above the least a command costs",
                            .target = target_ms,
                            .diff = true};
    push(out, ratio(&sp, &arm(pc, of)->s, &arm(pc, "true")->s));
}

/* Whole commands against whole commands: spawn -> waitpid on both sides. */
static void ratios_whole(struct peers_ctx *pc, json_t *out)
{
    ratios_oci(pc, out, "crun", 0.5);
    ratio_whole(pc, out, "vcbench-launch", "bwrap", 1.0);
    ratios_oci(pc, out, "runc", NAN);
    ratio_whole(pc, out, "vcbench-launch", "unshare", NAN);
    diff_true(pc, out, "vcbench-version", 5.0);
    diff_true(pc, out, "vcbench-help", 5.0);
}

static void ratios_ct(struct peers_ctx *pc, json_t *out)
{
    struct peers_arm *l = arm(pc, "launcher");
    ratios_whole(pc, out);
    struct ratio_spec sp = {.name = "launcher / clone-floor",
                            .of = "launcher",
                            .vs = "clone-floor",
                            .pairing = PEERS_PAIR_INPROC,
                            .what = "median start_to_exit ratio, both in-process",
                            .target = 1.2};
    push(out, ratio(&sp, &l->s, &arm(pc, "clone-floor")->s));
    sp = (struct ratio_spec){.name = "launcher / unshare",
                             .of = "launcher",
                             .vs = "unshare",
                             .pairing = PEERS_PAIR_MIXED,
                             .what = "median start_to_exit ratio: the launcher in-process against "
                                     "the whole unshare command (its exec and start-up "
                                     "included), as the launcher's target is set; "
                                     "vcbench-launch / unshare pairs them fairly",
                             .target = 1.0};
    push(out, ratio(&sp, &l->s, &arm(pc, "unshare")->s));
    if (l->pss.n) {
        double v = vcb_median(l->pss.v, l->pss.n);
        push(out, json_pack("{s:s, s:s, s:s, s:f, s:s, s:f, s:b, s:I, s:s}", "name",
                            "launcher resident PSS per instance (MiB)", "of", "launcher-resident",
                            "pairing", PEERS_PAIR_MEM, "value", v / MIB, "unit", "MiB", "target",
                            1.0, "hit", v <= MIB, "helper_processes",
                            (json_int_t)pc->launcher_helpers, "what",
                            "no helper process stays beside a container (helper PSS 0); value = "
                            "the launcher process's own PSS growth per running idle instance"));
    }
}

static void ratios_vm(struct peers_ctx *pc, json_t *out)
{
    /* a median in MiB, with its CI, as the ratio to a constant 1 MiB */
    double mib = MIB;
    const struct bench_samples one_mib = {.v = &mib, .n = 1};
    for (size_t i = 0; i + 1 < pc->nvm; i += 2) {
        struct peers_vm_arm *ours = &pc->vm[i], *bare = &pc->vm[i + 1];
        char name[64];
        struct ratio_spec sp = {.name = name,
                                .of = "vm-libvirt",
                                .vs = "qemu",
                                .machine = ours->machine,
                                .pairing = PEERS_PAIR_VM,
                                .what = "median create_to_ready ratio",
                                .target = 1.05};
        snprintf(name, sizeof name, "vm-libvirt / qemu create_to_ready (%s)", ours->machine);
        push(out, ratio(&sp, &ours->ready, &bare->ready));
        snprintf(name, sizeof name, "vm-libvirt / qemu create_to_gone (%s)", ours->machine);
        sp.what = "median create_to_gone ratio";
        push(out, ratio(&sp, &ours->gone, &bare->gone));
        /* Where create_to_ready's difference lies: before the guest's clock
         * started (the toolstack) or in the guest's own boot (≈ 1 when the
         * guest runs as fast under libvirt). No target: they explain it. */
        sp.target = NAN;
        snprintf(name, sizeof name, "vm-libvirt / qemu pre_guest_clock (%s)", ours->machine);
        sp.what = "median pre_guest_clock ratio: create -> @vcb init less the guest's clock";
        push(out, ratio(&sp, &ours->before_guest, &bare->before_guest));
        snprintf(name, sizeof name, "vm-libvirt / qemu guest_to_init (%s)", ours->machine);
        sp.what = "median guest_to_init ratio: the guest's clock at @vcb init";
        push(out, ratio(&sp, &ours->guest_clock, &bare->guest_clock));
        snprintf(name, sizeof name, "vm-libvirt / qemu idle PSS (%s)", ours->machine);
        sp.of = "vm-libvirt-resident";
        sp.pairing = PEERS_PAIR_MEM;
        sp.what = "median qemu PSS ratio, idle guest, settled";
        sp.target = NAN;
        push(out, ratio(&sp, &ours->pss, &bare->pss));
        snprintf(name, sizeof name, "vm-libvirt idle PSS, settled (%s)", ours->machine);
        sp.vs = NULL;
        sp.what = "median settled qemu PSS of an idle guest through our driver, in MiB";
        sp.target = PEERS_IDLE_PSS_MIB;
        sp.unit = "MiB";
        push(out, ratio(&sp, &ours->pss, &one_mib));
    }
}

json_t *peers_ratios(struct peers_ctx *pc)
{
    json_t *out = json_array();
    ratios_ct(pc, out);
    ratios_vm(pc, out);
    return out;
}
