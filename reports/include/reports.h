/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* reports.h — the reports module: read results files (schema
 * vcbench-results/1 and 1.x), make plots with gnuplot, write report.html, report.md
 * and samples.csv, and compare two runs. Reports are made from results files
 * only, so a report can be re-made later or from several runs. */
#ifndef REPORTS_H
#define REPORTS_H

#include "vcb-json.h"
#include "vcb.h"

#define RPT_SCHEMA "vcbench-results/1" /* and any 1.x: a minor version only adds fields */

/* One loaded, validated results file. Opaque outside the module. */
struct rpt_run;

/* Load and validate one results file. Any schema violation is a usage error
 * (err->usage = 1) naming the file and the field, e.g.
 * "r.json: results[2].metrics[0].unit: expected one of ns, bytes, …". */
int rpt_load(const char *path, struct rpt_run **out, struct vcb_err *err);
void rpt_run_free(struct rpt_run *run);
void rpt_run_freep(struct rpt_run **run);
#define cleanup_rpt_run __attribute__((cleanup(rpt_run_freep)))

/* ---- report ----------------------------------------------------------------- */
struct rpt_opts {
    const char *out_dir; /* created; an earlier report there is replaced */
    /* Progress lines ("plotting boot latency ECDF"); the library never prints. */
    void (*progress)(void *ctx, const char *line);
    void *progress_ctx;
    const char *gnuplot; /* NULL: $VCB_GNUPLOT, else "gnuplot" from PATH */
};

/* Write plots/, report.html, report.md and samples.csv for runs[0..n) into
 * opts->out_dir. Everything is made in a temporary sibling directory that
 * replaces out_dir only when complete: a failed report leaves nothing behind. */
int rpt_report_write(struct rpt_run *const *runs, size_t n, const struct rpt_opts *opts,
                     struct vcb_err *err);

/* ---- a fleet (fleet-load.c) ---------------------------------------------------
 * fleet.json, as `vcbench fleet` writes it: each host with results (done,
 * or incomplete: stopped with its results so far) is a run named by its
 * host's name and labels, and the report lists every host with its status
 * and, unless done, its reason. */
#define RPT_FLEET_SCHEMA "vcbench-fleet/1"
struct rpt_fleet;
/* Does path hold a fleet record (its schema says so)? */
bool rpt_fleet_is(const char *path);
/* Load fleet.json and the results file of every host with results (paths
 * relative to fleet.json's directory); usage errors name file and field. */
int rpt_fleet_load(const char *path, struct rpt_fleet **out, struct vcb_err *err);
void rpt_fleet_free(struct rpt_fleet *f);
size_t rpt_fleet_n_runs(const struct rpt_fleet *f); /* hosts with results */
/* The report of the fleet: its hosts' runs side by side, the fleet section
 * first. Fails when no host has results. */
int rpt_fleet_report_write(struct rpt_fleet *f, const struct rpt_opts *opts, struct vcb_err *err);

/* ---- compare ------------------------------------------------------------------ */
enum rpt_verdict {
    RPT_SAME,         /* change within tolerance */
    RPT_NOISE,        /* change beyond tolerance but the CIs overlap */
    RPT_IMPROVED,     /* better beyond tolerance, CIs apart */
    RPT_REGRESSION,   /* worse beyond tolerance, CIs apart */
    RPT_ONLY_BASE,    /* metric missing from the new run */
    RPT_ONLY_NEW,     /* metric missing from the base run */
    RPT_INCOMPARABLE, /* a VM row under KVM on one side, TCG on the other: no verdict */
};

struct rpt_cmp_row {
    char *key; /* "boot/container/mode=serial workload=noop/create_to_ready" */
    const char *unit;
    double base_median, new_median;
    double base_lo, base_hi, new_lo, new_hi; /* NAN when the CI is unknown */
    double change;   /* relative % (percentage points for unit pct); NAN if n/a */
    bool emulated;   /* either side ran emulated (TCG) */
    bool accel_diff; /* one side emulated, the other not: apples and oranges */
    enum rpt_verdict verdict;
    char flags[192]; /* "base: † 2 outliers; new: ‡ drift +15 %", or "" */
};

struct rpt_cmp {
    struct rpt_cmp_row *rows;
    size_t n_rows;
    size_t n_regressions;
    size_t n_incomparable; /* KVM against TCG rows: `compare` refuses to judge them */
    size_t n_flagged;      /* rows with outliers or drift on either side */
    double tolerance;      /* percent */
};

/* Match metrics by scenario + backend + params + metric name and judge each;
 * a row with KVM on one side and emulation on the other gets no verdict. */
int rpt_compare(const struct rpt_run *base, const struct rpt_run *new_run, double tolerance_pct,
                struct rpt_cmp *out, struct vcb_err *err);
void rpt_cmp_clear(struct rpt_cmp *cmp);
const char *rpt_verdict_name(enum rpt_verdict v);

/* What two runs were told differently that changes their numbers: VM
 * acceleration, run.options (machine type, --accel, libvirt URI, guest
 * kernel and its hash and command line, --userns, --seccomp), the suite
 * file's hash, the command line. */
#define RPT_RUN_FACTS_MAX 16
struct rpt_run_diff {
    const char *what; /* "VM machine type", "command line", … */
    char base[512], new_[512];
};
/* The facts in which a and b differ, at most max (RPT_RUN_FACTS_MAX is all). */
size_t rpt_run_diffs(const struct rpt_run *a, const struct rpt_run *b, struct rpt_run_diff *out,
                     size_t max);

/* Parse "10%", "10" or "2.5%" as a percentage >= 0 (usage error otherwise). */
int rpt_parse_tolerance(const char *s, double *out_pct, struct vcb_err *err);

/* Value with its unit for people: "1.52 ms", "152 MiB", "12.5 %", "840 /s". */
void rpt_format_value(const char *unit, double v, char *buf, size_t len);

#endif
