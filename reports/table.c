/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* table.c — the rows of a section's table, shared by the HTML and Markdown
 * writers: one per (run, entry, metric), an entry with no metric (all DNF)
 * still gets a row so a failure is never silently left out. */
#include <errno.h>
#include <string.h>

#include "linfit.h"
#include "rpt-priv.h"

/* Isolation entries by victim, then aggressor in the IBS's order (solo
 * first); every other entry, and ties, keep the file's order. */
static bool iso_before(const struct rpt_entry *a, const struct rpt_entry *b)
{
    if (strcmp(a->scenario, "isolation") != 0 || strcmp(b->scenario, "isolation") != 0)
        return false;
    int va = rpt_victim_rank(rpt_param_str(a, "victim"));
    int vb = rpt_victim_rank(rpt_param_str(b, "victim"));
    if (va != vb)
        return va < vb;
    return rpt_aggressor_rank(rpt_param_str(a, "aggressor")) <
           rpt_aggressor_rank(rpt_param_str(b, "aggressor"));
}

/* A stable insertion sort of one run's rows, whole entries at a time. */
static void rows_order(struct rpt_row *rows, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        struct rpt_row r = rows[i];
        size_t j = i;
        while (j > 0 && rows[j - 1].run == r.run && iso_before(r.e, rows[j - 1].e)) {
            rows[j] = rows[j - 1];
            j--;
        }
        rows[j] = r;
    }
}

/* An isolation victim's other figures (victim.<field>): the disk and
 * network sections show them where they mean something; in the isolation
 * table they would repeat the score or list a figure (its run time, a
 * guest's memory) that is no score at all. */
static bool row_hidden(const struct rpt_entry *e, const struct rpt_metric *m)
{
    return strcmp(e->scenario, "isolation") == 0 && strncmp(m->name, "victim.", 7) == 0;
}

int rpt_rows(struct rpt_run *const *runs, size_t n_runs, bool (*pred)(const struct rpt_entry *),
             struct rpt_row **out, size_t *n_out, struct vcb_err *err)
{
    size_t cap = 0, n = 0;
    for (size_t r = 0; r < n_runs; r++)
        for (size_t i = 0; i < runs[r]->n_entries; i++)
            cap += runs[r]->entries[i].n_metrics + 1;
    struct rpt_row *rows = calloc(cap ? cap : 1, sizeof(*rows));
    if (!rows)
        return vcb_err_sys(err, ENOMEM, "report table");
    for (size_t r = 0; r < n_runs; r++) {
        for (size_t i = 0; i < runs[r]->n_entries; i++) {
            const struct rpt_entry *e = &runs[r]->entries[i];
            if (!pred(e))
                continue;
            size_t shown = 0;
            for (size_t m = 0; m < e->n_metrics; m++)
                if (!row_hidden(e, &e->metrics[m]))
                    rows[n++] = (struct rpt_row){runs[r], e, &e->metrics[m]}, shown++;
            if (shown == 0)
                rows[n++] = (struct rpt_row){runs[r], e, NULL};
        }
    }
    rows_order(rows, n);
    *out = rows;
    *n_out = n;
    return 0;
}

/* The cells every writer shows, formatted: n, median (with its marks),
 * "lo – hi" and the flags in words. */
void rpt_row_cells(const struct rpt_row *row, char *n, char *median, char *ci, char *flags,
                   size_t len)
{
    const struct rpt_metric *m = row->m;
    char value[64], marks[16];
    snprintf(n, len, "0");
    snprintf(median, len, "—");
    snprintf(ci, len, "—");
    flags[0] = '\0';
    if (!m || !m->has_summary)
        return;
    snprintf(n, len, "%.0f", m->sum.n);
    rpt_format_value(m->unit, m->sum.median, value, sizeof(value));
    rpt_summary_marks(&m->sum, marks, sizeof(marks));
    snprintf(median, len, "%s%s", value, marks);
    rpt_summary_flags(&m->sum, flags, len);
    int flag = rpt_metric_cost_flag(row->e, m); /* a figure that cannot be a cost says so */
    if (flag == VCB_COST_CI_ZERO || flag == VCB_COST_NO_CI || flag == VCB_COST_NEGATIVE)
        snprintf(median + strlen(median), len - strlen(median), " (%s)",
                 flag == VCB_COST_NEGATIVE ? "negative: not a cost" : "not resolved");
    if (!isnan(m->sum.ci_lo)) {
        char lo[48], hi[48];
        rpt_format_value(m->unit, m->sum.ci_lo, lo, sizeof(lo));
        rpt_format_value(m->unit, m->sum.ci_hi, hi, sizeof(hi));
        snprintf(ci, len, "%s – %s", lo, hi);
    }
}

bool rpt_rows_flagged(const struct rpt_row *rows, size_t n)
{
    char marks[16];
    for (size_t i = 0; i < n; i++) {
        if (!rows[i].m || !rows[i].m->has_summary)
            continue;
        rpt_summary_marks(&rows[i].m->sum, marks, sizeof(marks));
        if (marks[0])
            return true;
    }
    return false;
}
