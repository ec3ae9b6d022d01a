/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mem-table.c — the memory section's own table: per backend the host
 * memory one more instance costs (density), the breakdown that explains it
 * and whether the two agree; then what the breakdown is made of, part by
 * part, as recorded. */
#include <string.h>

#include "linfit.h"
#include "rpt-priv.h"

static const char *const mem_backends[] = {"process", "container", "vm"};
#define N_BACKENDS (sizeof(mem_backends) / sizeof(mem_backends[0]))

static double med(const struct rpt_entry *e, const char *name)
{
    const struct rpt_metric *m = e ? rpt_metric_find(e, name) : NULL;
    return m && m->has_summary ? m->sum.median : NAN;
}

static const char *note_str(const struct rpt_entry *e, const char *key)
{
    return e && e->notes ? json_string_value(json_object_get(e->notes, key)) : NULL;
}

/* One part, when recorded: "label" → "1.2 MiB[ suffix]". */
static void part(const struct rpt_entry *e, const char *metric, const char *label,
                 const char *suffix, void (*emit)(void *, const char *, const char *), void *arg)
{
    char v[48], text[400];
    double x = med(e, metric);
    if (isnan(x))
        return;
    rpt_format_value("bytes", x, v, sizeof(v));
    snprintf(text, sizeof(text), "%s%s", v, suffix ? suffix : "");
    emit(arg, label, text);
}

static void parts_daemons(const struct rpt_entry *d,
                          void (*emit)(void *, const char *, const char *), void *arg)
{
    char cost[300], text[400];
    if (!d || !d->daemons_fit.has)
        return;
    const struct rpt_fit *f = &d->daemons_fit;
    rpt_cost_text(f->slope, f->lo, f->hi, vcb_cost_flag(f->slope, f->lo, f->hi), cost,
                  sizeof(cost));
    snprintf(text, sizeof(text), "%s (their PSS against domains running)", cost);
    emit(arg, "libvirt daemons (libvirtd, virtlogd) per extra domain", text);
}

/* Where the figures were read, when the run recorded it. */
static void parts_sources(const struct rpt_mem_line *l,
                          void (*emit)(void *, const char *, const char *), void *arg)
{
    if (rpt_mem_source(l->mem))
        emit(arg, "memory figures read from", rpt_mem_source(l->mem));
    if (rpt_mem_source(l->dens))
        emit(arg, "density read from", rpt_mem_source(l->dens));
}

/* What a guest on a remote host shows instead of the breakdown: libvirt's
 * figures, and why the daemons are missing. */
static void parts_remote(const struct rpt_mem_line *l,
                         void (*emit)(void *, const char *, const char *), void *arg)
{
    const char *why = note_str(l->dens, "daemons_not_measured");
    if (isnan(med(l->mem, "pss")))
        part(l->mem, "rss", "resident memory of qemu (RSS, as libvirt reports it)", NULL, emit,
             arg);
    part(l->mem, "balloon_actual", "guest RAM the balloon leaves it (libvirt)", NULL, emit, arg);
    part(l->mem, "guest_available", "the guest's total memory (its balloon driver)", NULL, emit,
         arg);
    part(l->mem, "guest_unused", "the guest's free memory (its balloon driver)", NULL, emit, arg);
    if (why)
        emit(arg, "libvirt daemons per extra domain", why);
}

void rpt_mem_parts(const struct rpt_mem_line *l,
                   void (*emit)(void *arg, const char *label, const char *value), void *arg)
{
    const struct rpt_entry *e = l->mem;
    const char *ks = note_str(e, "kernel_source");
    char kernel_suffix[300];
    snprintf(kernel_suffix, sizeof(kernel_suffix), " (%s)", ks ? ks : "source not recorded");
    parts_sources(l, emit, arg);
    part(e, "pss", "user memory of its host processes (PSS)", NULL, emit, arg);
    part(e, "kernel", "kernel memory charged for it", kernel_suffix, emit, arg);
    part(e, "kernel_stack", "… of which kernel stacks", NULL, emit, arg);
    part(e, "pagetables", "… of which page tables", NULL, emit, arg);
    part(e, "slab", "… of which slab", NULL, emit, arg);
    part(e, "percpu", "… of which per-CPU", NULL, emit, arg);
    part(e, "sock", "socket buffers", NULL, emit, arg);
    part(e, "proc_pagetables", "page tables of its processes (/proc VmPTE)", NULL, emit, arg);
    part(e, "proc_kernel_stacks", "their kernel stacks (threads × 16 KiB, estimate)", NULL, emit,
         arg);
    part(e, "guest_ram_pss", "guest RAM mapping inside qemu (PSS)", NULL, emit, arg);
    part(e, "vmm_overhead", "VMM-only overhead (qemu PSS − guest RAM PSS)", NULL, emit, arg);
    if (l->mem && l->mem->backend && strcmp(l->mem->backend, "vm") == 0)
        part(e, "workload_use", "the guest's own view: memory in use inside", NULL, emit, arg);
    part(e, "image_cached", "the image (for a VM: with the guest kernel) in the host page cache",
         ", shared by every instance of the image; charged to whichever cgroup read it first", emit,
         arg);
    part(e, "kernel_outside", "kernel memory charged to vcbench's own cgroup while it started",
         " (not to the instance; noisy: vcbench's own allocations land there too)", emit, arg);
    parts_daemons(l->dens, emit, arg);
    parts_remote(l, emit, arg);
}

/* The lines of one run, control first; returns how many. */
static size_t lines_of(const struct rpt_run *run, struct rpt_mem_line lines[N_BACKENDS])
{
    size_t n = 0;
    for (size_t b = 0; b < N_BACKENDS; b++)
        n += rpt_mem_line_get(run, mem_backends[b], &lines[n]);
    return n;
}

