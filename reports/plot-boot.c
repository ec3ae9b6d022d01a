/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* plot-boot.c — boot latency: the ECDF of every sample per backend (log
 * time axis: a process boots in ms, an emulated VM in s), serial and per
 * concurrency level, and the serial median/p99 bars with the median's 95%
 * CI. */
#include <errno.h>
#include <string.h>

#include "rpt-priv.h"

static const char *const boot_ignore[] = {"mode", NULL};

static const struct rpt_metric *ready_metric(const struct rpt_entry *e)
{
    return rpt_is_boot_serial(e) ? rpt_metric_find(e, "create_to_ready") : NULL;
}

static bool has_positive_sample(const struct rpt_metric *m)
{
    for (size_t i = 0; m && i < m->n_samples; i++)
        if (m->samples[i] > 0)
            return true;
    return false;
}

static bool ecdf_pred(const struct rpt_entry *e)
{
    return has_positive_sample(ready_metric(e));
}

/* Concurrent boots: one curve per backend and concurrency level. */
static bool conc_ecdf_pred(const struct rpt_entry *e)
{
    return rpt_is_boot_concurrent(e) && has_positive_sample(rpt_metric_find(e, "create_to_ready"));
}

static bool pctl_pred(const struct rpt_entry *e)
{
    const struct rpt_metric *m = ready_metric(e);
    return m && m->has_summary && m->sum.median > 0;
}

/* One data block: the ECDF in ms, starting from F = 0 at the first sample
 * so the first step is drawn. Values <= 0 cannot sit on a log axis. */
static int ecdf_block(FILE *f, const struct rpt_metric *m)
{
    double *xs, *fs;
    bool first = true;
    if (rpt_ecdf(m->samples, m->n_samples, &xs, &fs) < 0)
        return -1;
    for (size_t i = 0; i < m->n_samples; i++) {
        if (xs[i] <= 0)
            continue;
        if (first)
            fprintf(f, "%.9g\t0\n", xs[i] / 1e6);
        first = false;
        fprintf(f, "%.9g\t%.9g\n", xs[i] / 1e6, fs[i]);
    }
    fprintf(f, "\n\n");
    free(xs);
    free(fs);
    return 0;
}

static int ecdf_plot(const struct rpt_ctx *ctx, struct rpt_plot *plot,
                     bool (*pred)(const struct rpt_entry *), const char *const *ignore,
                     const char *xlabel, const char *skip, struct vcb_err *err)
{
    cleanup_series struct rpt_series *s = NULL;
    size_t n;
    struct rpt_gp gp;
    if (rpt_series_build(ctx, pred, ignore, &s, &n, err) < 0)
        return -1;
    if (n == 0)
        return rpt_plot_skip(plot, skip);
    if (rpt_gp_open(&gp, ctx, plot->id, plot->title, err) < 0)
        return -1;
    rpt_gp_legend(&gp, n, rpt_series_max_label(s, n));
    fprintf(gp.script,
            "set logscale x 10\n"
            "set grid xtics mxtics ytics lc rgb '#d9d9d9', lc rgb '#eeeeee'\n"
            "set xlabel '%s'\n"
            "set ylabel 'fraction of boots ≤ x'\n"
            "set yrange [0:1.02]\nset ytics 0,0.25,1\n"
            "plot ",
            xlabel);
    for (size_t i = 0; i < n; i++) {
        if (ecdf_block(gp.data, rpt_metric_find(s[i].e, "create_to_ready")) < 0) {
            rpt_gp_abort(&gp);
            return vcb_err_sys(err, ENOMEM, "ECDF");
        }
        fprintf(gp.script,
                "%s'%s.dat' index %zu using 1:2 with steps lw 2 lc rgb '%s' dt %d title ",
                i ? ", \\\n     " : "", gp.id, i, s[i].color, rpt_dash(s[i].variant));
        rpt_gp_str(gp.script, s[i].label);
    }
    fprintf(gp.script, "\n");
    return rpt_gp_finish(&gp, err) < 0 ? -1 : 1;
}

