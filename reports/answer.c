/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* answer.c — the answer in three sentences, computed from one run: what
 * booting costs, what memory costs, and what isolation buys. Each sentence
 * says plainly when its scenario is absent. */
#include <string.h>

#include "linfit.h"
#include "rpt-priv.h"

static double median_of(const struct rpt_entry *e, const char *metric)
{
    const struct rpt_metric *m = e ? rpt_metric_find(e, metric) : NULL;
    return m && m->has_summary ? m->sum.median : NAN;
}

static const char *vm_note(const struct rpt_entry *e)
{
    return e && e->emulated ? " (emulated, TCG)" : "";
}

static void answer_boot(const struct rpt_run *run, FILE *f)
{
    const struct rpt_entry *pe = rpt_entry_find(run, "boot", "process", rpt_is_boot_serial);
    const struct rpt_entry *ce = rpt_entry_find(run, "boot", "container", rpt_is_boot_serial);
    const struct rpt_entry *ve = rpt_entry_find(run, "boot", "vm", rpt_is_boot_serial);
    double p = median_of(pe, "create_to_ready"), c = median_of(ce, "create_to_ready");
    double v = median_of(ve, "create_to_ready");
    char a[48], b[48], d[48];
    rpt_format_value("ns", c, a, sizeof(a));
    rpt_format_value("ns", fabs(c - p), b, sizeof(b));
    rpt_format_value("ns", p, d, sizeof(d));
    if (!isnan(c) && !isnan(p))
        fprintf(f, "Containers started in %s median, %s %s than a plain process (%s)", a, b,
                c >= p ? "more" : "less", d);
    else if (!isnan(c))
        fprintf(f, "Containers started in %s median", a);
    else if (!isnan(p))
        fprintf(f, "A plain process started in %s median", d);
    if (isnan(v)) {
        fprintf(f, isnan(c) && isnan(p) ? "No serial boot results were recorded. "
                                        : "; no VM boot was recorded. ");
        return;
    }
    rpt_format_value("ns", v, a, sizeof(a));
    double ref = !isnan(c) ? c : p;
    char where[160];
    rpt_vm_where(run, where, sizeof(where));
    if (isnan(c) && isnan(p))
        fprintf(f, "VMs%s%s started in %s median. ", vm_note(ve), where, a);
    else if (ref > 0)
        fprintf(f, "; VMs%s%s took %s, %.0f× the %s. ", vm_note(ve), where, a, v / ref,
                !isnan(c) ? "container" : "process");
    else
        fprintf(f, "; VMs%s%s took %s. ", vm_note(ve), where, a);
}

/* "containers 1.9 MiB (95% CI …; breakdown PSS … + kernel …)" for one
 * backend: density's slope is the figure; when it is no cost, the sentence
 * says so and gives the breakdown, never a difference that is 0 by
 * construction. */
static void memory_item(const struct rpt_mem_line *l, const char *noun, const char *where, FILE *f)
{
    char head[300], brk[300];
    rpt_mem_headline_text(l, head, sizeof(head));
    rpt_mem_breakdown_text(l, brk, sizeof(brk));
    int agree = rpt_mem_agreement(l);
    fprintf(f, "%s%s%s ", noun, l->emulated ? " (emulated, TCG)" : "", where);
    if (l->what && l->flag == VCB_COST_OK)
        fprintf(f, "%s by %s, breakdown %s%s", head, l->what, brk,
                agree == RPT_MEM_BELOW || agree == RPT_MEM_ABOVE ? " (outside that CI)" : "");
    else if (l->what)
        fprintf(f, "no cost from density (%s: %s), breakdown %s", l->what, head, brk);
    else
        fprintf(f, "breakdown %s (no density result)", brk);
}

