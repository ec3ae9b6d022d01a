/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* plot-peers.c — `vcbench peers`: how long each container peer takes from
 * start to exit (horizontal bars: median with p5–p95 whiskers on a log time
 * axis, ours highlighted, the hybrid-cgroup wrapper arms shaded as the
 * overhead to subtract from crun and runc), and our VM path against bare
 * qemu per machine type (create → ready and create → gone). */
#include <errno.h>
#include <string.h>

#include "rpt-priv.h"

#define OURS_CT       "launcher"
#define OURS_VM       "vm-libvirt"
#define OURS_CT_COLOR "#0072B2"
#define OURS_VM_COLOR "#D55E00"
#define PEER_COLOR    "#9A9A9A"
#define WRAPPER_COLOR "#C8C8C8"

static const char *const peers_ignore[] = {"measure", "machine", NULL};

/* ---- labels ----------------------------------------------------------------------- */

/* "/var/lib/vcbench/images/noop-92a5e61de2db0c1a/rootfs" → "…/noop-92a5e61d/rootfs":
 * the last two components, a long hash after the last '-' cut to 8. */
static void short_path(const char *path, size_t n, char *out, size_t len)
{
    size_t cut = n, slashes = 0;
    while (cut > 0 && slashes < 2)
        slashes += path[--cut] == '/';
    if (slashes < 2 || n <= 32) {
        snprintf(out, len, "%.*s", (int)n, path);
        return;
    }
    const char *dir = path + cut + 1, *end = path + n;
    const char *slash = memchr(dir, '/', (size_t)(end - dir)), *dash = NULL;
    for (const char *c = dir; c < slash; c++)
        dash = *c == '-' ? c : dash;
    size_t keep = (size_t)(slash - dir);
    if (dash && slash - dash - 1 > 8)
        keep = (size_t)(dash - dir) + 9;
    snprintf(out, len, "…/%.*s%.*s", (int)keep, dir, (int)(end - slash), slash);
}

/* Every "key=/a/long/path" of a label shortened in place. */
static void short_paths(char *label, size_t len)
{
    char out[256], piece[160];
    size_t o = 0;
    for (const char *c = label; *c && o + 1 < sizeof(out);) {
        if (c[0] == '=' && c[1] == '/') {
            size_t n = strcspn(c + 1, " \n");
            short_path(c + 1, n, piece, sizeof(piece));
            o += (size_t)snprintf(out + o, sizeof(out) - o, "=%s", piece);
            c += 1 + n;
        } else
            out[o++] = *c++;
        o = o < sizeof(out) ? o : sizeof(out) - 1;
    }
    out[o] = '\0';
    snprintf(label, len, "%s", out);
    rpt_utf8_trim(label);
}

/* The series label with `note` ("ours", "wrapped" or NULL) said right after
 * the backend, together with how it was timed: "launcher (ours, in-process)". */
static void peer_label(const struct rpt_series *s, const char *note, char *out, size_t len)
{
    const char *timed = json_string_value(json_object_get(s->e->notes, "timed"));
    const char *rest = s->label + strlen(s->e->backend);
    char said[64] = "";
    if (timed) { /* rpt_backend_label put it first: said once, with the note */
        snprintf(said, sizeof(said), " (%s)", timed);
        rest += strncmp(rest, said, strlen(said)) == 0 ? strlen(said) : 0;
    }
    if (note && timed)
        snprintf(said, sizeof(said), " (%s, %s)", note, timed);
    else
        snprintf(said, sizeof(said), note || timed ? " (%s)" : "", note ? note : timed);
    snprintf(out, len, "%s%s%s", s->e->backend, said, rest);
    rpt_utf8_trim(out);
    short_paths(out, len);
}

static bool note_true(const struct rpt_entry *e, const char *key)
{
    return json_is_true(json_object_get(e->notes, key));
}

/* ---- container start → exit --------------------------------------------------------- */

enum peer_kind { PEER_OURS, PEER_OTHER, PEER_WRAPPER, PEER_KINDS };

struct start_bar {
    const struct rpt_series *s;
    enum peer_kind kind;
    double med, p5, p95, bare, y; /* ms; bare: minus the wrapper, NAN when n/a */
};

