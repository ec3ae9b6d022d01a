/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* demo-iso.c — step 4 of the demo, told from the isolation scenario: the
 * victim (`cpu`) alone, then beside `memhog`, then beside a `cpu` loop, on
 * each backend with that backend's limits. Who was hurt is judged against
 * the victim's own solo runs (the scenario's degradation), never against
 * a number we hoped for. */
#include <string.h>
#include <unistd.h>

#include "demo-priv.h"
#include "demo-text.h"
#include "isolation.h"

#define HURT_MIN_PCT 10.0 /* below this a loss is not called hurt */

static const struct iso_params *demo_iso_params(const struct demo *d)
{
    return d->ctx->suite->scen[d->ctx->scen_index].params;
}

static void fmt_ops(double v, char *buf, size_t len)
{
    snprintf(buf, len, "%.1f M", v / 1e6);
}

/* How far apart the solo runs were, in % of their median. */
static double spread_pct(json_t *entry)
{
    json_t *m, *v;
    size_t i, k;
    json_array_foreach(json_object_get(entry, "metrics"), i, m)
    {
        const char *name = json_string_value(json_object_get(m, "name"));
        if (!name || strcmp(name, "victim_score") != 0)
            continue;
        double lo = 0, hi = 0, med = 0;
        json_array_foreach(json_object_get(m, "samples"), k, v)
        {
            double x = json_number_value(v);
            lo = k == 0 || x < lo ? x : lo;
            hi = k == 0 || x > hi ? x : hi;
        }
        demo_metric(entry, "victim_score", &med, NULL);
        return med > 0 ? (hi - lo) / med * 100.0 : 0;
    }
    return 0;
}

static void iso_step_start(struct demo *d)
{
    const struct iso_params *p = demo_iso_params(d);
    char dur[32], ctm[32], ctc[16], vmm[32], vmc[16];
    size_t c = demo_find_kind(d, VCB_ARM_CONTAINER), v = demo_find_kind(d, VCB_ARM_VM);
    vcb_format_duration(p->duration_ns, dur, sizeof(dur));
    demo_say(d, DT_INTRO4, dur);
    if (demo_find_kind(d, VCB_ARM_CONTROL) < d->ctx->nbackends)
        demo_say(d, DT_INTRO4_PROCESS);
    if (c < d->ctx->nbackends) {
        vcb_format_size(d->ctx->backends[c].limits.memory_bytes, ctm, sizeof(ctm));
        snprintf(ctc, sizeof(ctc), "%g", d->ctx->backends[c].limits.cpus);
        demo_say(d, DT_INTRO4_CT, ctm, ctc);
    }
    if (v < d->ctx->nbackends) {
        vcb_format_size(d->ctx->backends[v].limits.memory_bytes, vmm, sizeof(vmm));
        snprintf(vmc, sizeof(vmc), "%g", d->ctx->backends[v].limits.cpus);
        demo_say(d, DT_INTRO4_VM, vmm, vmc);
    }
    demo_say(d, DT_SOLO);
}

/* Entries come cell by cell (alone, then each neighbour); keep them. */
static void iso_entry_kept(struct demo *d, size_t b, json_t *entry)
{
    const struct iso_params *p = demo_iso_params(d);
    const char *ag =
        json_string_value(json_object_get(json_object_get(entry, "params"), "aggressor"));
    size_t cell = 0;
    while (ag && strcmp(ag, "none") != 0 && cell < p->naggressors &&
           strcmp(p->aggressors[cell], ag) != 0)
        cell++;
    if (ag && strcmp(ag, "none") != 0)
        cell++;
    if (cell < sizeof(d->iso) / sizeof(d->iso[0]))
        d->iso[cell][b] = entry;
}

static void say_solo(struct demo *d)
{
    char label[64], t[32], spread[32] = "";
    for (size_t b = 0; b < d->ctx->nbackends; b++) {
        json_t *e = d->iso[0][b];
        double med;
        size_t n;
        if (!e || demo_say_dnf(d, b, e) || !demo_metric(e, "victim_score", &med, &n))
            continue;
        fmt_ops(med, t, sizeof(t));
        spread[0] = 0;
        if (n > 1)
            snprintf(spread, sizeof(spread), DT_SOLO_SPREAD, spread_pct(e));
        demo_say(d, DT_SOLO_ROW, demo_label(d, b, e, label, sizeof(label)), t, n, n == 1 ? "" : "s",
                 spread);
    }
}

/* What became of memhog on this backend, in words. */
static bool say_hog_fate(struct demo *d, size_t b, json_t *e)
{
    const char *outcome = demo_note_string(e, "aggressor_outcome");
    char fate[256];
    if (!outcome)
        return false;
    if (!strcmp(outcome, "oom-killed"))
        snprintf(fate, sizeof(fate), "%s",
                 demo_kind(d, b) == VCB_ARM_VM ? DT_HOG_VM_OOM : DT_HOG_CT_OOM);
    else if (!strcmp(outcome, "mem-capped"))
        snprintf(fate, sizeof(fate), "%s", DT_HOG_CAPPED);
    else if (!strcmp(outcome, "ran"))
        snprintf(fate, sizeof(fate), "%s", DT_HOG_CEILING);
    else
        snprintf(fate, sizeof(fate), DT_HOG_OTHER, outcome);
    demo_say(d, DT_HOG_FATE, "", fate);
    return !strcmp(outcome, "oom-killed") || !strcmp(outcome, "mem-capped");
}

