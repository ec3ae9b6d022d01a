/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* html.c — report.html: one self-contained page (inline CSS and SVG, no
 * script, no external address), in the order a reader needs: the banner when
 * VMs were emulated, the answer, each scenario with plot, table and method,
 * the comparison of runs, the host. */
#include <errno.h>
#include <string.h>

#include "rpt-priv.h"

static const char css[] =
    "body{font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1b1b1b;"
    "max-width:1000px;margin:2em auto;padding:0 1em}"
    "h1{font-size:1.8em;margin-bottom:.2em}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;"
    "margin-top:2em}.meta{color:#555;margin-top:0}"
    ".banner{background:#fff4e5;border:2px solid #d55e00;border-radius:6px;padding:.8em 1em;"
    "margin:1em 0}.banner strong{color:#a33f00}"
    ".warn{background:#fdecea;border-left:4px solid #b00020;padding:.5em 1em}"
    ".answer{font-size:1.15em;background:#f3f7fb;border-left:4px solid #0072b2;"
    "padding:.6em 1em}"
    "figure{margin:1.2em 0}figure svg{width:100%;height:auto;border:1px solid #eee}"
    "figcaption{color:#555;font-size:.9em}.skipped{color:#666;font-style:italic}"
    "table{border-collapse:collapse;margin:1em 0;font-size:.9em;width:100%}"
    "th,td{padding:.3em .6em;border-bottom:1px solid #e5e5e5;text-align:left;"
    "vertical-align:top}th{background:#fafafa}td.num{text-align:right;"
    "font-variant-numeric:tabular-nums;white-space:nowrap}"
    "tr.regression td{background:#fdecea}.emu{color:#a33f00;font-weight:600}"
    ".hit{color:#00703c;font-weight:600}.miss{color:#b00020;font-weight:600}"
    ".how{color:#333}footer{margin-top:3em;color:#777;font-size:.85em}";

static void html_head(FILE *f, const struct rpt_ctx *ctx)
{
    const struct rpt_run *r = ctx->runs[0];
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
               "<title>vcbench report");
    if (r->id) {
        fputs(" — run ", f);
        rpt_html_puts(f, r->id);
    }
    fprintf(f,
            "</title>\n<style>%s</style>\n</head>\n<body>\n<header>\n<h1>vcbench report</h1>\n"
            "<p class=\"meta\">",
            css);
    for (size_t i = 0; i < ctx->n_runs; i++) {
        r = ctx->runs[i];
        fprintf(f, "%sRun ", i ? "<br>" : "");
        rpt_html_puts(f, r->id ? r->id : r->label);
        fputs(r->suite_name ? ", suite " : "", f);
        rpt_html_puts(f, r->suite_name);
        fputs(r->started ? ", started " : "", f);
        rpt_html_puts(f, r->started);
        fputs(r->vcb_version ? ", vcbench " : "", f);
        rpt_html_puts(f, r->vcb_version);
    }
    fputs("</p>\n</header>\n", f);
}

/* "Run LABEL: text" as a warning paragraph. */
static void html_run_warn(FILE *f, const struct rpt_run *r, const char *text, const char *end)
{
    fputs("<p class=\"warn\">Run ", f);
    rpt_html_puts(f, r->label);
    fputs(": ", f);
    rpt_html_puts(f, text);
    fprintf(f, "%s</p>\n", end);
}

