/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rpt-priv.h — the reports module's insides: the loaded model, statistics,
 * escaping, formatting and the writers. Open to the module and its tests only. */
#ifndef RPT_PRIV_H
#define RPT_PRIV_H

#include <math.h>

#include "reports.h"
#include "vcb-stats.h"

/* ---- model: borrowed strings point into the run's JSON document ------------ */
struct rpt_summary {
    double n, median, p5, p95, p99, mean, stddev;
    double ci_lo, ci_hi; /* NAN when unknown */
    double outliers;     /* samples far off the median (0 when not recorded) */
    double drift;        /* NAN when not recorded (too few samples) */
};

struct rpt_metric {
    const char *name;
    const char *unit; /* ns | bytes | pct | per_s | ops_per_s | mb_per_s */
    double *samples;
    size_t n_samples;
    bool has_summary; /* from the file, or computed from the samples */
    struct rpt_summary sum;
};

struct rpt_point {
    double instances, host_used_bytes;
};

/* A least-squares slope the density scenario recorded (fit, daemons_fit). */
struct rpt_fit {
    bool has;
    double slope, lo, hi; /* bytes per instance; lo/hi NAN when there is no CI */
    double intercept;     /* bytes; NAN when not recorded */
};

struct rpt_entry {
    const char *scenario, *backend;
    json_t *params;   /* borrowed; an object (maybe empty) */
    char *params_key; /* canonical "k=v k=v", keys sorted */
    bool emulated;
    struct rpt_metric *metrics;
    size_t n_metrics;
    size_t n_dnf;
    const char *dnf_reason; /* the first one, or NULL */
    const char *aggressor_outcome;
    json_t *notes; /* borrowed; NULL when the entry has none */
    struct rpt_point *curve;
    size_t n_curve;
    struct rpt_fit fit, daemons_fit; /* density only */
};

struct rpt_host {
    const char *hostname, *kernel, *cpu_model, *cgroup_mode, *accel, *accel_reason;
    const char *libvirt_version, *qemu_version, *thp, *ksm;
    uint64_t cores, mem_total_bytes;
    json_t *oci_runtimes; /* backend → {path, version} of each oci:* arm (borrowed), or NULL */
    json_t *vm_host;      /* the VM arm's host (borrowed), or NULL: no VM arm, or an older file */
};

/* What the instance logs could not keep (results.json "logs"; absent: 0). */
struct rpt_logs {
    double max_per_instance, capped_instances, dropped_bytes;
    const char *keep_error; /* keeping them beside the results failed: why */
};

struct rpt_run {
    char *path;
    char label[96]; /* short name used in legends when several runs are shown */
    json_t *doc;
    const char *id, *started, *finished, *stopped_by, *suite_name;
    const char *vcb_version, *vcb_git;
    bool complete;
    /* what changes the numbers (1.1; NULL in older files): run.options,
     * run.suite_sha256, run.command_line (an array of strings) */
    json_t *options, *command_line;
    const char *suite_sha256;
    struct rpt_host host;
    struct rpt_logs logs;
    struct rpt_entry *entries;
    size_t n_entries;
};

/* ---- load.c helpers ----------------------------------------------------------- */
int rpt_load_str(const char *text, const char *name, struct rpt_run **out, struct vcb_err *err);
/* Canonical "k=v k=v" of a params object, keys sorted: the matching key. */
int rpt_params_key(json_t *params, char **out);

/* ---- query.c: find things in the model ---------------------------------------- */
const char *rpt_param_str(const struct rpt_entry *e, const char *key);
bool rpt_param_num(const struct rpt_entry *e, const char *key, double *out);
bool rpt_param_bool(const struct rpt_entry *e, const char *key, bool dflt);
const struct rpt_metric *rpt_metric_find(const struct rpt_entry *e, const char *name);
bool rpt_is_boot_serial(const struct rpt_entry *e);
bool rpt_is_boot_concurrent(const struct rpt_entry *e);
bool rpt_run_any_emulated(const struct rpt_run *run);
/* The first entry of `scenario` for backend that `match` accepts (any when
 * match is NULL). */
const struct rpt_entry *rpt_entry_find(const struct rpt_run *run, const char *scenario,
                                       const char *backend,
                                       bool (*match)(const struct rpt_entry *));

/* ---- stats.c ------------------------------------------------------------------ */
/* Summary from raw samples, by core's statistics (vcb-stats.h): the same
 * numbers, CI included, that the run writes for the same samples. */