static const struct rpt_metric *start_metric(const struct rpt_entry *e)
{
    const struct rpt_metric *m =
        strcmp(e->scenario, "peers") == 0 ? rpt_metric_find(e, "start_to_exit") : NULL;
    return m && m->has_summary && m->sum.median > 0 ? m : NULL;
}

/* Container peers: those that ran the program in a rootfs (not the bare
 * command starts, vcbench --version or /bin/true). */
static bool start_pred(const struct rpt_entry *e)
{
    return start_metric(e) != NULL && rpt_param_str(e, "rootfs") != NULL;
}

/* Ours: the launcher, in-process or as the vcbench command. */
static bool is_ours(const struct rpt_entry *e)
{
    return note_true(e, "ours") || strcmp(e->backend, OURS_CT) == 0;
}

/* The wrapper arms time the hybrid-cgroup wrapper alone; the wrapped
 * runtimes (crun, runc) carry the same note. */
static bool is_wrapper_arm(const struct rpt_entry *e)
{
    return note_true(e, "hybrid_cgroup_wrapper") && strncmp(e->backend, "wrapper", 7) == 0;
}

static int bar_cmp(const void *pa, const void *pb)
{
    const struct start_bar *a = pa, *b = pb;
    int wa = a->kind == PEER_WRAPPER, wb = b->kind == PEER_WRAPPER;
    return wa != wb ? wa - wb : vcb_cmp_double(&a->med, &b->med);
}

/* The median of the exact wrapper crun and runc ran in, in run run_i. */
static double wrapper_median(const struct start_bar *bars, size_t n, size_t run_i)
{
    for (size_t i = 0; i < n; i++)
        if (bars[i].s->run_i == run_i && strcmp(bars[i].s->e->backend, "wrapper-umount") == 0)
            return bars[i].med;
    return NAN;
}

/* Bars sorted fastest first, the wrapper arms last; y from the top down
 * with a gap before the wrapper arms. Returns how many wrapper arms. */
static size_t start_layout(const struct rpt_series *s, size_t n, struct start_bar *bars)
{
    size_t n_wrap = 0;
    for (size_t i = 0; i < n; i++) {
        const struct rpt_summary *sum = &start_metric(s[i].e)->sum;
        struct start_bar *b = &bars[i];
        *b = (struct start_bar){.s = &s[i], .med = sum->median / 1e6, .bare = NAN};
        b->p5 = (sum->p5 > 0 ? fmin(sum->p5, sum->median) : sum->median) / 1e6;
        b->p95 = fmax(sum->p95, sum->median) / 1e6;
        b->kind = is_wrapper_arm(s[i].e) ? PEER_WRAPPER : is_ours(s[i].e) ? PEER_OURS : PEER_OTHER;
        n_wrap += b->kind == PEER_WRAPPER;
    }
    qsort(bars, n, sizeof(*bars), bar_cmp);
    for (size_t i = 0; i < n; i++) {
        bool wrapped =
            bars[i].kind != PEER_WRAPPER && note_true(bars[i].s->e, "hybrid_cgroup_wrapper");
        double w = wrapped ? wrapper_median(bars, n, bars[i].s->run_i) : NAN;
        if (w < bars[i].med)
            bars[i].bare = bars[i].med - w;
        bars[i].y = (double)(n - 1 - i) + (bars[i].kind == PEER_WRAPPER || !n_wrap ? 0 : 1.3);
    }
    return n_wrap;
}

/* Blocks: 0–2 the bars of each kind (x y xlo xhi ylo yhi), 3 whiskers and
 * value labels (p5 y p95 text), 4 the wrapped runtimes less the wrapper. */
static void start_data(FILE *f, const struct start_bar *bars, size_t n, double xmin, size_t *count)
{
    for (int k = 0; k < PEER_KINDS; k++) {
        fprintf(f, "NaN\tNaN\tNaN\tNaN\tNaN\tNaN\n");
        for (size_t i = 0; i < n; i++)
            if (bars[i].kind == (enum peer_kind)k)
                fprintf(f, "%.9g\t%.4f\t%.9g\t%.9g\t%.4f\t%.4f\n", bars[i].med, bars[i].y, xmin,
                        bars[i].med, bars[i].y - 0.34, bars[i].y + 0.34),
                    count[k]++;
        fprintf(f, "\n\n");
    }
    for (size_t i = 0; i < n; i++) {
        char text[48];
        rpt_format_value("ns", bars[i].med * 1e6, text, sizeof(text));
        fprintf(f, "%.9g\t%.4f\t%.9g\t%s\n", bars[i].p5, bars[i].y, bars[i].p95, text);
    }
    fprintf(f, "\n\nNaN\tNaN\n");
    for (size_t i = 0; i < n; i++)
        if (!isnan(bars[i].bare))
            fprintf(f, "%.9g\t%.4f\n", bars[i].bare, bars[i].y), count[PEER_KINDS]++;
    fprintf(f, "\n\n");
}

