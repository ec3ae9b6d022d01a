/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* scenario-density.c — what one more idle instance costs the host, and how
 * many fit: idle instances are started step by step until the suite's cap
 * for the backend or its MemAvailable floor, then destroyed step by step,
 * and the host's MemAvailable is read once it has settled after each step.
 * The figure is the slope of a least-squares fit of memory in use on
 * instances and time, with its CI (density-fit.c): going back down lets
 * the fit tell the host's own drift from the instances' cost. The per-step
 * drops are kept but flagged when they cannot be a cost: memory freed by
 * earlier work lands in a step's window as a negative drop, which one
 * difference takes at face value. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>

#include "density.h"
#include "linfit.h"

#define READ_GAP_NS    (100 * VCB_NS_PER_MS)
#define NOISE_READS    5
#define STABLE_READS   3
#define STABLE_MAX_NS  (2 * VCB_NS_PER_S)
#define STABLE_MIN_TOL (256.0 * 1024) /* the resolution asked of a step */
#define STEP_MAX       64
#define MIN_POINTS     6

struct density_arm {
    json_t *entry;
    struct bench_samples per_instance;        /* each step's drop / its instances */
    struct bench_samples *used, *daemons;     /* [k]: with k+1 instances, per rep */
    struct bench_samples fit_x, fit_t, fit_y; /* instances, seconds, bytes in use */
    struct bench_samples dmn_x, dmn_t, dmn_y; /* instances, seconds, daemons' PSS growth */
    struct bench_samples daemons_base;        /* daemons' PSS with no instance */
    unsigned cap, step, reached, unsettled;
    double noise;
    double (*mem_available)(void); /* the host's, or a test's model */
    const char *stopped_by;
    /* The instances run on another host (a remote VM host): its memory
     * comes from the driver's node_mem, and read_why says why a read failed. */
    const struct bench_backend *be;
    const struct vcb_backend_opts *opts;
    bool elsewhere;
    char read_why[VCB_ERR_MSG_MAX];
};

/* This host's MemAvailable, or the memory of the host elsewhere; NAN when
 * that one cannot be read now. */
static double density_avail(struct density_arm *a)
{
    struct vcb_node_mem m;
    struct vcb_err err = {0};
    if (!a->elsewhere)
        return a->mem_available();
    if (a->be->drv->node_mem(a->opts, &m, &err) == 1)
        return (double)m.available;
    if (!a->read_why[0])
        snprintf(a->read_why, sizeof(a->read_why), "%s",
                 err.msg[0] ? err.msg : "the driver gave no reading");
    return NAN;
}

/* MemAvailable with every CPU's pending vmstat deltas folded in first
 * (root only): otherwise the counters lag by up to a second and a few MiB. */
static double mem_available_kernel(void)
{
    int fd = open("/proc/sys/vm/stat_refresh", O_WRONLY | O_CLOEXEC);
    if (fd >= 0) {
        ssize_t n = write(fd, "1", 1);
        (void)n; /* not root, or an old kernel: the plain reading */
        close(fd);
    }
    return (double)bench_mem_available();
}

/* The baseline: the median of a few reads, and their spread (sample sd) as
 * the host's own noise on this scale. */
static double mem_available_base(struct density_arm *a, double *noise)
{
    double r[NOISE_READS], mean = 0, ss = 0;
    for (size_t i = 0; i < NOISE_READS; i++) {
        if (i)
            bench_pause(READ_GAP_NS);
        if (isnan(r[i] = density_avail(a)))
            return NAN;
        mean += r[i] / NOISE_READS;
    }
    for (size_t i = 0; i < NOISE_READS; i++)
        ss += (r[i] - mean) * (r[i] - mean);
    *noise = sqrt(ss / (NOISE_READS - 1));
    return vcb_median(r, NOISE_READS);
}

/* MemAvailable once it stops moving: the last STABLE_READS reads within
 * max(3 × noise, 256 KiB) of each other, their median; memory of a fresh
 * guest settles for seconds. *settled false when it never did. */
