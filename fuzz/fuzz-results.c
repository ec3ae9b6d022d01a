/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-results.c — results files as `vcbench report` and `compare` read them
 * (reports/load.c), then everything those commands compute from a loaded
 * run without gnuplot: the comparison of the run with itself, the answer
 * text, the CSV, and report.html / report.md without plots (all written to
 * /dev/null), and its comparison with a fixed small run both ways. Contract
 * checked beyond memory safety: a rejected file is a usage error naming the
 * file; a run compared with itself has no regression and no improvement. */
#include "fuzz-common.h"
#include "rpt-priv.h"

#define FILE_NAME "fuzz-results.json"

static bool pred_all(const struct rpt_entry *e)
{
    return true;
}

static void check_self_compare(struct rpt_run *run)
{
    struct rpt_cmp cmp;
    struct vcb_err err = {0};
    FUZZ_CHECK(rpt_compare(run, run, 10.0, &cmp, &err) == 0, "compare: %s", err.msg);
    FUZZ_CHECK(cmp.n_regressions == 0, "%zu regressions against itself", cmp.n_regressions);
    for (size_t i = 0; i < cmp.n_rows; i++)
        FUZZ_CHECK(cmp.rows[i].verdict != RPT_IMPROVED && cmp.rows[i].verdict != RPT_REGRESSION,
                   "row %s: %s against itself", cmp.rows[i].key,
                   rpt_verdict_name(cmp.rows[i].verdict));
    rpt_cmp_clear(&cmp);
}

/* Against a fixed small run, both ways: the paths where metrics exist on one
 * side only, and where params and units differ. */
static void check_cross_compare(struct rpt_run *run)
{
    static const char base_text[] =
        "{\"schema\": \"vcbench-results/1\", \"host\": {\"accel\": \"tcg\"}, \"results\": ["
        "{\"scenario\": \"boot\", \"backend\": \"vm\", \"params\": {\"mode\": \"serial\", "
        "\"workload\": \"noop\"}, \"metrics\": [{\"name\": \"create_to_ready\", \"unit\": \"ns\", "
        "\"samples\": [3, 1, 2]}]}, {\"scenario\": \"memory\", \"backend\": \"container\", "
        "\"params\": {}, \"metrics\": [{\"name\": \"host_cost\", \"unit\": \"bytes\", "
        "\"samples\": [1000]}]}]}";
    struct rpt_run *base = NULL;
    struct rpt_cmp cmp;
    struct vcb_err err = {0};
    FUZZ_CHECK(rpt_load_str(base_text, "base.json", &base, &err) == 0, "base: %s", err.msg);
    FUZZ_CHECK(rpt_compare(base, run, 5.0, &cmp, &err) == 0, "compare base/new: %s", err.msg);
    rpt_cmp_clear(&cmp);
    FUZZ_CHECK(rpt_compare(run, base, 5.0, &cmp, &err) == 0, "compare new/base: %s", err.msg);
    rpt_cmp_clear(&cmp);
    rpt_run_free(base);
}

static void write_outputs(struct rpt_run *run)
{
    struct vcb_err err = {0};
    struct rpt_opts opts = {.out_dir = "/dev/null"};
    struct rpt_run *runs[1] = {run};
    struct rpt_ctx ctx = {.runs = runs, .n_runs = 1, .dir = "/dev/null", .opts = &opts};
    free(rpt_answer(run));
    FILE *f = fopen("/dev/null", "w");
    if (f) {
        rpt_csv_write_run(f, run);
        fclose(f);
    }
    struct rpt_row *rows = NULL;
    size_t n = 0;
    if (rpt_rows(runs, 1, pred_all, &rows, &n, &err) == 0)
        free(rows);
    (void)rpt_html_write(&ctx, "/dev/null", &err);
    (void)rpt_md_write(&ctx, "/dev/null", &err);
    struct rpt_run *two[2] = {run, run}; /* the multi-run page and its comparison */
    ctx.runs = two;
    ctx.n_runs = 2;
    (void)rpt_html_write(&ctx, "/dev/null", &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_strndup(data, size);
    struct rpt_run *run = NULL;
    struct vcb_err err = {0};
    if (rpt_load_str(text, FILE_NAME, &run, &err) < 0) {
        FUZZ_CHECK(err.usage == 1 || err.code == ENOMEM, "not a usage error: %s", err.msg);
        FUZZ_CHECK(strncmp(err.msg, FILE_NAME, strlen(FILE_NAME)) == 0,
                   "message does not name the file: %s", err.msg);
        FUZZ_CHECK(run == NULL, "output set on failure");
    } else {
        check_self_compare(run);
        check_cross_compare(run);
        write_outputs(run);
        rpt_run_free(run);
    }
    free(text);
    return 0;
}
