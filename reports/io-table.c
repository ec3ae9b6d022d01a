/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* io-table.c — the disk and network sections' own table: per arm (with the
 * path its I/O took) and figure, the victim's median and 95% CI solo and
 * beside each aggressor, side by side; a condition that did not finish
 * says so, with its reason below the table. */
#include <string.h>

#include "rpt-priv.h"

/* One cell: "median" and "lo – hi", or what stands in their place. */
static void io_cell(const struct rpt_entry *e, const char *field, char *med, char *ci, size_t len)
{
    char name[96];
    snprintf(name, sizeof(name), "victim.%s", field);
    const struct rpt_metric *m = e ? rpt_metric_find(e, name) : NULL;
    ci[0] = '\0';
    if (!e) {
        snprintf(med, len, "not run");
        return;
    }
    if (!m || !m->has_summary) {
        snprintf(med, len, e->n_dnf ? "DNF" : "—");
        return;
    }
    char marks[16];
    rpt_format_value(m->unit, m->sum.median, med, len);
    rpt_summary_marks(&m->sum, marks, sizeof(marks));
    snprintf(med + strlen(med), len - strlen(med), "%s", marks);
    if (!isnan(m->sum.ci_lo)) {
        char lo[48], hi[48];
        rpt_format_value(m->unit, m->sum.ci_lo, lo, sizeof(lo));
        rpt_format_value(m->unit, m->sum.ci_hi, hi, sizeof(hi));
        snprintf(ci, len, "%s – %s", lo, hi);
    }
}

/* The writer's side: one table, HTML or Markdown. */
struct io_out {
    FILE *f;
    void (*text)(FILE *f, const char *s);
    bool html;
};

static void cell(const struct io_out *o, const char *s, bool num)
{
    fputs(o->html ? (num ? "<td class=\"num\">" : "<td>") : " ", o->f);
    o->text(o->f, s);
    fputs(o->html ? "</td>" : " |", o->f);
}

static void io_head(const struct io_out *o, const struct rpt_io_set *set)
{
    char c[128];
    fputs(o->html ? "<table>\n<thead><tr><th>arm</th><th>path</th><th>figure</th>"
                  : "| arm | path | figure |",
          o->f);
    for (size_t i = 0; i < set->n_conds; i++) {
        rpt_io_cond_label(set->conds[i], c, sizeof(c));
        fputs(o->html ? "<th>" : " ", o->f);
        o->text(o->f, c);
        fputs(o->html ? " (median, 95% CI)</th>" : " (median, 95% CI) |", o->f);
    }
    if (o->html) {
        fputs("</tr></thead>\n<tbody>\n", o->f);
        return;
    }
    fputs("\n|---|---|---|", o->f);
    for (size_t i = 0; i < set->n_conds; i++)
        fputs("--:|", o->f);
    fputs("\n", o->f);
}

static void io_row(const struct io_out *o, const struct rpt_io_set *set,
                   const struct rpt_io_arm *arm, const char *field)
{
    char med[96], ci[96], both[200];
    fputs(o->html ? (arm->label_e->emulated ? "<tr><td class=\"emu\">" : "<tr><td>") : "| ", o->f);
    o->text(o->f, arm->label);
    fputs(o->html ? "</td>" : " |", o->f);
    cell(o, arm->path, false);
    cell(o, field, false);
    for (size_t c = 0; c < set->n_conds; c++) {
        io_cell(arm->cond[c], field, med, ci, sizeof(med));
        snprintf(both, sizeof(both), "%s%s%s%s", med, ci[0] ? " (" : "", ci, ci[0] ? ")" : "");
        cell(o, both, true);
    }
    fputs(o->html ? "</tr>\n" : "\n", o->f);
}

/* Why each condition that did not finish failed: never a bare "DNF". */
static void io_dnf(const struct io_out *o, const struct rpt_io_set *set)
{
    char c[128];
    for (size_t a = 0; a < set->n_arms; a++)
        for (size_t i = 0; i < set->n_conds; i++) {
            const struct rpt_entry *e = set->arms[a].cond[i];
            if (!e || !e->n_dnf)
                continue;
            rpt_io_cond_label(set->conds[i], c, sizeof(c));
            fputs(o->html ? "<p class=\"warn\">" : "> ", o->f);
            o->text(o->f, set->arms[a].label);
            fputs(", ", o->f);
            o->text(o->f, c);
            fprintf(o->f, ": %zu sample%s did not finish: ", e->n_dnf, e->n_dnf == 1 ? "" : "s");
            o->text(o->f, e->dnf_reason ? e->dnf_reason : "no reason recorded");
            fputs(o->html ? ".</p>\n" : ".\n\n", o->f);
        }
}

static void io_table(const struct io_out *o, const struct rpt_ctx *ctx,
                     const struct rpt_io_kind *kind, bool (*pred)(const struct rpt_entry *))
{
    struct rpt_io_set set;
    struct vcb_err err = {0};
    if (rpt_io_collect(ctx->runs, ctx->n_runs, pred, &set, &err) < 0 || set.n_arms == 0) {
        rpt_io_clear(&set);
        return;
    }
    io_head(o, &set);
    for (size_t a = 0; a < set.n_arms; a++)
        for (size_t p = 0; p < 2; p++)
            for (size_t i = 0; kind->figures[p] && kind->figures[p][i]; i++)
                io_row(o, &set, &set.arms[a], kind->figures[p][i]);
    fputs(o->html ? "</tbody>\n</table>\n" : "\n", o->f);
    io_dnf(o, &set);
    rpt_io_clear(&set);
}

void rpt_disk_html(FILE *f, const struct rpt_ctx *ctx)
{
    io_table(&(struct io_out){f, rpt_html_puts, true}, ctx, &rpt_io_disk, rpt_is_disk);
}

void rpt_disk_md(FILE *f, const struct rpt_ctx *ctx)
{
    io_table(&(struct io_out){f, rpt_md_cell, false}, ctx, &rpt_io_disk, rpt_is_disk);
}

void rpt_net_html(FILE *f, const struct rpt_ctx *ctx)
{
    io_table(&(struct io_out){f, rpt_html_puts, true}, ctx, &rpt_io_net, rpt_is_net);
}

void rpt_net_md(FILE *f, const struct rpt_ctx *ctx)
{
    io_table(&(struct io_out){f, rpt_md_cell, false}, ctx, &rpt_io_net, rpt_is_net);
}