static double mem_available_settled(struct density_arm *a, double noise, bool *settled)
{
    double w[STABLE_READS], tol = fmax(3 * noise, STABLE_MIN_TOL);
    uint64_t deadline = vcb_now_ns() + STABLE_MAX_NS;
    size_t n = 0;
    for (;;) {
        if (isnan(w[n++ % STABLE_READS] = density_avail(a)))
            return NAN;
        size_t k = n < STABLE_READS ? n : STABLE_READS;
        double lo = w[0], hi = w[0];
        for (size_t i = 1; i < k; i++)
            lo = fmin(lo, w[i]), hi = fmax(hi, w[i]);
        *settled = k == STABLE_READS && hi - lo <= tol;
        if (*settled || vcb_now_ns() >= deadline || bench_stop_signal())
            return vcb_median(w, k);
        bench_pause(READ_GAP_NS);
    }
}

/* One instance's drop below 4 × the noise cannot be told from it step by
 * step: take several instances per step so that each step stands out, as
 * long as the rest of the curve keeps MIN_POINTS points for the fit. */
static unsigned density_step_size(unsigned step, double per_instance, double noise, unsigned left)
{
    double per = fmax(per_instance, STABLE_MIN_TOL), need = 4 * noise;
    unsigned most = left / MIN_POINTS;
    if (per * step >= need || most <= step)
        return step;
    double want = ceil(need / per);
    return want > most ? most : want > STEP_MAX ? STEP_MAX : (unsigned)want;
}

/* Start count instances at v[*started] up to ready, then let them settle;
 * false (with a DNF noted) when one fails. */
static bool density_launch(struct bench_ctx *ctx, const struct density_params *sc,
                           const struct bench_backend *be, struct density_arm *a,
                           struct bench_inst *v, unsigned *started, unsigned count)
{
    const struct bench_suite *su = ctx->suite;
    /* bounded lifetime: the whole curve's budget, so a killed run's idle
     * instances end by themselves */
    char bound[32], *args[] = {"--duration", bound, NULL};
    uint64_t step = su->ready_timeout_ns + sc->settle_ns + 2 * STABLE_MAX_NS;
    snprintf(bound, sizeof(bound), "%lluns",
             (unsigned long long)(a->cap * step + 2 * su->exit_timeout_ns));
    for (unsigned i = 0; i < count && !bench_stopping(ctx); i++) {
        struct bench_inst *bi = &v[(*started)++];
        int rc = BENCH_WAIT_OK;
        if (bench_inst_launch(ctx, be, "idle", args, bi) == 0)
            rc = bench_inst_wait(bi, 1, VCB_EV_READY, vcb_now_ns() + su->ready_timeout_ns);
        bench_entry_mark(a->entry, bi);
        bench_progress_step(ctx->progress, "density", be->name, *started, a->cap);
        if (!bi->t[VCB_EV_READY]) {
            bench_inst_log_dnf(a->entry, bi, "density", VCB_EV_READY, rc, su->ready_timeout_ns);
            a->stopped_by = "dnf";
            return false;
        }
    }
    return !bench_stopping(ctx) && bench_settle(v, *started, sc->settle_ns) == 0;
}

/* The shared daemons' PSS now (libvirtd, virtlogd), NAN when none. */
static double daemons_pss(const struct density_arm *a)
{
    struct vcb_proc_mem m;
    struct vcb_err err = {0};
    if (!a->be->drv->daemons_mem || a->be->drv->daemons_mem(a->opts, &m, &err) < 0)
        return NAN;
    return (double)m.pss;
}

/* A reference for the rep: MemAvailable and the daemons' PSS with no
 * instance, and when that was. */
struct density_base {
    double avail, daemons;
    uint64_t t0;
};

/* Read the host once settled with n instances running and add the fit's
 * points (instances, seconds since the base, bytes in use); returns
 * MemAvailable. */
static double density_read(struct density_arm *a, unsigned n, const struct density_base *b,
                           double dmn_now)
{
    bool settled;
    double avail = mem_available_settled(a, a->noise, &settled);
    if (isnan(avail))
        return avail;
    double secs = (double)(vcb_now_ns() - b->t0) / VCB_NS_PER_S;
    a->unsettled += !settled;
    bench_samples_add(&a->fit_x, n);
    bench_samples_add(&a->fit_t, secs);
    bench_samples_add(&a->fit_y, b->avail - avail);
    if (!isnan(dmn_now) && !isnan(b->daemons)) {
        bench_samples_add(&a->dmn_x, n);
        bench_samples_add(&a->dmn_t, secs);
        bench_samples_add(&a->dmn_y, dmn_now - b->daemons);
    }
    return avail;
}

