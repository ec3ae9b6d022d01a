/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mem-headline.c — "host memory per instance" for every backend of a run.
 * The density scenario's fitted slope, with its CI, is the headline; the
 * memory scenario's breakdown (PSS + kernel memory, the guest RAM and the
 * VMM, the image's page cache, what was charged elsewhere) explains it. A
 * slope whose CI includes 0, or that is negative, is never shown as a cost,
 * and a breakdown outside the slope's CI is called a disagreement. */
#include <string.h>

#include "linfit.h"
#include "rpt-priv.h"

static double med(const struct rpt_entry *e, const char *name)
{
    const struct rpt_metric *m = e ? rpt_metric_find(e, name) : NULL;
    return m && m->has_summary ? m->sum.median : NAN;
}

static bool is_idle_memory(const struct rpt_entry *e)
{
    const char *wl = rpt_param_str(e, "workload");
    return strcmp(e->scenario, "memory") == 0 && (!wl || strcmp(wl, "idle") == 0);
}

bool rpt_mem_line_get(const struct rpt_run *run, const char *backend, struct rpt_mem_line *out)
{
    memset(out, 0, sizeof(*out));
    out->backend = backend;
    out->mem = rpt_entry_find(run, "memory", backend, is_idle_memory);
    out->dens = rpt_entry_find(run, "density", backend, NULL);
    out->value = out->lo = out->hi = NAN;
    out->cost = med(out->mem, "host_cost");
    out->emulated = (out->mem && out->mem->emulated) || (out->dens && out->dens->emulated);
    const struct rpt_metric *m = out->dens ? rpt_metric_find(out->dens, "per_instance") : NULL;
    if (out->dens && out->dens->fit.has) {
        out->what = "density fit";
        out->value = out->dens->fit.slope;
        out->lo = out->dens->fit.lo;
        out->hi = out->dens->fit.hi;
        out->flag = vcb_cost_flag(out->value, out->lo, out->hi);
    } else if (m && m->has_summary) { /* results written before the fit */
        out->what = "density, median drop per step";
        out->value = m->sum.median;
        out->lo = m->sum.ci_lo;
        out->hi = m->sum.ci_hi;
        out->flag = vcb_cost_flag_n(out->value, out->lo, out->hi, (size_t)m->sum.n);
    }
    return out->mem || out->what;
}

void rpt_cost_text(double value, double lo, double hi, int flag, char *buf, size_t len)
{
    char v[48], l[48], h[48];
    rpt_format_value("bytes", value, v, sizeof(v));
    rpt_format_value("bytes", lo, l, sizeof(l));
    rpt_format_value("bytes", hi, h, sizeof(h));
    if (flag == VCB_COST_OK)
        snprintf(buf, len, "%s (95%% CI %s – %s)", v, l, h);
    else if (flag == VCB_COST_CI_ZERO)
        snprintf(buf, len, "not resolved: its 95%% CI (%s – %s) includes 0", l, h);
    else if (flag == VCB_COST_NEGATIVE)
        snprintf(buf, len,
                 "no cost readable: negative (%s), memory freed by other work landed in "
                 "the window",
                 v);
    else
        snprintf(buf, len, "not resolved: %s has no CI (too few points)", v);
}

void rpt_mem_headline_text(const struct rpt_mem_line *l, char *buf, size_t len)
{
    if (!l->what)
        snprintf(buf, len, "not measured (no density result)");
    else
        rpt_cost_text(l->value, l->lo, l->hi, l->flag, buf, len);
}

/* PSS + kernel = host cost, or what of it is known. */
void rpt_mem_breakdown_text(const struct rpt_mem_line *l, char *buf, size_t len)
{
    char pss[48], kernel[48], cost[48];
    double k = med(l->mem, "kernel");
    rpt_format_value("bytes", med(l->mem, "pss"), pss, sizeof(pss));
    rpt_format_value("bytes", k, kernel, sizeof(kernel));
    rpt_format_value("bytes", l->cost, cost, sizeof(cost));
    char rss[48];
    rpt_format_value("bytes", med(l->mem, "rss"), rss, sizeof(rss));
    const char *src = rpt_mem_source(l->mem);
    if (!l->mem)
        snprintf(buf, len, "no memory result");
    else if (isnan(l->cost) && isnan(med(l->mem, "pss")) && !isnan(med(l->mem, "rss")))
        snprintf(buf, len, "RSS %s only (%s): no PSS or kernel memory from there", rss,
                 src ? src : "source not recorded");
    else if (isnan(k))
        snprintf(buf, len, "%s (PSS; kernel memory not recorded)", cost);
    else
        snprintf(buf, len, "PSS %s + kernel %s = %s", pss, kernel, cost);
}

int rpt_mem_agreement(const struct rpt_mem_line *l)
{
    if (l->flag != VCB_COST_OK || !l->what || isnan(l->cost) || isnan(l->lo))
        return RPT_MEM_UNKNOWN;
    return l->cost < l->lo ? RPT_MEM_BELOW : l->cost > l->hi ? RPT_MEM_ABOVE : RPT_MEM_WITHIN;
}

void rpt_mem_agreement_text(const struct rpt_mem_line *l, char *buf, size_t len)
{
    switch (rpt_mem_agreement(l)) {
    case RPT_MEM_WITHIN:
        snprintf(buf, len, "the breakdown lies within the density CI");
        break;
    case RPT_MEM_BELOW:
        snprintf(buf, len,
                 "they disagree by more than the CI: the host lost more per instance than the "
                 "breakdown counts (kernel memory charged elsewhere, page cache, daemons)");
        break;
    case RPT_MEM_ABOVE:
        snprintf(buf, len,
                 "they disagree by more than the CI: the breakdown counts more than the host "
                 "lost per instance (pages shared between instances, memory the host "
                 "reclaimed meanwhile)");
        break;
    default:
        snprintf(buf, len, "no comparison: %s",
                 !l->mem ? "no memory result" : "the density figure is not a cost");
    }
}

int rpt_metric_cost_flag(const struct rpt_entry *e, const struct rpt_metric *m)
{
    if (strcmp(e->scenario, "density") != 0 || !m->has_summary)
        return -1;
    if (!strcmp(m->name, "host_per_instance") || !strcmp(m->name, "daemons_per_instance"))
        return vcb_cost_flag(m->sum.median, m->sum.ci_lo, m->sum.ci_hi); /* the fit's CI */
    if (!strcmp(m->name, "per_instance"))
        return vcb_cost_flag_n(m->sum.median, m->sum.ci_lo, m->sum.ci_hi, (size_t)m->sum.n);
    return -1;
}
