/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* plot-density.c — density: host memory in use against the number of idle
 * instances, one line per backend with its least-squares fit dashed; the
 * slope is the real per-instance cost, the headline of the memory section. */
#include <string.h>

#include "linfit.h"
#include "rpt-priv.h"

static const char *const density_ignore[] = {"instances_max", NULL};

static bool density_pred(const struct rpt_entry *e)
{
    return strcmp(e->scenario, "density") == 0 && e->n_curve > 0;
}

/* MiB up to 4 GiB in use, GiB beyond: numbers people can read. */
static double density_div(const struct rpt_series *s, size_t n, const char **unit)
{
    double max = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < s[i].e->n_curve; k++)
            max = fmax(max, s[i].e->curve[k].host_used_bytes);
    *unit = max >= 4.0 * 1073741824.0 ? "GiB" : "MiB";
    return max >= 4.0 * 1073741824.0 ? 1073741824.0 : 1048576.0;
}

static void density_block(FILE *f, const struct rpt_entry *e, double div)
{
    for (size_t k = 0; k < e->n_curve; k++)
        fprintf(f, "%.9g\t%.9g\n", e->curve[k].instances, e->curve[k].host_used_bytes / div);
    fprintf(f, "\n\n");
}

/* Legend: the series, then what one more instance costs, or why that is
 * not resolved (the memory section's headline, in short). */
static void density_title(FILE *f, const struct rpt_series *s)
{
    char title[sizeof(s->label) + 96], v[48], lo[48], hi[48];
    const struct rpt_entry *e = s->e;
    const struct rpt_metric *m = rpt_metric_find(e, "per_instance");
    double x = e->fit.has ? e->fit.slope : m && m->has_summary ? m->sum.median : NAN;
    double l = e->fit.has ? e->fit.lo : m ? m->sum.ci_lo : NAN;
    double h = e->fit.has ? e->fit.hi : m ? m->sum.ci_hi : NAN;
    size_t n = e->fit.has ? 3 : m ? (size_t)m->sum.n : 0;
    rpt_format_value("bytes", x, v, sizeof(v));
    rpt_format_value("bytes", l, lo, sizeof(lo));
    rpt_format_value("bytes", h, hi, sizeof(hi));
    enum vcb_cost_flag flag = vcb_cost_flag_n(x, l, h, n);
    if (isnan(x))
        snprintf(title, sizeof(title), "%s", s->label);
    else if (flag == VCB_COST_OK)
        snprintf(title, sizeof(title), "%s: %s per instance (CI %s – %s)", s->label, v, lo, hi);
    else if (flag == VCB_COST_NEGATIVE)
        snprintf(title, sizeof(title), "%s: negative, not a cost", s->label);
    else
        snprintf(title, sizeof(title), "%s: per instance not resolved (CI includes 0)", s->label);
    rpt_utf8_trim(title);
    rpt_gp_str(f, title);
}

/* The fitted line, dashed, in the series' colour. */
static void density_fit_line(FILE *f, const struct rpt_series *s, double div)
{
    const struct rpt_fit *fit = &s->e->fit;
    if (!fit->has || isnan(fit->intercept))
        return;
    fprintf(f, ", \\\n     (%.9g + %.9g * x) / %.9g with lines lw 1 dt 3 lc rgb '%s' notitle",
            fit->intercept, fit->slope, div, s->color);
}

int rpt_plot_density(const struct rpt_ctx *ctx, struct rpt_plot *plot, struct vcb_err *err)
{
    cleanup_series struct rpt_series *s = NULL;
    size_t n;
    struct rpt_gp gp;
    const char *unit;
    if (rpt_series_build(ctx, density_pred, density_ignore, &s, &n, err) < 0)
        return -1;
    if (n == 0)
        return rpt_plot_skip(plot, "no density curve (scenario density, curve)");
    if (rpt_gp_open(&gp, ctx, plot->id, plot->title, err) < 0)
        return -1;
    double div = density_div(s, n, &unit);
    rpt_gp_legend(&gp, n, rpt_series_max_label(s, n) + 24);
    fprintf(gp.script,
            "set xlabel 'idle instances running'\nset ylabel 'host memory in use (%s)'\n"
            "set xrange [0:*]\nplot ",
            unit);
    for (size_t i = 0; i < n; i++) {
        density_block(gp.data, s[i].e, div);
        fprintf(gp.script,
                "%s'%s.dat' index %zu using 1:2 with linespoints lw 2 pt 7 ps 0.7 "
                "lc rgb '%s' dt %d title ",
                i ? ", \\\n     " : "", gp.id, i, s[i].color, rpt_dash(s[i].variant));
        density_title(gp.script, &s[i]);
        density_fit_line(gp.script, &s[i], div);
    }
    fprintf(gp.script, "\n");
    return rpt_gp_finish(&gp, err) < 0 ? -1 : 1;
}