static void start_ytics(FILE *f, const struct start_bar *bars, size_t n)
{
    static const char *const notes[] = {"ours", NULL, NULL};
    fprintf(f, "set ytics (");
    for (size_t i = 0; i < n; i++) {
        char label[sizeof(bars[i].s->label) + 32];
        bool wrapped =
            bars[i].kind == PEER_OTHER && note_true(bars[i].s->e, "hybrid_cgroup_wrapper");
        peer_label(bars[i].s, wrapped ? "wrapped" : notes[bars[i].kind], label, sizeof(label));
        fprintf(f, "%s", i ? ", " : "");
        rpt_gp_str(f, label);
        fprintf(f, " %.4f", bars[i].y);
    }
    fprintf(f, ") scale 0\n");
}

/* The param `key` when every bar has the same, else NULL. */
static const char *common_param(const struct start_bar *bars, size_t n, const char *key)
{
    const char *v = rpt_param_str(bars[0].s->e, key);
    for (size_t i = 1; v && i < n; i++) {
        const char *o = rpt_param_str(bars[i].s->e, key);
        v = o && strcmp(o, v) == 0 ? v : NULL;
    }
    return v;
}

/* The program and rootfs every peer ran, said once under the axis. */
static void start_xlabel(FILE *f, const struct start_bar *bars, size_t n)
{
    const char *prog = common_param(bars, n, "program"), *rootfs = common_param(bars, n, "rootfs");
    char where[200] = "", label[320];
    if (rootfs)
        short_path(rootfs, strlen(rootfs), where, sizeof(where));
    snprintf(label, sizeof(label), "start → exit, median (ms, log scale)%s%s%s%s",
             prog ? "; every peer runs " : "", prog ? prog : "", prog && rootfs ? " in " : "",
             prog ? where : "");
    rpt_utf8_trim(label);
    fprintf(f, "set xlabel ");
    rpt_gp_str(f, label);
    fprintf(f, "\n");
}

/* A dashed line over the wrapper arms, said what they are. */
static void start_wrapper_note(FILE *f, size_t n_wrap)
{
    if (!n_wrap)
        return;
    fprintf(f,
            "set arrow 1 from graph 0, first %.2f to graph 1, first %.2f nohead dt 2 "
            "lc rgb '#999999'\n"
            "set label 1 'below: the hybrid-cgroup wrapper alone, the overhead to subtract "
            "from crun and runc' at graph 0.995, first %.2f right font ',9' tc rgb '#555555'\n",
            (double)n_wrap + 0.45, (double)n_wrap + 0.45, (double)n_wrap - 0.1);
}

static void start_script(struct rpt_gp *gp, const struct start_bar *bars, size_t n, size_t n_wrap,
                         const size_t *count)
{
    static const char *const fills[] = {"solid 0.9", "solid 0.9", "pattern 4 border"};
    static const char *const colors[] = {OURS_CT_COLOR, PEER_COLOR, "#8A8A8A"};
    static const char *const titles[] = {"ours (vcbench)", "peers", "wrapper alone (overhead)"};
    FILE *f = gp->script;
    size_t entries = 1 + (count[PEER_KINDS] > 0);
    for (int k = 0; k < PEER_KINDS; k++)
        entries += count[k] > 0;
    start_ytics(f, bars, n);
    fprintf(f,
            "set yrange [-0.7:%.1f]\nset grid noytics xtics mxtics lc rgb '#d9d9d9', "
            "lc rgb '#eeeeee'\n",
            bars[0].y + 0.7);
    start_wrapper_note(f, n_wrap);
    start_xlabel(f, bars, n);
    rpt_gp_legend(gp, entries, 30);
    fprintf(f, "plot ");
    for (int k = 0; k < PEER_KINDS; k++)
        if (count[k])
            fprintf(f,
                    "'%s.dat' index %d using 1:2:3:4:5:6 with boxxyerror fs %s lc rgb '%s' "
                    "fc rgb '%s' title '%s', \\\n     ",
                    gp->id, k, fills[k], colors[k], k == PEER_WRAPPER ? WRAPPER_COLOR : colors[k],
                    titles[k]);
    fprintf(f,
            "'%s.dat' index 3 using 1:2:($3-$1):(0) with vectors " RPT_GP_WHISKER
            " lc rgb '#222222' title 'whisker: p5–p95', \\\n"
            "     '' index 3 using 3:2:4 with labels left offset 0.6,0 font ',9' notitle",
            gp->id);
    if (count[PEER_KINDS])
        fprintf(f, ", \\\n     '' index 4 using 1:2 with points pt 13 ps 1.1 lc rgb '#000000' "
                   "title 'crun, runc minus the wrapper'");
    fprintf(f, "\n");
}

