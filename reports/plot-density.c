/* plot-density.c — density: host memory in use against the number of idle
 * instances, one line per backend; the slope is the real per-instance cost,
 * the cross-check of the memory scenario. */
#include <string.h>

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

/* Legend: the series, then its per-instance cost when recorded. */
static void density_title(FILE *f, const struct rpt_series *s)
{
    char title[sizeof(s->label) + 64], cost[48];
    const struct rpt_metric *m = rpt_metric_find(s->e, "per_instance");
    if (m && m->has_summary) {
        rpt_format_value("bytes", m->sum.median, cost, sizeof(cost));
        snprintf(title, sizeof(title), "%s: %s per instance", s->label, cost);
    } else {
        snprintf(title, sizeof(title), "%s", s->label);
    }
    rpt_utf8_trim(title);
    rpt_gp_str(f, title);
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
    }
    fprintf(gp.script, "\n");
    return rpt_gp_finish(&gp, err) < 0 ? -1 : 1;
}
