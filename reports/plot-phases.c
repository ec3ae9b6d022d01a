/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* plot-phases.c — where boot time goes: per backend, the median of each
 * phase as a share of their sum, stacked, split as Kata's launch_times
 * splits a guest's: before the kernel (qemu, firmware), in the kernel (the
 * guest's uptime at init), to the workload, to the quit. A backend without
 * a guest kernel has one started → init phase instead. Shares, not ms,
 * because a process boots ~1000x faster than an emulated VM: on one linear
 * ms axis its bar would vanish. Each segment and the bar carry their time. */
#include <string.h>

#include "rpt-priv.h"

enum { PH_C2S, PH_TO_KERNEL, PH_IN_KERNEL, PH_S2I, PH_I2R, PH_R2G, N_PHASES };

static const char *const phases[N_PHASES] = {"create_to_started",    "to_kernel",
                                             "guest_uptime_at_init", "started_to_init",
                                             "init_to_ready",        "ready_to_gone"};
static const char *const phase_titles[N_PHASES] = {
    "create → started (runtime, libvirt)", "to kernel (qemu, firmware)",
    "in kernel (guest uptime at init)",    "started → init (no guest kernel)",
    "to workload (init → ready)",          "to quit (ready → gone)"};
static const char *const phase_colors[N_PHASES] = {"#E69F00", "#CC79A7", "#56B4E9",
                                                   "#0072B2", "#009E73", "#999999"};

static const char *const boot_ignore[] = {"mode", NULL};

static double metric_median(const struct rpt_entry *e, const char *name)
{
    const struct rpt_metric *m = rpt_metric_find(e, name);
    return m && m->has_summary && m->sum.median >= 0 ? m->sum.median : NAN;
}

/* A guest's started → init splits into to-kernel and in-kernel. */
static bool has_guest_split(const struct rpt_entry *e)
{
    return !isnan(metric_median(e, "to_kernel")) &&
           !isnan(metric_median(e, "guest_uptime_at_init"));
}

/* The phase's median for this entry, 0 where it does not apply. */
static double phase_median(const struct rpt_entry *e, size_t p)
{
    bool split = has_guest_split(e);
    if ((p == PH_TO_KERNEL || p == PH_IN_KERNEL) && !split)
        return 0;
    if (p == PH_S2I && split)
        return 0;
    double v = metric_median(e, phases[p]);
    return isnan(v) ? 0 : v;
}

static double phases_total(const struct rpt_entry *e)
{
    double total = 0;
    for (size_t p = 0; p < N_PHASES; p++)
        total += phase_median(e, p);
    return total;
}

static bool phases_pred(const struct rpt_entry *e)
{
    if (!rpt_is_boot_serial(e))
        return false;
    const char *const needed[] = {"create_to_started", "started_to_init", "init_to_ready"};
    for (size_t i = 0; i < 3; i++)
        if (isnan(metric_median(e, needed[i])))
            return false;
    return phases_total(e) > 0;
}

/* Block p: x y xlo xhi ylo yhi label — one stacked segment per series. */
static void phase_block(FILE *f, const struct rpt_series *s, size_t n, size_t p)
{
    for (size_t g = 0; g < n; g++) {
        double total = phases_total(s[g].e), below = 0;
        for (size_t q = 0; q < p; q++)
            below += phase_median(s[g].e, q);
        double lo = below / total * 100, hi = (below + phase_median(s[g].e, p)) / total * 100;
        char text[48] = "";
        if (hi - lo >= 7)
            rpt_format_value("ns", phase_median(s[g].e, p), text, sizeof(text));
        fprintf(f, "%zu\t%.4f\t%.2f\t%.2f\t%.4f\t%.4f\t%s\n", g, (lo + hi) / 2, g - 0.3, g + 0.3,
                lo, hi, text[0] ? text : " ");
    }
    fprintf(f, "\n\n");
}

/* Last block: the create → ready median (or the phases' sum) above each
 * bar (medians of phases need not add up to the median of their sum). */
static void total_block(FILE *f, const struct rpt_series *s, size_t n)
{
    for (size_t g = 0; g < n; g++) {
        double ready = metric_median(s[g].e, "create_to_ready");
        char text[48];
        rpt_format_value("ns", isnan(ready) ? phases_total(s[g].e) : ready, text, sizeof(text));
        fprintf(f, "%zu\t100\t%s %s\n", g, isnan(ready) ? "total" : "ready in", text);
    }
}

int rpt_plot_boot_phases(const struct rpt_ctx *ctx, struct rpt_plot *plot, struct vcb_err *err)
{
    cleanup_series struct rpt_series *s = NULL;
    size_t n;
    struct rpt_gp gp;
    if (rpt_series_build(ctx, phases_pred, boot_ignore, &s, &n, err) < 0)
        return -1;
    if (n == 0)
        return rpt_plot_skip(plot, "no boot phase summaries (create_to_started, "
                                   "started_to_init, init_to_ready)");
    if (rpt_gp_open(&gp, ctx, plot->id, plot->title, err) < 0)
        return -1;
    for (size_t p = 0; p < N_PHASES; p++)
        phase_block(gp.data, s, n, p);
    total_block(gp.data, s, n);
    rpt_gp_xtics(&gp, s, n);
    rpt_gp_legend(&gp, N_PHASES, 36);
    fprintf(gp.script, "set yrange [0:112]\nset ytics 0,20,100\n"
                       "set ylabel 'share of boot time (%%, medians of each phase)'\n"
                       "plot ");
    for (size_t p = 0; p < N_PHASES; p++)
        fprintf(gp.script,
                "'%s.dat' index %zu using 1:2:3:4:5:6 with boxxyerror fs solid 0.9 "
                "lc rgb '%s' title '%s', \\\n     ",
                gp.id, p, phase_colors[p], phase_titles[p]);
    for (size_t p = 0; p < N_PHASES; p++)
        fprintf(gp.script,
                "'' index %zu using 1:2:7 with labels font ',9' tc rgb '#111111', \\\n     ", p);
    fprintf(gp.script, "'' index %d using 1:2:3 with labels offset 0,0.9 font ',9'\n", N_PHASES);
    return rpt_gp_finish(&gp, err) < 0 ? -1 : 1;
}