int rpt_plot_peers_start(const struct rpt_ctx *ctx, struct rpt_plot *plot, struct vcb_err *err)
{
    cleanup_series struct rpt_series *s = NULL;
    size_t n, count[PEER_KINDS + 1] = {0};
    struct rpt_gp gp;
    if (rpt_series_build(ctx, start_pred, peers_ignore, &s, &n, err) < 0)
        return -1;
    if (n == 0)
        return rpt_plot_skip(plot, "no container peers (scenario peers, start_to_exit)");
    cleanup_free struct start_bar *bars = calloc(n, sizeof(*bars));
    if (!bars)
        return vcb_err_sys(err, ENOMEM, "peers plot");
    size_t n_wrap = start_layout(s, n, bars);
    double xmin = INFINITY, xmax = 0;
    for (size_t i = 0; i < n; i++)
        xmin = fmin(xmin, bars[i].p5), xmax = fmax(xmax, bars[i].p95);
    xmin = pow(10, floor(log10(xmin / 1.2) * 2) / 2); /* a round 1 or 3 below */
    if (rpt_gp_open(&gp, ctx, plot->id, plot->title, err) < 0)
        return -1;
    start_data(gp.data, bars, n, xmin, count);
    fprintf(gp.script, "set logscale x 10\nset xrange [%.9g:%.9g]\n", xmin, xmax * 3.5);
    start_script(&gp, bars, n, n_wrap, count);
    return rpt_gp_finish(&gp, err) < 0 ? -1 : 1;
}

/* ---- VM boot: our libvirt path vs bare qemu ------------------------------------------- */

static const char *const vm_metrics[] = {"create_to_ready", "create_to_gone"};

static const struct rpt_metric *vm_metric(const struct rpt_entry *e, size_t k)
{
    const struct rpt_metric *m = rpt_metric_find(e, vm_metrics[k]);
    return m && m->has_summary && m->sum.median > 0 ? m : NULL;
}

static bool vm_pred(const struct rpt_entry *e)
{
    return strcmp(e->scenario, "peers") == 0 && rpt_param_str(e, "machine") && vm_metric(e, 0);
}

/* Groups: (run, machine) in file order; bars: two per backend, ours first. */
struct vm_layout {
    struct rpt_sel sel;
    size_t *group, n_groups; /* per selected entry */
    size_t *peer, n_peers;   /* per selected entry: index among the backends */
    const char **peers;      /* backend of each peer index */
    size_t *first_of_group;  /* an entry of each group */
};

static size_t vm_intern(const char **names, size_t *n, const char *name)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    names[*n] = name;
    return (*n)++;
}

static void vm_layout_clear(struct vm_layout *l)
{
    rpt_sel_clear(&l->sel);
    free(l->group);
    free(l->peer);
    free(l->peers);
    free(l->first_of_group);
}