/* Record the point after a step up of count instances; false at the floor. */
static bool density_point(const struct density_params *sc, struct density_arm *a, unsigned started,
                          unsigned count, const struct density_base *b, double *prev)
{
    double dmn = daemons_pss(a), avail = density_read(a, started, b, dmn);
    if (isnan(avail)) {
        a->stopped_by = "dnf";
        return false;
    }
    bench_samples_add(&a->per_instance, (*prev - avail) / count);
    bench_samples_add(&a->used[started - 1], b->avail - avail);
    if (!isnan(dmn) && !isnan(b->daemons))
        bench_samples_add(&a->daemons[started - 1], dmn - b->daemons);
    a->reached = started > a->reached ? started : a->reached;
    *prev = avail;
    if (avail >= (double)sc->floor_bytes)
        return true;
    a->stopped_by = "floor";
    bench_entry_note(a->entry, "stopped_early",
                     json_sprintf("MemAvailable %.0f below the floor %llu at %u instances", avail,
                                  (unsigned long long)sc->floor_bytes, started));
    return false;
}

/* Back down, step by step: a drift of the host's own memory use goes on
 * while the instances go, so the fit can tell the two apart. */
static void density_down(struct bench_ctx *ctx, struct density_arm *a, struct bench_inst *v,
                         unsigned started, const struct density_base *b)
{
    while (started > 0 && !bench_stopping(ctx)) {
        unsigned count = a->step < started ? a->step : started;
        started -= count;
        bench_inst_clear_all(v + started, count);
        density_read(a, started, b, daemons_pss(a));
    }
}

static void density_once(struct bench_ctx *ctx, const struct density_params *sc,
                         const struct bench_backend *be, struct density_arm *a)
{
    unsigned started = 0, step = a->step;
    cleanup_free struct bench_inst *v = calloc(a->cap, sizeof(*v));
    if (!v) {
        bench_entry_add_dnf(a->entry, "density: out of memory");
        return;
    }
    double noise;
    struct density_base b = {mem_available_base(a, &noise), daemons_pss(a), vcb_now_ns()};
    double prev = b.avail;
    if (isnan(b.avail)) {
        a->stopped_by = "dnf";
        return;
    }
    a->noise = fmax(a->noise, noise);
    if (!isnan(b.daemons))
        bench_samples_add(&a->daemons_base, b.daemons);
    density_read(a, 0, &b, b.daemons); /* the first point: none running */
    a->stopped_by = "cap";
    while (started < a->cap && !bench_stopping(ctx)) {
        unsigned count = step < a->cap - started ? step : a->cap - started;
        if (!density_launch(ctx, sc, be, a, v, &started, count) ||
            !density_point(sc, a, started, count, &b, &prev))
            break;
        if (started == count) /* after the first step: is one instance above the noise? */
            step = a->step =
                density_step_size(step, (b.avail - prev) / count, a->noise, a->cap - started);
    }
    bench_progress_add_total(ctx->progress, -(int)(sc->instances_max - started));
    density_down(ctx, a, v, started, &b);
    if (bench_stopping(ctx))
        a->stopped_by = "stop";
    /* what is left (a stop): destroyed, not stopped, all at once */
    bench_inst_clear_all(v, started);
}

/* The curve: per instance count, the median over the reps that got there. */
static json_t *density_curve(const struct density_arm *a)
{
    json_t *curve = json_array();
    for (unsigned k = 0; k < a->reached; k++) {
        if (!a->used[k].n)
            continue;
        double used = vcb_median(a->used[k].v, a->used[k].n);
        json_t *pt = json_pack("{s:i, s:I, s:i}", "instances", k + 1, "host_used_bytes",
                               (json_int_t)used, "n", (int)a->used[k].n);
        if (a->daemons[k].n)
            json_object_set_new(
                pt, "daemons_pss_bytes",
                json_integer((json_int_t)vcb_median(a->daemons[k].v, a->daemons[k].n)));
        json_array_append_new(curve, pt);
    }
    return curve;
}

/* Every point the fit used, in the order read (up, then down; rep after
 * rep): [instances, seconds since the rep's baseline, bytes in use]. */
static json_t *density_points(const struct density_arm *a)
{
    json_t *pts = json_array();
    for (size_t i = 0; i < a->fit_x.n; i++)
        json_array_append_new(pts, json_pack("[i, f, I]", (int)a->fit_x.v[i], a->fit_t.v[i],
                                             (json_int_t)a->fit_y.v[i]));
    return pts;
}

