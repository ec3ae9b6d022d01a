/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* peers-ratios.c — the table of ratios `vcbench peers` judged against its
 * targets (notes.ratios of each peers entry: value, 95% CI, target, hit),
 * for report.html and report.md. The notes are outside input: a ratio
 * without a name or a numeric value is left out, a missing CI or target is
 * shown as unknown. */
#include <string.h>

#include "rpt-priv.h"

static double num_or_nan(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_number(v) && isfinite(json_number_value(v)) ? json_number_value(v) : NAN;
}

bool rpt_ratio_get(const struct rpt_run *run, const struct rpt_entry *e, size_t i,
                   struct rpt_ratio *out)
{
    json_t *r = json_array_get(json_object_get(e->notes, "ratios"), i);
    const char *name = json_string_value(json_object_get(r, "name"));
    double value = num_or_nan(r, "value");
    json_t *hit = json_object_get(r, "hit");
    if (!name || isnan(value))
        return false;
    *out = (struct rpt_ratio){.run = run,
                              .e = e,
                              .name = name,
                              .unit = json_string_value(json_object_get(r, "unit")),
                              .pairing = json_string_value(json_object_get(r, "pairing")),
                              .value = value,
                              .lo = num_or_nan(r, "ci95_lo"),
                              .hi = num_or_nan(r, "ci95_hi"),
                              .target = num_or_nan(r, "target"),
                              .hit = json_is_boolean(hit) ? json_is_true(hit) : -1};
    if (isnan(out->lo) || isnan(out->hi) || out->lo > out->hi) /* half a CI is no CI */
        out->lo = out->hi = NAN;
    if (isnan(out->target)) /* a verdict needs a target */
        out->hit = -1;
    return true;
}

/* Measured plain ratios with three decimals (1.495 against 1.5 must not
 * read as 1.50); values with a unit and targets as short as they go. */
static void ratio_num(const struct rpt_ratio *r, bool exact, double v, char *buf, size_t len)
{
    if (r->unit)
        snprintf(buf, len, exact ? "%g %s" : "%.3g %s", v, r->unit);
    else if (exact)
        snprintf(buf, len, "%g", v);
    else
        snprintf(buf, len, "%.3f", v);
    rpt_utf8_trim(buf);
}

void rpt_ratio_cells(const struct rpt_ratio *r, char *value, char *ci, char *target, char *verdict,
                     size_t len)
{
    char lo[48], hi[48], t[48];
    ratio_num(r, false, r->value, value, len);
    snprintf(ci, len, "—");
    snprintf(target, len, "—");
    snprintf(verdict, len, "—");
    if (!isnan(r->lo)) {
        ratio_num(r, false, r->lo, lo, sizeof(lo));
        ratio_num(r, false, r->hi, hi, sizeof(hi));
        snprintf(ci, len, "%s – %s", lo, hi);
    }
    if (isnan(r->target))
        return;
    ratio_num(r, true, r->target, t, sizeof(t));
    snprintf(target, len, "≤ %s", t);
    bool spans = !isnan(r->lo) && r->lo <= r->target && r->hi > r->target;
    if (r->hit >= 0)
        snprintf(verdict, len, "%s%s", r->hit ? "hit" : "miss",
                 spans ? " (the CI spans the target)" : "");
}

/* The ratio's name, with the emulated label its entry calls for. */
static void ratio_name(const struct rpt_ratio *r, char *buf, size_t len)
{
    snprintf(buf, len, "%s%s", r->name, r->e->emulated ? " — emulated (TCG)" : "");
    rpt_utf8_trim(buf);
}

static bool same_pairing(const char *a, const char *b)
{
    return a && b ? strcmp(a, b) == 0 : a == b;
}

/* What ratios_each visits: the ratios of one pairing, or those whose
 * pairing is none of seen[] (seen empty: all); the first match is noted. */
struct ratio_filter {
    bool by_pairing;
    const char *pairing;
    const char *const *seen;
    size_t n_seen;
    bool any;          /* out: something matched */
    const char *first; /* out: the pairing of the first match */
};

static bool ratio_wanted(struct ratio_filter *flt, const struct rpt_ratio *r)
{
    bool want = flt->by_pairing && same_pairing(flt->pairing, r->pairing);
    if (!flt->by_pairing) {
        want = true;
        for (size_t i = 0; i < flt->n_seen && want; i++)
            want = !same_pairing(flt->seen[i], r->pairing);
    }
    if (want && !flt->any)
        flt->any = true, flt->first = r->pairing;
    return want;
}

/* Calls row(f, ratio, multi) for every ratio of every peers entry that flt
 * wants (none when row is NULL); returns how many there are. */
static size_t ratios_each(FILE *f, const struct rpt_ctx *ctx, struct ratio_filter *flt,
                          void (*row)(FILE *, const struct rpt_ratio *, bool))
{
    size_t n = 0;
    for (size_t ri = 0; ri < ctx->n_runs; ri++) {
        const struct rpt_run *run = ctx->runs[ri];
        for (size_t i = 0; i < run->n_entries; i++) {
            const struct rpt_entry *e = &run->entries[i];
            size_t n_ratios = json_array_size(json_object_get(e->notes, "ratios"));
            struct rpt_ratio r;
            for (size_t k = 0; strcmp(e->scenario, "peers") == 0 && k < n_ratios; k++) {
                if (!rpt_ratio_get(run, e, k, &r) || !ratio_wanted(flt, &r))
                    continue;
                if (row)
                    row(f, &r, ctx->n_runs > 1);
                n++;
            }
        }
    }
    return n;
}