static int vm_layout(const struct rpt_ctx *ctx, struct vm_layout *l, struct vcb_err *err)
{
    if (rpt_select(ctx, vm_pred, &l->sel, err) < 0)
        return -1;
    size_t n = l->sel.n ? l->sel.n : 1;
    l->group = calloc(n, sizeof(size_t));
    l->peer = calloc(n, sizeof(size_t));
    l->peers = calloc(n + 1, sizeof(char *));
    l->first_of_group = calloc(n, sizeof(size_t));
    if (!l->group || !l->peer || !l->peers || !l->first_of_group)
        return vcb_err_sys(err, ENOMEM, "peers VM plot");
    for (size_t i = 0; i < l->sel.n; i++)
        if (strcmp(l->sel.e[i]->backend, OURS_VM) == 0)
            vm_intern(l->peers, &l->n_peers, OURS_VM);
    for (size_t i = 0; i < l->sel.n; i++) {
        const char *mi = rpt_param_str(l->sel.e[i], "machine");
        l->peer[i] = vm_intern(l->peers, &l->n_peers, l->sel.e[i]->backend);
        l->group[i] = l->n_groups;
        for (size_t j = 0; j < i; j++)
            if (l->sel.run_i[j] == l->sel.run_i[i] &&
                strcmp(rpt_param_str(l->sel.e[j], "machine"), mi) == 0)
                l->group[i] = l->group[j];
        if (l->group[i] == l->n_groups)
            l->first_of_group[l->n_groups++] = i;
    }
    return 0;
}

/* Block per bar (peer × metric): x y lo hi width text, in ms or s. */
static double vm_data(FILE *f, const struct vm_layout *l, double div)
{
    size_t n_bars = 2 * l->n_peers;
    double ymax = 0;
    for (size_t b = 0; b < n_bars; b++) {
        fprintf(f, "NaN\tNaN\tNaN\tNaN\tNaN\t \n");
        for (size_t i = 0; i < l->sel.n; i++) {
            const struct rpt_metric *m = vm_metric(l->sel.e[i], b % 2);
            if (l->peer[i] != b / 2 || !m)
                continue;
            const struct rpt_summary *sum = &m->sum;
            double w, x = rpt_bar_x(l->group[i], b, n_bars, &w);
            double lo = isnan(sum->ci_lo) ? sum->median : sum->ci_lo;
            double hi = isnan(sum->ci_hi) ? sum->median : sum->ci_hi;
            char text[48];
            rpt_format_value("ns", sum->median, text, sizeof(text));
            fprintf(f, "%.4f\t%.9g\t%.9g\t%.9g\t%.4f\t%s\n", x, sum->median / div, lo / div,
                    hi / div, w * 0.9, text);
            ymax = fmax(ymax, hi / div);
        }
        fprintf(f, "\n\n");
    }
    return ymax;
}

/* Median create → ready of `backend` in group g. */
static double vm_group_median(const struct vm_layout *l, size_t g, const char *backend)
{
    for (size_t i = 0; i < l->sel.n; i++)
        if (l->group[i] == g && strcmp(l->sel.e[i]->backend, backend) == 0)
            return vm_metric(l->sel.e[i], 0)->sum.median;
    return NAN;
}

/* "pc\nemulated (TCG)\nours ÷ qemu = 0.84 ×\n[run]": the ratio of create → ready
 * medians where there is room for it (the ratio table has them all). */
static void vm_xtics(struct rpt_gp *gp, const struct vm_layout *l)
{
    size_t max_lines = 1;
    fprintf(gp->script, "set xtics (");
    for (size_t g = 0; g < l->n_groups; g++) {
        size_t i = l->first_of_group[g], o, lines = 1;
        const struct rpt_entry *e = l->sel.e[i];
        char label[256];
        o = (size_t)snprintf(label, sizeof(label), "%s%s", rpt_param_str(e, "machine"),
                             e->emulated ? "\nemulated (TCG)" : "");
        double ours = vm_group_median(l, g, OURS_VM);
        for (size_t p = 1; p < l->n_peers && l->n_groups <= 4 && !isnan(ours) && o < sizeof(label);
             p++) {
            double other = vm_group_median(l, g, l->peers[p]);
            if (!isnan(other))
                o += (size_t)snprintf(label + o, sizeof(label) - o, "\nours ÷ %s = %.2f ×",
                                      l->peers[p], ours / other);
        }
        if (gp->ctx->n_runs > 1 && o < sizeof(label))
            snprintf(label + o, sizeof(label) - o, "\n[%s]", gp->ctx->runs[l->sel.run_i[i]]->label);
        rpt_utf8_trim(label);
        for (const char *c = label; *c; c++)
            lines += *c == '\n';
        max_lines = lines > max_lines ? lines : max_lines;
        fprintf(gp->script, "%s", g ? ", " : "");
        rpt_gp_str(gp->script, label);
        fprintf(gp->script, " %zu", g);
    }
    fprintf(gp->script, ") scale 0\nset xrange [-0.6:%zu.6]\n", l->n_groups - 1);
    rpt_gp_bmargin(gp, max_lines);
}