int rpt_summary_compute(const double *samples, size_t n, struct rpt_summary *out);
/* A figure's flags: samples far off the median (†) and drift across the
 * run (‡, |drift| > VCB_DRIFT_FLAG). marks: " †‡" or ""; flags: in words,
 * "† 2 outliers, ‡ drift +15 %", or "". */
void rpt_summary_marks(const struct rpt_summary *s, char *buf, size_t len);
void rpt_summary_flags(const struct rpt_summary *s, char *buf, size_t len);
/* The sentence a method paragraph ends with where a table shows a flag. */
#define RPT_FLAGS_HOW                                                                              \
    "† marks a median whose samples include outliers (more than 3 robust sigmas from the "       \
    "median); ‡ one whose samples drifted (the median of the last third of the run is more "     \
    "than 10 % from that of the first third: the host changed while it ran). The flags column "    \
    "says how many and how far."
/* ECDF: sorted values xs and F(x_i) = (i+1)/n. Caller frees both. */
int rpt_ecdf(const double *samples, size_t n, double **xs, double **fs);
/* Do the closed intervals [alo, ahi] and [blo, bhi] overlap? */
bool rpt_ci_overlap(double alo, double ahi, double blo, double bhi);
/* Is a larger value worse for this unit? (time, bytes, pct: yes; rates: no) */
bool rpt_unit_higher_is_worse(const char *unit);
/* The verdict on one metric (see compare.c); *change_out gets the change in
 * % (percentage points for pct), NAN when there is none (from zero). */
enum rpt_verdict rpt_judge(const char *unit, double base, double base_lo, double base_hi, double nw,
                           double new_lo, double new_hi, double tolerance_pct, double *change_out);

/* ---- escape.c: text into other languages --------------------------------------- */
void rpt_html_puts(FILE *f, const char *s); /* & < > " ' escaped */
void rpt_csv_field(FILE *f, const char *s); /* RFC 4180 quoting when needed */
void rpt_gp_str(FILE *f, const char *s);    /* a safe double-quoted gnuplot string */
void rpt_gp_sanitize(const char *s, char *out, size_t len); /* gnuplot-safe characters */
/* Drop an incomplete UTF-8 sequence at the end (after snprintf cut it). */
void rpt_utf8_trim(char *s);
/* A Markdown table cell: '|' escaped, line breaks flattened. */
void rpt_md_cell(FILE *f, const char *s);

/* ---- labels.c: names people read ------------------------------------------------ */
/* The backend, with how it was timed where its notes say ("launcher
 * (in-process)", "crun (whole command)": peers) and " — emulated (TCG)" for
 * emulated entries. */
void rpt_backend_label(const struct rpt_entry *e, char *buf, size_t len);
/* Series label for a legend: backend, the params that vary across `set`
 * (entries of one plot), and the run when several are shown. */
void rpt_series_label(struct rpt_run *const *runs, size_t n_runs, size_t run_i,
                      const struct rpt_entry *e, const struct rpt_entry *const *set, size_t n_set,
                      const char *const *ignore_keys, char *buf, size_t len);
/* "host: <cpu>, <cores> cores, kernel …; VMs: emulated (TCG) — reason". */
void rpt_host_line(const struct rpt_run *run, char *buf, size_t len);
/* What a run's logs lost ("the logs of 3 instances reached their cap of
 * 4.0 MiB: 2.0 GiB dropped …"); false when nothing was. */
bool rpt_logs_line(const struct rpt_run *run, char *buf, size_t len);
const char *rpt_backend_color(const char *backend);
/* "oci:crun: crun version 1.8.1 (/usr/bin/crun); …", or false when the run
 * had no OCI runtime arm. */
bool rpt_oci_line(const struct rpt_host *h, char *buf, size_t len);

/* ---- plots ---------------------------------------------------------------------- */
/* One plot: made or skipped (with why), its files relative to the report dir. */
struct rpt_plot {
    const char *id;      /* "boot-ecdf" → plots/boot-ecdf.svg, .png */
    const char *title;   /* "Boot latency (ECDF)" */
    const char *section; /* "boot", "concurrent", "memory", "density", "isolation" */
    bool made;
    char skipped[160]; /* why not made */
};

struct rpt_ctx {
    struct rpt_run *const *runs;
    size_t n_runs;
    const struct rpt_fleet *fleet; /* the runs are a fleet's hosts (NULL: not a fleet) */
    const char *dir;               /* the temporary report dir being filled */
    const char *gnuplot;           /* resolved path */
    const struct rpt_opts *opts;
    struct rpt_plot *plots;
    size_t n_plots;
};

