/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* inst.c — instances as the scenarios use them: launch through the driver
 * table, wait for an event on several at once (waking on a stop request),
 * destroy (timed: the teardown figure); inst-end.c builds on these.
 * Scenarios never see which backend they drive. */
#include <errno.h>
#include <poll.h>
#include <string.h>

#include "harness.h"
#include "wl-image.h"

#define SLICE_NS    (2 * VCB_NS_PER_MS)  /* drivers without an fd: wait in short slices */
#define POLL_CAP_NS (50 * VCB_NS_PER_MS) /* re-check the queue even without a wakeup */

/* The peer and path of a network workload; results name the path. */
static int inst_net_prepare(struct bench_ctx *ctx, struct bench_inst *bi, unsigned index,
                            struct vcb_instance_spec *spec)
{
    struct vcb_err err = {0};
    if (bench_net_setup(ctx->run_id, index, bi->be->drv->kind, spec, &bi->net, &err) < 0) {
        snprintf(bi->error, sizeof(bi->error), "%s", err.msg);
        return -1;
    }
    bi->result = json_pack("{s:s}", "net_path", bi->net.label);
    return 0;
}

/* A disk workload's volume; results say how the arm sees it. */
static int scratch_attach(const struct bench_ctx *ctx, struct bench_inst *bi,
                          struct vcb_instance_spec *spec)
{
    struct vcb_err err = {0};
    if (bench_scratch_make(&ctx->scratch, ctx->run_dir, ctx->run_id, spec->name, bi->scratch,
                           sizeof(bi->scratch), &err) < 0) {
        snprintf(bi->error, sizeof(bi->error), "%s", err.msg);
        return -1;
    }
    spec->scratch = bi->scratch;
    bi->result =
        json_pack("{s:o}", "scratch", bench_scratch_facts(bi->be->drv->kind, ctx->scratch.bytes));
    return 0;
}

int bench_inst_prepare(struct bench_ctx *ctx, const struct bench_backend *be, const char *workload,
                       char *const *args, struct bench_inst *bi, struct vcb_instance_spec *spec)
{
    memset(bi, 0, sizeof(*bi));
    bi->be = be;
    bi->exit_status = bi->gone_status = -1;
    if (!be->drv) {
        snprintf(bi->error, sizeof(bi->error), "%s", be->why);
        return -1;
    }
    bi->logs = &ctx->logs;
    const struct bench_image *img = bench_image_of(ctx, workload);
    *spec = (struct vcb_instance_spec){.run_dir = ctx->run_dir,
                                       .backend = be->name,
                                       .log_max = ctx->logs.max,
                                       .workload = workload,
                                       .args = args,
                                       .limits = be->limits,
                                       .opts = ctx->bopts};
    unsigned index = ctx->next_instance++;
    vcb_instance_name(ctx->run_id, index, spec->name);
    if (!img) {
        snprintf(bi->error, sizeof(bi->error), "no image prepared for workload '%s'", workload);
        return -1;
    }
    spec->rootfs = img->rootfs;
    spec->initramfs = img->initramfs;
    if (img->args) /* an image from outside runs its own command, whatever args said */
        bench_own_spec(img, spec);
    else if (bench_net_workload(workload))
        return inst_net_prepare(ctx, bi, index, spec);
    else if (ctx->scratch.bytes && wl_workload_uses_scratch(workload))
        return scratch_attach(ctx, bi, spec);
    return 0;
}

int bench_inst_start(struct bench_inst *bi, const struct vcb_instance_spec *spec)
{
    struct vcb_err err = {0};
    const struct vcb_driver *drv = bi->be->drv;
    if (drv->create(spec, &bi->vi, &err) < 0 || drv->start(bi->vi, &err) < 0) {
        snprintf(bi->error, sizeof(bi->error), "%s", err.msg);
        bench_inst_destroy(bi);
        return -1;
    }
    bi->upload_files = bi->vi->upload_files;
    bi->upload_bytes = bi->vi->upload_bytes;
    bi->upload_ns = bi->vi->upload_ns;
    bi->emulated = bi->vi->emulated;
    snprintf(bi->emulated_reason, sizeof(bi->emulated_reason), "%s", bi->vi->emulated_reason);
    return 0;
}

void bench_inst_destroy(struct bench_inst *bi)
{
    bench_net_release(&bi->net); /* the peer outlives no instance */
    if (!bi->vi) {
        bench_scratch_drop(bi->scratch); /* made, never started */
        return;
    }
    if (bi->logs)
        bench_logs_note(bi->logs, bi);
    uint64_t t0 = vcb_now_ns();
    vcb_instance_destroy(bi->vi);
    bi->teardown_ns = vcb_now_ns() - t0;
    bi->vi = NULL;
    bench_scratch_drop(bi->scratch);
}

int bench_inst_launch(struct bench_ctx *ctx, const struct bench_backend *be, const char *workload,
                      char *const *args, struct bench_inst *bi)
{
    struct vcb_instance_spec spec;
    if (bench_inst_prepare(ctx, be, workload, args, bi, &spec) < 0)
        return -1;
    return bench_inst_start(bi, &spec);
}

