/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* plot-isolation.c — noisy neighbours: how much the victim slows down next to
 * each aggressor, grouped by aggressor, one bar per backend (limited or not;
 * the unlimited control is hatched), with CI whiskers; a run that did not
 * finish is marked DNF instead of being dropped. A run with limit variants
 * gets one group per aggressor and variant, the control's group beside. */
#include <errno.h>
#include <string.h>

#include "rpt-priv.h"

/* net_path: one bar per backend; the network section names each path. */
static const char *const iso_ignore[] = {"victim",  "aggressor", "limited",
                                         "variant", "net_path",  NULL};

static bool iso_pred(const struct rpt_entry *e)
{
    const char *a = rpt_param_str(e, "aggressor");
    return strcmp(e->scenario, "isolation") == 0 && (!a || strcmp(a, "none") != 0);
}

/* "container (no limits) [run]": the unlimited control says so. */
static void iso_label(struct rpt_series *s)
{
    if (rpt_param_bool(s->e, "limited", true))
        return;
    char tail[sizeof(s->label)] = "";
    char *run = strstr(s->label, " [");
    if (run) {
        snprintf(tail, sizeof(tail), "%s", run);
        *run = '\0';
    }
    size_t o = strlen(s->label);
    snprintf(s->label + o, sizeof(s->label) - o, " (no limits)%s", tail);
    rpt_utf8_trim(s->label);
}

/* with_variant: the entry's limit variant, "control" for the arm without. */
static void group_name(const struct rpt_entry *e, bool with_victim, bool with_variant, char *buf,
                       size_t len)
{
    const char *a = rpt_param_str(e, "aggressor"), *v = rpt_param_str(e, "victim");
    const char *var = rpt_param_str(e, "variant");
    char agg[96];
    rpt_aggressor_label(a, agg, sizeof(agg));
    if (with_victim)
        snprintf(buf, len, "%s next to %s", v ? v : "?", agg);
    else
        snprintf(buf, len, "%s", agg);
    size_t o = strlen(buf);
    if (with_variant)
        snprintf(buf + o, len - o, ", %s", var ? var : "control");
}

/* Index of `name` in names[0..*n), appended when new. */
static size_t intern(char (*names)[96], size_t *n, const char *name)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    snprintf(names[*n], sizeof(names[0]), "%s", name);
    return (*n)++;
}

struct iso_layout {
    char (*groups)[96], (*bars)[96];
    size_t n_groups, n_bars;
    bool variants;                      /* some entry names a limit variant */
    size_t *g_of, *b_of, *first_of_bar; /* per series; per bar */
};

static const char *victim_of(const struct rpt_entry *e)
{
    const char *v = rpt_param_str(e, "victim");
    return v ? v : "";
}

/* Groups by victim in the suites' order, then aggressor in the IBS's order;
 * names neither knows keep their place after the known ones. */
static void iso_order_groups(struct rpt_series *s, size_t n, struct iso_layout *l)
{
    size_t *key = calloc(l->n_groups, sizeof(size_t)), *perm = calloc(l->n_groups, sizeof(size_t));
    char(*names)[96] = calloc(l->n_groups, sizeof(*names));
    if (!key || !perm || !names)
        goto out;                  /* left in the series' order */
    for (size_t i = n; i-- > 0;) { /* victim: the first series naming it */
        size_t v = i;
        for (size_t j = 0; j < i && v == i; j++)
            if (strcmp(victim_of(s[j].e), victim_of(s[i].e)) == 0)
                v = j;
        size_t rank = (size_t)(rpt_aggressor_rank(rpt_param_str(s[i].e, "aggressor")) + 1);
        size_t vrank = (size_t)rpt_victim_rank(rpt_param_str(s[i].e, "victim"));
        key[l->g_of[i]] = (((vrank * n + v) * 16) + rank) * n + l->g_of[i];
    }
    for (size_t g = 0; g < l->n_groups; g++) /* perm[g]: the new place of group g */
        for (size_t h = 0; h < l->n_groups; h++)
            perm[g] += key[h] < key[g];
    for (size_t g = 0; g < l->n_groups; g++)
        memcpy(names[perm[g]], l->groups[g], sizeof(names[0]));
    memcpy(l->groups, names, l->n_groups * sizeof(names[0]));
    for (size_t i = 0; i < n; i++)
        l->g_of[i] = perm[l->g_of[i]];
out:
    free(key);
    free(perm);
    free(names);
}

static int iso_layout(struct rpt_series *s, size_t n, struct iso_layout *l)
{
    bool victims_vary = false;
    for (size_t i = 1; i < n; i++) {
        const char *v0 = rpt_param_str(s[0].e, "victim"), *vi = rpt_param_str(s[i].e, "victim");
        victims_vary |= (v0 && vi) ? strcmp(v0, vi) != 0 : v0 != vi;
    }
    for (size_t i = 0; i < n; i++)
        l->variants |= rpt_param_str(s[i].e, "variant") != NULL;
    l->groups = calloc(n, sizeof(*l->groups));
    l->bars = calloc(n, sizeof(*l->bars));
    l->g_of = calloc(n, sizeof(size_t));
    l->b_of = calloc(n, sizeof(size_t));
    l->first_of_bar = calloc(n, sizeof(size_t));
    if (!l->groups || !l->bars || !l->g_of || !l->b_of || !l->first_of_bar)
        return -1;
    for (size_t i = 0; i < n; i++) {
        char g[96];
        iso_label(&s[i]);
        group_name(s[i].e, victims_vary, l->variants, g, sizeof(g));
        l->g_of[i] = intern(l->groups, &l->n_groups, g);
        size_t before = l->n_bars;
        l->b_of[i] = intern(l->bars, &l->n_bars, s[i].label);
        if (l->n_bars > before)
            l->first_of_bar[l->b_of[i]] = i;
    }
    iso_order_groups(s, n, l);
    return 0;
}