void rpt_progress(const struct rpt_ctx *ctx, const char *fmt, ...) VCB_PRINTF(2, 3);
const struct rpt_plot *rpt_plot_get(const struct rpt_ctx *ctx, const char *id);

/* gp.c: one gnuplot script per plot, drawn as SVG then PNG. */
struct rpt_gp {
    FILE *script, *data;
    char id[64];
    const struct rpt_ctx *ctx;
    size_t host_lines; /* lines of host facts under the plot */
    bool own_png;      /* the script draws its PNG itself (replot redraws one facet only) */
};
/* The PNG terminal lines of rpt_gp_finish's second pass, for a script that
 * draws its PNG itself. */
void rpt_gp_png_terminal(FILE *f);
int rpt_gp_open(struct rpt_gp *gp, const struct rpt_ctx *ctx, const char *id, const char *title,
                struct vcb_err *err);
/* Close the files, append the PNG pass and run gnuplot on the script. */
int rpt_gp_finish(struct rpt_gp *gp, struct vcb_err *err);
void rpt_gp_abort(struct rpt_gp *gp);
void rpt_gp_discard(struct rpt_gp *gp); /* abort and remove the script and data */
/* CI whiskers drawn as capped vectors: gnuplot's errorbar styles put a
 * white dot on the median. Plot with `using x:lo:(0):(hi-lo) with vectors`. */
#define RPT_GP_WHISKER "heads size screen 0.006,90 lw 1.5"
/* Top margin for a legend of `entries`, the longest `max_chars` long. */
void rpt_gp_legend(struct rpt_gp *gp, size_t entries, size_t max_chars);
void rpt_gp_bmargin(struct rpt_gp *gp, size_t tic_lines);
int rpt_gp_find(const char *configured, char **out, struct vcb_err *err);
/* Bar layout: x of series s among S bars in group g, and the bar width. */
double rpt_bar_x(size_t g, size_t s, size_t n_series, double *width);

/* plot-series.c: the series of one plot, ordered control first, labelled and coloured. */
struct rpt_series {
    size_t run_i;
    const struct rpt_entry *e;
    char label[200];
    const char *color;
    int variant; /* earlier series of the same backend: picks the dash type */
};
/* Control first, then the isolating backends in order of weight. */
int rpt_backend_rank(const char *backend);
int rpt_series_build(const struct rpt_ctx *ctx, bool (*pred)(const struct rpt_entry *),
                     const char *const *ignore_keys, struct rpt_series **out, size_t *n_out,
                     struct vcb_err *err);
void rpt_series_freep(struct rpt_series **s);
size_t rpt_series_max_label(const struct rpt_series *s, size_t n);
#define cleanup_series __attribute__((cleanup(rpt_series_freep)))
unsigned rpt_color_int(const char *hex);
int rpt_plot_skip(struct rpt_plot *plot, const char *why);
int rpt_dash(int variant);
/* plot-xtics.c: one category tic per series, labels wrapped. */
void rpt_gp_xtics(struct rpt_gp *gp, const struct rpt_series *s, size_t n);
void rpt_label_wrap(char *label);

/* A plot maker returns 1 made, 0 skipped (reason written in plot->skipped), -1 error. */
typedef int (*rpt_plot_fn)(const struct rpt_ctx *ctx, struct rpt_plot *plot, struct vcb_err *err);
int rpt_plot_boot_ecdf(const struct rpt_ctx *ctx, struct rpt_plot *plot, struct vcb_err *err);
int rpt_plot_boot_pctl(const struct rpt_ctx *ctx, struct rpt_plot *plot, struct vcb_err *err);
int rpt_plot_boot_phases(const struct rpt_ctx *ctx, struct rpt_plot *plot, struct vcb_err *err);
int rpt_plot_conc_latency(const struct rpt_ctx *ctx, struct rpt_plot *plot, struct vcb_err *err);
int rpt_plot_conc_rate(const struct rpt_ctx *ctx, struct rpt_plot *plot, struct vcb_err *err);
int rpt_plot_conc_ecdf(const struct rpt_ctx *ctx, struct rpt_plot *plot, struct vcb_err *err);
int rpt_plot_conc_all_ready(const struct rpt_ctx *ctx, struct rpt_plot *plot, struct vcb_err *err);
int rpt_plot_memory(const struct rpt_ctx *ctx, struct rpt_plot *plot, struct vcb_err *err);
int rpt_plot_density(const struct rpt_ctx *ctx, struct rpt_plot *plot, struct vcb_err *err);
int rpt_plot_isolation(const struct rpt_ctx *ctx, struct rpt_plot *plot, struct vcb_err *err);
int rpt_plot_peers_start(const struct rpt_ctx *ctx, struct rpt_plot *plot, struct vcb_err *err);
int rpt_plot_peers_vm(const struct rpt_ctx *ctx, struct rpt_plot *plot, struct vcb_err *err);
int rpt_plots_make(struct rpt_ctx *ctx, struct vcb_err *err);

