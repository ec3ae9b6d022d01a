/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* plot-concurrent.c — concurrent boot: median latency (with 95% CI), the
 * time until all of a round were ready, and instances started per second
 * against the number booted at once, one line per backend (and run). */
#include <errno.h>
#include <string.h>

#include "rpt-priv.h"

static const char *const conc_ignore[] = {"mode", "concurrency", NULL};

struct conc_pt {
    double x, y, lo, hi;
};

static bool conc_pred(const struct rpt_entry *e)
{
    double c;
    return rpt_is_boot_concurrent(e) && rpt_param_num(e, "concurrency", &c) && c > 0 && c < 1e9;
}

static int pt_cmp(const void *a, const void *b)
{
    return vcb_cmp_double(&((const struct conc_pt *)a)->x, &((const struct conc_pt *)b)->x);
}

/* Points of the line whose label is s[first].label, sorted by concurrency. */
static size_t line_points(const struct rpt_series *s, size_t n, size_t first, const char *metric,
                          double div, struct conc_pt *pts)
{
    size_t k = 0;
    for (size_t i = first; i < n; i++) {
        const struct rpt_metric *m = rpt_metric_find(s[i].e, metric);
        if (strcmp(s[i].label, s[first].label) != 0 || !m || !m->has_summary || m->sum.median <= 0)
            continue;
        struct conc_pt *p = &pts[k++];
        rpt_param_num(s[i].e, "concurrency", &p->x);
        p->y = m->sum.median / div;
        p->lo = (isnan(m->sum.ci_lo) || m->sum.ci_lo <= 0 ? m->sum.median : m->sum.ci_lo) / div;
        p->hi = (isnan(m->sum.ci_hi) ? m->sum.median : m->sum.ci_hi) / div;
    }
    qsort(pts, k, sizeof(*pts), pt_cmp);
    return k;
}

static bool seen_label(const struct rpt_series *s, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (strcmp(s[j].label, s[i].label) == 0)
            return true;
    return false;
}

struct conc_range {
    double xmin, xmax, ymin, ymax;
};

/* Writes one block per line; returns the number of lines. */
static size_t conc_data(FILE *f, const struct rpt_series *s, size_t n, const char *metric,
                        double div, struct conc_pt *pts, size_t *line_of, struct conc_range *r)
{
    size_t lines = 0;
    for (size_t i = 0; i < n; i++) {
        if (seen_label(s, i))
            continue;
        size_t k = line_points(s, n, i, metric, div, pts);
        if (k == 0)
            continue;
        for (size_t j = 0; j < k; j++) {
            fprintf(f, "%.9g\t%.9g\t%.9g\t%.9g\n", pts[j].x, pts[j].y, pts[j].lo, pts[j].hi);
            r->xmin = fmin(r->xmin, pts[j].x), r->xmax = fmax(r->xmax, pts[j].x);
            r->ymin = fmin(r->ymin, pts[j].lo), r->ymax = fmax(r->ymax, pts[j].hi);
        }
        fprintf(f, "\n\n");
        line_of[lines++] = i;
    }
    return lines;
}

/* Log axes where values span orders of magnitude (1 ms process vs 2 s VM). */
static void conc_axes(FILE *f, const struct conc_range *r, const char *ylabel)
{
    bool logx = r->xmax / r->xmin >= 8, logy = r->ymax / r->ymin >= 20;
    if (logx)
        fprintf(f, "set logscale x 2\nset xrange [%g:%g]\n", r->xmin / 1.3, r->xmax * 1.3);
    else
        fprintf(f, "set xrange [%g:%g]\n", r->xmin - 0.5, r->xmax + 0.5);
    if (logy)
        fprintf(f, "set logscale y 10\nset yrange [%g:%g]\n", r->ymin / 2, r->ymax * 3);
    else
        fprintf(f, "set yrange [0:%g]\n", r->ymax * 1.15);
    fprintf(f,
            "set xlabel 'instances booted at once (concurrency%s)'\n"
            "set ylabel '%s%s'\n",
            logx ? ", log scale" : "", ylabel, logy ? " (log scale)" : "");
}

static int conc_plot(const struct rpt_ctx *ctx, struct rpt_plot *plot, const char *metric,
                     double div, const char *ylabel, struct vcb_err *err)
{
    cleanup_series struct rpt_series *s = NULL;
    size_t n;
    struct rpt_gp gp;
    struct conc_range r = {INFINITY, 0, INFINITY, 0};
    if (rpt_series_build(ctx, conc_pred, conc_ignore, &s, &n, err) < 0)
        return -1;
    cleanup_free struct conc_pt *pts = calloc(n ? n : 1, sizeof(*pts));
    cleanup_free size_t *line_of = calloc(n ? n : 1, sizeof(*line_of));
    if (!pts || !line_of)
        return vcb_err_sys(err, ENOMEM, "concurrency plot");
    if (rpt_gp_open(&gp, ctx, plot->id, plot->title, err) < 0)
        return -1;
    size_t lines = conc_data(gp.data, s, n, metric, div, pts, line_of, &r);
    if (lines == 0) {
        rpt_gp_discard(&gp);
        return rpt_plot_skip(plot, "no concurrent boot data (scenario boot, mode concurrent)");
    }
    conc_axes(gp.script, &r, ylabel);
    rpt_gp_legend(&gp, lines, rpt_series_max_label(s, n));
    fprintf(gp.script, "plot ");
    for (size_t l = 0; l < lines; l++) {
        const struct rpt_series *ls = &s[line_of[l]];
        fprintf(gp.script,
                "%s'%s.dat' index %zu using 1:3:(0):($4-$3) with vectors " RPT_GP_WHISKER
                " lc rgb '%s' notitle, \\\n     "
                "'' index %zu using 1:2 with linespoints lw 2 pt 7 ps 0.8 lc rgb '%s' dt %d title ",
                l ? ", \\\n     " : "", gp.id, l, ls->color, l, ls->color, rpt_dash(ls->variant));
        rpt_gp_str(gp.script, ls->label);
    }
    fprintf(gp.script, "\n");
    return rpt_gp_finish(&gp, err) < 0 ? -1 : 1;
}

int rpt_plot_conc_latency(const struct rpt_ctx *ctx, struct rpt_plot *plot, struct vcb_err *err)
{
    return conc_plot(ctx, plot, "create_to_ready", 1e6,
                     "boot latency per instance, median ± 95% CI (ms)", err);
}

int rpt_plot_conc_all_ready(const struct rpt_ctx *ctx, struct rpt_plot *plot, struct vcb_err *err)
{
    return conc_plot(ctx, plot, "all_ready", 1e6,
                     "first create → last ready, per round, median ± 95% CI (ms)", err);
}

int rpt_plot_conc_rate(const struct rpt_ctx *ctx, struct rpt_plot *plot, struct vcb_err *err)
{
    return conc_plot(ctx, plot, "instances_per_s", 1, "instances ready per second", err);
}
