/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ct-time — median create->GONE of noop through ct_driver (not a test: a
 * measurement). Usage: ct-time [runs] [workload] [gap-ms]. A gap between
 * runs shows costs a burst hides (an idle kernel path waking up). */
#include <string.h>

#include "ct-test.h"

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static double median_ms(uint64_t *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_u64);
    return (n % 2 ? (double)v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0) / 1e6;
}

/* One run: stamps of CREATE, STARTED, READY and GONE, then the return of
 * create() and of start(). */
static int one_run(struct ct_test_env *e, const char *wl, uint64_t t[6], struct vcb_err *err)
{
    struct vcb_instance_spec spec;
    struct vcb_instance *inst = NULL;
    struct ct_test_events evs = {.n = 0};
    ct_test_spec(e, &spec, wl, NULL);
    int rc = ct_driver.create(&spec, &inst, err);
    t[4] = vcb_now_ns();
    if (rc == 0)
        rc = ct_driver.start(inst, err);
    t[5] = vcb_now_ns();
    if (rc == 0)
        rc = ct_test_collect(inst, 10 * VCB_NS_PER_S, &evs, err);
    enum vcb_event_kind kinds[4] = {VCB_EV_CREATE, VCB_EV_STARTED, VCB_EV_READY, VCB_EV_GONE};
    for (int i = 0; rc == 0 && i < 4; i++) {
        const struct vcb_event *ev = ct_test_find(&evs, kinds[i]);
        t[i] = ev ? ev->host_ns : 0;
    }
    ct_test_events_clear(&evs);
    vcb_instance_destroy(inst);
    return rc;
}

int main(int argc, char **argv)
{
    int runs = argc > 1 ? atoi(argv[1]) : 50;
    const char *wl = argc > 2 ? argv[2] : "noop";
    uint64_t gap_ns = argc > 3 ? strtoull(argv[3], NULL, 10) * VCB_NS_PER_MS : 0;
    char why[256];
    struct ct_test_env e;
    struct vcb_err err = {0};
    uint64_t *total = calloc((size_t)runs, 8), *clone = calloc((size_t)runs, 8),
             *ready = calloc((size_t)runs, 8), *created = calloc((size_t)runs, 8),
             *started = calloc((size_t)runs, 8);
    if (runs < 1 || ct_test_env_make(&e, why, sizeof why) != 0)
        return fprintf(stderr, "ct-time: %s\n", runs < 1 ? "runs must be >= 1" : why), 2;
    for (int i = 0; i < runs; i++) {
        uint64_t t[6];
        if (gap_ns)
            vcb_sleep_ns(gap_ns);
        if (one_run(&e, wl, t, &err) < 0) {
            fprintf(stderr, "ct-time: run %d: %s\n", i, err.msg);
            ct_test_env_remove(&e);
            return 1;
        }
        total[i] = t[3] - t[0];
        clone[i] = t[1] - t[0];
        ready[i] = t[2] - t[0];
        created[i] = t[4] - t[0];
        started[i] = t[5] - t[0];
    }
    printf("runs %d workload %s gap %llu ms\n", runs, wl,
           (unsigned long long)(gap_ns / VCB_NS_PER_MS));
    printf("median create() returns  %.3f ms\n", median_ms(created, runs));
    printf("median create->started %.3f ms\n", median_ms(clone, runs));
    printf("median start() returns   %.3f ms (after the exec of /init)\n",
           median_ms(started, runs));
    printf("median create->ready   %.3f ms\n", median_ms(ready, runs));
    printf("median create->gone    %.3f ms\n", median_ms(total, runs));
    ct_test_env_remove(&e);
    return 0;
}
