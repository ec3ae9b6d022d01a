/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* csv.c — samples.csv: one row per raw sample with all its labels, for
 * people's own tools (R, pandas, a spreadsheet). Values in the file's units
 * (ns, bytes, …), never rescaled. */
#include <errno.h>

#include "rpt-priv.h"

#define CSV_HEADER "run,file,scenario,backend,emulated,params,metric,unit,index,value\n"

/* Integers exactly (ns and bytes up to 2^53), other values round-trip. */
static void csv_value(FILE *f, double v)
{
    if (v == floor(v) && fabs(v) < 9007199254740992.0)
        fprintf(f, "%.0f", v);
    else
        fprintf(f, "%.17g", v);
}

static void csv_labels(FILE *f, const struct rpt_run *run, const struct rpt_entry *e,
                       const struct rpt_metric *m)
{
    rpt_csv_field(f, run->id ? run->id : run->label);
    fputc(',', f);
    rpt_csv_field(f, run->path);
    fputc(',', f);
    rpt_csv_field(f, e->scenario);
    fputc(',', f);
    rpt_csv_field(f, e->backend);
    fprintf(f, ",%s,", e->emulated ? "true" : "false");
    rpt_csv_field(f, e->params_key);
    fputc(',', f);
    rpt_csv_field(f, m->name);
    fputc(',', f);
    rpt_csv_field(f, m->unit);
}

size_t rpt_csv_write_run(FILE *f, const struct rpt_run *run)
{
    size_t rows = 0;
    for (size_t i = 0; i < run->n_entries; i++) {
        const struct rpt_entry *e = &run->entries[i];
        for (size_t m = 0; m < e->n_metrics; m++) {
            for (size_t s = 0; s < e->metrics[m].n_samples; s++) {
                csv_labels(f, run, e, &e->metrics[m]);
                fprintf(f, ",%zu,", s);
                csv_value(f, e->metrics[m].samples[s]);
                fputc('\n', f);
                rows++;
            }
        }
    }
    return rows;
}

int rpt_csv_write(struct rpt_run *const *runs, size_t n_runs, const char *path, struct vcb_err *err)
{
    cleanup_fclose FILE *f = fopen(path, "we");
    if (!f)
        return vcb_err_sys(err, errno, "create %s", path);
    fputs(CSV_HEADER, f);
    for (size_t r = 0; r < n_runs; r++)
        rpt_csv_write_run(f, runs[r]);
    if (fflush(f) != 0 || ferror(f))
        return vcb_err_sys(err, errno ? errno : EIO, "write %s", path);
    return 0;
}