/* The fits, the curve and the notes into the entry. */
static void density_record(struct density_arm *a)
{
    struct vcb_linfit f;
    json_t *fit = bench_fit_json(&a->fit_x, &a->fit_t, &a->fit_y, &f);
    bench_entry_add_metric(a->entry, "per_instance", "bytes", &a->per_instance, NULL);
    if (fit) {
        bench_fit_metric(a->entry, "host_per_instance", &f);
        json_object_set_new(a->entry, "fit", fit);
    }
    json_t *dfit = bench_fit_json(&a->dmn_x, &a->dmn_t, &a->dmn_y, &f);
    if (dfit) {
        bench_fit_metric(a->entry, "daemons_per_instance", &f);
        json_object_set_new(
            dfit, "base_pss_bytes",
            json_integer((json_int_t)vcb_median(a->daemons_base.v, a->daemons_base.n)));
        json_object_set_new(a->entry, "daemons_fit", dfit);
    }
    json_object_set_new(a->entry, "curve", density_curve(a));
    json_object_set_new(a->entry, "fit_points", density_points(a));
    bench_entry_note(a->entry, "per_instance_flag",
                     json_string(bench_samples_cost_flag(&a->per_instance)));
    bench_entry_note(a->entry, "noise_bytes", json_integer((json_int_t)a->noise));
    bench_entry_note(a->entry, "step", json_integer(a->step));
    bench_entry_note(a->entry, "unsettled_steps", json_integer(a->unsettled));
    if (a->stopped_by)
        bench_entry_note(a->entry, "stopped_by", json_string(a->stopped_by));
    if (a->read_why[0])
        bench_entry_add_dnf(a->entry, "density: the memory of the host its instances run on: %s",
                            a->read_why);
}

/* Whose memory the arm reads: this host's MemAvailable, or, where the
 * instances run elsewhere (a remote VM host), that host's over the
 * driver, with the source noted; false (a DNF with the reason) when that
 * host's memory cannot be read: this host's would measure nothing. */
static bool density_source(struct bench_ctx *ctx, struct density_arm *a)
{
    struct vcb_node_mem m;
    struct vcb_proc_mem d;
    struct vcb_err err = {0};
    int rc = a->be->drv->node_mem ? a->be->drv->node_mem(a->opts, &m, &err) : 0;
    a->mem_available = ctx->mem_available ? ctx->mem_available : mem_available_kernel;
    a->elsewhere = rc == 1;
    if (rc < 0) {
        bench_entry_add_dnf(a->entry, "density refused: %s", err.msg);
        return false;
    }
    bench_entry_note(
        a->entry, "memory_source",
        json_string(a->elsewhere ? m.source : "MemAvailable, /proc/meminfo (this host)"));
    if (a->elsewhere && a->be->drv->daemons_mem && a->be->drv->daemons_mem(a->opts, &d, &err) < 0)
        bench_entry_note(a->entry, "daemons_not_measured", json_string(err.msg));
    return true;
}

static void density_arm_free(struct density_arm *a, unsigned max)
{
    for (unsigned k = 0; k < max && a->used; k++) {
        bench_samples_free(&a->used[k]);
        bench_samples_free(&a->daemons[k]);
    }
    free(a->used);
    free(a->daemons);
    struct bench_samples *s[] = {&a->per_instance, &a->fit_x, &a->fit_t, &a->fit_y,
                                 &a->dmn_x,        &a->dmn_t, &a->dmn_y, &a->daemons_base};
    for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
        bench_samples_free(s[i]);
}

