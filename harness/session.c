/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* session.c — one run's life, the same for every command that makes
 * instances: a run id, its locked run dir (with the guard that cleans up
 * after a kill -9), Ctrl-C caught as a stop request, the results document,
 * progress and the instance logs; at the end the logs kept beside the
 * results, the document saved complete, stopped or failed, and nothing of
 * the run left on the host. */
#include <signal.h>
#include <string.h>

#include "harness.h"

void bench_session_init(struct bench_session *s, bool progress)
{
    memset(s, 0, sizeof(*s));
    s->lock = (struct bench_runlock){.fd = -1, .guard = -1};
    bench_progress_init(&s->progress, progress, 0);
}

int bench_session_begin(struct bench_session *s, struct vcb_err *err)
{
    vcb_run_id_new(s->run_id);
    if (bench_rundir_create(s->run_id, s->run_dir, sizeof(s->run_dir), &s->lock, err) < 0) {
        s->run_dir[0] = '\0'; /* not ours: close must not remove what is there */
        return -1;
    }
    if (bench_signals_install(err) < 0)
        return -1;
    s->signals = true;
    return 0;
}

void bench_session_bind(struct bench_session *s, struct bench_ctx *ctx)
{
    snprintf(ctx->run_id, sizeof(ctx->run_id), "%s", s->run_id);
    snprintf(ctx->run_dir, sizeof(ctx->run_dir), "%s", s->run_dir);
    ctx->results = &s->results;
    ctx->progress = &s->progress;
    s->logs = &ctx->logs;
}

int bench_session_results(struct bench_session *s, const char *out_dir, json_t *host, json_t *suite,
                          struct vcb_err *err)
{
    return bench_results_init(&s->results, out_dir, s->run_id, host, suite, err);
}

/* The logs beside the results, before the final save so that it says
 * whether they are there; 0, or -1 with lerr when the disk refused one. */
static int session_keep_logs(struct bench_session *s, struct vcb_err *lerr)
{
    struct bench_logs none = {0}, *l = s->logs ? s->logs : &none;
    if (bench_logs_keep(s->run_dir, s->results.path, lerr) < 0) {
        snprintf(l->keep_error, sizeof(l->keep_error), "%s", lerr->msg);
        return -1;
    }
    bench_logs_dir(s->results.path, l->kept, sizeof(l->kept));
    return 0;
}

/* Logs kept, then the final save with complete/stopped_by. Logs that could
 * not be kept fail the run loudly, but the results stay complete: they
 * are, and results.json says what is lost. */
int bench_session_end(struct bench_session *s, int rc, const char *stopped_by, struct vcb_err *err)
{
    int sig = bench_stop_signal();
    char stopped[VCB_ERR_MSG_MAX + 16] = "";
    struct vcb_err lerr = {0};
    if (rc < 0)
        snprintf(stopped, sizeof(stopped), "error: %s", err->msg);
    else if (sig)
        snprintf(stopped, sizeof(stopped), "%s", sig == SIGINT ? "SIGINT" : "SIGTERM");
    else if (stopped_by)
        snprintf(stopped, sizeof(stopped), "%s", stopped_by);
    bench_progress_end(&s->progress);
    s->stop_signal = rc == 0 ? sig : 0;
    s->complete = rc == 0 && !stopped[0];
    if (!s->results.doc)
        return rc;
    struct vcb_err serr = {0};
    int logs_rc = session_keep_logs(s, &lerr);
    bench_results_finish(&s->results, s->complete, stopped[0] ? stopped : NULL);
    if (bench_results_save(&s->results, rc < 0 ? &serr : err) < 0 && rc == 0)
        rc = -1, s->complete = false;
    if (rc == 0 && logs_rc < 0)
        rc = -1, *err = lerr;
    return rc;
}

void bench_session_close(struct bench_session *s, bool keep_dir)
{
    if (s->run_id[0])
        bench_netns_remove(s->run_id); /* made by the first network instance, if any */
    if (keep_dir) {                    /* its logs; scratch volumes are no one's to read */
        bench_scratch_run_remove(s->run_dir);
        bench_runlock_drop(&s->lock);
    } else
        bench_rundir_release(s->run_dir, NULL, &s->lock); /* logs: bench_session_end */
    if (s->signals)
        bench_signals_restore();
    s->signals = false;
    if (s->logs)
        bench_logs_free(s->logs);
    bench_results_free(&s->results);
}
