/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* plot.c — the list of plots and the loop that makes them (a plot without
 * data is skipped with the reason kept); the makers are plot-*.c, the
 * series and tics they share are plot-series.c and plot-xtics.c. */
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
    {"disk-throughput", "Disk: the victim's throughput, solo and beside each aggressor", "disk",
     rpt_plot_disk_tput},
    {"disk-latency", "Disk: the victim's random I/O latency, solo and beside each aggressor",
     "disk", rpt_plot_disk_lat},
    {"network", "Network: the victim's throughput and latency, solo and beside each aggressor",
     "network", rpt_plot_net},
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