static int density_run(struct bench_ctx *ctx, const void *params)
{
    const struct density_params *sc = params;
    struct density_arm arms[BENCH_BACKEND_MAX] = {0};
    size_t nb = ctx->nbackends;

    for (size_t b = 0; b < nb; b++) {
        int known = bench_backend_index(ctx->backends[b].name);
        struct density_arm *a = &arms[b];
        a->cap = known < 0                  ? sc->instances_max
                 : sc->instances_cap[known] ? sc->instances_cap[known]
                                            : sc->instances_default;
        a->step = sc->step;
        a->be = &ctx->backends[b];
        a->opts = &ctx->bopts;
        a->entry =
            bench_entry_for(ctx, "density", &ctx->backends[b],
                            json_pack("{s:i, s:s}", "instances_max", a->cap, "workload", "idle"));
        if (a->be->drv && !density_source(ctx, a))
            continue; /* used and daemons stay NULL: the arm does not run */
        a->used = calloc(sc->instances_max, sizeof(struct bench_samples));
        a->daemons = calloc(sc->instances_max, sizeof(struct bench_samples));
    }
    for (unsigned r = 0; r < sc->n && !bench_stopping(ctx); r++)
        for (size_t b = 0; b < nb && !bench_stopping(ctx); b++)
            if (ctx->backends[b].drv && arms[b].used && arms[b].daemons)
                density_once(ctx, sc, &ctx->backends[b], &arms[b]);
    for (size_t b = 0; b < nb; b++) {
        if (arms[b].used && arms[b].daemons)
            density_record(&arms[b]);
        bench_results_add(ctx->results, arms[b].entry);
        density_arm_free(&arms[b], sc->instances_max);
    }
    return 0;
}

/* instances_max: one cap for every backend, or {"process": 32, "vm": 4};
 * a backend the object leaves out gets its smallest cap. */
static int density_parse_caps(const struct sj *sj, json_t *o, const char *p,
                              struct density_params *sc)
{
    char path[256];
    json_t *caps = json_object_get(o, "instances_max");
    bench_backend_claim(caps);
    const char *const *backends = bench_backend_names();
    sj_path(path, sizeof(path), p, "instances_max");
    if (!caps)
        return sj_bad(sj, path, "missing (expected an integer from 1 to 4096, or one per backend)");
    unsigned all = 0, min = 4096;
    if (!json_is_object(caps)) {
        if (sj_uint(sj, o, p, "instances_max", 1, 4096, &all) < 0)
            return -1;
        min = all;
    } else if (sj_keys(sj, caps, path, backends) < 0 || json_object_size(caps) == 0) {
        return json_object_size(caps) ? -1 : sj_bad(sj, path, "expected at least one backend");
    }
    for (size_t b = 0; all == 0 && b < bench_backend_count(); b++) {
        if (sj_uint(sj, caps, path, bench_backend_name(b), 1, 4096, &sc->instances_cap[b]) < 0)
            return -1;
        if (sc->instances_cap[b])
            min = sc->instances_cap[b] < min ? sc->instances_cap[b] : min;
    }
    sc->instances_default = all ? all : min;
    for (size_t b = 0; b < bench_backend_count(); b++) {
        if (!sc->instances_cap[b])
            sc->instances_cap[b] = sc->instances_default;
        if (sc->instances_cap[b] > sc->instances_max)
            sc->instances_max = sc->instances_cap[b];
    }
    return 0;
}

static int density_parse(const struct sj *sj, json_t *o, const char *p, void **params)
{
    static const char *const keys[] = {"type", "instances_max", "step", "floor", "settle", "n",
                                       NULL};
    cleanup_free struct density_params *sc = malloc(sizeof(*sc));
    if (!sc)
        return vcb_err_sys(sj->err, ENOMEM, "%s: %s", sj->file, p);
    *sc = (struct density_params){
        .n = 1, .step = 1, .floor_bytes = 1ULL << 30, .settle_ns = 300 * VCB_NS_PER_MS};
    if (sj_keys(sj, o, p, keys) < 0 || density_parse_caps(sj, o, p, sc) < 0 ||
        sj_uint(sj, o, p, "step", 1, 256, &sc->step) < 0 ||
        sj_size(sj, o, p, "floor", &sc->floor_bytes) < 0 ||
        sj_duration(sj, o, p, "settle", &sc->settle_ns) < 0 ||
        sj_uint(sj, o, p, "n", 1, 100, &sc->n) < 0)
        return -1;
    *params = steal_pointer(&sc);
    return 0;
}

static unsigned density_plan(const void *params, size_t nbackends)
{
    const struct density_params *sc = params;
    return sc->instances_max * sc->n * (unsigned)nbackends;
}

static int density_images(const void *params, bench_image_need_fn need, void *arg,
                          struct vcb_err *err)
{
    (void)params;
    return need(arg, "idle", err);
}

const struct bench_scenario_ops bench_density_ops = {.name = "density",
                                                     .parse = density_parse,
                                                     .plan = density_plan,
                                                     .images = density_images,
                                                     .run = density_run,
                                                     .free = free};
