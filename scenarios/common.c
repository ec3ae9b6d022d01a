/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* scenario-common.c — what every scenario does the same way: one results
 * entry per (scenario, backend, params) with its limits, emulation label and
 * DNFs; interruptible settling; the order of a round. */
#include <string.h>

#include "harness.h"

/* The soft and I/O limits only when set: results without them are as before. */
static void limits_json_soft(json_t *j, const struct vcb_limits *l)
{
    const struct {
        const char *key;
        uint64_t val;
    } t[] = {{"cpu_weight", l->cpu_weight},       {"memory_soft_bytes", l->memory_soft},
             {"memory_low_bytes", l->memory_low}, {"io_read_bps", l->io.rbps},
             {"io_write_bps", l->io.wbps},        {"io_read_iops", l->io.riops},
             {"io_write_iops", l->io.wiops},      {"io_weight", l->io.weight}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (t[i].val)
            json_object_set_new(j, t[i].key, json_integer((json_int_t)t[i].val));
}

static json_t *limits_json(const struct vcb_limits *l)
{
    json_t *j =
        json_pack("{s:f, s:I, s:I, s:s}", "cpus", l->cpus, "memory_bytes",
                  (json_int_t)l->memory_bytes, "pids", (json_int_t)l->pids, "cpuset", l->cpuset);
    if (j)
        limits_json_soft(j, l);
    return j;
}

json_t *bench_entry_for(struct bench_ctx *ctx, const char *scenario, const struct bench_backend *be,
                        json_t *params)
{
    json_t *e = bench_entry_new(scenario, be->name, params);
    bench_entry_note(e, "limits", limits_json(&be->limits));
    if (!be->drv)
        bench_entry_add_dnf(e, "%s", be->why);
    (void)ctx;
    return e;
}

/* notes.upload: what the entry's instances needed sent to their host
 * before their t0 (a remote VM host's volumes), summed; not in any figure. */
static void entry_upload(json_t *entry, const struct bench_inst *bi)
{
    if (!bi->upload_files)
        return;
    json_t *notes = json_object_get(entry, "notes");
    json_t *u = json_object_get(notes, "upload");
    double secs = (double)bi->upload_ns / 1e9;
    if (!u) {
        bench_entry_note(entry, "upload",
                         json_pack("{s:I, s:I, s:f}", "instances", (json_int_t)1, "bytes",
                                   (json_int_t)bi->upload_bytes, "seconds", secs));
        return;
    }
    json_object_set_new(u, "instances",
                        json_integer(json_integer_value(json_object_get(u, "instances")) + 1));
    json_object_set_new(u, "bytes",
                        json_integer(json_integer_value(json_object_get(u, "bytes")) +
                                     (json_int_t)bi->upload_bytes));
    json_object_set_new(u, "seconds",
                        json_real(json_number_value(json_object_get(u, "seconds")) + secs));
}

void bench_entry_mark(json_t *entry, const struct bench_inst *bi)
{
    entry_upload(entry, bi);
    if (!bi->emulated)
        return;
    json_object_set_new(entry, "emulated", json_true());
    bench_entry_note(entry, "emulated_reason", json_string(bi->emulated_reason));
}

int bench_settle(struct bench_inst *v, size_t n, uint64_t ns)
{
    /* Waiting for GONE doubles as a sleep that wakes on a stop request and
     * notices an instance that died while settling. */
    int rc = bench_inst_wait(v, n, VCB_EV_GONE, vcb_now_ns() + ns);
    return rc == BENCH_WAIT_STOP ? -1 : 0;
}

void bench_round_order(const struct bench_ctx *ctx, uint64_t salt, unsigned round, size_t *order,
                       size_t n)
{
    uint64_t state = ((uint64_t)ctx->order_seed << 32) ^ (salt * 0x9e3779b97f4a7c15ULL) ^ round;
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    vcb_shuffle(order, n, &state);
}

bool bench_stopping(struct bench_ctx *ctx)
{
    if (bench_stop_signal())
        ctx->stopped = true;
    return ctx->stopped;
}

void bench_observe(struct bench_ctx *ctx, enum bench_obs_kind kind, const struct bench_inst *bi,
                   json_t *entry)
{
    if (!ctx->observer || !ctx->observer->event)
        return;
    struct bench_obs_event ev = {
        .kind = kind, .ctx = ctx, .scenario = ctx->scen_index, .inst = bi, .entry = entry};
    if (ctx->observer->event(ctx->observer->arg, &ev) < 0)
        ctx->stopped = true;
}

void bench_inst_log_dnf(json_t *entry, const struct bench_inst *bi, const char *what,
                        enum vcb_event_kind kind, int rc, uint64_t timeout)
{
    char why[VCB_ERR_MSG_MAX];
    bench_inst_why(bi, kind, rc, timeout, why, sizeof(why));
    bench_entry_add_dnf(entry, "%s: %s", what, why);
}