#define PAIRINGS_MAX 16

/* The ratios group after group, each pairing under its heading (none for
 * ratios that do not say what they pair), in the order the groups first
 * come; past PAIRINGS_MAX groups the rest come together. */
static void ratios_grouped(FILE *f, const struct rpt_ctx *ctx,
                           void (*head)(FILE *, const char *, bool),
                           void (*row)(FILE *, const struct rpt_ratio *, bool))
{
    const char *seen[PAIRINGS_MAX];
    size_t n_seen = 0;
    for (;;) {
        struct ratio_filter rest = {.seen = seen, .n_seen = n_seen};
        if (n_seen == PAIRINGS_MAX) {
            ratios_each(f, ctx, &rest, row);
            return;
        }
        ratios_each(f, ctx, &rest, NULL);
        if (!rest.any)
            return;
        struct ratio_filter grp = {.by_pairing = true, .pairing = rest.first};
        if (rest.first)
            head(f, rest.first, ctx->n_runs > 1);
        ratios_each(f, ctx, &grp, row);
        seen[n_seen++] = rest.first;
    }
}

static size_t ratios_count(const struct rpt_ctx *ctx)
{
    struct ratio_filter all = {0};
    return ratios_each(NULL, ctx, &all, NULL);
}

static void html_ratio_row(FILE *f, const struct rpt_ratio *r, bool multi)
{
    char name[256], value[64], ci[128], target[64], verdict[96];
    rpt_ratio_cells(r, value, ci, target, verdict, sizeof(value));
    ratio_name(r, name, sizeof(name));
    fputs("<tr>", f);
    if (multi) {
        fputs("<td>", f);
        rpt_html_puts(f, r->run->label);
        fputs("</td>", f);
    }
    fprintf(f, "<td%s>", r->e->emulated ? " class=\"emu\"" : "");
    rpt_html_puts(f, name);
    fputs("</td><td class=\"num\">", f);
    rpt_html_puts(f, value);
    fputs("</td><td class=\"num\">", f);
    rpt_html_puts(f, ci);
    fputs("</td><td class=\"num\">", f);
    rpt_html_puts(f, target);
    fprintf(f, "</td><td%s>", r->hit < 0 ? "" : r->hit ? " class=\"hit\"" : " class=\"miss\"");
    rpt_html_puts(f, verdict);
    fputs("</td></tr>\n", f);
}

static void html_ratio_head(FILE *f, const char *pairing, bool multi)
{
    fprintf(f, "<tr class=\"pairing\"><th colspan=\"%d\">", multi ? 6 : 5);
    rpt_html_puts(f, pairing);
    fputs("</th></tr>\n", f);
}

void rpt_peers_html_ratios(FILE *f, const struct rpt_ctx *ctx)
{
    if (ratios_count(ctx) == 0)
        return;
    fprintf(f,
            "<table class=\"ratios\">\n<caption>Ratios against the targets (ratio of medians; "
            "below the target is a hit)</caption>\n<thead><tr>%s<th>ratio</th><th>value</th>"
            "<th>95%% CI</th><th>target</th><th>verdict</th></tr></thead>\n<tbody>\n",
            ctx->n_runs > 1 ? "<th>run</th>" : "");
    ratios_grouped(f, ctx, html_ratio_head, html_ratio_row);
    fputs("</tbody>\n</table>\n", f);
}

static void md_ratio_row(FILE *f, const struct rpt_ratio *r, bool multi)
{
    char name[256], value[64], ci[128], target[64], verdict[96];
    rpt_ratio_cells(r, value, ci, target, verdict, sizeof(value));
    ratio_name(r, name, sizeof(name));
    fputs("| ", f);
    if (multi) {
        rpt_md_cell(f, r->run->label);
        fputs(" | ", f);
    }
    rpt_md_cell(f, name);
    fprintf(f, " | %s | %s | %s | %s |\n", value, ci, target, verdict);
}

static void md_ratio_head(FILE *f, const char *pairing, bool multi)
{
    fputs(multi ? "| | **" : "| **", f);
    rpt_md_cell(f, pairing);
    fputs("** | | | | |\n", f);
}

void rpt_peers_md_ratios(FILE *f, const struct rpt_ctx *ctx)
{
    bool multi = ctx->n_runs > 1;
    if (ratios_count(ctx) == 0)
        return;
    fputs("Ratios against the targets (ratio of medians; below the target is a hit):\n\n", f);
    fprintf(f, "%s| ratio | value | 95%% CI | target | verdict |\n", multi ? "| run " : "");
    fprintf(f, "%s|---|--:|--:|--:|---|\n", multi ? "|---" : "");
    ratios_grouped(f, ctx, md_ratio_head, md_ratio_row);
    fputs("\n", f);
}
