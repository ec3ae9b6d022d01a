/* plot-phases.c — where boot time goes: per backend, the median of each
 * phase as a share of their sum, stacked. Shares, not ms, because a process
 * boots ~1000x faster than an emulated VM: on one linear ms axis its bar
 * would vanish. Each segment and the total carry their absolute time. */
#include <string.h>

#include "rpt-priv.h"

static const char *const phases[] = {"create_to_started", "started_to_init", "init_to_ready"};
static const char *const phase_titles[] = {"create → started", "started → init", "init → ready"};
static const char *const phase_colors[] = {"#E69F00", "#56B4E9", "#009E73"};
#define N_PHASES 3

static const char *const boot_ignore[] = {"mode", NULL};

static bool phases_pred(const struct rpt_entry *e)
{
    double total = 0;
    if (!rpt_is_boot_serial(e))
        return false;
    for (size_t p = 0; p < N_PHASES; p++) {
        const struct rpt_metric *m = rpt_metric_find(e, phases[p]);
        if (!m || !m->has_summary || m->sum.median < 0)
            return false;
        total += m->sum.median;
    }
    return total > 0;
}

static double phase_median(const struct rpt_entry *e, size_t p)
{
    return rpt_metric_find(e, phases[p])->sum.median;
}

/* Block p: x y xlo xhi ylo yhi label — one stacked segment per series. */
static void phase_block(FILE *f, const struct rpt_series *s, size_t n, size_t p)
{
    for (size_t g = 0; g < n; g++) {
        double total = 0, below = 0;
        for (size_t q = 0; q < N_PHASES; q++) {
            total += phase_median(s[g].e, q);
            below += q < p ? phase_median(s[g].e, q) : 0;
        }
        double lo = below / total * 100, hi = (below + phase_median(s[g].e, p)) / total * 100;
        char text[48] = "";
        if (hi - lo >= 7)
            rpt_format_value("ns", phase_median(s[g].e, p), text, sizeof(text));
        fprintf(f, "%zu\t%.4f\t%.2f\t%.2f\t%.4f\t%.4f\t%s\n", g, (lo + hi) / 2, g - 0.3, g + 0.3,
                lo, hi, text[0] ? text : " ");
    }
    fprintf(f, "\n\n");
}

/* Last block: the create → ready median (or the phases' sum) above each bar. */
static void total_block(FILE *f, const struct rpt_series *s, size_t n)
{
    for (size_t g = 0; g < n; g++) {
        const struct rpt_metric *m = rpt_metric_find(s[g].e, "create_to_ready");
        double total = 0;
        for (size_t q = 0; q < N_PHASES; q++)
            total += phase_median(s[g].e, q);
        char text[64];
        rpt_format_value("ns", m && m->has_summary ? m->sum.median : total, text, sizeof(text));
        fprintf(f, "%zu\t100\ttotal %s\n", g, text);
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