/* The table's figures read from more than one source: in words, or false. */
static bool lines_mixed(const struct rpt_mem_line *lines, size_t n, char *buf, size_t len)
{
    const struct rpt_entry *mem[N_BACKENDS], *dens[N_BACKENDS];
    char a[700], b[700];
    for (size_t i = 0; i < n; i++)
        mem[i] = lines[i].mem, dens[i] = lines[i].dens;
    bool ma = rpt_mem_sources_mixed(mem, n, a, sizeof(a)),
         mb = rpt_mem_sources_mixed(dens, n, b, sizeof(b));
    snprintf(buf, len,
             "Not one measure: the figures of this table were read from different sources "
             "(%s%s%s%s%s). A remote guest's figures are what libvirt reports there, not a PSS "
             "read from /proc here: compare them with care",
             ma ? "breakdown: " : "", ma ? a : "", ma && mb ? "; " : "", mb ? "density: " : "",
             mb ? b : "");
    rpt_utf8_trim(buf);
    return ma || mb;
}

struct line_text {
    char backend[64], head[300], brk[200], agree[300];
};

static void line_text(const struct rpt_mem_line *l, struct line_text *t)
{
    snprintf(t->backend, sizeof(t->backend), "%s%s", l->backend,
             l->emulated ? " — emulated (TCG)" : "");
    rpt_mem_headline_text(l, t->head, sizeof(t->head));
    rpt_mem_breakdown_text(l, t->brk, sizeof(t->brk));
    rpt_mem_agreement_text(l, t->agree, sizeof(t->agree));
}

/* ---- HTML ---- */
static void html_emit(void *arg, const char *label, const char *value)
{
    FILE *f = arg;
    fputs("<li>", f);
    rpt_html_puts(f, label);
    fputs(": ", f);
    rpt_html_puts(f, value);
    fputs("</li>\n", f);
}

static void html_line(FILE *f, const struct rpt_mem_line *l)
{
    struct line_text t = {0};
    line_text(l, &t);
    fprintf(f, "<tr><td%s>", l->emulated ? " class=\"emu\"" : "");
    const char *cells[] = {t.backend, t.head, t.brk, t.agree};
    for (size_t i = 0; i < 4; i++) {
        fputs(i ? "</td><td>" : "", f);
        rpt_html_puts(f, cells[i]);
    }
    fputs("</td></tr>\n", f);
}

void rpt_mem_html(FILE *f, const struct rpt_ctx *ctx)
{
    for (size_t r = 0; r < ctx->n_runs; r++) {
        struct rpt_mem_line lines[N_BACKENDS];
        size_t n = lines_of(ctx->runs[r], lines);
        if (n == 0)
            continue;
        fputs("<h3 id=\"memory-headline\">Host memory per instance", f);
        if (ctx->n_runs > 1) {
            fputs(" — ", f);
            rpt_html_puts(f, ctx->runs[r]->label);
        }
        fputs("</h3>\n<table class=\"headline\">\n<thead><tr><th>backend</th><th>host memory "
              "per extra idle instance (density)</th><th>breakdown (memory scenario)</th>"
              "<th>agreement</th></tr></thead>\n<tbody>\n",
              f);
        for (size_t i = 0; i < n; i++)
            html_line(f, &lines[i]);
        fputs("</tbody>\n</table>\n", f);
        char mixed[2048];
        if (lines_mixed(lines, n, mixed, sizeof(mixed))) {
            fputs("<p class=\"warn\">", f);
            rpt_html_puts(f, mixed);
            fputs(".</p>\n", f);
        }
        for (size_t i = 0; i < n; i++) {
            fprintf(f, "<p class=\"parts\">What %s%s is made of:</p>\n<ul>\n", lines[i].backend,
                    lines[i].emulated ? " (emulated, TCG)" : "");
            rpt_mem_parts(&lines[i], html_emit, f);
            fputs("</ul>\n", f);
        }
    }
}

/* ---- Markdown ---- */
static void md_emit(void *arg, const char *label, const char *value)
{
    FILE *f = arg;
    fputs("  - ", f);
    rpt_md_cell(f, label);
    fputs(": ", f);
    rpt_md_cell(f, value);
    fputs("\n", f);
}

void rpt_mem_md(FILE *f, const struct rpt_ctx *ctx)
{
    for (size_t r = 0; r < ctx->n_runs; r++) {
        struct rpt_mem_line lines[N_BACKENDS];
        size_t n = lines_of(ctx->runs[r], lines);
        if (n == 0)
            continue;
        fprintf(f, "### Host memory per instance%s%s\n\n", ctx->n_runs > 1 ? " — " : "",
                ctx->n_runs > 1 ? ctx->runs[r]->label : "");
        fputs("| backend | per extra idle instance (density) | breakdown | agreement |\n"
              "|---|---|---|---|\n",
              f);
        for (size_t i = 0; i < n; i++) {
            struct line_text t = {0};
            line_text(&lines[i], &t);
            const char *cells[] = {t.backend, t.head, t.brk, t.agree};
            for (size_t c = 0; c < 4; c++) {
                fputs(c ? " | " : "| ", f);
                rpt_md_cell(f, cells[c]);
            }
            fputs(" |\n", f);
        }
        fputs("\n", f);
        char mixed[2048];
        if (lines_mixed(lines, n, mixed, sizeof(mixed))) {
            fputs("> ", f);
            rpt_md_cell(f, mixed);
            fputs(".\n\n", f);
        }
        for (size_t i = 0; i < n; i++) {
            fprintf(f, "- %s%s is made of:\n", lines[i].backend,
                    lines[i].emulated ? " (emulated, TCG)" : "");
            rpt_mem_parts(&lines[i], md_emit, f);
        }
        fputs("\n", f);
    }
}
