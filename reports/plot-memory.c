/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* plot-memory.c — host memory per instance as stacked bars: what the
 * workload itself uses and what isolation adds on top (runtime, page
 * tables, a guest kernel and qemu for a VM). */
#include <string.h>

#include "rpt-priv.h"

static const char *const mem_ignore[] = {"workload", "alloc_bytes", NULL};

static double med(const struct rpt_entry *e, const char *name)
{
    const struct rpt_metric *m = rpt_metric_find(e, name);
    return m && m->has_summary && m->sum.median >= 0 ? m->sum.median : NAN;
}

static bool has_split(const struct rpt_entry *e)
{
    return !isnan(med(e, "workload_use")) && !isnan(med(e, "overhead"));
}

static bool mem_pred(const struct rpt_entry *e)
{
    return strcmp(e->scenario, "memory") == 0 && (has_split(e) || !isnan(med(e, "host_cost")));
}

/* Segment row: x y xlo xhi ylo yhi label (MiB); an empty block still counts. */
static void seg(FILE *f, size_t g, double lo, double hi, const char *text)
{
    fprintf(f, "%zu\t%.6f\t%.2f\t%.2f\t%.6f\t%.6f\t%s\n", g, (lo + hi) / 2, g - 0.3, g + 0.3, lo,
            hi, text);
}

static double mem_data(FILE *f, const struct rpt_series *s, size_t n)
{
    double ymax = 0;
    for (int block = 0; block < 4; block++) {
        for (size_t g = 0; g < n; g++) {
            const struct rpt_entry *e = s[g].e;
            double use = med(e, "workload_use") / 1048576.0, over = med(e, "overhead") / 1048576.0;
            double cost = med(e, "host_cost");
            double top = has_split(e) ? use + over : cost / 1048576.0;
            char text[64];
            rpt_format_value("bytes", isnan(cost) ? top * 1048576.0 : cost, text, sizeof(text));
            ymax = fmax(ymax, top);
            if (block == 0 && has_split(e))
                seg(f, g, 0, use, " ");
            else if (block == 1 && has_split(e))
                seg(f, g, use, top, " ");
            else if (block == 2 && !has_split(e))
                seg(f, g, 0, top, " ");
            else if (block == 3)
                fprintf(f, "%zu\t%.6f\t%s\n", g, top, text);
        }
        /* A NaN row keeps an empty block counted, so index numbers hold. */
        fprintf(f, "%s\n\n", block < 3 ? "NaN\tNaN\tNaN\tNaN\tNaN\tNaN\t \n" : "");
    }
    return ymax;
}

/* Category: the backend, then what ran ("idle", "alloc 64.0 MiB"). */
static void mem_tics(struct rpt_gp *gp, struct rpt_series *s, size_t n)
{
    for (size_t g = 0; g < n; g++) {
        const char *wl = rpt_param_str(s[g].e, "workload");
        double alloc = 0;
        char size[48] = "", *l = s[g].label;
        size_t o = strlen(l);
        if (rpt_param_num(s[g].e, "alloc_bytes", &alloc) && alloc > 0)
            rpt_format_value("bytes", alloc, size, sizeof(size));
        if (wl || size[0])
            snprintf(l + o, sizeof(s[g].label) - o, "\n%s%s%s", wl ? wl : "", size[0] ? " " : "",
                     size);
        rpt_utf8_trim(l);
    }
    rpt_gp_xtics(gp, s, n);
}

int rpt_plot_memory(const struct rpt_ctx *ctx, struct rpt_plot *plot, struct vcb_err *err)
{
    cleanup_series struct rpt_series *s = NULL;
    size_t n;
    struct rpt_gp gp;
    if (rpt_series_build(ctx, mem_pred, mem_ignore, &s, &n, err) < 0)
        return -1;
    if (n == 0)
        return rpt_plot_skip(plot, "no memory data (scenario memory, workload_use/overhead "
                                   "or host_cost)");
    if (rpt_gp_open(&gp, ctx, plot->id, plot->title, err) < 0)
        return -1;
    double ymax = mem_data(gp.data, s, n);
    size_t split = 0;
    for (size_t g = 0; g < n; g++)
        split += has_split(s[g].e);
    mem_tics(&gp, s, n);
    fprintf(gp.script,
            "set yrange [0:%g]\nset ylabel 'host memory per instance, median (MiB)'\n"
            "plot ",
            ymax > 0 ? ymax * 1.25 : 1);
    if (split)
        fprintf(gp.script,
                "'%s.dat' index 0 using 1:2:3:4:5:6 with boxxyerror fs solid 0.9 "
                "lc rgb '#56B4E9' title 'used by the workload itself', \\\n"
                "     '' index 1 using 1:2:3:4:5:6 with boxxyerror fs solid 0.9 lc rgb '#E69F00' "
                "title 'overhead of isolation', \\\n     ",
                gp.id);
    if (split < n)
        fprintf(gp.script,
                "'%s.dat' index 2 using 1:2:3:4:5:6 with boxxyerror fs solid 0.9 "
                "lc rgb '#999999' title 'host cost (no split recorded)', \\\n     ",
                gp.id);
    fprintf(gp.script, "'%s.dat' index 3 using 1:2:3 with labels offset 0,0.9 font ',9'\n", gp.id);
    return rpt_gp_finish(&gp, err) < 0 ? -1 : 1;
}
