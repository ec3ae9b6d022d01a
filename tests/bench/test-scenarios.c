/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-scenarios.c — the scenarios against a fake driver: backends are
 * interleaved (A B A B), warm-ups discarded, a failing or missing backend
 * becomes DNF with its reason, memory and degradation follow their rules,
 * and a stop request ends a scenario at once with its results kept. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>

#include "scenario.h"
#include "wl-image.h"
#include "../lib/results-json.h"

/* ---- the fake driver ------------------------------------------------------ */
struct fake {
    struct vcb_instance base;
    bool long_running, gone;
    bool memhog; /* ends with fk.memhog_status and fk.memhog_ooms */
};

static struct {
    char order[512]; /* driver of each create: A or B */
    char kinds[512]; /* and what it ran: g = aggressor (runs until stopped), v = other */
    size_t norder;
    int alive;           /* long-running instances not yet gone */
    bool fail_create[2]; /* per driver */
    uint64_t charged[2]; /* mem_charged per driver, 0 = unset */
    uint64_t kernel[2];  /* the cgroup's kernel memory per driver, 0 = no cgroup */
    double mem_per_inst; /* model host: MemAvailable lost per running instance */
    double mem_drift;    /* … and gained per second, as memory freed by earlier work */
    uint64_t mem_t0;
    double mem_noise; /* … and an alternating wobble of this size */
    unsigned mem_reads;
    bool daemons;         /* fake-b has shared daemons growing 100 KiB per instance */
    bool throttled[2];    /* per driver: cpu.stat says 4 of 10 periods throttled */
    int raise_at;         /* raise SIGINT at the Nth start (0 = never) */
    int memhog_status;    /* how a memhog ends: its exit status … */
    uint64_t memhog_ooms; /* … and the OOM kills its exit line reports */
    uint64_t guest_ns;    /* the guest uptime an init line reports (0: not a guest) */
    int starts;
    double remote_per_inst; /* fake-r's host, elsewhere: memory lost per running instance */
    bool remote_unreadable; /* … and whether it can be read at all */
} fk;
/* concurrent rounds call the driver from several threads */
static pthread_mutex_t fk_lock = PTHREAD_MUTEX_INITIALIZER;

static const struct vcb_driver fake_a, fake_b, fake_r;

static int fake_index(const struct vcb_driver *d)
{
    return d == &fake_b;
}

static int fake_create(const struct vcb_instance_spec *spec, struct vcb_instance **out,
                       struct vcb_err *err, const struct vcb_driver *drv)
{
    if (fk.fail_create[fake_index(drv)])
        return vcb_err_set(err, 0, "%s: fake create failure", spec->name);
    struct fake *f = calloc(1, sizeof(*f));
    vcb_instance_base_init(&f->base, drv, spec->name, vcb_now_ns(), err);
    /* idle/alloc and cpu/membw with a long --duration run until stopped */
    const char *w = spec->workload;
    f->long_running = !strcmp(w, "idle") || !strcmp(w, "alloc");
    f->memhog = !strcmp(w, "memhog");
    if (!strcmp(w, "cpu") && spec->args && spec->args[0] && spec->args[1])
        f->long_running = strtoull(spec->args[1], NULL, 10) >= 5 * VCB_NS_PER_S;
    pthread_mutex_lock(&fk_lock);
    fk.kinds[fk.norder] = f->long_running ? 'g' : 'v';
    fk.order[fk.norder++] = (char)('A' + fake_index(drv));
    pthread_mutex_unlock(&fk_lock);
    *out = &f->base;
    return 0;
}

static int create_a(const struct vcb_instance_spec *s, struct vcb_instance **o, struct vcb_err *e)
{
    return fake_create(s, o, e, &fake_a);
}

static int create_b(const struct vcb_instance_spec *s, struct vcb_instance **o, struct vcb_err *e)
{
    return fake_create(s, o, e, &fake_b);
}

static int create_r(const struct vcb_instance_spec *s, struct vcb_instance **o, struct vcb_err *e)
{
    return fake_create(s, o, e, &fake_r);
}

static void fake_end(struct fake *f, uint64_t t)
{
    int status = f->memhog ? fk.memhog_status : 0;
    struct vcb_event ex = {.kind = VCB_EV_EXIT, .host_ns = t + 4000, .status = status};
    struct vcb_event ev = {.kind = VCB_EV_GONE, .host_ns = t + 5000, .status = status << 8};
    ex.oom_kills = f->memhog ? fk.memhog_ooms : 0;
    snprintf(ev.detail, sizeof(ev.detail), "exited %d", status);
    vcb_evq_push(&f->base.events, &ex);
    vcb_evq_push(&f->base.events, &ev);
    f->gone = true;
}