/* The victim beside one neighbour, row by row; loss[b] < 0: not judged. */
static void say_cell(struct demo *d, size_t cell, double *loss, bool *hurt, bool *walled)
{
    const char *ag = demo_iso_params(d)->aggressors[cell - 1];
    char label[64], t[32], verdict[96];
    demo_say(d, DT_BESIDE, ag);
    for (size_t b = 0; b < d->ctx->nbackends; b++) {
        json_t *e = d->iso[cell][b];
        double score, deg, spread = d->iso[0][b] ? spread_pct(d->iso[0][b]) : 0;
        double bar = spread > HURT_MIN_PCT ? spread : HURT_MIN_PCT;
        loss[b] = -1, hurt[b] = walled[b] = false;
        if (!e || demo_say_dnf(d, b, e) || !demo_metric(e, "victim_score", &score, NULL))
            continue;
        demo_label(d, b, e, label, sizeof(label));
        fmt_ops(score, t, sizeof(t));
        if (!demo_metric(e, "degradation", &deg, NULL)) {
            demo_say(d, DT_PAIR_NOSOLO, label, t);
            continue;
        }
        loss[b] = deg;
        hurt[b] = deg > bar;
        snprintf(verdict, sizeof(verdict), "%s", hurt[b] ? DT_HURT : DT_NOT_HURT);
        if (!hurt[b] && deg > HURT_MIN_PCT) /* lost more than 10 %, less than the noise */
            snprintf(verdict, sizeof(verdict), DT_NOISY, spread);
        else if (-deg > bar)
            snprintf(verdict, sizeof(verdict), "%s", DT_FASTER);
        demo_say(d, DT_PAIR_ROW, label, t, 100.0 - deg, verdict);
        if (!strcmp(ag, "memhog"))
            walled[b] = say_hog_fate(d, b, e);
    }
}

static void say_memory_verdict(struct demo *d, const double *loss, const bool *hurt,
                               const bool *walled)
{
    char avail[32];
    size_t p = demo_find_kind(d, VCB_ARM_CONTROL), c = demo_find_kind(d, VCB_ARM_CONTAINER),
           v = demo_find_kind(d, VCB_ARM_VM);
    if (p == d->ctx->nbackends || loss[p] < 0)
        return;
    vcb_format_size(bench_mem_available(), avail, sizeof(avail));
    if (hurt[p])
        demo_say(d, DT_MEM_HURT, loss[p], avail);
    else
        demo_say(d, DT_MEM_UNHURT, avail);
    bool ct = c < d->ctx->nbackends && walled[c], vm = v < d->ctx->nbackends && walled[v];
    if (ct || vm)
        demo_say(d, DT_WALLS, ct && vm ? DT_WALLS_BOTH : ct ? DT_WALLS_CT : DT_WALLS_VM);
}

static double load_average(void)
{
    double load = 0;
    cleanup_fclose FILE *f = fopen("/proc/loadavg", "re");
    if (!f || fscanf(f, "%lf", &load) != 1)
        return 0;
    return load;
}

static void say_cpu_verdict(struct demo *d, const double *loss, const bool *hurt)
{
    size_t c = demo_find_kind(d, VCB_ARM_CONTAINER);
    char cap[16];
    demo_say(d, DT_CPU_LESSON, sysconf(_SC_NPROCESSORS_ONLN), load_average());
    if (c < d->ctx->nbackends && loss[c] >= 0) {
        snprintf(cap, sizeof(cap), "%g", d->ctx->backends[c].limits.cpus);
        hurt[c] ? demo_say(d, DT_CPU_CT_HURT, cap, loss[c]) : demo_say(d, DT_CPU_CT_OK, cap);
    }
    if (demo_find_kind(d, VCB_ARM_VM) < d->ctx->nbackends)
        demo_say(d, DT_CPU_VM);
}

static void iso_step_end(struct demo *d)
{
    const struct iso_params *p = demo_iso_params(d);
    double loss[BENCH_BACKEND_MAX];
    bool hurt[BENCH_BACKEND_MAX], walled[BENCH_BACKEND_MAX];
    say_solo(d);
    for (size_t cell = 1; cell <= p->naggressors; cell++) {
        const char *ag = p->aggressors[cell - 1];
        if (!strcmp(ag, "cpu"))
            demo_say(d, DT_CPU_INTRO, (unsigned)sysconf(_SC_NPROCESSORS_ONLN));
        say_cell(d, cell, loss, hurt, walled);
        if (!strcmp(ag, "memhog"))
            say_memory_verdict(d, loss, hurt, walled);
        else if (!strcmp(ag, "cpu"))
            say_cpu_verdict(d, loss, hurt);
    }
    demo_say(d, DT_TAKEAWAY);
}

const struct demo_step demo_step_isolation = {.scenario = "isolation",
                                              .title = DT_STEP4,
                                              .start = iso_step_start,
                                              .entry = iso_entry_kept,
                                              .end = iso_step_end};
