/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cmd-report.c — `vcbench report RESULTS.json [MORE.json …] [-o DIR]`: plots,
 * report.html, report.md and samples.csv from results files only. */
#include <errno.h>
#include <getopt.h>
#include <string.h>

#include "commands.h"
#include "reports.h"

#define REPORT_DEFAULT_DIR "report"

static void report_usage(FILE *out)
{
    fprintf(out,
            "usage: vcbench report RESULTS.json [MORE.json ...] [-o DIR]\n"
            "       vcbench report FLEET.json [-o DIR]\n\n"
            "Makes a report from results files (and nothing else, so it can be re-made\n"
            "later): plots as SVG and PNG, report.html (one self-contained page),\n"
            "report.md (tables and PNG links, for papers and issues) and samples.csv\n"
            "(every raw sample with its labels). With several files the plots overlay\n"
            "the runs and report.html compares each run with the first. A fleet's\n"
            "fleet.json (vcbench fleet) makes the report of its hosts side by side.\n\n"
            "options:\n"
            "  -o, --out DIR     where to write (default: ./%s); an earlier report\n"
            "                    there is replaced only once the new one is complete\n"
            "  -q, --quiet       no progress lines\n"
            "  -h, --help        this text\n\n"
            "Plots need gnuplot at run time (Debian: apt-get install gnuplot-nox);\n"
            "$VCB_GNUPLOT names another gnuplot binary.\n"
            "Exit status: 0 done, 1 failed, 2 bad input (a malformed results file is\n"
            "named with the field that is wrong).\n",
            REPORT_DEFAULT_DIR);
}

static void report_progress(void *ctx, const char *line)
{
    fprintf(stderr, "vcbench report: %s\n", line);
}

static void runs_free(struct rpt_run **runs, size_t n)
{
    for (size_t i = 0; runs && i < n; i++)
        rpt_run_free(runs[i]);
    free(runs);
}

static int report_load_all(char **paths, size_t n, struct rpt_run ***out, struct vcb_err *err)
{
    struct rpt_run **runs = calloc(n, sizeof(*runs));
    if (!runs)
        return vcb_err_sys(err, ENOMEM, "load results");
    for (size_t i = 0; i < n; i++) {
        if (rpt_load(paths[i], &runs[i], err) < 0) {
            runs_free(runs, i);
            return -1;
        }
    }
    *out = runs;
    return 0;
}

/* A fleet's record (vcbench fleet's fleet.json): its hosts side by side. */
static int report_fleet(const char *path, const struct rpt_opts *opts)
{
    struct vcb_err err = {0};
    struct rpt_fleet *f = NULL;
    int r = rpt_fleet_load(path, &f, &err);
    if (r == 0)
        r = rpt_fleet_report_write(f, opts, &err);
    rpt_fleet_free(f);
    if (r < 0)
        return cli_fail("report", &err);
    printf("%s/report.html\n", opts->out_dir);
    return 0;
}

int cmd_report(int argc, char **argv)
{
    static const struct option longopts[] = {{"out", required_argument, NULL, 'o'},
                                             {"output", required_argument, NULL, 'o'},
                                             {"quiet", no_argument, NULL, 'q'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    struct rpt_opts opts = {.out_dir = REPORT_DEFAULT_DIR, .progress = report_progress};
    struct vcb_err err = {0};
    struct rpt_run **runs = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:qh", longopts, NULL)) != -1) {
        if (c == 'o')
            opts.out_dir = optarg;
        else if (c == 'q')
            opts.progress = NULL;
        else if (c == 'h') {
            report_usage(stdout);
            return 0;
        } else {
            report_usage(stderr);
            return 2;
        }
    }
    size_t n = (size_t)(argc - optind);
    if (n == 0) {
        fprintf(stderr, "vcbench report: no results file given\n");
        report_usage(stderr);
        return 2;
    }
    if (n == 1 && rpt_fleet_is(argv[optind]))
        return report_fleet(argv[optind], &opts);
    if (report_load_all(argv + optind, n, &runs, &err) < 0)
        return cli_fail("report", &err);
    int r = rpt_report_write(runs, n, &opts, &err);
    runs_free(runs, n);
    if (r < 0)
        return cli_fail("report", &err);
    printf("%s/report.html\n", opts.out_dir);
    return 0;
}