static int fake_start(struct vcb_instance *inst, struct vcb_err *err)
{
    struct fake *f = (struct fake *)inst;
    uint64_t t = vcb_now_ns();
    pthread_mutex_lock(&fk_lock);
    bool raise_now = ++fk.starts == fk.raise_at;
    pthread_mutex_unlock(&fk_lock);
    if (raise_now)
        raise(SIGINT);
    struct vcb_event init = {.kind = VCB_EV_INIT, .host_ns = t + 2000, .guest_ns = fk.guest_ns};
    vcb_instance_queue(inst, VCB_EV_STARTED, t + 1000, err);
    vcb_evq_push(&inst->events, &init);
    vcb_instance_queue(inst, VCB_EV_READY, t + 3000, err);
    if (f->long_running) {
        pthread_mutex_lock(&fk_lock);
        fk.alive++;
        pthread_mutex_unlock(&fk_lock);
        return 0;
    }
    /* a victim scores 100 alone and 50 beside a running aggressor */
    struct vcb_event ev = {.kind = VCB_EV_RESULT, .host_ns = t + 3500};
    ev.text = strdup(fk.alive ? "{\"ops_per_s\": 50}" : "{\"ops_per_s\": 100}");
    vcb_evq_push(&inst->events, &ev);
    fake_end(f, t);
    return 0;
}

static int fake_event_fd(struct vcb_instance *inst)
{
    return -1; /* the harness must then wait in slices */
}

static int fake_next(struct vcb_instance *inst, uint64_t deadline, struct vcb_event *ev,
                     struct vcb_err *err)
{
    if (vcb_evq_pop(&inst->events, ev))
        return 1;
    uint64_t now = vcb_now_ns();
    if (deadline > now)
        vcb_sleep_ns(deadline - now < VCB_NS_PER_MS ? deadline - now : VCB_NS_PER_MS);
    return 0;
}

static int fake_stats(struct vcb_instance *inst, struct vcb_stats *s, struct vcb_err *err)
{
    vcb_stats_init(s);
    s->pss = 1000;
    s->rss = 2000;
    s->uss = 800;
    if (fk.charged[fake_index(inst->driver)])
        s->mem_charged = fk.charged[fake_index(inst->driver)];
    if (fk.kernel[fake_index(inst->driver)])
        s->cg.kernel = fk.kernel[fake_index(inst->driver)];
    if (fk.throttled[fake_index(inst->driver)])
        s->throttle = (struct vcb_cpu_throttle){10, 4, 1000};
    s->proc_pagetables = 4096;
    s->proc_threads = 1;
    if (inst->driver == &fake_r) { /* on another host: only what its hypervisor says */
        s->pss = s->uss = s->proc_pagetables = s->proc_threads = VCB_STAT_UNSET;
        s->mem_source = "model hypervisor's rss (remote host)";
        s->mem_remote = true;
    }
    return 0;
}

/* fake-r's instances run on a model host elsewhere with 16 GB. */
static int fake_node_mem(const struct vcb_backend_opts *opts, struct vcb_node_mem *out,
                         struct vcb_err *err)
{
    if (fk.remote_unreadable)
        return vcb_err_set(err, 0, "model host: its memory cannot be read");
    out->total = 16000000000ULL;
    out->available = (uint64_t)(16e9 - fk.alive * fk.remote_per_inst);
    snprintf(out->source, sizeof(out->source), "model node memory (remote host)");
    return 1;
}

/* The model host the density scenario reads. */
static double fake_mem_available(void)
{
    fk.mem_reads++;
    if (!fk.mem_t0)
        fk.mem_t0 = vcb_now_ns();
    double secs = (double)(vcb_now_ns() - fk.mem_t0) / VCB_NS_PER_S;
    return 8e9 - fk.alive * fk.mem_per_inst + secs * fk.mem_drift +
           (fk.mem_reads % 2 ? fk.mem_noise : -fk.mem_noise);
}

static int fake_daemons(const struct vcb_backend_opts *opts, struct vcb_proc_mem *out,
                        struct vcb_err *err)
{
    out->rss = out->uss = 0;
    out->pss = (uint64_t)(20e6 + fk.alive * 102400.0);
    return 0;
}

static int fake_stop(struct vcb_instance *inst, struct vcb_err *err)
{
    struct fake *f = (struct fake *)inst;
    if (!f->gone) {
        pthread_mutex_lock(&fk_lock);
        fk.alive -= f->long_running;
        pthread_mutex_unlock(&fk_lock);
        /* a stopped cpu aggressor reports its own score, as wl-cpu does */
        struct vcb_event ev = {.kind = VCB_EV_RESULT, .host_ns = vcb_now_ns()};
        ev.text = strdup("{\"ops_per_s\": 77}");
        vcb_evq_push(&inst->events, &ev);
        fake_end(f, vcb_now_ns());
    }
    return 0;
}

static void fake_destroy(struct vcb_instance *inst)
{
    struct fake *f = (struct fake *)inst;
    pthread_mutex_lock(&fk_lock);
    if (!f->gone)
        fk.alive -= f->long_running;
    pthread_mutex_unlock(&fk_lock);
    vcb_instance_base_free(inst);
    free(f);
}

static const struct vcb_driver fake_a = {.name = "fake-a",
                                         .kind = VCB_ARM_CONTROL,
                                         .create = create_a,
                                         .start = fake_start,
                                         .event_fd = fake_event_fd,
                                         .next_event = fake_next,
                                         .stats = fake_stats,
                                         .stop = fake_stop,
                                         .destroy = fake_destroy};