/* Emulated VMs are never passed off as KVM: say so before any number. */
static void html_banners(FILE *f, const struct rpt_ctx *ctx)
{
    for (size_t i = 0; i < ctx->n_runs; i++) {
        const struct rpt_run *r = ctx->runs[i];
        if (rpt_run_any_emulated(r)) {
            fputs("<div class=\"banner\" role=\"alert\"><strong>VM figures are emulated (TCG), "
                  "not KVM",
                  f);
            if (ctx->n_runs > 1) {
                fputs(" (run ", f);
                rpt_html_puts(f, r->label);
                fputs(")", f);
            }
            fputs(".</strong> Reason: ", f);
            rpt_html_puts(f, r->host.accel_reason ? r->host.accel_reason : "not recorded");
            fputs(". Every VM figure below is labelled “emulated (TCG)”. Emulated guests run "
                  "many times slower than hardware-accelerated ones: read these VM numbers as an "
                  "upper bound, not as what a VM costs on a KVM host.</div>\n",
                  f);
        }
        if (!r->complete) {
            fputs("<p class=\"warn\">Run ", f);
            rpt_html_puts(f, r->label);
            fputs(" stopped early", f);
            if (r->stopped_by) {
                fputs(" (", f);
                rpt_html_puts(f, r->stopped_by);
                fputs(")", f);
            }
            fputs(": only the scenarios that finished are shown.</p>\n", f);
        }
        char hosts[1024], logs[VCB_ERR_MSG_MAX + 256];
        if (rpt_arm_hosts_line(r, hosts, sizeof(hosts)))
            html_run_warn(f, r, hosts, ".");
        if (rpt_logs_line(r, logs, sizeof(logs)))
            html_run_warn(f, r, logs, "");
    }
}

static int html_answer(FILE *f, const struct rpt_ctx *ctx, struct vcb_err *err)
{
    cleanup_free char *text = rpt_answer(ctx->runs[0]);
    if (!text)
        return vcb_err_sys(err, ENOMEM, "the answer");
    fputs("<section id=\"answer\">\n<h2>The answer</h2>\n<p class=\"answer\">", f);
    rpt_html_puts(f, text);
    fputs("</p>\n", f);
    if (ctx->n_runs > 1) {
        fputs("<p>From run ", f);
        rpt_html_puts(f, ctx->runs[0]->label);
        fputs("; the other runs are compared with it below.</p>\n", f);
    }
    fputs("</section>\n", f);
    return 0;
}

static int html_plot(FILE *f, const struct rpt_ctx *ctx, const struct rpt_plot *p,
                     struct vcb_err *err)
{
    char path[4096], prefix[80];
    cleanup_free char *svg = NULL;
    size_t len;
    if (!p) /* plots were not made at all (tests of the page alone) */
        return 0;
    if (!p->made) {
        fprintf(f, "<p class=\"skipped\">Plot “%s” skipped: ", p->title);
        rpt_html_puts(f, p->skipped);
        fputs(".</p>\n", f);
        return 0;
    }
    snprintf(path, sizeof(path), "%s/plots/%s.svg", ctx->dir, p->id);
    snprintf(prefix, sizeof(prefix), "%s", p->id);
    if (vcb_read_file(path, &svg, &len, err) < 0)
        return -1;
    fprintf(f, "<figure id=\"fig-%s\">\n", p->id);
    if (rpt_svg_inline(f, svg, prefix, p->title) < 0)
        return vcb_err_set(err, 0, "plots/%s.svg: not an SVG document", p->id);
    fprintf(f,
            "<figcaption>%s. Also as <code>plots/%s.png</code> and <code>.svg</code>."
            "</figcaption>\n</figure>\n",
            p->title, p->id);
    return 0;
}

static void html_row(FILE *f, const struct rpt_row *row, bool multi)
{
    char n[96], med[96], ci[96], flags[96], backend[96], params[400];
    rpt_row_cells(row, n, med, ci, flags, sizeof(n));
    rpt_backend_label(row->e, backend, sizeof(backend));
    rpt_params_text(row->e, params, sizeof(params));
    fputs("<tr>", f);
    if (multi) {
        fputs("<td>", f);
        rpt_html_puts(f, row->run->label);
        fputs("</td>", f);
    }
    fprintf(f, "<td%s>", row->e->emulated ? " class=\"emu\"" : "");
    rpt_html_puts(f, backend);
    fputs("</td><td>", f);
    rpt_html_puts(f, params);
    fputs("</td><td>", f);
    rpt_html_puts(f, row->m ? row->m->name : "— did not finish: ");
    if (!row->m) /* a failure is shown with its reason, never dropped */
        rpt_html_puts(f, row->e->dnf_reason ? row->e->dnf_reason : "no reason recorded");
    fprintf(f,
            "</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s"
            "</td><td class=\"num\">%zu</td><td>%s</td></tr>\n",
            n, med, ci, row->e->n_dnf, flags);
}

