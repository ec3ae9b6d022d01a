/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* html-runs.c — the parts of report.html about runs rather than scenarios:
 * the comparison of each run with the first, and the host facts. */
#include <string.h>

#include "rpt-priv.h"

#define COMPARE_TOLERANCE 10.0 /* %: the same default as `vcbench compare` */

static void cmp_row(FILE *f, const struct rpt_cmp_row *r)
{
    char b[64], n[64], ch[64];
    rpt_format_value(r->unit, r->base_median, b, sizeof(b));
    rpt_format_value(r->unit, r->new_median, n, sizeof(n));
    if (isnan(r->change))
        snprintf(ch, sizeof(ch), "—");
    else
        snprintf(ch, sizeof(ch), "%+.1f%s", r->change, strcmp(r->unit, "pct") == 0 ? " pt" : " %");
    fprintf(f, "<tr%s><td%s>", r->verdict == RPT_REGRESSION ? " class=\"regression\"" : "",
            r->emulated ? " class=\"emu\"" : "");
    rpt_html_puts(f, r->key);
    fprintf(f,
            "</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
            "<td>%s%s%s%s</td></tr>\n",
            b, n, ch, rpt_verdict_name(r->verdict), r->accel_diff ? " (KVM vs emulated, TCG)" : "",
            r->flags[0] ? "; " : "", r->flags);
}

/* What the two runs were told differently, above their numbers. */
static void html_run_diffs(FILE *f, const struct rpt_run *base, const struct rpt_run *new_run)
{
    struct rpt_run_diff d[RPT_RUN_FACTS_MAX];
    size_t n = rpt_run_diffs(base, new_run, d, RPT_RUN_FACTS_MAX);
    if (n == 0)
        return;
    fputs("<p class=\"warn\">The runs differ in what changes the numbers:</p>\n<ul>\n", f);
    for (size_t i = 0; i < n; i++) {
        fputs("<li>", f);
        rpt_html_puts(f, d[i].what);
        fputs(": <code>", f);
        rpt_html_puts(f, d[i].base);
        fputs("</code> → <code>", f);
        rpt_html_puts(f, d[i].new_);
        fputs("</code></li>\n", f);
    }
    fputs("</ul>\n", f);
}

int rpt_html_compare(FILE *f, const struct rpt_ctx *ctx, struct vcb_err *err)
{
    fputs("<section id=\"comparison\">\n<h2>Comparison of runs</h2>\n", f);
    for (size_t i = 1; i < ctx->n_runs; i++) {
        struct rpt_cmp cmp;
        if (rpt_compare(ctx->runs[0], ctx->runs[i], COMPARE_TOLERANCE, &cmp, err) < 0)
            return -1;
        fputs("<h3>", f);
        rpt_html_puts(f, ctx->runs[i]->label);
        fputs(" against ", f);
        rpt_html_puts(f, ctx->runs[0]->label);
        fprintf(f, ": %zu regression(s)</h3>\n", cmp.n_regressions);
        html_run_diffs(f, ctx->runs[0], ctx->runs[i]);
        fprintf(f, "<table>\n<thead><tr><th>metric</th><th>base "
                   "median</th><th>new median</th><th>change</th><th>verdict</th></tr></thead>"
                   "\n<tbody>\n");
        for (size_t r = 0; r < cmp.n_rows; r++)
            cmp_row(f, &cmp.rows[r]);
        fputs("</tbody>\n</table>\n", f);
        rpt_cmp_clear(&cmp);
    }
    fprintf(f,
            "<p class=\"how\"><strong>How it was judged.</strong> Metrics are matched by "
            "scenario, backend, parameters and name. A change beyond %.0f %% (percentage "
            "points for degradation) is a regression only when it goes the worse way (time "
            "and memory up, rates down) and the 95%% CIs of the two medians do not overlap. "
            "A VM row run under KVM on one side and emulated (TCG) on the other gets no "
            "verdict: the difference is the emulation. <code>vcbench compare</code> gives the "
            "same verdicts.</p>\n</section>\n",
            COMPARE_TOLERANCE);
    return 0;
}

/* Fact i of a run as text; false when past the last fact. */
static bool host_fact(const struct rpt_run *r, size_t i, const char **name, char *buf, size_t len)
{
    static const char *const names[] = {
        "host",        "CPU",          "cores",
        "memory",      "kernel",       "cgroups",
        "VM accel",    "libvirt",      "qemu",
        "THP",         "KSM",          "vcbench",
        "run started", "run finished", "OCI runtimes (seccomp: none, the runtime's default)"};
    const struct rpt_host *h = &r->host;
    const char *s[] = {h->hostname,     h->cpu_model,   NULL,   NULL,
                       h->kernel,       h->cgroup_mode, NULL,   h->libvirt_version,
                       h->qemu_version, h->thp,         h->ksm, NULL,
                       r->started,      r->finished,    NULL};
    if (i >= sizeof(names) / sizeof(names[0]))
        return false;
    *name = names[i];
    snprintf(buf, len, "%s", s[i] ? s[i] : "—");
    if (i == 2)
        snprintf(buf, len, "%llu", (unsigned long long)h->cores);
    if (i == 3)
        rpt_format_value("bytes", (double)h->mem_total_bytes, buf, len);
    if (i == 6)
        snprintf(buf, len, "%s%s%s",
                 !h->accel                      ? "no VM arm"
                 : strcmp(h->accel, "tcg") == 0 ? "emulated (TCG)"
                                                : "KVM",
                 h->accel_reason ? ": " : "", h->accel_reason ? h->accel_reason : "");
    if (i == 14 && !rpt_oci_line(h, buf, len))
        snprintf(buf, len, "no OCI runtime arm");
    if (i == 11)
        snprintf(buf, len, "%s (%s)", r->vcb_version ? r->vcb_version : "?",
                 r->vcb_git ? r->vcb_git : "?");
    rpt_utf8_trim(buf);
    return true;
}

typedef bool (*fact_fn)(const struct rpt_run *r, size_t i, const char **name, char *buf,
                        size_t len);

/* One row per fact from `first` on, one column per run. */
static void fact_rows(FILE *f, const struct rpt_ctx *ctx, fact_fn fact, size_t first)
{
    char v[512];
    const char *name;
    for (size_t i = first; fact(ctx->runs[0], i, &name, v, sizeof(v)); i++) {
        fputs("<tr><th>", f);
        rpt_html_puts(f, name);
        fputs("</th>", f);
        for (size_t r = 0; r < ctx->n_runs; r++) {
            fact(ctx->runs[r], i, &name, v, sizeof(v));
            fputs("<td>", f);
            rpt_html_puts(f, v);
            fputs("</td>", f);
        }
        fputs("</tr>\n", f);
    }
}

void rpt_html_host(FILE *f, const struct rpt_ctx *ctx)
{
    fputs("<section id=\"host\">\n<h2>Host</h2>\n<table>\n<thead><tr><th></th>", f);
    for (size_t r = 0; r < ctx->n_runs; r++) {
        fputs("<th>", f);
        rpt_html_puts(f, ctx->n_runs > 1 ? ctx->runs[r]->label : "value");
        fputs("</th>", f);
    }
    fputs("</tr></thead>\n<tbody>\n", f);
    fact_rows(f, ctx, host_fact, 0);
    /* the options the numbers depend on (VM acceleration is a host row above) */
    fact_rows(f, ctx, rpt_run_fact, 1);
    fputs("</tbody>\n</table>\n</section>\n", f);
}