int rpt_plot_boot_ecdf(const struct rpt_ctx *ctx, struct rpt_plot *plot, struct vcb_err *err)
{
    return ecdf_plot(ctx, plot, ecdf_pred, boot_ignore,
                     "boot latency, create → ready (ms, log scale)",
                     "no serial boot samples (scenario boot, create_to_ready)", err);
}

int rpt_plot_conc_ecdf(const struct rpt_ctx *ctx, struct rpt_plot *plot, struct vcb_err *err)
{
    return ecdf_plot(ctx, plot, conc_ecdf_pred, boot_ignore,
                     "boot latency per instance, its create → its ready (ms, log scale)",
                     "no concurrent boot samples (scenario boot, mode concurrent)", err);
}

/* Columns: x50 p50 lo hi x99 p99 colour label50 width label99 (ms). */
static void pctl_row(FILE *f, size_t g, const struct rpt_series *s, double *ymin, double *ymax)
{
    const struct rpt_summary *sum = &rpt_metric_find(s->e, "create_to_ready")->sum;
    double w, x50 = rpt_bar_x(g, 0, 2, &w), x99 = rpt_bar_x(g, 1, 2, NULL);
    double lo = isnan(sum->ci_lo) ? sum->median : sum->ci_lo;
    double hi = isnan(sum->ci_hi) ? sum->median : sum->ci_hi;
    double p99 = sum->p99 > 0 ? sum->p99 : sum->median;
    char t50[48], t99[48];
    rpt_format_value("ns", sum->median, t50, sizeof(t50));
    rpt_format_value("ns", p99, t99, sizeof(t99));
    if (lo <= 0)
        lo = sum->median;
    fprintf(f, "%.4f\t%.9g\t%.9g\t%.9g\t%.4f\t%.9g\t%u\t%s\t%.4f\t%s\n", x50, sum->median / 1e6,
            lo / 1e6, hi / 1e6, x99, p99 / 1e6, rpt_color_int(s->color), t50, w * 0.92, t99);
    *ymin = fmin(*ymin, lo / 1e6);
    *ymax = fmax(*ymax, fmax(p99, hi) / 1e6);
}

int rpt_plot_boot_pctl(const struct rpt_ctx *ctx, struct rpt_plot *plot, struct vcb_err *err)
{
    cleanup_series struct rpt_series *s = NULL;
    size_t n;
    struct rpt_gp gp;
    double ymin = INFINITY, ymax = 0;
    if (rpt_series_build(ctx, pctl_pred, boot_ignore, &s, &n, err) < 0)
        return -1;
    if (n == 0)
        return rpt_plot_skip(plot, "no serial boot summaries (scenario boot, create_to_ready)");
    if (rpt_gp_open(&gp, ctx, plot->id, plot->title, err) < 0)
        return -1;
    for (size_t g = 0; g < n; g++)
        pctl_row(gp.data, g, &s[g], &ymin, &ymax);
    rpt_gp_xtics(&gp, s, n);
    fprintf(gp.script,
            "set logscale y 10\nset yrange [%.9g:%.9g]\n"
            "set ylabel 'boot latency, create → ready (ms, log scale)'\n"
            "plot '%s.dat' using 1:2:9:7 with boxes fs solid 0.9 lc rgb variable, \\\n"
            "     '' using 5:6:9:7 with boxes fs solid 0.35 lc rgb variable, \\\n"
            "     '' using 1:3:(0):($4-$3) with vectors " RPT_GP_WHISKER " lc rgb '#222222', \\\n"
            "     '' using 1:4:8 with labels offset 0,0.8 font ',9', \\\n"
            "     '' using 5:6:10 with labels offset 0,0.8 font ',9', \\\n"
            "     keyentry with boxes fs solid 0.9 lc rgb '#777777' "
            "title 'median (p50), whisker: 95%% CI', \\\n"
            "     keyentry with boxes fs solid 0.35 lc rgb '#777777' title 'p99'\n",
            pow(10, floor(log10(ymin * 0.8))), ymax * 6, gp.id);
    return rpt_gp_finish(&gp, err) < 0 ? -1 : 1;
}
