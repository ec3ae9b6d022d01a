/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* plot.c — the list of plots, the series every plot is made of, and the loop
 * that makes them (a plot without data is skipped with the reason kept). */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>

#include "rpt-priv.h"

static const struct {
    const char *id, *title, *section;
    rpt_plot_fn fn;
} plot_table[] = {
    {"boot-ecdf", "Boot latency, create to ready (ECDF)", "boot", rpt_plot_boot_ecdf},
    {"boot-pctl", "Boot latency: median and p99", "boot", rpt_plot_boot_pctl},
    {"boot-phases", "Where boot time goes (median of each phase)", "boot", rpt_plot_boot_phases},
    {"concurrent-latency", "Concurrent boot: latency vs concurrency", "concurrent",
     rpt_plot_conc_latency},
    {"concurrent-ecdf", "Concurrent boot latency per instance (ECDF per level)", "concurrent",
     rpt_plot_conc_ecdf},
    {"concurrent-all-ready", "Concurrent boot: time until all of a round were ready", "concurrent",
     rpt_plot_conc_all_ready},
    {"concurrent-rate", "Concurrent boot: instances started per second", "concurrent",
     rpt_plot_conc_rate},
    {"memory", "Host memory per instance: workload vs overhead", "memory", rpt_plot_memory},
    {"density", "Density: host memory used vs instances", "density", rpt_plot_density},
    {"isolation", "Isolation: victim slowdown next to an aggressor", "isolation",
     rpt_plot_isolation},
    {"peers-start", "Container start → exit: our launcher and its peers", "peers",
     rpt_plot_peers_start},
    {"peers-vm", "VM boot: our libvirt path vs bare qemu, per machine type", "peers",
     rpt_plot_peers_vm},
};
#define N_PLOTS (sizeof(plot_table) / sizeof(plot_table[0]))

void rpt_progress(const struct rpt_ctx *ctx, const char *fmt, ...)
{
    char line[256];
    va_list ap;
    if (!ctx->opts || !ctx->opts->progress)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    ctx->opts->progress(ctx->opts->progress_ctx, line);
}

const struct rpt_plot *rpt_plot_get(const struct rpt_ctx *ctx, const char *id)
{
    for (size_t i = 0; i < ctx->n_plots; i++)
        if (strcmp(ctx->plots[i].id, id) == 0)
            return &ctx->plots[i];
    return NULL;
}

int rpt_plots_make(struct rpt_ctx *ctx, struct vcb_err *err)
{
    char dir[4096];
    snprintf(dir, sizeof(dir), "%s/plots", ctx->dir);
    if (mkdir(dir, 0755) < 0 && errno != EEXIST)
        return vcb_err_sys(err, errno, "create %s", dir);
    ctx->plots = calloc(N_PLOTS, sizeof(*ctx->plots));
    if (!ctx->plots)
        return vcb_err_sys(err, ENOMEM, "plots");
    ctx->n_plots = N_PLOTS;
    for (size_t i = 0; i < N_PLOTS; i++) {
        struct rpt_plot *p = &ctx->plots[i];
        *p = (struct rpt_plot){
            .id = plot_table[i].id, .title = plot_table[i].title, .section = plot_table[i].section};
        rpt_progress(ctx, "plotting %s (%zu/%zu)", p->title, i + 1, N_PLOTS);
        int r = plot_table[i].fn(ctx, p, err);
        if (r < 0)
            return vcb_err_prefix(err, "plot %s", p->id);
        p->made = r > 0;
        if (!p->made)
            rpt_progress(ctx, "  skipped: %s", p->skipped);
    }
    return 0;
}

/* Control first, then the isolating backends in order of weight. */
static int backend_rank(const char *b)
{
    return strcmp(b, "process") == 0     ? 0
           : strcmp(b, "container") == 0 ? 1
           : strcmp(b, "vm") == 0        ? 2
                                         : 3;
}

static int series_cmp(const void *pa, const void *pb)
{
    const struct rpt_series *a = pa, *b = pb;
    int d = backend_rank(a->e->backend) - backend_rank(b->e->backend);
    if (d == 0)
        d = strcmp(a->e->backend, b->e->backend);
    if (d == 0)
        d = strcmp(a->e->params_key, b->e->params_key);
    if (d == 0)
        d = (a->run_i > b->run_i) - (a->run_i < b->run_i);
    return d;
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
    qsort(s, sel.n, sizeof(*s), series_cmp);
    series_finish(ctx, s, sel.n, ignore_keys);
    *out = s;
    *n_out = sel.n;
    rpt_sel_clear(&sel);
    return 0;
}

/* "#D55E00" as the integer gnuplot's `lc rgb variable` reads from a column. */
unsigned rpt_color_int(const char *hex)
{
    return (unsigned)strtoul(hex + 1, NULL, 16);
}

/* Axis labels keep the category short: the emulated note and the run go
 * on lines of their own. */
void rpt_label_wrap(char *label)
{
    char *dash = strstr(label, " — ");
    if (dash) {
        memmove(dash + 1, dash + strlen(" — "), strlen(dash + strlen(" — ")) + 1);
        dash[0] = '\n';
    }
    char *run = strstr(label, " [");
    if (run)
        run[0] = '\n';
}

/* Skip a plot: say why in the plot record (and so in the report). */
int rpt_plot_skip(struct rpt_plot *plot, const char *why)
{
    snprintf(plot->skipped, sizeof(plot->skipped), "%s", why);
    return 0;
}

/* Dash type for a series variant (1 = solid). */
int rpt_dash(int variant)
{
    return 1 + variant % 5;
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

/* Category tics: one per series at x = 0, 1, …, labels wrapped, and the
 * bottom margin they need. */
void rpt_gp_xtics(struct rpt_gp *gp, const struct rpt_series *s, size_t n)
{
    FILE *f = gp->script;
    size_t max_lines = 1;
    fprintf(f, "set xtics (");
    for (size_t i = 0; i < n; i++) {
        char label[sizeof(s[i].label)];
        size_t lines = 1;
        snprintf(label, sizeof(label), "%s", s[i].label);
        rpt_label_wrap(label);
        for (const char *c = label; *c; c++)
            lines += *c == '\n';
        max_lines = lines > max_lines ? lines : max_lines;
        fprintf(f, "%s", i ? ", " : "");
        rpt_gp_str(f, label);
        fprintf(f, " %zu", i);
    }
    fprintf(f, ") scale 0\nset xrange [-0.6:%zu.6]\n", n ? n - 1 : 0);
    rpt_gp_bmargin(gp, max_lines);
}