static const struct vcb_driver fake_b = {.name = "fake-b",
                                         .kind = VCB_ARM_CONTAINER,
                                         .create = create_b,
                                         .start = fake_start,
                                         .event_fd = fake_event_fd,
                                         .next_event = fake_next,
                                         .stats = fake_stats,
                                         .stop = fake_stop,
                                         .destroy = fake_destroy,
                                         .daemons_mem = fake_daemons};
static const struct vcb_driver fake_r = {.name = "fake-r",
                                         .kind = VCB_ARM_VM,
                                         .create = create_r,
                                         .start = fake_start,
                                         .event_fd = fake_event_fd,
                                         .next_event = fake_next,
                                         .stats = fake_stats,
                                         .stop = fake_stop,
                                         .destroy = fake_destroy,
                                         .node_mem = fake_node_mem};

/* ---- a run context around one suite --------------------------------------- */
struct world {
    char dir[64];
    struct bench_suite suite;
    struct bench_ctx ctx;
    struct bench_results results;
    struct bench_progress progress;
};

static void world_init(struct world *w, const char *suite_json)
{
    struct vcb_err err = {0};
    memset(w, 0, sizeof(*w));
    memset(&fk, 0, sizeof(fk));
    snprintf(w->dir, sizeof(w->dir), "/tmp/vcb-scen-XXXXXX");
    assert_non_null(mkdtemp(w->dir));
    json_t *doc = json_loads(suite_json, 0, NULL);
    assert_non_null(doc);
    if (bench_suite_parse(doc, "t.json", &w->suite, &err) < 0)
        fail_msg("%s", err.msg);
    json_decref(doc);
    struct bench_ctx *c = &w->ctx;
    c->suite = &w->suite;
    c->nbackends = 2;
    c->backends[0] = (struct bench_backend){.name = "process", .drv = &fake_a};
    c->backends[1] = (struct bench_backend){
        .name = "container", .drv = &fake_b, .limits = {.cpus = 1, .memory_bytes = 64 << 20}};
    snprintf(c->run_id, sizeof(c->run_id), "0000beef");
    c->order_seed = 7; /* the interleaving, fixed: the tests below rely on it */
    snprintf(c->run_dir, sizeof(c->run_dir), "%s", w->dir);
    for (const char *const *n = wl_workload_names; *n; n++) {
        snprintf(c->images.workload[c->images.n], BENCH_WORKLOAD_MAX, "%s", *n);
        snprintf(c->images.img[c->images.n].rootfs, PATH_MAX, "/fake/%s", *n);
        snprintf(c->images.img[c->images.n++].initramfs, PATH_MAX, "/fake/%s.cpio", *n);
    }
    c->mem_available = fake_mem_available;
    bench_progress_init(&w->progress, false, 1000);
    c->progress = &w->progress;
    assert_int_equal(bench_signals_install(&err), 0);
    json_t *host = json_object(), *suite = json_object(); /* the results take references */
    assert_int_equal(bench_results_init(&w->results, w->dir, c->run_id, host, suite, &err), 0);
    json_decref(host);
    json_decref(suite);
    c->results = &w->results;
}

static void world_free(struct world *w)
{
    struct vcb_err err = {0};
    bench_signals_restore();
    bench_results_free(&w->results);
    bench_suite_free(&w->suite);
    vcb_rm_rf(w->dir, &err);
    assert_int_equal(fk.alive, 0); /* every instance stopped or destroyed */
}

/* The suite's one scenario, run as the runner runs it: through its row. */
static int scen_run(struct world *w)
{
    return w->suite.scen[0].ops->run(&w->ctx, w->suite.scen[0].params);
}

static json_t *entry(struct world *w, size_t i)
{
    return json_array_get(json_object_get(w->results.doc, "results"), i);
}

static double summary(json_t *e, const char *name, const char *key)
{
    json_t *m = results_metric(e, name);
    if (!m)
        fail_msg("no metric %s", name);
    return json_number_value(json_object_get(json_object_get(m, "summary"), key));
}

/* ---- tests ------------------------------------------------------------------ */
#define SUITE(scen)                                                                                \
    "{\"name\": \"t\", \"timeouts\": {\"ready\": \"2s\", \"exit\": \"1s\"}, "                      \
    "\"scenarios\": [" scen "]}"

static void test_boot_interleaved(void **state)
{
    struct world w;
    world_init(&w, SUITE("{\"type\": \"boot\", \"warmup\": 1, \"n\": 3, \"concurrency\": [2]}"));
    assert_int_equal(scen_run(&w), 0);
    fk.order[fk.norder] = 0;
    /* serial: warm-up + 3 per backend, each round both backends in its own
     * order (the world's seed gives B first in one of them); then one round
     * of 2 at once per backend */
    assert_int_equal(fk.norder, 12);
    bool b_first = false;
    for (size_t r = 0; r < 4; r++) {
        const char *pair = fk.order + 2 * r;
        assert_true(!strncmp(pair, "AB", 2) || !strncmp(pair, "BA", 2));
        b_first |= pair[0] == 'B';
    }
    assert_true(b_first);
    assert_true(!strcmp(fk.order + 8, "AABB") || !strcmp(fk.order + 8, "BBAA"));
    json_t *e = entry(&w, 0);
    assert_string_equal(json_string_value(json_object_get(e, "scenario")), "boot");
    assert_string_equal(json_string_value(json_object_get(e, "backend")), "process");
    assert_string_equal(json_string_value(json_object_get(json_object_get(e, "params"), "mode")),
                        "serial");
    assert_int_equal(summary(e, "create_to_ready", "n"), 3); /* warm-up discarded */
    assert_true(summary(e, "init_to_ready", "median") == 1000);
    assert_true(summary(e, "ready_to_gone", "median") == 2000);
    assert_int_equal(summary(e, "teardown", "n"), 3);
    assert_null(results_metric(e, "guest_uptime_at_init")); /* guest_ns 0: not a guest uptime */
    assert_string_equal(json_string_value(json_object_get(entry(&w, 1), "backend")), "container");
    json_t *c = entry(&w, 2);
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(c, "params"), "concurrency")), 2);
    assert_int_equal(summary(c, "create_to_ready", "n"), 2);
    assert_int_equal(summary(c, "all_ready", "n"), 1); /* one round */
    assert_int_equal(summary(c, "instances_per_s", "n"), 1);
    assert_int_equal(json_array_size(json_object_get(w.results.doc, "results")), 4);
    world_free(&w);
}

