/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* markdown.c — report.md: the same tables and answer as the HTML page, with
 * links to the PNG plots, for pasting into papers and issues. */
#include <errno.h>
#include <string.h>

#include "rpt-priv.h"

/* "> Run LABEL: text" as a quoted note. */
static void md_run_note(FILE *f, const struct rpt_run *r, const char *text, const char *end)
{
    fputs("> Run ", f);
    rpt_md_cell(f, r->label);
    fputs(": ", f);
    rpt_md_cell(f, text);
    fprintf(f, "%s\n\n", end);
}

static void md_banner(FILE *f, const struct rpt_ctx *ctx)
{
    for (size_t i = 0; i < ctx->n_runs; i++) {
        const struct rpt_run *r = ctx->runs[i];
        if (!rpt_run_any_emulated(r))
            continue;
        fputs("> **VM figures are emulated (TCG), not KVM", f);
        if (ctx->n_runs > 1) {
            fputs(" (run ", f);
            rpt_md_cell(f, r->label);
            fputs(")", f);
        }
        fputs(".** Reason: ", f);
        rpt_md_cell(f, r->host.accel_reason ? r->host.accel_reason : "not recorded");
        fputs(". Read VM numbers as an upper bound, not as what a VM costs on a KVM host.\n\n", f);
    }
    for (size_t i = 0; i < ctx->n_runs; i++) {
        char hosts[1024], logs[VCB_ERR_MSG_MAX + 256];
        if (rpt_arm_hosts_line(ctx->runs[i], hosts, sizeof(hosts)))
            md_run_note(f, ctx->runs[i], hosts, ".");
        if (rpt_logs_line(ctx->runs[i], logs, sizeof(logs)))
            md_run_note(f, ctx->runs[i], logs, "");
    }
}

static void md_row(FILE *f, const struct rpt_row *row, bool multi)
{
    char n[96], med[96], ci[96], flags[96], backend[96], params[400];
    rpt_row_cells(row, n, med, ci, flags, sizeof(n));
    rpt_backend_label(row->e, backend, sizeof(backend));
    rpt_params_text(row->e, params, sizeof(params));
    fputs("| ", f);
    if (multi) {
        rpt_md_cell(f, row->run->label);
        fputs(" | ", f);
    }
    rpt_md_cell(f, backend);
    fputs(" | ", f);
    rpt_md_cell(f, params);
    fputs(" | ", f);
    rpt_md_cell(f, row->m ? row->m->name : "— did not finish: ");
    if (!row->m) /* a failure is shown with its reason, never dropped */
        rpt_md_cell(f, row->e->dnf_reason ? row->e->dnf_reason : "no reason recorded");
    fprintf(f, " | %s | %s | %s | %zu | %s |\n", n, med, ci, row->e->n_dnf, flags);
}

static int md_section(FILE *f, const struct rpt_ctx *ctx, const struct rpt_section *sec,
                      struct vcb_err *err)
{
    cleanup_free struct rpt_row *rows = NULL;
    size_t n = 0;
    bool multi = ctx->n_runs > 1;
    if (rpt_rows(ctx->runs, ctx->n_runs, sec->pred, &rows, &n, err) < 0)
        return -1;
    if (n == 0 && sec->optional)
        return 0;
    fprintf(f, "## %s\n\n", sec->title);
    if (n == 0) {
        fprintf(f, "*No %s results: section skipped.*\n\n", sec->title);
        return 0;
    }
    for (size_t i = 0; sec->plots[i]; i++) {
        const struct rpt_plot *p = rpt_plot_get(ctx, sec->plots[i]);
        if (!p)
            continue;
        if (p->made)
            fprintf(f, "![%s](plots/%s.png)\n\n", p->title, p->id);
        else
            fprintf(f, "*Plot “%s” skipped: %s.*\n\n", p->title, p->skipped);
    }
    if (sec->md_extra)
        sec->md_extra(f, ctx);
    if (sec->extra_only) { /* its own table replaces the one per metric */
        fprintf(f, "*How it was measured.* %s\n\n", sec->how);
        return 0;
    }
    fprintf(f, "%s| backend | params | metric | n | median | 95%% CI | DNF | flags |\n",
            multi ? "| run " : "");
    fprintf(f, "%s|---|---|---|--:|--:|--:|--:|---|\n", multi ? "|---" : "");
    for (size_t i = 0; i < n; i++)
        md_row(f, &rows[i], multi);
    bool flagged = rpt_rows_flagged(rows, n);
    fprintf(f, "\n*How it was measured.* %s%s%s\n\n", sec->how, flagged ? " " : "",
            flagged ? RPT_FLAGS_HOW : "");
    return 0;
}

/* The options the numbers depend on, one sub-item each. */
static void md_run_facts(FILE *f, const struct rpt_run *r)
{
    char v[600];
    const char *what;
    for (size_t i = 0; rpt_run_fact(r, i, &what, v, sizeof(v)); i++) {
        fputs("  - ", f);
        rpt_md_cell(f, what);
        fputs(": `", f);
        for (const char *c = v; *c; c++) /* a backtick would end the code span */
            fputc(*c == '`' ? '\'' : *c, f);
        fputs("`\n", f);
    }
}

static void md_host(FILE *f, const struct rpt_ctx *ctx)
{
    char line[600];
    fputs("## Host\n\n", f);
    for (size_t i = 0; i < ctx->n_runs; i++) {
        const struct rpt_run *r = ctx->runs[i];
        rpt_host_line(r, line, sizeof(line));
        fputs("- ", f);
        if (ctx->n_runs > 1) {
            rpt_md_cell(f, r->label);
            fputs(": ", f);
        }
        rpt_md_cell(f, line);
        fputs("; cgroups ", f);
        rpt_md_cell(f, r->host.cgroup_mode ? r->host.cgroup_mode : "?");
        fputs("; vcbench ", f);
        rpt_md_cell(f, r->vcb_version ? r->vcb_version : "?");
        fputs("\n", f);
        md_run_facts(f, r);
    }
    fputs("\nFull host facts, the comparison of runs and the plots inline: `report.html`. "
          "Raw samples: `samples.csv`.\n",
          f);
}

int rpt_md_write(const struct rpt_ctx *ctx, const char *path, struct vcb_err *err)
{
    cleanup_fclose FILE *f = fopen(path, "we");
    cleanup_free char *answer = rpt_answer(ctx->runs[0]);
    if (!f)
        return vcb_err_sys(err, errno, "create %s", path);
    if (!answer)
        return vcb_err_sys(err, ENOMEM, "the answer");
    fputs("# vcbench report\n\n", f);
    md_banner(f, ctx);
    if (ctx->fleet)
        rpt_fleet_md(f, ctx);
    fprintf(f, "## The answer\n\n%s\n\n", answer);
    for (size_t i = 0; i < rpt_n_sections; i++)
        if (md_section(f, ctx, &rpt_sections[i], err) < 0)
            return -1;
    md_host(f, ctx);
    if (fflush(f) != 0 || ferror(f))
        return vcb_err_sys(err, errno ? errno : EIO, "write %s", path);
    return 0;
}
