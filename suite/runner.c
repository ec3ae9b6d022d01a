/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* runner.c — `vcbench run`: validate, begin the run's session (id, locked
 * run dir, signal handling), prepare images and host facts, run each
 * scenario over every backend, save the results after each, and leave
 * nothing behind. */
#include <string.h>
#include <sys/random.h>

#include "scenario.h"
#include "suite.h"
#include "wl-image.h"

/* The run's own state, torn down in one place whatever happened. */
struct run_state {
    struct bench_suite suite;
    struct bench_ctx ctx;
    struct bench_session session;
};

/* A fresh interleaving per run; the suite's "seed" redoes one. */
static uint32_t run_random_seed(void)
{
    uint32_t seed;
    if (getrandom(&seed, sizeof(seed), 0) != (ssize_t)sizeof(seed))
        seed = (uint32_t)vcb_now_ns();
    return seed;
}

static unsigned run_plan(const struct run_state *st)
{
    size_t avail = 0;
    unsigned total = 0;
    for (size_t b = 0; b < st->ctx.nbackends; b++)
        avail += st->ctx.backends[b].drv != NULL;
    for (size_t i = 0; i < st->suite.nscen; i++)
        total += st->suite.scen[i].ops->plan(st->suite.scen[i].params, avail);
    return total;
}

/* The suite as run: as loaded, plus the file and the backends really used. */
static json_t *suite_as_run(const struct run_state *st)
{
    json_t *s = json_deep_copy(st->suite.json), *b = json_array();
    for (size_t i = 0; i < st->ctx.nbackends; i++)
        json_array_append_new(b, json_string(st->ctx.backends[i].name));
    json_object_set_new(s, "file", json_string(st->suite.file));
    json_object_set_new(s, "backends", b);
    return s;
}

/* results/<run-id> (the caller's prefix before it) unless --out says otherwise. */
static void run_out_dir(const struct run_state *st, const struct bench_run_opts *o, char *out,
                        size_t len)
{
    if (o->out_dir)
        snprintf(out, len, "%s", o->out_dir);
    else
        snprintf(out, len, "results/%s%s", o->out_prefix ? o->out_prefix : "", st->ctx.run_id);
}

static void run_entry_added(void *ctx, json_t *entry)
{
    bench_observe(ctx, BENCH_OBS_ENTRY, NULL, entry);
}

/* A driver's work before an instance's t0 (uploads to a remote VM host). */
static void run_driver_progress(void *ctx, const char *line)
{
    bench_progress_note(ctx, "%s", line);
}

static int run_setup_results(struct run_state *st, const struct bench_run_opts *o,
                             struct vcb_err *err)
{
    bool vm = false, ct = false;
    for (size_t b = 0; b < st->ctx.nbackends; b++) {
        vm = vm || (st->ctx.backends[b].drv && st->ctx.backends[b].drv->kind == VCB_ARM_VM);
        ct = ct || (st->ctx.backends[b].drv && st->ctx.backends[b].drv->kind == VCB_ARM_CONTAINER);
    }
    char out[PATH_MAX];
    run_out_dir(st, o, out, sizeof(out));
    struct bench_results *r = &st->session.results;
    bench_progress_note(&st->session.progress, "run %s: suite %s, results in %s", st->ctx.run_id,
                        st->suite.name, out);
    json_t *host = bench_host_facts(&o->bopts, vm, ct), *suite = suite_as_run(st);
    int rc = bench_session_results(&st->session, out, host, suite, err);
    json_decref(host); /* the document holds its own references */
    json_decref(suite);
    r->logs = &st->ctx.logs;
    if (rc < 0)
        return -1;
    bench_results_set_run(r, "order_seed", json_integer(st->ctx.order_seed));
    bench_run_options_record(r, &st->ctx, st->suite.file);
    /* This run's results.json stands in place of the earlier one: its logs go. */
    if (o->force && bench_out_drop_prior_logs(r->path, err) < 0)
        return -1;
    return bench_results_save(r, err);
}