/* A guest's uptime at init splits started → init: what the kernel took,
 * and before it what qemu and the firmware took (to_kernel). */
static void test_boot_to_kernel(void **state)
{
    struct world w;
    world_init(&w, SUITE("{\"type\": \"boot\", \"warmup\": 0, \"n\": 2}"));
    fk.guest_ns = 600; /* started +1000, init +2000: the kernel ran the last 600 */
    scen_run(&w);
    json_t *e = entry(&w, 0);
    assert_true(summary(e, "started_to_init", "median") == 1000);
    assert_true(summary(e, "guest_uptime_at_init", "median") == 600);
    assert_true(summary(e, "to_kernel", "median") == 400);
    world_free(&w);
}

static void test_boot_failing_backend_is_dnf(void **state)
{
    struct world w;
    world_init(&w, SUITE("{\"type\": \"boot\", \"warmup\": 0, \"n\": 5}"));
    fk.fail_create[1] = true;
    scen_run(&w);
    json_t *ok = entry(&w, 0), *bad = entry(&w, 1);
    assert_int_equal(summary(ok, "create_to_ready", "n"), 5);
    assert_int_equal(json_array_size(json_object_get(bad, "metrics")), 0);
    assert_int_equal(json_array_size(json_object_get(bad, "dnf")), 3); /* then it gives up */
    const char *why = json_string_value(
        json_object_get(json_array_get(json_object_get(bad, "dnf"), 0), "reason"));
    assert_non_null(strstr(why, "fake create failure"));
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(bad, "notes"), "stopped_by")),
        "gave up after 3 failures in a row");
    world_free(&w);
}

static void test_backend_not_built_is_dnf(void **state)
{
    struct world w;
    world_init(&w, SUITE("{\"type\": \"memory\", \"workloads\": [\"idle\"], \"n\": 2}"));
    w.ctx.backends[1].drv = NULL;
    snprintf(w.ctx.backends[1].why, sizeof(w.ctx.backends[1].why), "backend 'vm' is not built");
    scen_run(&w);
    fk.order[fk.norder] = 0;
    assert_string_equal(fk.order, "AA");
    json_t *bad = entry(&w, 1);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(bad, "dnf"), 0), "reason")),
                        "backend 'vm' is not built");
    world_free(&w);
}

static const char *note(json_t *e, const char *key)
{
    return json_string_value(json_object_get(json_object_get(e, "notes"), key));
}

/* Host cost = PSS + the kernel memory charged for the instance: its
 * cgroup's where there is one, else page tables + kernel stacks from /proc. */
static void test_memory_cost_rules(void **state)
{
    struct world w;
    world_init(&w, SUITE("{\"type\": \"memory\", \"n\": 2, \"settle\": \"10ms\"}"));
    fk.charged[1] = 1500; /* the container's cgroup charge */
    fk.kernel[1] = 700;   /* … of which kernel memory */
    scen_run(&w);
    json_t *proc = entry(&w, 0), *ct = entry(&w, 1), *alloc = entry(&w, 2);
    assert_true(summary(proc, "kernel", "median") == 4096 + 16384);
    assert_true(summary(proc, "host_cost", "median") == 1000 + 4096 + 16384);
    assert_true(summary(proc, "overhead", "median") == 4096 + 16384);
    assert_non_null(strstr(note(proc, "kernel_source"), "estimate from /proc"));
    assert_true(summary(ct, "kernel", "median") == 700);
    assert_true(summary(ct, "host_cost", "median") == 1700); /* PSS + kernel */
    assert_true(summary(ct, "workload_use", "median") == 1000);
    assert_true(summary(ct, "overhead", "median") == 700);
    assert_true(summary(ct, "proc_pagetables", "median") == 4096);
    assert_true(summary(ct, "proc_kernel_stacks", "median") == 16384);
    assert_string_equal(note(ct, "kernel_source"), "memory.kmem.usage_in_bytes of its cgroup");
    assert_int_equal(summary(ct, "uss", "n"), 2);
    json_t *params = json_object_get(alloc, "params");
    assert_string_equal(json_string_value(json_object_get(params, "workload")), "alloc");
    assert_true(json_integer_value(json_object_get(params, "alloc_bytes")) == 64 << 20);
    world_free(&w);
}

