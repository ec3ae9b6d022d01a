/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-crowd.c — concurrent boots are concurrent and stamped on arrival.
 * A fake driver whose instances talk through a real pipe, as a container's
 * vcb-init does: instance 0 writes "ready" at an instant it records, while
 * the others take 150 ms each to start (the harness is busy launching
 * them). The harness must release every launch together, stamp
 * instance 0's ready within 10 ms of the write, and destroy none before
 * the last one is ready (instance 0 has exited long before). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <string.h>

#include "harness.h"
#include "wl-image.h"

#define SLOW_START_NS (150 * VCB_NS_PER_MS)
#define READY_AFTER   (20 * VCB_NS_PER_MS)
#define LEVEL         4

struct pfake {
    struct vcb_instance base;
    unsigned n;
    int rd, wr;
    bool eof;
    struct vcb_proto proto;
    pthread_t writer;
    bool has_writer;
};

static struct {
    pthread_mutex_t lock;
    uint64_t start_entered[LEVEL];
    uint64_t ready_written; /* when instance 0 wrote its ready line */
    uint64_t destroyed[LEVEL];
} pf = {.lock = PTHREAD_MUTEX_INITIALIZER};

static const struct vcb_driver pfake_driver;

static void write_line(int fd, const char *s)
{
    ssize_t w = write(fd, s, strlen(s));
    assert_int_equal(w, (ssize_t)strlen(s));
}

static int pfake_create(const struct vcb_instance_spec *spec, struct vcb_instance **out,
                        struct vcb_err *err)
{
    char run_id[VCB_RUN_ID_LEN + 1];
    struct pfake *f = calloc(1, sizeof(*f));
    int p[2];
    assert_non_null(f);
    assert_int_equal(vcb_instance_name_parse(spec->name, run_id, &f->n), 0);
    assert_int_equal(pipe2(p, O_CLOEXEC), 0);
    f->rd = p[0];
    f->wr = p[1];
    fcntl(f->rd, F_SETFL, O_NONBLOCK);
    vcb_instance_base_init(&f->base, &pfake_driver, spec->name, vcb_now_ns(), err);
    *out = &f->base;
    return 0;
}

/* Instance 0's vcb-init: ready a little after start, at a recorded instant. */
static void *prompt_writer(void *arg)
{
    struct pfake *f = arg;
    vcb_sleep_ns(READY_AFTER);
    write_line(f->wr, "@vcb init 0\n");
    pthread_mutex_lock(&pf.lock);
    pf.ready_written = vcb_now_ns();
    pthread_mutex_unlock(&pf.lock);
    write_line(f->wr, "@vcb ready\n");
    vcb_sleep_ns(READY_AFTER);
    write_line(f->wr, "@vcb exit 0\n");
    close(f->wr);
    f->wr = -1;
    return NULL;
}

static int pfake_start(struct vcb_instance *inst, struct vcb_err *err)
{
    struct pfake *f = (struct pfake *)inst;
    pthread_mutex_lock(&pf.lock);
    pf.start_entered[f->n] = vcb_now_ns();
    pthread_mutex_unlock(&pf.lock);
    vcb_instance_queue(inst, VCB_EV_STARTED, 0, err);
    if (f->n == 0) {
        f->has_writer = pthread_create(&f->writer, NULL, prompt_writer, f) == 0;
        return f->has_writer ? 0 : vcb_err_set(err, EAGAIN, "writer thread");
    }
    vcb_sleep_ns(SLOW_START_NS); /* a slow launch: the harness is busy here */
    write_line(f->wr, "@vcb init 0\n@vcb ready\n@vcb exit 0\n");
    close(f->wr);
    f->wr = -1;
    return 0;
}

static int pfake_event_fd(struct vcb_instance *inst)
{
    return ((struct pfake *)inst)->rd;
}

/* Read the pipe and stamp what came, as the container driver does. */
static int pfake_next(struct vcb_instance *inst, uint64_t deadline, struct vcb_event *ev,
                      struct vcb_err *err)
{
    struct pfake *f = (struct pfake *)inst;
    for (;;) {
        if (vcb_evq_pop(&inst->events, ev))
            return 1;
        if (f->eof)
            return 0;
        uint64_t now = vcb_now_ns();
        int ms = deadline > now ? (int)((deadline - now + VCB_NS_PER_MS - 1) / VCB_NS_PER_MS) : 0;
        struct pollfd p = {.fd = f->rd, .events = POLLIN};
        if (poll(&p, 1, ms) <= 0)
            return 0;
        char buf[256];
        ssize_t n = read(f->rd, buf, sizeof(buf));
        if (n > 0) {
            vcb_proto_feed(&f->proto, buf, (size_t)n, vcb_now_ns(), &inst->events, err);
        } else if (n == 0) {
            f->eof = true;
            vcb_instance_queue(inst, VCB_EV_GONE, 0, err);
        }
    }
}

