/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* crowd.c — n instances launched at once. One thread per instance waits at
 * a gate until every thread exists; the gate opens them all together. Each
 * thread then creates and starts its own instance and reads its events
 * itself, so a line is stamped when it arrives, not when the harness gets
 * round to it after launching the others. No instance is torn down before
 * every one of the round is ready (or failed): the destroy of the first
 * ones (cgroups removed, under the kernel's cgroup lock) would otherwise
 * run inside the window the round is timed over, slowing the starts still
 * going on with work of the harness's making. */
#include <pthread.h>
#include <string.h>

#include "harness.h"

struct crowd_gate {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool open;
    size_t members, settled; /* threads running; those past their ready wait */
};

struct crowd_member {
    struct bench_inst *bi;
    struct vcb_instance_spec spec;
    struct crowd_gate *gate;
    uint64_t ready_timeout_ns, exit_timeout_ns;
    bool serves; /* stopped once the round is ready, not awaited */
    int rc;      /* bench_wait_rc of the ready wait */
};

static void gate_pass(struct crowd_gate *g)
{
    pthread_mutex_lock(&g->lock);
    while (!g->open)
        pthread_cond_wait(&g->cond, &g->lock);
    pthread_mutex_unlock(&g->lock);
}

static void gate_open(struct crowd_gate *g, size_t members)
{
    pthread_mutex_lock(&g->lock);
    g->open = true;
    g->members = members;
    pthread_cond_broadcast(&g->cond);
    pthread_mutex_unlock(&g->lock);
}

/* Ready, failed or stopped: wait until every member is too. */
static void gate_settle(struct crowd_gate *g)
{
    pthread_mutex_lock(&g->lock);
    if (++g->settled == g->members)
        pthread_cond_broadcast(&g->cond);
    while (g->settled < g->members)
        pthread_cond_wait(&g->cond, &g->lock);
    pthread_mutex_unlock(&g->lock);
}

/* Launch, read until ready, wait for the round, read until gone, destroy:
 * one instance's life, in the thread that is its parent throughout. */
static void *crowd_member_run(void *arg)
{
    struct crowd_member *m = arg;
    gate_pass(m->gate);
    bool started = bench_inst_start(m->bi, &m->spec) == 0;
    if (started)
        m->rc = bench_inst_wait(m->bi, 1, VCB_EV_READY, vcb_now_ns() + m->ready_timeout_ns);
    gate_settle(m->gate);
    if (started && m->serves)
        bench_inst_finish(m->bi, m->exit_timeout_ns); /* stop, wait for gone, destroy */
    else if (started && m->rc != BENCH_WAIT_STOP)
        bench_inst_wait(m->bi, 1, VCB_EV_GONE, vcb_now_ns() + m->exit_timeout_ns);
    bench_inst_destroy(m->bi);
    return NULL;
}

/* STOP beats TIMEOUT beats OK. */
static int crowd_worst(int a, int b)
{
    return a == BENCH_WAIT_STOP || b == BENCH_WAIT_STOP         ? BENCH_WAIT_STOP
           : a == BENCH_WAIT_TIMEOUT || b == BENCH_WAIT_TIMEOUT ? BENCH_WAIT_TIMEOUT
                                                                : BENCH_WAIT_OK;
}

int bench_inst_launch_crowd(struct bench_ctx *ctx, const struct bench_backend *be,
                            const char *workload, struct bench_inst *v, size_t n)
{
    struct crowd_gate gate = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false, 0, 0};
    struct crowd_member m[n ? n : 1];
    pthread_t tid[n ? n : 1];
    bool running[n ? n : 1];
    int rc = BENCH_WAIT_OK;
    size_t members = 0;
    for (size_t i = 0; i < n; i++) {
        m[i] = (struct crowd_member){.bi = &v[i],
                                     .gate = &gate,
                                     .ready_timeout_ns = ctx->suite->ready_timeout_ns,
                                     .exit_timeout_ns = ctx->suite->exit_timeout_ns,
                                     .serves = bench_workload_serves(ctx, workload)};
        running[i] = bench_inst_prepare(ctx, be, workload, NULL, &v[i], &m[i].spec) == 0 &&
                     pthread_create(&tid[i], NULL, crowd_member_run, &m[i]) == 0;
        if (!running[i] && !v[i].error[0])
            snprintf(v[i].error, sizeof(v[i].error), "could not start a launcher thread");
        members += running[i];
    }
    gate_open(&gate, members);
    for (size_t i = 0; i < n; i++) {
        if (!running[i])
            continue;
        pthread_join(tid[i], NULL);
        rc = crowd_worst(rc, m[i].rc);
    }
    pthread_cond_destroy(&gate.cond);
    pthread_mutex_destroy(&gate.lock);
    return rc;
}
