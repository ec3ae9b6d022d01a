/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* plot-io.c — the disk and network victims' figures: one facet per figure
 * (its own unit and scale), in each a group of bars per arm — solo, then
 * beside each aggressor — at the median with 95% CI whiskers. The path each
 * arm's I/O took is written under the facets. gnuplot's replot redraws only
 * a multiplot's last facet, so the script draws SVG and PNG in one loop. */
#include <errno.h>
#include <string.h>

#include "rpt-priv.h"

static const char *const cond_colors[] = {"#555555", "#D55E00", "#0072B2", "#009E73",
                                          "#CC79A7", "#E69F00", "#56B4E9", "#F0E442"};
#define N_COLORS (sizeof(cond_colors) / sizeof(cond_colors[0]))

static const struct rpt_metric *fig(const struct rpt_entry *e, const char *field)
{
    char name[96];
    snprintf(name, sizeof(name), "victim.%s", field);
    const struct rpt_metric *m = e ? rpt_metric_find(e, name) : NULL;
    return m && m->has_summary ? m : NULL;
}

/* The scale and unit of a facet's axis, from the largest value drawn. */
static double facet_scale(const struct rpt_io_set *set, const char *field, const char **unit)
{
    double max = 0;
    const char *u = NULL;
    for (size_t a = 0; a < set->n_arms; a++)
        for (size_t c = 0; c < set->n_conds; c++) {
            const struct rpt_metric *m = fig(set->arms[a].cond[c], field);
            if (m) {
                u = m->unit;
                max = fmax(max, isnan(m->sum.ci_hi) ? m->sum.median : m->sum.ci_hi);
            }
        }
    *unit = !u                            ? "?"
            : strcmp(u, "mb_per_s") == 0  ? "MB/s"
            : strcmp(u, "per_s") == 0     ? "per s"
            : strcmp(u, "ops_per_s") == 0 ? "ops/s"
            : strcmp(u, "ns") != 0        ? u
            : max >= 1e6                  ? "ms"
            : max >= 1e3                  ? "µs"
                                          : "ns";
    return !u || strcmp(u, "ns") != 0 ? 1 : max >= 1e6 ? 1e-6 : max >= 1e3 ? 1e-3 : 1;
}

/* Block (facet × condition): x y lo hi width; returns the facet's top. */
static double facet_data(FILE *f, const struct rpt_io_set *set, const char *field, double scale)
{
    double top = 0;
    for (size_t c = 0; c < set->n_conds; c++) {
        fprintf(f, "NaN\tNaN\tNaN\tNaN\tNaN\n");
        for (size_t a = 0; a < set->n_arms; a++) {
            const struct rpt_metric *m = fig(set->arms[a].cond[c], field);
            if (!m)
                continue;
            double w, x = rpt_bar_x(a, c, set->n_conds, &w), y = m->sum.median * scale;
            double lo = isnan(m->sum.ci_lo) ? y : m->sum.ci_lo * scale;
            double hi = isnan(m->sum.ci_hi) ? y : m->sum.ci_hi * scale;
            fprintf(f, "%.4f\t%.6g\t%.6g\t%.6g\t%.4f\n", x, y, lo, hi, w * 0.9);
            top = fmax(top, hi);
        }
        fprintf(f, "\n\n");
    }
    return top;
}

/* Arms on the x axis by their short names; their paths below the plot. */
static void arms_legend(struct rpt_gp *gp, const struct rpt_io_set *set)
{
    char line[400];
    size_t shown = set->n_arms < 6 ? set->n_arms : 6;
    for (size_t a = 0; a < shown; a++) {
        if (a + 1 == shown && shown < set->n_arms)
            snprintf(line, sizeof(line), "… and %zu more arms: their paths are in the table",
                     set->n_arms - shown + 1);
        else
            snprintf(line, sizeof(line), "%s: %s", set->arms[a].label, set->arms[a].path);
        rpt_utf8_trim(line);
        fprintf(gp->script, "set label %zu ", 80 + a);
        rpt_gp_str(gp->script, line);
        fprintf(gp->script, " at screen 0.01, screen %.3f font ',8' tc rgb '#333333'\n",
                0.02 + 0.028 * (double)(gp->host_lines + shown - 1 - a));
    }
}

/* DNF at the baseline where a condition ran and gave no figure: a missing
 * bar is never silent. Labels 60 on, cleared for each facet. */
/* The conditions' legend, drawn once across the top: a multiplot's key
 * would wrap to the width of one facet. */
static void cond_legend(FILE *f, const struct rpt_io_set *set)
{
    char label[128];
    double width = 0, x;
    for (size_t c = 0; c < set->n_conds; c++) {
        rpt_io_cond_label(set->conds[c], label, sizeof(label));
        width += 0.03 + 0.0078 * (double)strlen(label);
    }
    x = fmax(0.01, 0.5 - width / 2);
    for (size_t c = 0; c < set->n_conds; c++) {
        rpt_io_cond_label(set->conds[c], label, sizeof(label));
        fprintf(f,
                "set object %zu rect from screen %.4f, screen 0.878 to screen %.4f, screen 0.898 "
                "fc rgb '%s' fs solid 0.9 border lc rgb '#222222'\nset label %zu ",
                40 + c, x, x + 0.016, cond_colors[c % N_COLORS], 40 + c);
        rpt_gp_str(f, label);
        fprintf(f, " at screen %.4f, screen 0.888 left font ',10'\n", x + 0.022);
        x += 0.03 + 0.0078 * (double)strlen(label);
    }
}