/* A charge below the PSS (page cache charged to whoever read it first) is
 * kept as mem_charged, and the overhead is the kernel memory, not 0. */
static void test_memory_overhead_not_zero_by_construction(void **state)
{
    struct world w;
    world_init(&w, SUITE("{\"type\": \"memory\", \"workloads\": [\"idle\"], \"n\": 1, "
                         "\"settle\": \"10ms\"}"));
    fk.charged[1] = 600;
    fk.kernel[1] = 300;
    scen_run(&w);
    json_t *ct = entry(&w, 1);
    assert_true(summary(ct, "host_cost", "median") == 1300);
    assert_true(summary(ct, "mem_charged", "median") == 600); /* the raw charge kept */
    assert_true(summary(ct, "overhead", "median") == 300);
    assert_null(results_metric(entry(&w, 0), "mem_charged")); /* no cgroup, no charge */
    assert_null(results_metric(entry(&w, 0), "guest_ram_pss"));
    world_free(&w);
}

static json_t *fit_of(json_t *e, const char *key)
{
    json_t *f = json_object_get(e, key);
    if (!f)
        fail_msg("no %s", key);
    return f;
}

/* Each instance costs 1 MiB on a quiet host: the fit finds it, its CI holds
 * it, and the curve has every step; the cap is the suite's. */
static void test_density_slope(void **state)
{
    struct world w;
    world_init(&w, SUITE("{\"type\": \"density\", \"instances_max\": {\"process\": 3, "
                         "\"container\": 5}, \"floor\": 0, \"settle\": \"10ms\"}"));
    fk.mem_per_inst = 1048576;
    fk.mem_noise = 4096;
    scen_run(&w);
    json_t *e = entry(&w, 0), *ct = entry(&w, 1), *curve = json_object_get(e, "curve");
    assert_int_equal(json_array_size(curve), 3);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(curve, 2), "instances")), 3);
    assert_int_equal(summary(e, "per_instance", "n"), 3);
    assert_int_equal(json_array_size(json_object_get(ct, "curve")), 5);
    assert_string_equal(note(ct, "stopped_by"), "cap");
    double slope = json_number_value(json_object_get(fit_of(ct, "fit"), "slope_bytes"));
    double lo = json_number_value(json_object_get(fit_of(ct, "fit"), "ci95_lo"));
    double hi = json_number_value(json_object_get(fit_of(ct, "fit"), "ci95_hi"));
    assert_true(fabs(slope - 1048576) < 16384);
    assert_true(lo <= 1048576 && hi >= 1048576 && lo > 0);
    assert_string_equal(json_string_value(json_object_get(fit_of(ct, "fit"), "flag")), "ok");
    assert_true(fabs(summary(ct, "host_per_instance", "median") - slope) <= 1);
    assert_string_equal(note(ct, "per_instance_flag"), "ok");
    /* fake-b's daemons grow 100 KiB per instance; fake-a has none */
    double d = json_number_value(json_object_get(fit_of(ct, "daemons_fit"), "slope_bytes"));
    assert_true(fabs(d - 102400) < 1);
    assert_null(json_object_get(e, "daemons_fit"));
    world_free(&w);
}

/* Memory freed by earlier work lands in every window (the host gains 4 MiB
 * a second; an instance costs nothing): every per-step drop is negative,
 * which no cost can be, and the fit, which sees the host go on gaining while
 * the instances go, finds no cost either. */
static void test_density_negative_flagged(void **state)
{
    struct world w;
    world_init(&w, SUITE("{\"type\": \"density\", \"instances_max\": 4, \"floor\": 0, "
                         "\"settle\": \"10ms\"}"));
    w.ctx.nbackends = 1;
    fk.mem_drift = 4 << 20;
    fk.mem_noise = 64 << 10;
    scen_run(&w);
    json_t *e = entry(&w, 0), *fit = fit_of(e, "fit");
    assert_true(summary(e, "per_instance", "median") < 0);
    assert_string_equal(note(e, "per_instance_flag"), "negative");
    assert_string_equal(json_string_value(json_object_get(fit, "regressors")),
                        "instances and time");
    assert_string_equal(json_string_value(json_object_get(fit, "flag")), "ci_includes_zero");
    double drift = json_number_value(json_object_get(fit, "drift_bytes_per_s"));
    assert_true(drift < -3e6 && drift > -5e6); /* bytes in use fall as the host gains */
    world_free(&w);
}

/* One instance (64 KiB) is below the host's noise (1 MiB): several per step. */
static void test_density_step_grows_below_noise(void **state)
{
    struct world w;
    world_init(&w, SUITE("{\"type\": \"density\", \"instances_max\": 40, \"floor\": 0, "
                         "\"settle\": \"10ms\"}"));
    w.ctx.nbackends = 1;
    fk.mem_per_inst = 65536;
    fk.mem_noise = 1 << 20;
    scen_run(&w);
    json_t *e = entry(&w, 0);
    json_int_t step = json_integer_value(json_object_get(json_object_get(e, "notes"), "step"));
    assert_true(step > 1 && step <= (40 - 1) / 6); /* and 6 points left for the fit */
    assert_int_equal(json_array_size(json_object_get(e, "curve")), 1 + (40 - 1 + step - 1) / step);
    world_free(&w);
}