#define METRIC_VALUES_MAX 1000

/* A figure an image's own command printed, as vcb-init reports each match
 * of a --metric ({"metric": NAME, "value": V, "unit": U}): the latest under
 * NAME, like a built-in workload's result field, and every value (up to
 * METRIC_VALUES_MAX) with the unit under metrics.NAME. */
static bool merge_metric(json_t *result, json_t *j)
{
    const char *name = json_string_value(json_object_get(j, "metric"));
    json_t *value = json_object_get(j, "value");
    if (!name || !json_is_number(value))
        return false;
    json_t *metrics = json_object_get(result, "metrics");
    if (!json_is_object(metrics))
        json_object_set_new(result, "metrics", metrics = json_object());
    json_t *m = json_object_get(metrics, name);
    if (!m)
        json_object_set_new(
            metrics, name,
            m = json_pack("{s:O?, s:[]}", "unit", json_object_get(j, "unit"), "values"));
    json_t *values = json_object_get(m, "values");
    if (json_array_size(values) < METRIC_VALUES_MAX)
        json_array_append(values, value);
    json_object_set(result, name, value);
    return true;
}

static void merge_result(struct bench_inst *bi, const char *text)
{
    cleanup_json json_t *j = text ? json_loads(text, 0, NULL) : NULL;
    if (!json_is_object(j))
        return;
    if (!bi->result)
        bi->result = json_object();
    if (!merge_metric(bi->result, j))
        json_object_update(bi->result, j);
}

static void record(struct bench_inst *bi, struct vcb_event *ev)
{
    if ((unsigned)ev->kind < VCB_EV__COUNT && !bi->t[ev->kind])
        bi->t[ev->kind] = ev->host_ns ? ev->host_ns : vcb_now_ns();
    if (ev->kind == VCB_EV_INIT)
        bi->guest_init_ns = ev->guest_ns;
    else if (ev->kind == VCB_EV_RESULT)
        merge_result(bi, ev->text);
    else if (ev->kind == VCB_EV_EXIT) {
        bi->exit_status = ev->status;
        bi->oom_kills = ev->oom_kills;
    } else if (ev->kind == VCB_EV_GONE) {
        bi->gone_status = ev->status;
        snprintf(bi->gone_detail, sizeof(bi->gone_detail), "%s", ev->detail);
    }
    vcb_event_clear(ev);
}

/* Take events until the queue is empty (deadline 0) or until `deadline`. */
static void pump(struct bench_inst *bi, uint64_t deadline)
{
    struct vcb_err err = {0};
    struct vcb_event ev;
    while (bi->vi && !bi->t[VCB_EV_GONE] && !bi->error[0]) {
        memset(&ev, 0, sizeof(ev));
        int rc = vcb_instance_next_event(bi->vi, deadline, &ev, &err);
        if (rc < 0)
            snprintf(bi->error, sizeof(bi->error), "%s", err.msg);
        if (rc <= 0)
            return;
        record(bi, &ev);
        deadline = 0; /* got one: now just drain */
    }
}

static bool reached(const struct bench_inst *bi, enum vcb_event_kind kind)
{
    return !bi->vi || bi->t[kind] || bi->t[VCB_EV_GONE] || bi->error[0];
}

/* poll() on the instances' fds and the stop pipe; slices for fd-less ones. */
static void wait_some(struct bench_inst *v, size_t n, enum vcb_event_kind kind, uint64_t deadline)
{
    struct pollfd pfd[n + 1];
    size_t np = 0;
    uint64_t now = vcb_now_ns(),
             until = deadline < now + POLL_CAP_NS ? deadline : now + POLL_CAP_NS;
    for (size_t i = 0; i < n; i++) {
        if (reached(&v[i], kind))
            continue;
        int fd = v[i].vi->driver->event_fd(v[i].vi);
        if (fd < 0) {
            pump(&v[i], now + SLICE_NS < until ? now + SLICE_NS : until);
            return;
        }
        pfd[np++] = (struct pollfd){.fd = fd, .events = POLLIN};
    }
    if (bench_stop_fd() >= 0)
        pfd[np++] = (struct pollfd){.fd = bench_stop_fd(), .events = POLLIN};
    int ms = (int)((until - now + VCB_NS_PER_MS - 1) / VCB_NS_PER_MS);
    if (poll(pfd, np, ms) < 0 && errno != EINTR)
        vcb_sleep_ns(VCB_NS_PER_MS);
}

int bench_inst_wait(struct bench_inst *v, size_t n, enum vcb_event_kind kind, uint64_t deadline_ns)
{
    for (;;) {
        bool all = true;
        for (size_t i = 0; i < n; i++) {
            pump(&v[i], 0);
            all = all && reached(&v[i], kind);
        }
        if (all)
            return BENCH_WAIT_OK;
        if (bench_stop_signal())
            return BENCH_WAIT_STOP;
        if (vcb_now_ns() >= deadline_ns)
            return BENCH_WAIT_TIMEOUT;
        wait_some(v, n, kind, deadline_ns);
    }
}