static int image_need(void *ctx, const char *workload, struct vcb_err *err)
{
    return bench_image_add(ctx, workload, err);
}

/* Before anything is timed: a first build must never land in a sample. */
/* The suite's scratch volumes, where a disk workload runs: the directory
 * and its free space checked before anything starts (a usage error). */
static int run_scratch(struct bench_ctx *ctx, struct vcb_err *err)
{
    const struct bench_suite *s = ctx->suite;
    char what[PATH_MAX + 24], dir_what[PATH_MAX + 24];
    bool used = false;
    for (size_t i = 0; i < ctx->images.n; i++)
        used |= wl_workload_uses_scratch(ctx->images.workload[i]);
    if (!used)
        return 0;
    ctx->scratch = s->scratch;
    ctx->scratch.dir = s->scratch_dir[0] ? s->scratch_dir : NULL;
    snprintf(what, sizeof(what), "%s: scratch.size", s->file);
    snprintf(dir_what, sizeof(dir_what), "%s: scratch.dir", s->file);
    return bench_scratch_check(&ctx->scratch, what, dir_what, err);
}

/* What the suite's instances will need of this host, named as the suite
 * asks for it; an image's own command gets neither (bench_inst_prepare). */
struct run_needs {
    const struct bench_suite *suite;
    struct vcb_spec_needs needs;
};

static int need_of(void *arg, const char *workload, struct vcb_err *err)
{
    struct run_needs *n = arg;
    (void)err;
    if (bench_suite_own(n->suite, workload))
        return 0;
    if (!n->needs.net && bench_net_workload(workload))
        n->needs.net = workload;
    if (wl_workload_uses_scratch(workload))
        n->needs.scratch = "scratch.size";
    return 0;
}

/* Refused before the run begins, not as a DNF per instance: what a backend
 * cannot give them (a remote VM host sees no scratch file or network here). */
static int run_needs_check(const struct run_state *st, struct vcb_err *err)
{
    struct run_needs n = {.suite = &st->suite};
    for (size_t i = 0; i < st->suite.nscen; i++)
        if (st->suite.scen[i].ops->images(st->suite.scen[i].params, need_of, &n, err) < 0)
            return -1;
    if (bench_backends_check_needs(&st->ctx, &n.needs, err) < 0)
        return vcb_err_prefix(err, "%s", st->suite.file);
    return 0;
}

int bench_suite_images(struct bench_ctx *ctx, struct vcb_err *err)
{
    const struct bench_suite *s = ctx->suite;
    for (size_t i = 0; i < s->nscen; i++)
        if (s->scen[i].ops->images(s->scen[i].params, image_need, ctx, err) < 0)
            return -1;
    return run_scratch(ctx, err);
}

int bench_run_scenarios(struct bench_ctx *ctx, struct vcb_err *err)
{
    const struct bench_suite *su = ctx->suite;
    ctx->results->added = run_entry_added;
    ctx->results->added_arg = ctx;
    for (size_t i = 0; i < su->nscen && !bench_stopping(ctx); i++) {
        const struct bench_scenario *sc = &su->scen[i];
        uint64_t t0 = vcb_now_ns();
        char took[32];
        ctx->scen_index = i;
        bench_observe(ctx, BENCH_OBS_SCENARIO_START, NULL, NULL);
        if (bench_stopping(ctx))
            break;
        bench_progress_note(ctx->progress, "scenario %zu/%zu: %s", i + 1, su->nscen, sc->ops->name);
        ctx->logs.scenario = sc->ops->name;
        if (sc->ops->run(ctx, sc->params) < 0 || bench_results_save(ctx->results, err) < 0)
            return -1;
        vcb_format_duration(vcb_now_ns() - t0, took, sizeof(took));
        bench_progress_note(ctx->progress, "scenario %s done in %s, results saved", sc->ops->name,
                            took);
        bench_observe(ctx, BENCH_OBS_SCENARIO_END, NULL, NULL);
    }
    return 0;
}

