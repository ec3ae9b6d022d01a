/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cmd-compare.c — `vcbench compare BASE.json NEW.json [--tolerance 10%]`:
 * per metric the change of the median and its verdict; exit 1 on a
 * regression so a suite can gate CI (as Kata's checkmetrics does). */
#include <getopt.h>
#include <math.h>
#include <string.h>

#include "commands.h"
#include "reports.h"

static void compare_usage(FILE *out)
{
    fprintf(out, "usage: vcbench compare BASE.json NEW.json [--tolerance 10%%]\n\n"
                 "Compares two results files metric by metric (matched by scenario, backend,\n"
                 "params and metric name) and prints the change of each median.\n"
                 "A metric regressed when its median moved the worse way (time, memory and\n"
                 "degradation up; rates down) by more than the tolerance AND the 95%% CIs of\n"
                 "the two medians do not overlap. For degradation (a percentage) the change\n"
                 "is in percentage points.\n\n"
                 "options:\n"
                 "  -t, --tolerance PCT  allowed change, e.g. 10%% (default) or 5\n"
                 "  -h, --help           this text\n\n"
                 "Runs that differ in what changes the numbers (VM acceleration, machine type,\n"
                 "--userns, --seccomp, libvirt URI, guest kernel and its command line, the\n"
                 "suite file, the command line) are listed before the table. VM rows with KVM\n"
                 "on one side and emulation (TCG) on the other are not comparable: no verdict.\n\n"
                 "Exit status: 0 no regression, 1 a regression, 2 bad input or VM rows under\n"
                 "KVM against TCG.\n");
}

/* Right-align by characters, not bytes: "µs" is two bytes of UTF-8. */
static void print_right(const char *s, int width)
{
    int chars = 0;
    for (const char *c = s; *c; c++)
        chars += ((unsigned char)*c & 0xc0) != 0x80;
    printf("%*s%s", width > chars ? width - chars : 0, "", s);
}

static void compare_print_row(const struct rpt_cmp_row *r)
{
    char b[48], n[48], ch[32];
    rpt_format_value(r->unit, r->base_median, b, sizeof(b));
    rpt_format_value(r->unit, r->new_median, n, sizeof(n));
    if (isnan(r->change))
        snprintf(ch, sizeof(ch), "n/a");
    else
        snprintf(ch, sizeof(ch), "%+.1f%s", r->change, strcmp(r->unit, "pct") == 0 ? " pt" : "%");
    printf("%-16s", rpt_verdict_name(r->verdict));
    print_right(b, 12);
    print_right(n, 12);
    print_right(ch, 10);
    printf("  %s%s\n", r->key, r->accel_diff ? "  (KVM vs emulated, TCG)" : "");
}

/* What the two runs were told differently, before any number is read. */
static void compare_print_diffs(const struct rpt_run *base, const struct rpt_run *new_run)
{
    struct rpt_run_diff d[RPT_RUN_FACTS_MAX];
    size_t n = rpt_run_diffs(base, new_run, d, RPT_RUN_FACTS_MAX);
    if (n == 0)
        return;
    printf("The runs differ in what changes the numbers:\n");
    for (size_t i = 0; i < n; i++)
        printf("  %s: %s -> %s\n", d[i].what, d[i].base, d[i].new_);
    printf("\n");
}

static void compare_print(const char *base, const char *new_path, const struct rpt_cmp *cmp)
{
    printf("base: %s\nnew:  %s\ntolerance: %g%%\n\n", base, new_path, cmp->tolerance);
    printf("%-16s%12s%12s%10s  %s\n", "verdict", "base", "new", "change", "metric");
    for (size_t i = 0; i < cmp->n_rows; i++)
        compare_print_row(&cmp->rows[i]);
    printf("\n%zu regression(s) beyond %g%% with non-overlapping 95%% CIs.\n", cmp->n_regressions,
           cmp->tolerance);
    if (!cmp->n_flagged)
        return;
    printf("\nwarning: %zu row(s) rest on samples with outliers (†, more than 3 robust sigmas "
           "off the median)\nor drift (‡, the last third of a run more than 10%% from the first: "
           "the host changed):\n",
           cmp->n_flagged);
    for (size_t i = 0; i < cmp->n_rows; i++)
        if (cmp->rows[i].flags[0])
            printf("  %s: %s\n", cmp->rows[i].key, cmp->rows[i].flags);
}

int cmd_compare(int argc, char **argv)
{
    static const struct option longopts[] = {{"tolerance", required_argument, NULL, 't'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    struct vcb_err err = {0};
    double tolerance = 10.0;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "t:h", longopts, NULL)) != -1) {
        if (c == 't') {
            if (rpt_parse_tolerance(optarg, &tolerance, &err) < 0)
                return cli_fail("compare", &err);
        } else if (c == 'h') {
            compare_usage(stdout);
            return 0;
        } else {
            compare_usage(stderr);
            return 2;
        }
    }
    if (argc - optind != 2) {
        fprintf(stderr, "vcbench compare: need exactly two results files, BASE and NEW\n");
        compare_usage(stderr);
        return 2;
    }
    cleanup_rpt_run struct rpt_run *base = NULL;
    cleanup_rpt_run struct rpt_run *new_run = NULL;
    struct rpt_cmp cmp;
    if (rpt_load(argv[optind], &base, &err) < 0 || rpt_load(argv[optind + 1], &new_run, &err) < 0 ||
        rpt_compare(base, new_run, tolerance, &cmp, &err) < 0)
        return cli_fail("compare", &err);
    compare_print(argv[optind], argv[optind + 1], &cmp);
    compare_print_diffs(base, new_run);
    int rc = cmp.n_regressions ? 1 : 0;
    if (cmp.n_incomparable) {
        fprintf(stderr,
                "vcbench compare: %zu VM row(s) ran under KVM in one run and emulated (TCG) in "
                "the other: a difference between them is the emulation, not a regression, so "
                "no verdict is given. Compare runs with the same VM acceleration (--accel).\n",
                cmp.n_incomparable);
        rc = 2;
    }
    rpt_cmp_clear(&cmp);
    return rc;
}
