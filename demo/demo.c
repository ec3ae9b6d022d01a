/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* demo.c — `vcbench demo`: set up a run (its plan is a small suite, so the
 * results file says what was run), narrate steps 1 to 5 with pauses, save the
 * results after every step, and leave nothing behind, Ctrl-C included. */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "demo-priv.h"
#include "demo-text.h"

#define DEMO_BACKENDS       "process,container,vm"
#define MEMHOG_CEILING_MAX  (1ULL << 30)
#define MEMHOG_CEILING_STEP (16ULL << 20)

static const char *const step_titles[DEMO_STEPS] = {DT_STEP1, DT_STEP2, DT_STEP3, DT_STEP4,
                                                    DT_STEP5};

void demo_say(struct demo *d, const char *fmt, ...)
{
    char buf[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (d->opts->say)
        d->opts->say(d->opts->ctx, buf);
}

void demo_heading(struct demo *d, unsigned step)
{
    demo_say(d, DT_HEADING_FMT, step, DEMO_STEPS, step_titles[step - 1]);
}

bool demo_stopped(struct demo *d)
{
    return bench_stopping(&d->ctx);
}

int demo_pause(struct demo *d)
{
    if (demo_stopped(d))
        return -1;
    if (!d->opts->pause)
        return 0;
    demo_say(d, DT_PAUSE);
    if (d->opts->pause(d->opts->ctx, bench_stop_fd()) < 0)
        d->ctx.stopped = true;
    return demo_stopped(d) ? -1 : 0;
}

const char *demo_backend_label(const struct demo *d, size_t b, bool emulated, char *buf, size_t len)
{
    snprintf(buf, len, "%s%s", d->ctx.backends[b].name, emulated ? " (emulated, TCG)" : "");
    return buf;
}

bool demo_inst_emulated(const struct bench_inst *bi)
{
    return bi->vi && bi->vi->emulated;
}

bool demo_entry_emulated(json_t *entry)
{
    return json_is_true(json_object_get(entry, "emulated"));
}

bool demo_skip(struct demo *d, size_t b, json_t *entry)
{
    const struct bench_backend *be = &d->ctx.backends[b];
    if (be->drv && !d->down[b])
        return false;
    demo_say(d, DT_SKIPPED, be->name, be->drv ? d->down_why[b] : be->why);
    if (entry && be->drv) /* not built: bench_entry_for said so already */
        bench_entry_add_dnf(entry, "skipped: %s", d->down_why[b]);
    return true;
}

int demo_launch(struct demo *d, size_t b, const char *workload, char *const *args,
                struct bench_inst *bi)
{
    if (bench_inst_launch(&d->ctx, &d->ctx.backends[b], workload, args, bi) == 0) {
        demo_note_emulated(d, bi);
        return 0;
    }
    if (!demo_stopped(d)) {
        d->down[b] = true;
        snprintf(d->down_why[b], sizeof(d->down_why[b]), "%s", bi->error);
        demo_say(d, DT_LAUNCH_FAIL, d->ctx.backends[b].name, bi->error);
    }
    return -1;
}

/* The driver's reason may already start with the label; say it once. */
void demo_note_emulated(struct demo *d, const struct bench_inst *bi)
{
    static const char prefix[] = "emulated (TCG): ";
    if (!bi->vi || !bi->vi->emulated || d->said_emulated)
        return;
    const char *why = bi->vi->emulated_reason;
    while (strncmp(why, prefix, sizeof(prefix) - 1) == 0)
        why += sizeof(prefix) - 1;
    d->said_emulated = true;
    demo_say(d, DT_FIRST_TCG, bi->be->name, why);
}

/* A quarter of what is free, at most 1 GiB, in whole 16 MiB steps: enough to
 * pass the container's and the VM's walls, never enough to hurt the host. */
static uint64_t memhog_ceiling(void)
{
    uint64_t c = bench_mem_available() / 4;
    c = c > MEMHOG_CEILING_MAX ? MEMHOG_CEILING_MAX : c;
    c -= c % MEMHOG_CEILING_STEP;
    return c ? c : MEMHOG_CEILING_STEP;
}

/* The demo's plan as a suite: it sets the limits and the images, and the
 * results file carries it as "suite". The steps themselves narrate. */
static json_t *demo_suite_json(void)
{
    return json_pack(
        "{s:s, s:s, s:{s:{s:f, s:s, s:i}, s:{s:i, s:s}}, s:{s:s, s:s}, s:["
        "{s:s, s:s, s:i, s:i}, {s:s, s:[s], s:i, s:s}, {s:s, s:[s], s:[s, s], s:i, s:s}]}",
        "name", "demo", "description",
        "vcbench demo: the narrated classroom run (boot, idle memory, a noisy neighbour)", "limits",
        "container", "cpus", 0.5, "memory", "128MiB", "pids", 128, "vm", "cpus", 1, "memory",
        "256MiB", "timeouts", "ready", "60s", "exit", "20s", "scenarios", "type", "boot",
        "workload", "noop", "warmup", 0, "n", 10, "type", "memory", "workloads", "idle", "n", 1,
        "settle", "1s", "type", "isolation", "victims", "cpu", "aggressors", "memhog", "cpu", "n",
        3, "duration", "1500ms");
}

static int demo_setup(struct demo *d, struct vcb_err *err)
{
    cleanup_json json_t *suite = demo_suite_json();
    if (!suite)
        return vcb_err_set(err, 0, "demo: build its plan");
    if (bench_suite_parse(suite, "(demo)", &d->suite, err) < 0)
        return -1;
    const char *list = d->opts->backends ? d->opts->backends : DEMO_BACKENDS;
    if (bench_backends_setup(&d->ctx, &d->suite, list, err) < 0)
        return -1;
    d->ctx.suite = &d->suite;
    d->ctx.bopts = d->opts->bopts;
    bench_progress_init(&d->progress, false, 0);
    d->ctx.progress = &d->progress;
    d->memhog_ceiling = memhog_ceiling();
    vcb_run_id_new(d->ctx.run_id);
    if (bench_rundir_create(d->ctx.run_id, d->ctx.run_dir, sizeof(d->ctx.run_dir), &d->lock, err) <
        0)
        return -1;
    if (bench_signals_install(err) < 0)
        return -1;
    d->signals = true;
    return 0;
}

static json_t *suite_as_run(const struct demo *d)
{
    json_t *s = json_deep_copy(d->suite.json), *b = json_array();
    for (size_t i = 0; i < d->ctx.nbackends; i++)
        json_array_append_new(b, json_string(d->ctx.backends[i].name));
    json_object_set_new(s, "file", json_string("(built into vcbench demo)"));
    json_object_set_new(s, "backends", b);
    return s;
}

static int demo_results_init(struct demo *d, json_t *host, struct bench_demo_result *res,
                             struct vcb_err *err)
{
    if (d->opts->out_dir)
        snprintf(res->out_dir, sizeof(res->out_dir), "%s", d->opts->out_dir);
    else
        snprintf(res->out_dir, sizeof(res->out_dir), "results/demo-%s", d->ctx.run_id);
    cleanup_json json_t *suite = suite_as_run(d);
    if (bench_results_init(&d->results, res->out_dir, d->ctx.run_id, host, suite, err) < 0)
        return -1;
    bench_run_options_record(&d->results, &d->ctx, NULL); /* its suite is built in */
    d->ctx.results = &d->results;
    d->results.logs = &d->ctx.logs;
    snprintf(res->results_path, sizeof(res->results_path), "%s", d->results.path);
    return 0;
}

/* Step 1: the question, the backends, the images, the host facts. */
static int demo_step_question(struct demo *d, struct bench_demo_result *res, struct vcb_err *err)
{
    char names[64] = "";
    bool vm = false, ct = false;
    demo_heading(d, 1);
    demo_say(d, DT_INTRO1);
    for (size_t b = 0; b < d->ctx.nbackends; b++) {
        const struct bench_backend *be = &d->ctx.backends[b];
        snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s", b ? ", " : "",
                 be->name);
        vm = vm || (be->drv && !strcmp(be->name, "vm"));
        ct = ct || (be->drv && !strcmp(be->name, "container"));
    }
    demo_say(d, DT_BACKENDS, names);
    for (size_t b = 0; b < d->ctx.nbackends; b++)
        if (!d->ctx.backends[b].drv)
            demo_say(d, DT_NOT_BUILT, d->ctx.backends[b].name, d->ctx.backends[b].why);
    demo_say(d, DT_PREPARING);
    if (bench_suite_images(&d->ctx, err) < 0)
        return -1;
    cleanup_json json_t *host = bench_host_facts(&d->opts->bopts, vm, ct);
    json_t *accel = json_object_get(host, "accel"), *why = json_object_get(host, "accel_reason");
    if (vm && json_is_string(accel) && !strcmp(json_string_value(accel), "tcg")) {
        demo_say(d, DT_ACCEL_TCG, json_is_string(why) ? json_string_value(why) : "no reason given");
        d->said_emulated = true; /* the rows still say "emulated, TCG" */
    }
    return demo_results_init(d, host, res, err);
}

