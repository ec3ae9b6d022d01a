/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* report.c — make a whole report: everything is written into a temporary
 * sibling of the output directory, which takes the output's place only when
 * complete, so a failed report leaves nothing half-made behind. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "rpt-priv.h"

/* Legend names: the run id when the ids tell runs apart, else "run N". */
static void label_runs(struct rpt_run *const *runs, size_t n)
{
    bool unique = true;
    for (size_t i = 0; i < n && unique; i++)
        for (size_t j = 0; j < i && unique; j++)
            unique = runs[i]->id && runs[j]->id && strcmp(runs[i]->id, runs[j]->id) != 0;
    for (size_t i = 0; i < n; i++) {
        if (unique && runs[i]->id && n > 1)
            snprintf(runs[i]->label, sizeof(runs[i]->label), "%.24s", runs[i]->id);
        else if (runs[i]->id && n == 1)
            snprintf(runs[i]->label, sizeof(runs[i]->label), "%.24s", runs[i]->id);
        else
            snprintf(runs[i]->label, sizeof(runs[i]->label), "run %zu", i + 1);
        rpt_utf8_trim(runs[i]->label);
    }
}

/* Replace an earlier report only: never a directory holding other things. */
static int check_out_dir(const char *dir, bool *exists, struct vcb_err *err)
{
    struct stat st;
    char marker[4096];
    *exists = false;
    if (lstat(dir, &st) < 0)
        return errno == ENOENT ? 0 : vcb_err_sys(err, errno, "%s", dir);
    if (!S_ISDIR(st.st_mode))
        return vcb_err_usage(err, "-o %s: exists and is not a directory", dir);
    snprintf(marker, sizeof(marker), "%s/report.html", dir);
    if (rmdir(dir) == 0) /* an empty directory just goes */
        return 0;
    if (!vcb_path_exists(marker))
        return vcb_err_usage(err,
                             "-o %s: exists and holds no earlier report (no report.html): "
                             "choose another directory or remove it",
                             dir);
    *exists = true;
    return 0;
}

static int make_tmp_dir(const char *out, char **tmp, struct vcb_err *err)
{
    cleanup_free char *copy = strdup(out);
    if (!copy)
        return vcb_err_sys(err, ENOMEM, "%s", out);
    const char *parent = dirname(copy);
    if (vcb_mkdir_p(parent, 0755, err) < 0)
        return vcb_err_prefix(err, "create the output directory's parent");
    if (asprintf(tmp, "%s.tmp-XXXXXX", out) < 0)
        return vcb_err_sys(err, ENOMEM, "%s", out);
    if (!mkdtemp(*tmp)) {
        int e = errno;
        free(*tmp);
        *tmp = NULL;
        return vcb_err_sys(err, e, "create a temporary directory next to %s", out);
    }
    chmod(*tmp, 0755); /* mkdtemp makes it 0700; a report is for reading */
    return 0;
}

/* Swap the finished report in: atomic exchange with an earlier one, whose
 * remains (now at tmp) are then removed. */
static int install(const char *tmp, const char *out, bool exists, struct vcb_err *err)
{
    if (!exists) {
        if (rename(tmp, out) < 0)
            return vcb_err_sys(err, errno, "rename %s to %s", tmp, out);
        return 0;
    }
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, out, RENAME_EXCHANGE) < 0)
        return vcb_err_sys(err, errno, "replace %s with the new report", out);
    return vcb_rm_rf(tmp, err) < 0 ? vcb_err_prefix(err, "remove the earlier report") : 0;
}

static int write_all(struct rpt_ctx *ctx, struct vcb_err *err)
{
    char path[4096];
    if (rpt_plots_make(ctx, err) < 0)
        return -1;
    rpt_progress(ctx, "writing report.html, report.md and samples.csv");
    snprintf(path, sizeof(path), "%s/report.html", ctx->dir);
    if (rpt_html_write(ctx, path, err) < 0)
        return -1;
    snprintf(path, sizeof(path), "%s/report.md", ctx->dir);
    if (rpt_md_write(ctx, path, err) < 0)
        return -1;
    snprintf(path, sizeof(path), "%s/samples.csv", ctx->dir);
    return rpt_csv_write(ctx->runs, ctx->n_runs, path, err);
}

int rpt_report_write(struct rpt_run *const *runs, size_t n, const struct rpt_opts *opts,
                     struct vcb_err *err)
{
    return rpt_report_make(runs, n, opts, NULL, err);
}

int rpt_report_make(struct rpt_run *const *runs, size_t n, const struct rpt_opts *opts,
                    const struct rpt_fleet *fleet, struct vcb_err *err)
{
    cleanup_free char *gnuplot = NULL, *tmp = NULL;
    bool exists;
    if (n == 0 || !opts->out_dir || !opts->out_dir[0])
        return vcb_err_usage(err, "report: need at least one results file and an output dir");
    if (!fleet)
        label_runs(runs, n);
    if (rpt_gp_find(opts->gnuplot, &gnuplot, err) < 0 ||
        check_out_dir(opts->out_dir, &exists, err) < 0 ||
        make_tmp_dir(opts->out_dir, &tmp, err) < 0)
        return -1;
    struct rpt_ctx ctx = {
        .runs = runs, .n_runs = n, .fleet = fleet, .dir = tmp, .gnuplot = gnuplot, .opts = opts};
    int r = write_all(&ctx, err);
    if (r == 0)
        r = install(tmp, opts->out_dir, exists, err);
    free(ctx.plots);
    if (r < 0) {
        struct vcb_err ignored = {0};
        vcb_rm_rf(tmp, &ignored);
    }
    return r;
}