/* Entries of every run matching pred, as (run index, entry) pairs. */
struct rpt_sel {
    size_t n;
    size_t *run_i;
    const struct rpt_entry **e;
};
int rpt_select(const struct rpt_ctx *ctx, bool (*pred)(const struct rpt_entry *),
               struct rpt_sel *out, struct vcb_err *err);
void rpt_sel_clear(struct rpt_sel *sel);

/* ---- sections.c: what the report says about each scenario ----------------------- */
struct rpt_section {
    const char *id, *title;
    bool (*pred)(const struct rpt_entry *);
    const char *plots[6]; /* plot ids, NULL-terminated */
    const char *how;      /* one paragraph on how it was measured */
    bool optional;        /* left out, not "skipped", when no results have it */
    /* A table of the section's own after the plots (may be NULL). */
    void (*html_extra)(FILE *f, const struct rpt_ctx *ctx);
    void (*md_extra)(FILE *f, const struct rpt_ctx *ctx);
    bool extra_only; /* the section's own table replaces the one per metric */
};
extern const struct rpt_section rpt_sections[];
extern const size_t rpt_n_sections;

/* ---- stressors.c: our aggressors by the IBS's names ------------------------------ */
/* Place in the IBS's order (cpu, memory, fork, memory bandwidth, disk,
 * network); -1 for "none" (solo), 6 for an aggressor the IBS does not name. */
int rpt_aggressor_rank(const char *aggressor);
/* "diskhog (disk)"; the name alone where the IBS's is the same or unknown. */
void rpt_aggressor_label(const char *aggressor, char *buf, size_t len);
/* Victims in the suites' order (cpu, membw, lat, diskio, netio), others after. */
int rpt_victim_rank(const char *victim);
/* The entry's params as the tables show them: its key with the aggressor's
 * IBS name beside ours. */
void rpt_params_text(const struct rpt_entry *e, char *buf, size_t len);

/* ---- io-figs.c, io-table.c, plot-io.c: the disk and network victims ------------ */
struct rpt_io_kind {
    const char *victim;            /* "diskio", "netio" */
    const char *const *figures[2]; /* victim fields, a plot's worth each (NULL-ended) */
};
extern const struct rpt_io_kind rpt_io_disk, rpt_io_net;
bool rpt_is_disk(const struct rpt_entry *e); /* isolation entries of the diskio victim */
bool rpt_is_net(const struct rpt_entry *e);  /* … of the netio victim */
#define RPT_IO_CONDS 8                       /* solo and up to seven aggressors */
struct rpt_io_arm {
    size_t run_i, order;
    const struct rpt_entry *label_e; /* the entry its label comes from: one that booted */
    char label[160];                 /* "vm — emulated (TCG) (no limits), soft [run]" */
    char path[200]; /* "veth+bridge in run netns"; "raw file, bind-mounted; cache host O_DIRECT" */
    const struct rpt_entry *cond[RPT_IO_CONDS]; /* per condition; NULL: not run */
};
struct rpt_io_set {
    struct rpt_io_arm *arms;
    size_t n_arms, n_conds;
    const char *conds[RPT_IO_CONDS]; /* "none" first, then aggressors in the IBS's order */
};
int rpt_io_collect(struct rpt_run *const *runs, size_t n_runs,
                   bool (*pred)(const struct rpt_entry *), struct rpt_io_set *out,
                   struct vcb_err *err);