/* Scenarios in suite order; results saved after each one. */
static int run_scenarios(struct run_state *st, struct vcb_err *err)
{
    struct bench_progress *progress = &st->session.progress;
    bench_progress_add_total(progress, (int)run_plan(st));
    progress->t_start = vcb_now_ns(); /* the ETA counts scenario time only */
    return bench_run_scenarios(&st->ctx, err);
}

static void run_count(const struct bench_results *r, struct bench_run_result *res)
{
    json_t *arr = json_object_get(r->doc, "results"), *e;
    size_t i;
    json_array_foreach(arr, i, e)
    {
        res->entries++;
        res->dnf += (unsigned)json_array_size(json_object_get(e, "dnf"));
    }
}

/* The session's end, and what the CLI reports of it. */
static int run_finish(struct run_state *st, int rc, struct bench_run_result *res,
                      struct vcb_err *err)
{
    const struct bench_results *r = &st->session.results;
    const char *stopped_by = NULL;
    if (st->ctx.stopped && st->ctx.observer) /* its observer asked */
        stopped_by = st->ctx.observer->stopped_by ? st->ctx.observer->stopped_by : "stopped";
    rc = bench_session_end(&st->session, rc, stopped_by, err);
    res->stop_signal = st->session.stop_signal;
    res->complete = st->session.complete;
    if (r->saved) /* else the path names an earlier run's file */
        snprintf(res->results_path, sizeof(res->results_path), "%s", r->path);
    if (r->doc)
        run_count(r, res);
    return rc;
}

static void run_teardown(struct run_state *st)
{
    bench_session_close(&st->session, false);
    bench_images_free(&st->ctx.images);
    bench_suite_free(&st->suite);
}

int bench_run(const struct bench_run_opts *o, struct bench_run_result *res, struct vcb_err *err)
{
    struct run_state st = {0};
    char path[PATH_MAX];
    memset(res, 0, sizeof(*res));
    bench_session_init(&st.session, o->progress);
    st.ctx.progress = &st.session.progress;
    if (bench_suite_resolve(o->suite, path, sizeof(path), err) < 0 ||
        bench_suite_load(path, &st.suite, err) < 0 ||
        bench_backends_setup(&st.ctx, &st.suite, o->backends, err) < 0) {
        bench_suite_free(&st.suite);
        return -1;
    }
    st.ctx.suite = &st.suite;
    st.ctx.bopts = o->bopts;
    st.ctx.bopts.progress = run_driver_progress;
    st.ctx.bopts.progress_ctx = &st.session.progress;
    st.ctx.bopts.stop_requested = bench_stop_signal; /* a long upload ends on Ctrl-C */
    if (st.ctx.bopts.ct_net == VCB_NET_NONE)         /* --net over the suite's "net" */
        st.ctx.bopts.ct_net = st.suite.ct_net;
    st.ctx.observer = &o->observer;
    st.ctx.order_seed = st.suite.has_seed ? st.suite.seed : run_random_seed();
    st.ctx.logs.max = o->log_max ? o->log_max : st.suite.log_max;
    char out[PATH_MAX];
    run_out_dir(&st, o, out, sizeof(out));
    if (run_needs_check(&st, err) < 0 ||
        (o->out_dir &&
         bench_out_check(out, o->force, res->replaced, sizeof(res->replaced), err) < 0)) {
        bench_suite_free(&st.suite);
        return -1;
    }
    int rc = bench_session_begin(&st.session, err);
    bench_session_bind(&st.session, &st.ctx);
    snprintf(res->run_id, sizeof(res->run_id), "%s", st.ctx.run_id);
    if (rc == 0)
        bench_observe(&st.ctx, BENCH_OBS_BEGIN, NULL, NULL);
    if (rc == 0)
        rc = bench_suite_images(&st.ctx, err);
    if (rc == 0)
        rc = run_setup_results(&st, o, err);
    if (rc == 0)
        rc = run_scenarios(&st, err);
    rc = run_finish(&st, rc, res, err);
    run_teardown(&st);
    return rc;
}