static void dnf_labels(FILE *f, const struct rpt_io_set *set, const char *field)
{
    size_t n = 0;
    fputs("  unset for [i=60:79] label i\n", f);
    for (size_t a = 0; a < set->n_arms; a++)
        for (size_t c = 0; c < set->n_conds && n < 20; c++) {
            const struct rpt_entry *e = set->arms[a].cond[c];
            if (e && !fig(e, field))
                fprintf(f,
                        "  set label %zu 'DNF' at first %.4f, graph 0.02 rotate by 90 left "
                        "font ',8' tc rgb '#B00020'\n",
                        60 + n++, rpt_bar_x(a, c, set->n_conds, NULL));
        }
}

static void facet(struct rpt_gp *gp, const struct rpt_io_set *set, const char *field, size_t index)
{
    const char *unit;
    double scale = facet_scale(set, field, &unit);
    double top = facet_data(gp->data, set, field, scale);
    FILE *f = gp->script;
    fprintf(f, "  set title '%s (%s)' font ',10' offset 0,-0.6\n  set xtics (", field, unit);
    for (size_t a = 0; a < set->n_arms; a++) {
        fprintf(f, "%s", a ? ", " : "");
        rpt_gp_str(f, set->arms[a].label);
        fprintf(f, " %zu", a);
    }
    fprintf(f, ") scale 0 font ',8'\n  set xrange [-0.6:%zu.6]\n  set yrange [0:%g]\n",
            set->n_arms - 1, top > 0 ? top * 1.15 : 1);
    dnf_labels(f, set, field);
    fputs("  plot ", f);
    for (size_t c = 0; c < set->n_conds; c++) {
        const char *color = cond_colors[c % N_COLORS];
        size_t block = index * set->n_conds + c;
        fprintf(f, "'%s.dat' index %zu using 1:2:5 with boxes fs solid 0.9 lc rgb '%s' ", gp->id,
                block, color);
        fputs("notitle", f);
        fprintf(f,
                ", \\\n    '' index %zu using 1:3:(0):($4-$3) with vectors " RPT_GP_WHISKER
                " lc rgb '#222222' notitle%s",
                block, c + 1 < set->n_conds ? ", \\\n    " : "\n");
    }
}

static int plot_io(const struct rpt_ctx *ctx, struct rpt_plot *plot,
                   bool (*pred)(const struct rpt_entry *), const char *const *figures,
                   const char *what, struct vcb_err *err)
{
    struct rpt_io_set set;
    struct rpt_gp gp;
    if (rpt_io_collect(ctx->runs, ctx->n_runs, pred, &set, err) < 0)
        return -1;
    if (set.n_arms == 0) {
        rpt_io_clear(&set);
        return rpt_plot_skip(plot, what);
    }
    if (rpt_gp_open(&gp, ctx, plot->id, plot->title, err) < 0) {
        rpt_io_clear(&set);
        return -1;
    }
    gp.own_png = true;
    size_t n_figs = 0;
    while (figures[n_figs])
        n_figs++;
    size_t shown = set.n_arms < 6 ? set.n_arms : 6;
    arms_legend(&gp, &set);
    cond_legend(gp.script, &set);
    double bottom = 0.02 + 0.028 * (double)(gp.host_lines + shown) + 0.05;
    FILE *f = gp.script;
    fprintf(f, "set xzeroaxis lt -1 lc rgb '#444444'\n"

               "do for [vcb_pass=0:1] {\n"
               "  if (vcb_pass == 1) {\n");
    rpt_gp_png_terminal(f);
    fprintf(f,
            "    set output '%s.png'\n"
            "  }\n"
            "  set multiplot layout %zu,2 margins 0.08,0.98,%.3f,0.82 spacing 0.08,0.14\n",
            gp.id, (n_figs + 1) / 2, bottom);
    for (size_t i = 0; i < n_figs; i++)
        facet(&gp, &set, figures[i], i);
    fprintf(f, "  unset multiplot\n}\nunset output\n");
    int r = rpt_gp_finish(&gp, err);
    rpt_io_clear(&set);
    return r < 0 ? -1 : 1;
}

int rpt_plot_disk_tput(const struct rpt_ctx *ctx, struct rpt_plot *plot, struct vcb_err *err)
{
    return plot_io(ctx, plot, rpt_is_disk, rpt_io_disk.figures[0],
                   "no disk results (isolation with the diskio victim)", err);
}

int rpt_plot_disk_lat(const struct rpt_ctx *ctx, struct rpt_plot *plot, struct vcb_err *err)
{
    return plot_io(ctx, plot, rpt_is_disk, rpt_io_disk.figures[1],
                   "no disk results (isolation with the diskio victim)", err);
}

int rpt_plot_net(const struct rpt_ctx *ctx, struct rpt_plot *plot, struct vcb_err *err)
{
    return plot_io(ctx, plot, rpt_is_net, rpt_io_net.figures[0],
                   "no network results (isolation with the netio victim)", err);
}