void rpt_io_clear(struct rpt_io_set *set);
/* "solo", "beside diskhog (disk)". */
void rpt_io_cond_label(const char *aggressor, char *buf, size_t len);
void rpt_disk_html(FILE *f, const struct rpt_ctx *ctx);
void rpt_disk_md(FILE *f, const struct rpt_ctx *ctx);
void rpt_net_html(FILE *f, const struct rpt_ctx *ctx);
void rpt_net_md(FILE *f, const struct rpt_ctx *ctx);
int rpt_plot_disk_tput(const struct rpt_ctx *ctx, struct rpt_plot *plot, struct vcb_err *err);
int rpt_plot_disk_lat(const struct rpt_ctx *ctx, struct rpt_plot *plot, struct vcb_err *err);
int rpt_plot_net(const struct rpt_ctx *ctx, struct rpt_plot *plot, struct vcb_err *err);

/* ---- mem-headline.c, mem-table.c: host memory per instance -------------------- */
struct rpt_mem_line {
    const char *backend;
    bool emulated;
    const struct rpt_entry *mem;  /* the idle memory entry, or NULL */
    const struct rpt_entry *dens; /* the density entry, or NULL */
    const char *what;             /* "density fit", …; NULL: no density figure */
    double value, lo, hi;         /* bytes per instance and its 95% CI */
    int flag;                     /* enum vcb_cost_flag of value, lo, hi */
    double cost;                  /* the breakdown's host cost (PSS + kernel), NAN if none */
};
enum { RPT_MEM_UNKNOWN, RPT_MEM_WITHIN, RPT_MEM_BELOW, RPT_MEM_ABOVE };
/* false when the run has neither a memory nor a density result for backend. */
bool rpt_mem_line_get(const struct rpt_run *run, const char *backend, struct rpt_mem_line *out);
/* A cost with its CI and flag (enum vcb_cost_flag): "1.9 MiB (95% CI …)",
 * or why it is no cost ("not resolved: …"). */
void rpt_cost_text(double value, double lo, double hi, int flag, char *buf, size_t len);
/* The density figure of the line as rpt_cost_text says it. */
void rpt_mem_headline_text(const struct rpt_mem_line *l, char *buf, size_t len);
/* "PSS 1.5 MiB + kernel 300 KiB = 1.8 MiB". */
void rpt_mem_breakdown_text(const struct rpt_mem_line *l, char *buf, size_t len);
/* Where the breakdown lies against the density CI (RPT_MEM_*), and in words. */
int rpt_mem_agreement(const struct rpt_mem_line *l);
void rpt_mem_agreement_text(const struct rpt_mem_line *l, char *buf, size_t len);
/* The flag of a density cost metric (per_instance, host_per_instance,
 * daemons_per_instance) from its stored CI; -1 for any other metric. */
int rpt_metric_cost_flag(const struct rpt_entry *e, const struct rpt_metric *m);
/* Every part of the breakdown that was recorded, as (label, value) pairs. */
void rpt_mem_parts(const struct rpt_mem_line *l,
                   void (*emit)(void *arg, const char *label, const char *value), void *arg);
void rpt_mem_html(FILE *f, const struct rpt_ctx *ctx);
void rpt_mem_md(FILE *f, const struct rpt_ctx *ctx);

/* ---- peers-ratios.c: the ratios `vcbench peers` judged against targets ----------- */
struct rpt_ratio {
    const struct rpt_run *run;
    const struct rpt_entry *e;    /* the numerator's entry */
    const char *name, *unit;      /* unit NULL: a plain ratio */
    const char *pairing;          /* what it pairs ("whole command vs …"); NULL: not said */
    double value, lo, hi, target; /* NAN when unknown or none */
    int hit;                      /* 1 hit, 0 miss, -1 no target */
};
/* The i-th ratio of e's notes.ratios; false past the end or when malformed. */
bool rpt_ratio_get(const struct rpt_run *run, const struct rpt_entry *e, size_t i,
                   struct rpt_ratio *out);
/* Formatted value, "lo – hi", "≤ target" and "hit" / "miss" (with "CI spans
 * the target" when it does); "—" where unknown. */
void rpt_ratio_cells(const struct rpt_ratio *r, char *value, char *ci, char *target, char *verdict,
                     size_t len);
void rpt_peers_html_ratios(FILE *f, const struct rpt_ctx *ctx);
void rpt_peers_md_ratios(FILE *f, const struct rpt_ctx *ctx);

/* ---- run-facts.c: what changes a run's numbers (rpt_run_diffs: reports.h) -------- */
/* The i-th fact of a run as text ("not recorded" in a file older than
 * 1.1); false past the last. */
bool rpt_run_fact(const struct rpt_run *r, size_t i, const char **what, char *buf, size_t len);

