/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* compare.c — two runs side by side: metrics matched by scenario, backend,
 * params and name; each change judged against the tolerance and the CIs
 * (rpt_judge), so a suite can gate CI on regressions. */
#include <errno.h>
#include <string.h>

#include "rpt-priv.h"

const char *rpt_verdict_name(enum rpt_verdict v)
{
    switch (v) {
    case RPT_SAME:
        return "ok";
    case RPT_NOISE:
        return "ok (CIs overlap)";
    case RPT_IMPROVED:
        return "improved";
    case RPT_REGRESSION:
        return "REGRESSION";
    case RPT_ONLY_BASE:
        return "only in base";
    case RPT_INCOMPARABLE:
        return "not comparable";
    default:
        return "only in new";
    }
}

int rpt_parse_tolerance(const char *s, double *out_pct, struct vcb_err *err)
{
    char num[64];
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n >= sizeof(num))
        return vcb_err_usage(err, "--tolerance: expected a percentage such as 10%%");
    memcpy(num, s, n + 1);
    if (num[n - 1] == '%')
        num[n - 1] = '\0';
    double v;
    if (vcb_parse_double(num, "--tolerance", &v, err) < 0)
        return -1;
    if (!(v >= 0 && v <= 1e6))
        return vcb_err_usage(err, "--tolerance: expected a percentage >= 0, got '%s'", s);
    *out_pct = v;
    return 0;
}

static bool same_entry(const struct rpt_entry *x, const struct rpt_entry *y)
{
    return strcmp(x->scenario, y->scenario) == 0 && strcmp(x->backend, y->backend) == 0 &&
           strcmp(x->params_key, y->params_key) == 0;
}

/* The entry of `run` matching a->entries[i]: duplicates (same scenario,
 * backend and params) pair up in order, so a run always matches itself. */
static const struct rpt_entry *entry_match(const struct rpt_run *a, size_t i,
                                           const struct rpt_run *run)
{
    size_t k = 0;
    for (size_t j = 0; j < i; j++)
        k += same_entry(&a->entries[j], &a->entries[i]);
    for (size_t j = 0; j < run->n_entries; j++)
        if (same_entry(&run->entries[j], &a->entries[i]) && k-- == 0)
            return &run->entries[j];
    return NULL;
}

static bool same_metric(const struct rpt_metric *x, const struct rpt_metric *y)
{
    return strcmp(x->name, y->name) == 0 && strcmp(x->unit, y->unit) == 0;
}

/* Likewise for metrics: name and unit, duplicates in order. A unit that
 * changed between runs makes two different metrics. */
static const struct rpt_metric *metric_match(const struct rpt_entry *ae, size_t m,
                                             const struct rpt_entry *be)
{
    size_t k = 0;
    for (size_t j = 0; be && j < m; j++)
        k += same_metric(&ae->metrics[j], &ae->metrics[m]);
    for (size_t j = 0; be && j < be->n_metrics; j++)
        if (same_metric(&be->metrics[j], &ae->metrics[m]) && k-- == 0)
            return &be->metrics[j];
    return NULL;
}

static char *row_key(const struct rpt_entry *e, const struct rpt_metric *m)
{
    char *key = NULL, backend[96];
    rpt_backend_label(e, backend, sizeof(backend));
    if (asprintf(&key, "%s %s %s%s%s%s", e->scenario, backend, m->name,
                 e->params_key[0] ? " [" : "", e->params_key, e->params_key[0] ? "]" : "") < 0)
        return NULL;
    return key;
}

static void side(const struct rpt_metric *m, double *med, double *lo, double *hi)
{
    bool ok = m && m->has_summary;
    *med = ok ? m->sum.median : NAN;
    *lo = ok ? m->sum.ci_lo : NAN;
    *hi = ok ? m->sum.ci_hi : NAN;
}

/* Outliers and drift of either side, for a warning beside the verdict. */
static void row_flags(struct rpt_cmp_row *r, const struct rpt_metric *bm,
                      const struct rpt_metric *nm)
{
    char b[96] = "", n[96] = "";
    if (bm && bm->has_summary)
        rpt_summary_flags(&bm->sum, b, sizeof(b));
    if (nm && nm->has_summary)
        rpt_summary_flags(&nm->sum, n, sizeof(n));
    snprintf(r->flags, sizeof(r->flags), "%s%s%s%s%s", b[0] ? "base: " : "", b,
             b[0] && n[0] ? "; " : "", n[0] ? "new: " : "", n);
}