static void answer_memory(const struct rpt_run *run, FILE *f)
{
    static const char *const backends[] = {"container", "vm"};
    static const char *const nouns[] = {"containers", "VMs"};
    struct rpt_mem_line l[2];
    bool have[2];
    for (size_t i = 0; i < 2; i++)
        have[i] = rpt_mem_line_get(run, backends[i], &l[i]);
    if (!have[0] && !have[1]) {
        fprintf(f, "No memory or density results were recorded. ");
        return;
    }
    char where[160];
    rpt_vm_where(run, where, sizeof(where));
    fprintf(f, "Host memory per extra idle instance: ");
    for (size_t i = 0, said = 0; i < 2; i++) {
        if (!have[i])
            continue;
        fprintf(f, "%s", said++ ? "; " : "");
        memory_item(&l[i], nouns[i], i == 1 ? where : "", f);
    }
    fprintf(f, ". ");
}

/* The aggressor that hurt the victim most where nothing limited it. */
static const char *worst_aggressor(const struct rpt_run *run)
{
    const char *worst = NULL;
    double max = -INFINITY;
    for (int pass = 0; pass < 2 && !worst; pass++)
        for (size_t i = 0; i < run->n_entries; i++) {
            const struct rpt_entry *e = &run->entries[i];
            const char *a = rpt_param_str(e, "aggressor");
            double d = median_of(e, "degradation");
            if (strcmp(e->scenario, "isolation") != 0 || !a || strcmp(a, "none") == 0 || isnan(d) ||
                (pass == 0 && rpt_param_bool(e, "limited", true)))
                continue;
            if (d > max)
                max = d, worst = a;
        }
    return worst;
}

static const char *where_of(const char *backend)
{
    return strcmp(backend, "process") == 0     ? "as plain processes"
           : strcmp(backend, "container") == 0 ? "in containers"
           : strcmp(backend, "vm") == 0        ? "in VMs"
                                               : backend;
}

/* "95.6 % as plain processes and 95.0 % in containers" for one kind of
 * limit, backends in the report's order; returns how many were named. */
static size_t isolation_items(const struct rpt_run *run, const char *agg, bool limited, FILE *f)
{
    static const char *const order[] = {"process", "container", "vm", NULL};
    size_t said = 0;
    for (const char *const *b = order; *b; b++) {
        for (size_t i = 0; i < run->n_entries; i++) {
            const struct rpt_entry *e = &run->entries[i];
            const char *a = rpt_param_str(e, "aggressor");
            if (strcmp(e->scenario, "isolation") != 0 || !a || strcmp(a, agg) != 0 ||
                strcmp(e->backend, *b) != 0 || rpt_param_bool(e, "limited", true) != limited)
                continue;
            double d = median_of(e, "degradation");
            char val[48];
            rpt_format_value("pct", d, val, sizeof(val));
            fprintf(f, "%s", said++ ? " and " : "");
            const char *variant = rpt_param_str(e, "variant");
            if (isnan(d) || e->n_dnf)
                fprintf(f, "did not finish %s", where_of(e->backend));
            else
                fprintf(f, "%s %s", val, where_of(e->backend));
            if (variant) /* which of a suite's limit variants */
                fprintf(f, " (%s)", variant);
            fprintf(f, "%s", vm_note(e));
        }
    }
    return said;
}

static void answer_isolation(const struct rpt_run *run, FILE *f)
{
    const char *agg = worst_aggressor(run);
    if (!agg) {
        fprintf(f, "No isolation results were recorded.");
        return;
    }
    /* Write the unlimited half to a scratch stream to know whether it is empty. */
    char *unl = NULL;
    size_t len = 0;
    FILE *u = open_memstream(&unl, &len);
    size_t n_unl = u ? isolation_items(run, agg, false, u) : 0;
    if (u)
        fclose(u);
    char label[96];
    rpt_aggressor_label(agg, label, sizeof(label));
    fprintf(f, "Next to the %s aggressor, the victim slowed down by ", label);
    if (n_unl)
        fprintf(f, "%s with no limits", unl);
    free(unl);
    fprintf(f, "%s", n_unl ? "; with limits, by " : "");
    if (isolation_items(run, agg, true, f) == 0 && n_unl)
        fprintf(f, "nothing: no limited run was recorded");
    fprintf(f, ".");
}

char *rpt_answer(const struct rpt_run *run)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    answer_boot(run, f);
    answer_memory(run, f);
    answer_isolation(run, f);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}