static int demo_steps(struct demo *d, struct bench_demo_result *res, struct vcb_err *err)
{
    int (*const steps[])(struct demo *) = {demo_step_boot, demo_step_memory, demo_step_isolation};
    if (demo_step_question(d, res, err) < 0)
        return -1;
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        if (demo_pause(d) < 0)
            return 0;
        demo_heading(d, (unsigned)i + 2);
        if (steps[i](d) < 0 || bench_results_save(&d->results, err) < 0)
            return -1;
    }
    if (demo_pause(d) < 0)
        return 0;
    demo_heading(d, 5);
    demo_say(d, DT_INTRO5, res->results_path);
    return 0;
}

static int demo_finish(struct demo *d, int rc, struct bench_demo_result *res, struct vcb_err *err)
{
    int sig = bench_stop_signal();
    char stopped[VCB_ERR_MSG_MAX + 16] = "";
    if (rc < 0)
        snprintf(stopped, sizeof(stopped), "error: %s", err->msg);
    else if (sig)
        snprintf(stopped, sizeof(stopped), "%s", sig == SIGINT ? "SIGINT" : "SIGTERM");
    else if (demo_stopped(d))
        snprintf(stopped, sizeof(stopped), "stopped by the reader");
    if (d->results.doc) {
        struct vcb_err serr = {0};
        bench_results_finish(&d->results, !stopped[0], stopped[0] ? stopped : NULL);
        if (bench_results_save(&d->results, rc < 0 ? &serr : err) < 0 && rc == 0)
            rc = -1;
        if (stopped[0] && rc == 0)
            demo_say(d, DT_STOPPED, res->results_path);
    }
    res->stop_signal = rc == 0 ? sig : 0;
    return rc;
}

static void demo_teardown(struct demo *d)
{
    bench_rundir_release(d->ctx.run_dir, d->results.doc ? d->results.path : NULL, &d->lock);
    if (d->signals)
        bench_signals_restore();
    bench_logs_free(&d->ctx.logs);
    bench_results_free(&d->results);
    bench_suite_free(&d->suite);
}

int bench_demo_run(const struct bench_demo_opts *opts, struct bench_demo_result *res,
                   struct vcb_err *err)
{
    struct demo *d = calloc(1, sizeof(*d));
    if (!d)
        return vcb_err_sys(err, ENOMEM, "demo");
    memset(res, 0, sizeof(*res));
    d->opts = opts;
    d->lock = (struct bench_runlock){.fd = -1, .guard = -1};
    int rc = demo_setup(d, err);
    if (rc == 0)
        rc = demo_steps(d, res, err);
    rc = demo_finish(d, rc, res, err);
    demo_teardown(d);
    free(d);
    return rc;
}