static int add_row(struct rpt_cmp *c, const struct rpt_entry *be, const struct rpt_metric *bm,
                   const struct rpt_entry *ne, const struct rpt_metric *nm, struct vcb_err *err)
{
    struct rpt_cmp_row *r = &c->rows[c->n_rows];
    const struct rpt_metric *m = bm ? bm : nm; /* a row has at least one side */
    if (!m)
        return vcb_err_set(err, EINVAL, "compare: a row with neither side");
    *r = (struct rpt_cmp_row){.unit = m->unit, .change = NAN};
    r->key = row_key(be ? be : ne, m);
    if (!r->key)
        return vcb_err_sys(err, ENOMEM, "compare");
    side(bm, &r->base_median, &r->base_lo, &r->base_hi);
    side(nm, &r->new_median, &r->new_lo, &r->new_hi);
    r->emulated = (be && be->emulated) || (ne && ne->emulated);
    r->accel_diff = be && ne && be->emulated != ne->emulated;
    if (!bm || isnan(r->base_median))
        r->verdict = RPT_ONLY_NEW;
    else if (!nm || isnan(r->new_median))
        r->verdict = RPT_ONLY_BASE;
    else
        r->verdict = rpt_judge(r->unit, r->base_median, r->base_lo, r->base_hi, r->new_median,
                               r->new_lo, r->new_hi, c->tolerance, &r->change);
    if (r->accel_diff && r->verdict != RPT_ONLY_NEW && r->verdict != RPT_ONLY_BASE)
        r->verdict = RPT_INCOMPARABLE; /* emulation is not a regression of KVM */
    row_flags(r, bm, nm);
    c->n_regressions += r->verdict == RPT_REGRESSION;
    c->n_incomparable += r->verdict == RPT_INCOMPARABLE;
    c->n_flagged += r->flags[0] != '\0';
    c->n_rows++;
    return 0;
}

/* Rows of base in its order, then what only the new run has. */
static int compare_side(struct rpt_cmp *c, const struct rpt_run *a, const struct rpt_run *b,
                        bool a_is_base, struct vcb_err *err)
{
    for (size_t i = 0; i < a->n_entries; i++) {
        const struct rpt_entry *ae = &a->entries[i], *be = entry_match(a, i, b);
        for (size_t m = 0; m < ae->n_metrics; m++) {
            const struct rpt_metric *am = &ae->metrics[m], *bm = metric_match(ae, m, be);
            if (!a_is_base && bm)
                continue; /* already a row from the base side */
            int r =
                a_is_base ? add_row(c, ae, am, be, bm, err) : add_row(c, NULL, NULL, ae, am, err);
            if (r < 0)
                return -1;
        }
    }
    return 0;
}

int rpt_compare(const struct rpt_run *base, const struct rpt_run *new_run, double tolerance_pct,
                struct rpt_cmp *out, struct vcb_err *err)
{
    struct rpt_cmp c = {.tolerance = tolerance_pct};
    size_t cap = 0;
    for (size_t i = 0; i < base->n_entries; i++)
        cap += base->entries[i].n_metrics;
    for (size_t i = 0; i < new_run->n_entries; i++)
        cap += new_run->entries[i].n_metrics;
    c.rows = calloc(cap ? cap : 1, sizeof(*c.rows));
    if (!c.rows)
        return vcb_err_sys(err, ENOMEM, "compare");
    if (compare_side(&c, base, new_run, true, err) < 0 ||
        compare_side(&c, new_run, base, false, err) < 0) {
        rpt_cmp_clear(&c);
        return -1;
    }
    *out = c;
    return 0;
}

void rpt_cmp_clear(struct rpt_cmp *cmp)
{
    for (size_t i = 0; i < cmp->n_rows; i++)
        free(cmp->rows[i].key);
    free(cmp->rows);
    *cmp = (struct rpt_cmp){0};
}