/* The floor ends the curve, and the entry says so. */
static void test_density_floor(void **state)
{
    struct world w;
    world_init(&w, SUITE("{\"type\": \"density\", \"instances_max\": 50, "
                         "\"floor\": \"7999MB\", \"settle\": \"10ms\"}"));
    w.ctx.nbackends = 1;
    fk.mem_per_inst = 400e3; /* 8e9 - 3 × 400 kB is below 7999 MB */
    scen_run(&w);
    json_t *e = entry(&w, 0);
    assert_string_equal(note(e, "stopped_by"), "floor");
    assert_int_equal(json_array_size(json_object_get(e, "curve")), 3);
    world_free(&w);
}

/* The second arm a VM on a host elsewhere (fake-r). */
static void with_remote_vm(struct world *w)
{
    w->ctx.backends[1] = (struct bench_backend){.name = "vm", .drv = &fake_r};
}

/* The VM arm runs elsewhere: its density is read from that host (3 MiB
 * an instance there) while the control's is read here (1 MiB), each entry
 * naming its source. */
static void test_density_remote_host(void **state)
{
    struct world w;
    world_init(&w, SUITE("{\"type\": \"density\", \"instances_max\": 4, \"floor\": 0, "
                         "\"settle\": \"10ms\"}"));
    with_remote_vm(&w);
    fk.mem_per_inst = 1 << 20;
    fk.remote_per_inst = 3 << 20;
    scen_run(&w);
    json_t *here = entry(&w, 0), *there = entry(&w, 1);
    assert_string_equal(note(here, "memory_source"), "MemAvailable, /proc/meminfo (this host)");
    assert_string_equal(note(there, "memory_source"), "model node memory (remote host)");
    double s_here = json_number_value(json_object_get(fit_of(here, "fit"), "slope_bytes"));
    double s_there = json_number_value(json_object_get(fit_of(there, "fit"), "slope_bytes"));
    assert_true(fabs(s_here - (1 << 20)) < 1024);
    assert_true(fabs(s_there - (3 << 20)) < 1024);
    world_free(&w);
}

/* A host elsewhere whose memory cannot be read: density refused with the
 * reason, never measured on this host instead. */
static void test_density_remote_unreadable_refused(void **state)
{
    struct world w;
    world_init(&w, SUITE("{\"type\": \"density\", \"instances_max\": 3, \"floor\": 0, "
                         "\"settle\": \"10ms\"}"));
    with_remote_vm(&w);
    fk.remote_unreadable = true;
    fk.mem_per_inst = 1 << 20;
    scen_run(&w);
    json_t *there = entry(&w, 1);
    const char *why = json_string_value(
        json_object_get(json_array_get(json_object_get(there, "dnf"), 0), "reason"));
    assert_non_null(why);
    assert_non_null(strstr(why, "density refused: model host: its memory cannot be read"));
    assert_null(json_object_get(there, "curve"));
    assert_null(results_metric(there, "per_instance"));
    assert_non_null(strchr(fk.order, 'A'));
    assert_int_equal(fk.norder, 3); /* the control's three; none on the unreadable host */
    world_free(&w);
}

/* Each entry names where its figures were read; a remote guest has its
 * hypervisor's RSS and no host cost (no PSS there), never a PSS from here. */
static void test_memory_source_noted(void **state)
{
    struct world w;
    world_init(&w, SUITE("{\"type\": \"memory\", \"workloads\": [\"idle\"], \"n\": 1, "
                         "\"settle\": \"10ms\"}"));
    with_remote_vm(&w);
    scen_run(&w);
    json_t *here = entry(&w, 0), *there = entry(&w, 1);
    assert_string_equal(note(here, "memory_source"), "PSS, /proc (this host)");
    assert_string_equal(note(there, "memory_source"), "model hypervisor's rss (remote host)");
    assert_true(summary(there, "rss", "median") == 2000);
    assert_null(results_metric(there, "host_cost"));
    assert_null(results_metric(there, "pss"));
    assert_null(results_metric(there, "kernel_outside"));
    world_free(&w);
}

static void test_isolation_degradation(void **state)
{
    struct world w;
    world_init(&w, SUITE("{\"type\": \"isolation\", \"victims\": [\"cpu\"], "
                         "\"aggressors\": [\"cpu\"], \"n\": 3, \"duration\": \"1s\"}"));
    scen_run(&w);
    fk.order[fk.norder] = 0;
    fk.kinds[fk.norder] = 0;
    /* 3 rounds of 4 arms (solo and beside the aggressor, on A and B): a solo
     * sample is one create, an aggressor sample two (aggressor, victim) */
    assert_int_equal(fk.norder, 3 * (1 + 2) * 2);
    assert_non_null(strstr(fk.kinds, "gv"));
    /* shuffled per round: some solo sample comes after an aggressor sample */
    const char *first_pair = strstr(fk.kinds, "gv");
    bool solo_later = false;
    for (const char *k = first_pair + 2; *k; k++)
        solo_later |= k[0] == 'v' && k[-1] != 'g';
    assert_true(solo_later);
    json_t *solo = entry(&w, 0), *arm = entry(&w, 2), *arm_ct = entry(&w, 3);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(solo, "params"), "aggressor")), "none");
    assert_true(summary(solo, "victim_score", "median") == 100);
    assert_null(results_metric(solo, "degradation"));
    assert_true(summary(arm, "victim_score", "median") == 50);
    assert_true(summary(arm, "degradation", "median") == 50);
    assert_true(summary(arm, "degradation", "ci95_lo") <= 50);
    assert_true(summary(arm, "degradation", "ci95_hi") >= 50);
    json_t *notes = json_object_get(arm, "notes");
    assert_string_equal(json_string_value(json_object_get(notes, "aggressor_outcome")), "ran");
    assert_false(json_is_true(json_object_get(json_object_get(arm, "params"), "limited")));
    assert_true(json_is_true(json_object_get(json_object_get(arm_ct, "params"), "limited")));
    world_free(&w);
}

