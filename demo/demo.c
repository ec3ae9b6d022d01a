/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* demo.c — `vcbench demo`: the real runner over the demo suite
 * (suite/suites/demo.json), narrated from what its observer says: step 1
 * as the run begins, one step per scenario, step 5 once the last ended,
 * with pauses between steps. The runner saves, stops on Ctrl-C and leaves
 * nothing behind; the narrator only talks. */
#include <errno.h>
#include <string.h>

#include "demo-priv.h"
#include "demo-text.h"
#include "scenario.h"
#include "suite.h"

#define DEMO_SUITE    "demo"
#define DEMO_BACKENDS "process,container,vm"

static const struct demo_step *const demo_steps[] = {&demo_step_boot, &demo_step_memory,
                                                     &demo_step_isolation};

static void demo_heading(struct demo *d, unsigned step, const char *title)
{
    demo_say(d, DT_HEADING_FMT, step, (unsigned)d->ctx->suite->nscen + 2, title);
}

/* -1 when a stop was asked (Ctrl-C) or the reader chose to stop. */
static int demo_pause(struct demo *d)
{
    if (bench_stop_signal())
        return -1;
    if (!d->opts->pause)
        return 0;
    demo_say(d, DT_PAUSE);
    return d->opts->pause(d->opts->ctx, bench_stop_fd()) < 0 || bench_stop_signal() ? -1 : 0;
}

/* Step 1: the question, the backends; the images come next. */
static void demo_step_question(struct demo *d)
{
    char names[64] = "";
    demo_heading(d, 1, DT_STEP1);
    demo_say(d, DT_INTRO1);
    for (size_t b = 0; b < d->ctx->nbackends; b++)
        snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s", b ? ", " : "",
                 d->ctx->backends[b].name);
    demo_say(d, DT_BACKENDS, names);
    for (size_t b = 0; b < d->ctx->nbackends; b++)
        if (!d->ctx->backends[b].drv)
            demo_say(d, DT_NOT_BUILT, d->ctx->backends[b].name, d->ctx->backends[b].why);
    demo_say(d, DT_PREPARING);
}

/* Once the host facts are in the results: a guest that will run under TCG. */
static void demo_say_accel(struct demo *d)
{
    json_t *host = json_object_get(d->ctx->results->doc, "host");
    json_t *accel = json_object_get(host, "accel"), *why = json_object_get(host, "accel_reason");
    if (demo_find_kind(d, VCB_ARM_VM) == d->ctx->nbackends || !json_is_string(accel) ||
        strcmp(json_string_value(accel), "tcg") != 0)
        return;
    demo_say(d, DT_ACCEL_TCG, json_is_string(why) ? json_string_value(why) : "no reason given");
    d->said_emulated = true; /* the rows still say "emulated, TCG" */
}

static const struct demo_step *demo_step_of(const struct demo *d, size_t scenario)
{
    const char *name = d->ctx->suite->scen[scenario].ops->name;
    for (size_t i = 0; i < sizeof(demo_steps) / sizeof(demo_steps[0]); i++)
        if (strcmp(demo_steps[i]->scenario, name) == 0)
            return demo_steps[i];
    return NULL;
}

static size_t demo_backend_of(const struct demo *d, json_t *entry)
{
    const char *name = json_string_value(json_object_get(entry, "backend"));
    size_t b = 0;
    while (b < d->ctx->nbackends && (!name || strcmp(d->ctx->backends[b].name, name) != 0))
        b++;
    return b;
}

static int demo_scenario_start(struct demo *d, size_t i, const struct demo_step *st)
{
    if (i == 0)
        demo_say_accel(d);
    if (demo_pause(d) < 0)
        return -1;
    memset(d->entry, 0, sizeof(d->entry));
    memset(d->iso, 0, sizeof(d->iso));
    demo_heading(d, (unsigned)i + 2, st ? st->title : d->ctx->suite->scen[i].ops->name);
    if (st)
        st->start(d);
    return 0;
}

/* After the last step: where it is all written down. */
static int demo_scenario_end(struct demo *d, size_t i, const struct demo_step *st)
{
    if (st)
        st->end(d);
    if (i + 1 < d->ctx->suite->nscen)
        return 0;
    if (demo_pause(d) < 0)
        return -1;
    demo_heading(d, (unsigned)i + 3, DT_STEP5);
    demo_say(d, DT_INTRO5, d->ctx->results->path);
    return 0;
}

static int demo_event(void *arg, const struct bench_obs_event *ev)
{
    struct demo *d = arg;
    d->ctx = ev->ctx;
    if (bench_stop_signal()) /* stopping: the run cleans up, the narrator is quiet */
        return 0;
    if (ev->kind == BENCH_OBS_BEGIN) {
        demo_step_question(d);
        return 0;
    }
    const struct demo_step *st = demo_step_of(d, ev->scenario);
    switch (ev->kind) {
    case BENCH_OBS_SCENARIO_START:
        return demo_scenario_start(d, ev->scenario, st);
    case BENCH_OBS_INSTANCE_READY:
        demo_note_emulated(d, ev->inst);
        if (st && st->ready)
            st->ready(d, ev->inst);
        return 0;
    case BENCH_OBS_ENTRY:
        if (st && demo_backend_of(d, ev->entry) < d->ctx->nbackends)
            st->entry(d, demo_backend_of(d, ev->entry), ev->entry);
        return 0;
    case BENCH_OBS_SCENARIO_END:
        return demo_scenario_end(d, ev->scenario, st);
    default:
        return 0;
    }
}

int bench_demo_run(const struct bench_demo_opts *opts, struct bench_demo_result *res,
                   struct vcb_err *err)
{
    struct demo *d = calloc(1, sizeof(*d));
    if (!d)
        return vcb_err_sys(err, ENOMEM, "demo");
    memset(res, 0, sizeof(*res));
    d->opts = opts;
    struct bench_run_opts ro = {
        .suite = DEMO_SUITE,
        .backends = opts->backends ? opts->backends : DEMO_BACKENDS,
        .out_dir = opts->out_dir,
        .out_prefix = "demo-",
        .bopts = opts->bopts,
        .force = true, /* a demo writes over the one before it */
        .observer = {.event = demo_event, .arg = d, .stopped_by = "stopped by the reader"}};
    struct bench_run_result rr;
    int rc = bench_run(&ro, &rr, err);
    snprintf(res->results_path, sizeof(res->results_path), "%s", rr.results_path);
    if (opts->out_dir)
        snprintf(res->out_dir, sizeof(res->out_dir), "%s", opts->out_dir);
    else
        snprintf(res->out_dir, sizeof(res->out_dir), "results/demo-%s", rr.run_id);
    res->stop_signal = rr.stop_signal;
    if (rc == 0 && !rr.complete && rr.results_path[0])
        demo_say(d, DT_STOPPED, rr.results_path);
    free(d);
    return rc;
}
