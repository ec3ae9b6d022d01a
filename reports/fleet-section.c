/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fleet-section.c — the report's fleet section: every host of the fleet
 * with its destination, labels, status and time, and the reason of each
 * that did not finish (incomplete or DNF), in report.html and report.md. */
#include <string.h>

#include "rpt-priv.h"

void rpt_fleet_labels_text(const struct rpt_fleet_host *h, char *buf, size_t len)
{
    const char *k;
    json_t *v;
    size_t o = 0;
    buf[0] = '\0';
    json_object_foreach(h->labels, k, v)
    {
        if (o >= len)
            break;
        o += (size_t)snprintf(buf + o, len - o, "%s%s=%s", o ? " " : "", k, json_string_value(v));
    }
    rpt_utf8_trim(buf);
}

static size_t fleet_count(const struct rpt_fleet *f, const char *status)
{
    size_t n = 0;
    for (size_t i = 0; i < f->n_hosts; i++)
        n += !strcmp(f->hosts[i].status, status);
    return n;
}

#define FLEET_COLS 6

/* A host's row: host, destination, labels ("gen=zen3 kernel=6.1", written
 * in labels), status, time (written in time), reason. */
static void host_row(const struct rpt_fleet_host *h, const char *cells[FLEET_COLS],
                     char labels[512], char time[64])
{
    rpt_fleet_labels_text(h, labels, 512);
    if (h->total_s > 0)
        snprintf(time, 64, "%.0f s", h->total_s);
    else
        snprintf(time, 64, "—");
    cells[0] = h->name;
    cells[1] = h->dest ? h->dest : "—";
    cells[2] = labels;
    cells[3] = strcmp(h->status, "dnf") ? h->status : "DNF";
    cells[4] = time;
    cells[5] = h->reason ? h->reason : "";
}

static void fleet_summary(const struct rpt_fleet *f, char *buf, size_t len)
{
    size_t incomplete = fleet_count(f, "incomplete");
    char part[128] = "";
    if (incomplete)
        snprintf(part, sizeof(part), ", %zu stopped early with their results so far (incomplete)",
                 incomplete);
    snprintf(buf, len, "Suite %s on %zu hosts over ssh: %zu finished%s, %zu did not (DNF)%s%s.",
             f->suite ? f->suite : "?", f->n_hosts, fleet_count(f, "done"), part,
             fleet_count(f, "dnf"), f->stopped_by ? "; the fleet was stopped by " : "",
             f->stopped_by ? f->stopped_by : "");
}

void rpt_fleet_html(FILE *f, const struct rpt_ctx *ctx)
{
    const struct rpt_fleet *fl = ctx->fleet;
    char sum[512], labels[512], time[64];
    fleet_summary(fl, sum, sizeof(sum));
    fputs("<section id=\"fleet\">\n<h2>Fleet</h2>\n<p>", f);
    rpt_html_puts(f, sum);
    fputs("</p>\n<table>\n<thead><tr><th>host</th><th>destination</th><th>labels</th>"
          "<th>status</th><th>time</th><th>reason</th></tr></thead>\n<tbody>\n",
          f);
    for (size_t i = 0; i < fl->n_hosts; i++) {
        const struct rpt_fleet_host *h = &fl->hosts[i];
        const char *cells[FLEET_COLS];
        host_row(h, cells, labels, time);
        fputs(h->run_i == SIZE_MAX ? "<tr class=\"regression\">" : "<tr>", f);
        for (size_t c = 0; c < FLEET_COLS; c++) {
            fputs("<td>", f);
            rpt_html_puts(f, cells[c]);
            fputs("</td>", f);
        }
        fputs("</tr>\n", f);
    }
    fputs("</tbody>\n</table>\n<p class=\"how\"><strong>How to read it.</strong> Each host ran "
          "the suite with its own vcbench, the same version as the one that started the fleet. "
          "The plots group each host's series and label them with its name and labels; the "
          "host facts table has a column per host; the comparison judges every host against "
          "the first. An incomplete host's numbers are those its run had saved when it was stopped "
          "or failed; a DNF host has no numbers here, only its reason.</p>\n</section>\n",
          f);
}

void rpt_fleet_md(FILE *f, const struct rpt_ctx *ctx)
{
    const struct rpt_fleet *fl = ctx->fleet;
    char sum[512], labels[512], time[64];
    fleet_summary(fl, sum, sizeof(sum));
    fprintf(f,
            "## Fleet\n\n%s\n\n| host | destination | labels | status | time | reason |\n"
            "| --- | --- | --- | --- | --- | --- |\n",
            sum);
    for (size_t i = 0; i < fl->n_hosts; i++) {
        const struct rpt_fleet_host *h = &fl->hosts[i];
        const char *cells[FLEET_COLS];
        host_row(h, cells, labels, time);
        for (size_t c = 0; c < FLEET_COLS; c++) {
            fputs("| ", f);
            rpt_md_cell(f, cells[c]);
            fputs(" ", f);
        }
        fputs("|\n", f);
    }
    fputs("\n", f);
}
