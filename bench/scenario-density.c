/* scenario-density.c — how many idle instances fit: start them one by one,
 * read the host's MemAvailable after each has settled, and stop early at
 * the suite's floor so the host never runs short. The drop per instance is
 * the cross-check of the memory scenario's per-instance cost. */
#include <string.h>

#include "harness.h"

#define STABLE_STEP_NS (200 * VCB_NS_PER_MS)
#define STABLE_MAX_NS  (2 * VCB_NS_PER_S)
#define STABLE_EPS     (4ULL << 20) /* a busy host moves by a few MiB anyway */

struct density_arm {
    json_t *entry;
    struct bench_samples per_instance;
    struct bench_samples *used; /* used[k]: host bytes used with k+1 instances, per rep */
    unsigned reached;           /* most instances any rep reached */
};

/* MemAvailable once it stops moving: memory of instances just destroyed and
 * a fresh guest's page touching settle asynchronously, and one early read
 * can be off by hundreds of MiB. */
static uint64_t mem_available_settled(void)
{
    uint64_t prev = bench_mem_available(), deadline = vcb_now_ns() + STABLE_MAX_NS;
    while (vcb_now_ns() < deadline && !bench_stop_signal()) {
        bench_pause(STABLE_STEP_NS);
        uint64_t cur = bench_mem_available();
        if ((cur > prev ? cur - prev : prev - cur) < STABLE_EPS)
            return cur;
        prev = cur;
    }
    return prev;
}

/* Start instance k; false when the curve must end here. */
static bool density_step(struct bench_ctx *ctx, const struct bench_scenario *sc,
                         const struct bench_backend *be, struct density_arm *a,
                         struct bench_inst *bi, unsigned k, uint64_t *prev, uint64_t base)
{
    const struct bench_suite *su = ctx->suite;
    int rc = BENCH_WAIT_OK;
    /* bounded lifetime: the whole curve's budget, so a killed run's idle
     * instances end by themselves */
    char bound[32], *args[] = {"--duration", bound, NULL};
    uint64_t step = su->ready_timeout_ns + sc->settle_ns + STABLE_MAX_NS;
    snprintf(bound, sizeof(bound), "%lluns",
             (unsigned long long)(sc->instances_max * step + 2 * su->exit_timeout_ns));
    if (bench_inst_launch(ctx, be, "idle", args, bi) == 0)
        rc = bench_inst_wait(bi, 1, VCB_EV_READY, vcb_now_ns() + su->ready_timeout_ns);
    bench_entry_mark(a->entry, bi);
    if (!bi->t[VCB_EV_READY]) {
        bench_inst_log_dnf(a->entry, bi, "density", VCB_EV_READY, rc, su->ready_timeout_ns);
        return false;
    }
    if (bench_settle(bi, 1, sc->settle_ns) < 0)
        return false;
    uint64_t avail = mem_available_settled();
    bench_samples_add(&a->per_instance, (double)*prev - (double)avail);
    bench_samples_add(&a->used[k], (double)base - (double)avail);
    a->reached = k + 1 > a->reached ? k + 1 : a->reached;
    *prev = avail;
    if (avail >= sc->floor_bytes)
        return true;
    bench_entry_note(a->entry, "stopped_early",
                     json_sprintf("MemAvailable %llu below the floor %llu at %u instances",
                                  (unsigned long long)avail, (unsigned long long)sc->floor_bytes,
                                  k + 1));
    return false;
}

static void density_once(struct bench_ctx *ctx, const struct bench_scenario *sc,
                         const struct bench_backend *be, struct density_arm *a)
{
    unsigned n = sc->instances_max, started = 0;
    cleanup_free struct bench_inst *v = calloc(n, sizeof(*v));
    if (!v) {
        bench_entry_add_dnf(a->entry, "density: out of memory");
        return;
    }
    uint64_t base = mem_available_settled(), prev = base;
    while (started < n && !bench_stopping(ctx)) {
        bool more = density_step(ctx, sc, be, a, &v[started], started, &prev, base);
        started++;
        bench_progress_step(ctx->progress, "density", be->name, started, n);
        if (!more)
            break;
    }
    bench_progress_add_total(ctx->progress, -(int)(n - started));
    /* destroyed, not stopped, all at once: the teardown is not measured here */
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
        json_array_append_new(curve,
                              json_pack("{s:i, s:I, s:i}", "instances", k + 1, "host_used_bytes",
                                        (json_int_t)used, "n", (int)a->used[k].n));
    }
    return curve;
}

int bench_scenario_density(struct bench_ctx *ctx, const struct bench_scenario *sc)
{
    struct density_arm arms[BENCH_BACKEND_MAX] = {0};
    size_t nb = ctx->nbackends;
    for (size_t b = 0; b < nb; b++) {
        arms[b].entry = bench_entry_for(
            ctx, "density", &ctx->backends[b],
            json_pack("{s:i, s:s}", "instances_max", sc->instances_max, "workload", "idle"));
        arms[b].used = calloc(sc->instances_max, sizeof(struct bench_samples));
    }
    for (unsigned r = 0; r < sc->n && !bench_stopping(ctx); r++)
        for (size_t b = 0; b < nb && !bench_stopping(ctx); b++)
            if (ctx->backends[b].drv && arms[b].used)
                density_once(ctx, sc, &ctx->backends[b], &arms[b]);
    for (size_t b = 0; b < nb; b++) {
        struct density_arm *a = &arms[b];
        bench_entry_add_metric(a->entry, "per_instance", "bytes", &a->per_instance, NULL);
        json_object_set_new(a->entry, "curve", a->used ? density_curve(a) : json_array());
        bench_results_add(ctx->results, a->entry);
        for (unsigned k = 0; a->used && k < sc->instances_max; k++)
            bench_samples_free(&a->used[k]);
        free(a->used);
        bench_samples_free(&a->per_instance);
    }
    return 0;
}