/* "throttled" comes from what the CPU controller recorded, not from the
 * limit's size (cpus = 1 here); the aggressor's own score is kept. */
static void test_isolation_throttled_from_cpu_stat(void **state)
{
    struct world w;
    world_init(&w, SUITE("{\"type\": \"isolation\", \"victims\": [\"cpu\"], "
                         "\"aggressors\": [\"cpu\"], \"n\": 2, \"duration\": \"1s\"}"));
    fk.throttled[1] = true; /* the container's cgroup was held back */
    scen_run(&w);
    json_t *proc = entry(&w, 2), *ct = entry(&w, 3);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(proc, "notes"), "aggressor_outcome")),
        "ran");
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(ct, "notes"), "aggressor_outcome")),
        "throttled");
    assert_true(summary(ct, "aggressor_throttled", "median") == 40);
    assert_null(results_metric(proc, "aggressor_throttled")); /* no cgroup: nothing recorded */
    assert_true(summary(proc, "aggressor_score", "median") == 77);
    assert_true(summary(ct, "aggressor_score", "median") == 77);
    assert_string_equal(
        json_string_value(json_object_get(results_metric(ct, "aggressor_score"), "unit")),
        "ops_per_s");
    world_free(&w);
}

/* An aggressor is oom-killed only where a kernel counted the kill; a
 * SIGKILL (status 137) without a count is "killed". */
static void test_isolation_oom_counted_not_guessed(void **state)
{
    const char *suite = SUITE("{\"type\": \"isolation\", \"victims\": [\"cpu\"], "
                              "\"aggressors\": [\"memhog\"], \"n\": 2, \"duration\": \"1s\"}");
    struct world w;
    world_init(&w, suite);
    fk.memhog_status = 137;
    scen_run(&w);
    json_t *notes = json_object_get(entry(&w, 2), "notes");
    assert_string_equal(json_string_value(json_object_get(notes, "aggressor_outcome")), "killed");
    world_free(&w);

    world_init(&w, suite);
    fk.memhog_status = 137;
    fk.memhog_ooms = 1; /* the guest kernel's own count, on the exit line */
    scen_run(&w);
    notes = json_object_get(entry(&w, 2), "notes");
    assert_string_equal(json_string_value(json_object_get(notes, "aggressor_outcome")),
                        "oom-killed");
    world_free(&w);
}

static void test_stop_request_ends_scenario(void **state)
{
    struct world w;
    world_init(&w, SUITE("{\"type\": \"boot\", \"warmup\": 0, \"n\": 50}"));
    fk.raise_at = 5; /* SIGINT while the 5th instance starts */
    scen_run(&w);
    assert_int_equal(bench_stop_signal(), SIGINT);
    assert_true(w.ctx.stopped);
    assert_true(fk.norder < 10); /* it did not go on to 100 */
    json_t *e = entry(&w, 0);
    assert_non_null(e); /* what finished is kept */
    assert_true(summary(e, "create_to_ready", "n") >= 2);
    world_free(&w);
}

static void test_round_order(void **state)
{
    struct world w;
    world_init(&w, SUITE("{\"type\": \"boot\", \"n\": 1}"));
    size_t a[3], b[3], first[3];
    bool differs = false;
    for (unsigned r = 0; r < 16; r++) {
        bench_round_order(&w.ctx, 5, r, a, 3);
        bench_round_order(&w.ctx, 5, r, b, 3);
        assert_memory_equal(a, b, sizeof(a));    /* redone from seed, salt and round */
        assert_int_equal(a[0] + a[1] + a[2], 3); /* a permutation of 0 1 2 */
        assert_true(a[0] != a[1] && a[1] != a[2] && a[0] != a[2]);
        if (r == 0)
            memcpy(first, a, sizeof(a));
        differs |= memcmp(a, first, sizeof(a)) != 0;
    }
    assert_true(differs); /* not one fixed order */
    world_free(&w);
}