/* ---- arm-hosts.c: which host ran each arm, where each memory figure was read ----- */
/* The VM arm ran on a remote libvirt host (host.vm_host.remote). */
bool rpt_vm_remote(const struct rpt_run *run);
/* "Containers and the control ran on A; VMs on B, a remote libvirt host
 * (URI: …): a different experiment …"; false when every arm ran here. */
bool rpt_arm_hosts_line(const struct rpt_run *run, char *buf, size_t len);
/* " on B (a remote libvirt host)" after "VMs" in a sentence that compares
 * them with the arms run here; "" when they ran here. Returns buf. */
const char *rpt_vm_where(const struct rpt_run *run, char *buf, size_t len);
/* The VM arm's host as one fact ("B (remote libvirt host, URI)", "this
 * run's host (URI)"); false when the run did not record it. */
bool rpt_vm_host_text(const struct rpt_run *run, char *buf, size_t len);
/* Where an entry's memory figures were read (notes.memory_source), or NULL
 * in a file written before sources were recorded. */
const char *rpt_mem_source(const struct rpt_entry *e);
/* Sources that differ between entries: "process, container: PSS, /proc
 * (this host); vm: virDomainMemoryStats rss (remote host …)"; false when
 * every entry (NULL ones skipped) says the same or none says anything. */
bool rpt_mem_sources_mixed(const struct rpt_entry *const *e, size_t n, char *buf, size_t len);

/* ---- fleet-load.c, fleet-section.c: a fleet's hosts ------------------------------ */
struct rpt_fleet_host {
    const char *name, *dest, *status, *reason; /* borrowed from the record */
    json_t *labels;                            /* an object of strings */
    double total_s;                            /* 0 when not recorded */
    size_t run_i;                              /* its run, or SIZE_MAX (DNF) */
};
struct rpt_fleet {
    char *path;
    json_t *doc;
    const char *suite, *stopped_by;
    struct rpt_fleet_host *hosts;
    size_t n_hosts;
    struct rpt_run **runs; /* the hosts with results, in the record's order */
    size_t n_runs;
};
void rpt_fleet_html(FILE *f, const struct rpt_ctx *ctx);
void rpt_fleet_md(FILE *f, const struct rpt_ctx *ctx);
/* Its labels as "gen=zen3 kernel=6.1" ("" for none). */
void rpt_fleet_labels_text(const struct rpt_fleet_host *h, char *buf, size_t len);
/* report.c: the report of runs; with a fleet its runs keep the labels the
 * fleet gave them and its section comes first. */
int rpt_report_make(struct rpt_run *const *runs, size_t n, const struct rpt_opts *opts,
                    const struct rpt_fleet *fleet, struct vcb_err *err);

/* ---- writers --------------------------------------------------------------------- */
/* The answer in three sentences, computed from one run; plain text, malloc'd
 * (NULL when out of memory). */
char *rpt_answer(const struct rpt_run *run);
/* One table row per (run, entry, metric) of a section. */
struct rpt_row {
    const struct rpt_run *run;
    const struct rpt_entry *e;
    const struct rpt_metric *m;
};
int rpt_rows(struct rpt_run *const *runs, size_t n_runs, bool (*pred)(const struct rpt_entry *),
             struct rpt_row **out, size_t *n_out, struct vcb_err *err);
/* Formatted n, median with its marks, "lo – hi" ("—" when unknown) and the
 * flags in words ("" when none) of a row; each buffer len bytes. */
void rpt_row_cells(const struct rpt_row *row, char *n, char *median, char *ci, char *flags,
                   size_t len);
/* Does any row carry a flag (outliers, drift)? */
bool rpt_rows_flagged(const struct rpt_row *rows, size_t n);
int rpt_html_write(const struct rpt_ctx *ctx, const char *path, struct vcb_err *err);
/* html-runs.c: the comparison of runs and the host facts. */
int rpt_html_compare(FILE *f, const struct rpt_ctx *ctx, struct vcb_err *err);
void rpt_html_host(FILE *f, const struct rpt_ctx *ctx);
int rpt_svg_inline(FILE *out, const char *svg, const char *prefix, const char *label);
int rpt_md_write(const struct rpt_ctx *ctx, const char *path, struct vcb_err *err);
int rpt_csv_write(struct rpt_run *const *runs, size_t n_runs, const char *path,
                  struct vcb_err *err);
size_t rpt_csv_write_run(FILE *f, const struct rpt_run *run);

#endif