static const char *vm_color(const struct vm_layout *l, size_t p)
{
    static const char *const greys[] = {"#707070", "#A0A0A0", "#505050"};
    return strcmp(l->peers[p], OURS_VM) == 0 ? OURS_VM_COLOR : greys[p % 3];
}

/* Does any bar of index b have data? (gnuplot 5.4 crashes on a labels plot
 * without a valid point.) */
static bool vm_bar_has(const struct vm_layout *l, size_t b)
{
    for (size_t i = 0; i < l->sel.n; i++)
        if (l->peer[i] == b / 2 && vm_metric(l->sel.e[i], b % 2))
            return true;
    return false;
}

/* Many bars: value labels stand upright so they do not overlap. */
static bool vm_crowded(const struct vm_layout *l)
{
    return l->n_groups * 2 * l->n_peers > 12;
}

static void vm_script(struct rpt_gp *gp, const struct vm_layout *l, bool all_emulated,
                      const char *unit)
{
    FILE *f = gp->script;
    fprintf(f, "set ylabel 'time from the create call (%s, median)%s'\nplot ", unit,
            all_emulated ? " — emulated (TCG)" : "");
    bool said = false;
    for (size_t b = 0; b < 2 * l->n_peers; b++) {
        size_t p = b / 2;
        char title[160];
        if (!vm_bar_has(l, b))
            continue;
        snprintf(title, sizeof(title), "%s%s: create → %s", l->peers[p],
                 strcmp(l->peers[p], OURS_VM) == 0 ? " (ours)" : "", b % 2 ? "gone" : "ready");
        fprintf(f, "%s'%s.dat' index %zu using 1:2:5 with boxes fs solid %s lc rgb '%s' title ",
                said ? ", \\\n     " : "", gp->id, b, b % 2 ? "0.4" : "0.9", vm_color(l, p));
        rpt_gp_str(f, title);
        fprintf(f,
                ", \\\n     '' index %zu using 1:3:(0):($4-$3) with vectors " RPT_GP_WHISKER
                " lc rgb '#222222' notitle, \\\n"
                "     '' index %zu using 1:4:6 with labels %s font ',8' notitle",
                b, b, vm_crowded(l) ? "rotate by 90 left offset 0,0.5" : "offset 0,0.7");
        said = true;
    }
    fprintf(f, ", \\\n     keyentry with vectors " RPT_GP_WHISKER
               " lc rgb '#222222' title 'whisker: 95%% CI of the median'\n");
}

int rpt_plot_peers_vm(const struct rpt_ctx *ctx, struct rpt_plot *plot, struct vcb_err *err)
{
    struct vm_layout l = {0};
    struct rpt_gp gp;
    if (vm_layout(ctx, &l, err) < 0) {
        vm_layout_clear(&l);
        return -1;
    }
    if (l.sel.n == 0) {
        vm_layout_clear(&l);
        return rpt_plot_skip(plot, "no VM peers (scenario peers with a machine, create_to_ready)");
    }
    bool all_emulated = true, secs = false;
    for (size_t i = 0; i < l.sel.n; i++) {
        all_emulated &= l.sel.e[i]->emulated;
        secs |= vm_metric(l.sel.e[i], 0)->sum.median >= 1e9;
    }
    int r = rpt_gp_open(&gp, ctx, plot->id, plot->title, err);
    if (r == 0) {
        double ymax = vm_data(gp.data, &l, secs ? 1e9 : 1e6);
        vm_xtics(&gp, &l);
        rpt_gp_legend(&gp, 2 * l.n_peers + 1, 34);
        fprintf(gp.script, "set yrange [0:%.9g]\n", ymax * (vm_crowded(&l) ? 1.4 : 1.2));
        vm_script(&gp, &l, all_emulated, secs ? "s" : "ms");
        r = rpt_gp_finish(&gp, err);
    }
    vm_layout_clear(&l);
    return r < 0 ? -1 : 1;
}