static void iso_layout_clear(struct iso_layout *l)
{
    free(l->groups);
    free(l->bars);
    free(l->g_of);
    free(l->b_of);
    free(l->first_of_bar);
}

/* Block b (one per bar series): x y lo hi width. Then a block of labels:
 * DNF at the baseline, the aggressor's outcome above the bar; returns how
 * many (gnuplot 5.4 crashes on a labels plot without a valid point). */
static size_t iso_data(FILE *f, const struct rpt_series *s, size_t n, const struct iso_layout *l,
                       double *ymin, double *ymax)
{
    for (size_t b = 0; b < l->n_bars; b++) {
        fprintf(f, "NaN\tNaN\tNaN\tNaN\tNaN\n");
        for (size_t i = 0; i < n; i++) {
            const struct rpt_metric *m = rpt_metric_find(s[i].e, "degradation");
            if (l->b_of[i] != b || !m || !m->has_summary)
                continue;
            double w, x = rpt_bar_x(l->g_of[i], b, l->n_bars, &w), y = m->sum.median;
            double lo = isnan(m->sum.ci_lo) ? y : m->sum.ci_lo;
            double hi = isnan(m->sum.ci_hi) ? y : m->sum.ci_hi;
            fprintf(f, "%.4f\t%.6g\t%.6g\t%.6g\t%.4f\n", x, y, lo, hi, w * 0.9);
            *ymin = fmin(*ymin, lo), *ymax = fmax(*ymax, hi);
        }
        fprintf(f, "\n\n");
    }
    size_t labels = 0;
    for (size_t i = 0; i < n; i++) {
        const struct rpt_metric *m = rpt_metric_find(s[i].e, "degradation");
        double x = rpt_bar_x(l->g_of[i], l->b_of[i], l->n_bars, NULL);
        const char *out = s[i].e->aggressor_outcome;
        bool dnf = s[i].e->n_dnf > 0 || !m || !m->has_summary;
        if (dnf)
            fprintf(f, "%.4f\t0\tDNF\n", x);
        else if (out && strcmp(out, "ran") != 0)
            fprintf(f, "%.4f\t%.6g\t%s\n", x, isnan(m->sum.ci_hi) ? m->sum.median : m->sum.ci_hi,
                    out);
        labels += dnf || (out && strcmp(out, "ran") != 0);
    }
    return labels;
}

static void iso_script(FILE *f, const char *id, const struct rpt_series *s,
                       const struct iso_layout *l, double ymin, double ymax, size_t labels)
{
    fprintf(f, "set xtics (");
    for (size_t g = 0; g < l->n_groups; g++) {
        fprintf(f, "%s", g ? ", " : "");
        rpt_gp_str(f, l->groups[g]);
        fprintf(f, " %zu", g);
    }
    fprintf(f,
            ") scale 0\nset xrange [-0.6:%zu.6]\nset yrange [%g:%g]\n"
            "set xzeroaxis lt -1 lc rgb '#444444'\n"
            "set xlabel '%s'\n"
            "set ylabel 'victim slowdown vs running alone (%%, median, 95%% CI)'\n"
            "plot ",
            l->n_groups - 1, fmin(0, ymin * 1.2) - 2, fmax(ymax * 1.25, 10),
            l->variants ? "aggressor running next to the victim, limit variant"
                        : "aggressor running next to the victim");
    for (size_t b = 0; b < l->n_bars; b++) {
        const struct rpt_series *first = &s[l->first_of_bar[b]];
        bool unlimited = !rpt_param_bool(first->e, "limited", true);
        fprintf(f, "'%s.dat' index %zu using 1:2:5 with boxes fs %s lc rgb '%s' fc rgb '%s' title ",
                id, b, unlimited ? "pattern 4 border" : "solid 0.9", first->color, first->color);
        rpt_gp_str(f, l->bars[b]);
        fprintf(f,
                ", \\\n     '' index %zu using 1:3:(0):($4-$3) with vectors " RPT_GP_WHISKER
                " lc rgb '#222222' notitle%s",
                b, b + 1 < l->n_bars || labels ? ", \\\n     " : "\n");
    }
    if (labels)
        fprintf(f,
                "'' index %zu using 1:2:3 with labels rotate by 90 left offset 0,0.6 font ',9' "
                "tc rgb '#B00020' notitle\n",
                l->n_bars);
}

int rpt_plot_isolation(const struct rpt_ctx *ctx, struct rpt_plot *plot, struct vcb_err *err)
{
    cleanup_series struct rpt_series *s = NULL;
    size_t n;
    struct rpt_gp gp;
    struct iso_layout l = {0};
    double ymin = 0, ymax = 0;
    if (rpt_series_build(ctx, iso_pred, iso_ignore, &s, &n, err) < 0)
        return -1;
    if (n == 0)
        return rpt_plot_skip(plot, "no isolation data (scenario isolation with an aggressor)");
    if (iso_layout(s, n, &l) < 0) {
        iso_layout_clear(&l);
        return vcb_err_sys(err, ENOMEM, "isolation plot");
    }
    int r = rpt_gp_open(&gp, ctx, plot->id, plot->title, err);
    if (r == 0) {
        size_t labels = iso_data(gp.data, s, n, &l, &ymin, &ymax);
        rpt_gp_legend(&gp, l.n_bars, rpt_series_max_label(s, n));
        iso_script(gp.script, gp.id, s, &l, ymin, ymax, labels);
        r = rpt_gp_finish(&gp, err);
    }
    iso_layout_clear(&l);
    return r < 0 ? -1 : 1;
}
