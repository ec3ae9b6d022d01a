/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* inst-end.c — the end of an instance's life and what it left behind:
 * stop, clear, DNF reasons, result fields. Calls into inst.c, never back. */
#include <pthread.h>
#include <string.h>

#include "harness.h"

void bench_inst_finish(struct bench_inst *bi, uint64_t timeout_ns)
{
    struct vcb_err err = {0};
    if (!bi->vi)
        return;
    /* On a stop request nothing waits: destroy() kills whatever runs. */
    if (!bench_stop_signal() && !bi->error[0]) {
        bench_inst_wait(bi, 1, VCB_EV_GONE, vcb_now_ns()); /* take what is queued */
        if (!bi->t[VCB_EV_GONE] && bi->vi->driver->stop(bi->vi, &err) == 0)
            bench_inst_wait(bi, 1, VCB_EV_GONE, vcb_now_ns() + timeout_ns);
    }
    bench_inst_destroy(bi);
}

void bench_inst_clear(struct bench_inst *bi)
{
    bench_inst_destroy(bi);
    json_decref(bi->result);
    bi->result = NULL;
}

void bench_inst_clearp(struct bench_inst *bi)
{
    bench_inst_clear(bi);
}

uint64_t bench_inst_span(const struct bench_inst *bi, enum vcb_event_kind a, enum vcb_event_kind b)
{
    if (!bi->t[a] || !bi->t[b] || bi->t[b] < bi->t[a])
        return 0;
    return bi->t[b] - bi->t[a];
}

void bench_inst_why(const struct bench_inst *bi, enum vcb_event_kind kind, int wait_rc,
                    uint64_t timeout_ns, char *buf, size_t len)
{
    char t[32];
    if (bi->error[0]) {
        snprintf(buf, len, "%s", bi->error);
    } else if (wait_rc == BENCH_WAIT_STOP) {
        snprintf(buf, len, "stopped by signal before %s", vcb_event_kind_name(kind));
    } else if (bi->t[VCB_EV_GONE] && !bi->t[kind]) {
        snprintf(buf, len, "gone before %s: %s", vcb_event_kind_name(kind),
                 bi->gone_detail[0] ? bi->gone_detail : "no detail");
    } else {
        vcb_format_duration(timeout_ns, t, sizeof(t));
        snprintf(buf, len, "timeout after %s waiting for %s", t, vcb_event_kind_name(kind));
    }
}

bool bench_result_number(const struct bench_inst *bi, const char *key, double *out)
{
    json_t *j = bi->result ? json_object_get(bi->result, key) : NULL;
    if (!json_is_number(j))
        return false;
    *out = json_number_value(j);
    return true;
}

static void *clear_thread(void *arg)
{
    bench_inst_clear(arg);
    return NULL;
}

/* Destroy several at once: a guest's destroy waits for qemu to exit (about
 * 2 s under TCG), and instances are independent, so they go in parallel. */
void bench_inst_clear_all(struct bench_inst *v, size_t n)
{
    pthread_t tid[n ? n : 1];
    bool started[n ? n : 1];
    for (size_t i = 0; i < n; i++) {
        started[i] = v[i].vi && n > 1 && pthread_create(&tid[i], NULL, clear_thread, &v[i]) == 0;
        if (!started[i])
            bench_inst_clear(&v[i]);
    }
    for (size_t i = 0; i < n; i++)
        if (started[i])
            pthread_join(tid[i], NULL);
}
