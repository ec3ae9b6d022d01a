/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* plot-series.c — the series every plot is made of: the entries it shows,
 * ordered control first, labelled, with the colour and dash type each is
 * drawn in; and the skip record of a plot that has none to draw. */
#include <errno.h>
#include <string.h>

#include "rpt-priv.h"

int rpt_backend_rank(const char *b)
{
    return strcmp(b, "process") == 0     ? 0
           : strcmp(b, "container") == 0 ? 1
           : strcmp(b, "vm") == 0        ? 2
                                         : 3;
}

static int series_cmp(const void *pa, const void *pb)
{
    const struct rpt_series *a = pa, *b = pb;
    int d = rpt_backend_rank(a->e->backend) - rpt_backend_rank(b->e->backend);
    if (d == 0)
        d = strcmp(a->e->backend, b->e->backend);
    if (d == 0)
        d = strcmp(a->e->params_key, b->e->params_key);
    if (d == 0)
        d = (a->run_i > b->run_i) - (a->run_i < b->run_i);
    return d;
}

/* A fleet's plots group by host: each host's series side by side, then the next host's. */
static int series_cmp_by_run(const void *pa, const void *pb)
{
    const struct rpt_series *a = pa, *b = pb;
    int d = (a->run_i > b->run_i) - (a->run_i < b->run_i);
    return d ? d : series_cmp(pa, pb);
}

/* Variant = how many earlier series share the backend: the dash type, so two
 * runs (or workloads) of one backend differ while keeping its colour. */
static void series_finish(const struct rpt_ctx *ctx, struct rpt_series *s, size_t n,
                          const char *const *ignore_keys)
{
    const struct rpt_entry **set = calloc(n ? n : 1, sizeof(*set));
    for (size_t i = 0; set && i < n; i++)
        set[i] = s[i].e;
    for (size_t i = 0; i < n; i++) {
        rpt_series_label(ctx->runs, ctx->n_runs, s[i].run_i, s[i].e, set, set ? n : 0, ignore_keys,
                         s[i].label, sizeof(s[i].label));
        s[i].color = rpt_backend_color(s[i].e->backend);
        s[i].variant = 0;
        for (size_t j = 0; j < i; j++)
            s[i].variant += strcmp(s[j].e->backend, s[i].e->backend) == 0;
    }
    free(set);
}

int rpt_series_build(const struct rpt_ctx *ctx, bool (*pred)(const struct rpt_entry *),
                     const char *const *ignore_keys, struct rpt_series **out, size_t *n_out,
                     struct vcb_err *err)
{
    struct rpt_sel sel;
    if (rpt_select(ctx, pred, &sel, err) < 0)
        return -1;
    struct rpt_series *s = calloc(sel.n ? sel.n : 1, sizeof(*s));
    if (!s) {
        rpt_sel_clear(&sel);
        return vcb_err_sys(err, ENOMEM, "plot series");
    }
    for (size_t i = 0; i < sel.n; i++)
        s[i] = (struct rpt_series){.run_i = sel.run_i[i], .e = sel.e[i]};
    qsort(s, sel.n, sizeof(*s), ctx->fleet ? series_cmp_by_run : series_cmp);
    series_finish(ctx, s, sel.n, ignore_keys);
    *out = s;
    *n_out = sel.n;
    rpt_sel_clear(&sel);
    return 0;
}

size_t rpt_series_max_label(const struct rpt_series *s, size_t n)
{
    size_t max = 0;
    for (size_t i = 0; i < n; i++)
        max = strlen(s[i].label) > max ? strlen(s[i].label) : max;
    return max;
}

void rpt_series_freep(struct rpt_series **s)
{
    free(*s);
}

/* "#D55E00" as the integer gnuplot's `lc rgb variable` reads from a column. */
unsigned rpt_color_int(const char *hex)
{
    return (unsigned)strtoul(hex + 1, NULL, 16);
}

/* Dash type for a series variant (1 = solid). */
int rpt_dash(int variant)
{
    return 1 + variant % 5;
}

/* Skip a plot: say why in the plot record (and so in the report). */
int rpt_plot_skip(struct rpt_plot *plot, const char *why)
{
    snprintf(plot->skipped, sizeof(plot->skipped), "%s", why);
    return 0;
}