static void test_results_schema_round_trip(void **state)
{
    struct world w;
    struct vcb_err err = {0};
    world_init(&w, SUITE("{\"type\": \"boot\", \"warmup\": 0, \"n\": 3}"));
    scen_run(&w);
    bench_results_finish(&w.results, true, NULL);
    assert_int_equal(bench_results_save(&w.results, &err), 0);
    json_t *doc = json_load_file(w.results.path, 0, NULL);
    assert_non_null(doc);
    assert_string_equal(json_string_value(json_object_get(doc, "schema")), BENCH_SCHEMA);
    json_t *run = json_object_get(doc, "run");
    assert_true(json_is_true(json_object_get(run, "complete")));
    assert_true(json_is_null(json_object_get(run, "stopped_by")));
    assert_true(json_is_string(json_object_get(run, "finished")));
    json_t *m =
        results_metric(json_array_get(json_object_get(doc, "results"), 0), "create_to_ready");
    json_t *s = json_object_get(m, "summary");
    assert_int_equal(json_array_size(json_object_get(m, "samples")),
                     json_integer_value(json_object_get(s, "n")));
    assert_true(json_is_integer(json_array_get(json_object_get(m, "samples"), 0))); /* ns */
    const char *keys[] = {"median", "p5",      "p95",     "p99",      "mean", "stddev",
                          "cov",    "ci95_lo", "ci95_hi", "outliers", "drift"};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        assert_non_null(json_object_get(s, keys[i]));
    json_decref(doc);
    world_free(&w);
}

/* ---- the runner's observer ---------------------------------------------------- */
struct watch {
    char log[512]; /* "S0 R0 R0 E0 E0 Z0 ...": start, ready, entry, end (scenario) */
    int stop_at;   /* stop the run at this scenario's start; -1: never */
};

static int watch_event(void *arg, const struct bench_obs_event *ev)
{
    struct watch *wa = arg;
    static const char code[] = {'B', 'S', 'R', 'E', 'Z'};
    size_t len = strlen(wa->log);
    snprintf(wa->log + len, sizeof(wa->log) - len, "%s%c%zu", len ? " " : "", code[ev->kind],
             ev->scenario);
    if (ev->kind == BENCH_OBS_INSTANCE_READY)
        assert_non_null(ev->inst->t[VCB_EV_READY] ? ev->inst : NULL);
    if (ev->kind == BENCH_OBS_ENTRY) /* told once it is in the results */
        assert_ptr_equal(
            json_array_get(json_object_get(ev->ctx->results->doc, "results"),
                           json_array_size(json_object_get(ev->ctx->results->doc, "results")) - 1),
            ev->entry);
    return ev->kind == BENCH_OBS_SCENARIO_START && (int)ev->scenario == wa->stop_at ? -1 : 0;
}

#define TWO_SCENARIOS                                                                              \
    SUITE("{\"type\": \"boot\", \"warmup\": 0, \"n\": 1}, "                                        \
          "{\"type\": \"memory\", \"workloads\": [\"idle\"], \"n\": 1}")

/* Each scenario's start, the serial boots as each is ready, every entry as
 * it is added, each end: in the order they happened. */
static void test_observer_order(void **state)
{
    struct world w;
    struct vcb_err err = {0};
    struct watch wa = {.stop_at = -1};
    struct bench_observer obs = {.event = watch_event, .arg = &wa};
    world_init(&w, TWO_SCENARIOS);
    w.ctx.observer = &obs;
    assert_int_equal(bench_run_scenarios(&w.ctx, &err), 0);
    assert_string_equal(wa.log, "S0 R0 R0 E0 E0 Z0 S1 E1 E1 Z1");
    assert_false(w.ctx.stopped);
    world_free(&w);
}

/* An observer that says stop ends the run where it said it, as a stop
 * request would: the next scenario never starts. */
static void test_observer_stops_run(void **state)
{
    struct world w;
    struct vcb_err err = {0};
    struct watch wa = {.stop_at = 1};
    struct bench_observer obs = {.event = watch_event, .arg = &wa};
    world_init(&w, TWO_SCENARIOS);
    w.ctx.observer = &obs;
    assert_int_equal(bench_run_scenarios(&w.ctx, &err), 0);
    assert_string_equal(wa.log, "S0 R0 R0 E0 E0 Z0 S1");
    assert_true(w.ctx.stopped);
    assert_int_equal(json_array_size(json_object_get(w.results.doc, "results")), 2);
    world_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_boot_interleaved),
        cmocka_unit_test(test_boot_to_kernel),
        cmocka_unit_test(test_boot_failing_backend_is_dnf),
        cmocka_unit_test(test_backend_not_built_is_dnf),
        cmocka_unit_test(test_memory_cost_rules),
        cmocka_unit_test(test_memory_overhead_not_zero_by_construction),
        cmocka_unit_test(test_density_slope),
        cmocka_unit_test(test_density_negative_flagged),
        cmocka_unit_test(test_density_step_grows_below_noise),
        cmocka_unit_test(test_density_floor),
        cmocka_unit_test(test_density_remote_host),
        cmocka_unit_test(test_density_remote_unreadable_refused),
        cmocka_unit_test(test_memory_source_noted),
        cmocka_unit_test(test_isolation_degradation),
        cmocka_unit_test(test_isolation_throttled_from_cpu_stat),
        cmocka_unit_test(test_isolation_oom_counted_not_guessed),
        cmocka_unit_test(test_stop_request_ends_scenario),
        cmocka_unit_test(test_round_order),
        cmocka_unit_test(test_results_schema_round_trip),
        cmocka_unit_test(test_observer_order),
        cmocka_unit_test(test_observer_stops_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