static int pfake_stats(struct vcb_instance *inst, struct vcb_stats *s, struct vcb_err *err)
{
    vcb_stats_init(s);
    return 0;
}

static int pfake_stop(struct vcb_instance *inst, struct vcb_err *err)
{
    return 0;
}

static void pfake_destroy(struct vcb_instance *inst)
{
    struct pfake *f = (struct pfake *)inst;
    pthread_mutex_lock(&pf.lock);
    pf.destroyed[f->n] = vcb_now_ns();
    pthread_mutex_unlock(&pf.lock);
    if (f->has_writer)
        pthread_join(f->writer, NULL);
    close(f->rd);
    if (f->wr >= 0)
        close(f->wr);
    vcb_proto_free(&f->proto);
    vcb_instance_base_free(inst);
    free(f);
}

static const struct vcb_driver pfake_driver = {
    .name = "pfake",
    .create = pfake_create,
    .start = pfake_start,
    .event_fd = pfake_event_fd,
    .next_event = pfake_next,
    .stats = pfake_stats,
    .stop = pfake_stop,
    .destroy = pfake_destroy,
};

static void test_released_together_and_stamped_on_arrival(void **state)
{
    struct vcb_err err = {0};
    struct bench_suite suite = {.ready_timeout_ns = 5 * VCB_NS_PER_S,
                                .exit_timeout_ns = 5 * VCB_NS_PER_S};
    struct bench_ctx ctx = {.suite = &suite};
    struct bench_backend be = {.name = "container", .drv = &pfake_driver};
    snprintf(ctx.run_id, sizeof(ctx.run_id), "0000c0de");
    snprintf(ctx.images.workload[0], BENCH_WORKLOAD_MAX, "noop");
    snprintf(ctx.images.img[0].rootfs, PATH_MAX, "/fake/noop");
    ctx.images.n = 1;
    assert_int_equal(bench_signals_install(&err), 0);
    struct bench_inst v[LEVEL];
    memset(v, 0, sizeof(v));
    assert_int_equal(bench_inst_launch_crowd(&ctx, &be, "noop", v, LEVEL), BENCH_WAIT_OK);
    bench_signals_restore();

    uint64_t first = UINT64_MAX, last = 0;
    for (size_t i = 0; i < LEVEL; i++) {
        assert_string_equal(v[i].error, "");
        assert_true(v[i].t[VCB_EV_READY] && v[i].t[VCB_EV_GONE]);
        assert_null(v[i].vi); /* destroyed by its own thread */
        first = pf.start_entered[i] < first ? pf.start_entered[i] : first;
        last = pf.start_entered[i] > last ? pf.start_entered[i] : last;
    }
    /* released together: one after another they would be 150 ms apart */
    assert_true(last - first < 50 * VCB_NS_PER_MS);
    /* stamped on arrival, not after the slow launches of the others */
    uint64_t stamp = v[0].t[VCB_EV_READY];
    print_message("ready written at +%.3f ms, stamped %.3f ms later\n",
                  (double)(pf.ready_written - v[0].t[VCB_EV_CREATE]) / 1e6,
                  (double)(stamp - pf.ready_written) / 1e6);
    assert_true(stamp >= pf.ready_written);
    /* Waiting for the others would take 150 ms; 10 ms leaves room for a
     * busy 2-core host's scheduler (1 ms was missed under ctest -j2). */
    assert_true(stamp - pf.ready_written < 10 * VCB_NS_PER_MS);
    assert_true(stamp < v[1].t[VCB_EV_READY]); /* before the slow ones were even up */
    /* no teardown inside the round: instance 0 exited at +40 ms, but waits */
    uint64_t last_ready = 0;
    for (size_t i = 0; i < LEVEL; i++)
        last_ready = v[i].t[VCB_EV_READY] > last_ready ? v[i].t[VCB_EV_READY] : last_ready;
    for (size_t i = 0; i < LEVEL; i++)
        assert_true(pf.destroyed[i] >= last_ready);
    bench_inst_clear_all(v, LEVEL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_released_together_and_stamped_on_arrival),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