static int html_table(FILE *f, const struct rpt_ctx *ctx, const struct rpt_section *sec,
                      size_t *n_rows, bool *flagged, struct vcb_err *err)
{
    cleanup_free struct rpt_row *rows = NULL;
    if (rpt_rows(ctx->runs, ctx->n_runs, sec->pred, &rows, n_rows, err) < 0)
        return -1;
    if (*n_rows == 0)
        return 0;
    *flagged = rpt_rows_flagged(rows, *n_rows);
    fprintf(f,
            "<table>\n<thead><tr>%s<th>backend</th><th>params</th><th>metric</th>"
            "<th>n</th><th>median</th><th>95%% CI of the median</th><th>DNF</th>"
            "<th>flags</th></tr></thead>\n<tbody>\n",
            ctx->n_runs > 1 ? "<th>run</th>" : "");
    for (size_t i = 0; i < *n_rows; i++)
        html_row(f, &rows[i], ctx->n_runs > 1);
    fputs("</tbody>\n</table>\n", f);
    return 0;
}

static int html_count(const struct rpt_ctx *ctx, const struct rpt_section *sec, size_t *n_rows,
                      struct vcb_err *err)
{
    cleanup_free struct rpt_row *rows = NULL;
    return rpt_rows(ctx->runs, ctx->n_runs, sec->pred, &rows, n_rows, err);
}

static int html_section(FILE *f, const struct rpt_ctx *ctx, const struct rpt_section *sec,
                        struct vcb_err *err)
{
    cleanup_free char *buf = NULL;
    size_t len = 0, n_rows = 0;
    bool flagged = false;
    FILE *body = open_memstream(&buf, &len);
    if (!body)
        return vcb_err_sys(err, errno, "report.html");
    int r = 0;
    for (size_t i = 0; r == 0 && sec->plots[i]; i++)
        r = html_plot(body, ctx, rpt_plot_get(ctx, sec->plots[i]), err);
    if (r == 0 && sec->html_extra)
        sec->html_extra(body, ctx);
    if (r == 0 && sec->extra_only) /* its own table: the rows only say whether it has any */
        r = html_count(ctx, sec, &n_rows, err);
    else if (r == 0)
        r = html_table(body, ctx, sec, &n_rows, &flagged, err);
    fclose(body);
    if (r < 0)
        return -1;
    if (n_rows == 0 && sec->optional)
        return 0;
    fprintf(f, "<section id=\"%s\">\n<h2>%s</h2>\n", sec->id, sec->title);
    if (n_rows == 0)
        fprintf(f, "<p class=\"skipped\">No %s results in %s: section skipped.</p>\n", sec->title,
                ctx->n_runs > 1 ? "these files" : "this file");
    else
        fprintf(f, "%s<p class=\"how\"><strong>How it was measured.</strong> %s%s%s</p>\n", buf,
                sec->how, flagged ? " " : "", flagged ? RPT_FLAGS_HOW : "");
    fputs("</section>\n", f);
    return 0;
}

int rpt_html_write(const struct rpt_ctx *ctx, const char *path, struct vcb_err *err)
{
    cleanup_fclose FILE *f = fopen(path, "we");
    if (!f)
        return vcb_err_sys(err, errno, "create %s", path);
    html_head(f, ctx);
    html_banners(f, ctx);
    if (ctx->fleet)
        rpt_fleet_html(f, ctx);
    if (html_answer(f, ctx, err) < 0)
        return -1;
    for (size_t i = 0; i < rpt_n_sections; i++)
        if (html_section(f, ctx, &rpt_sections[i], err) < 0)
            return -1;
    if (ctx->n_runs > 1 && rpt_html_compare(f, ctx, err) < 0)
        return -1;
    rpt_html_host(f, ctx);
    fputs("<footer>Made by <code>vcbench report</code> from ", f);
    for (size_t i = 0; i < ctx->n_runs; i++) {
        fputs(i ? ", <code>" : "<code>", f);
        rpt_html_puts(f, ctx->runs[i]->path);
        fputs("</code>", f);
    }
    fputs(". Raw samples: <code>samples.csv</code>; plots: <code>plots/</code>.</footer>\n"
          "</body>\n</html>\n",
          f);
    if (fflush(f) != 0 || ferror(f))
        return vcb_err_sys(err, errno ? errno : EIO, "write %s", path);
    return 0;
}
