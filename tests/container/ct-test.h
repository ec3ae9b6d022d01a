/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ct-test.h — shared by the container integration test and ct-time: a
 * minimal rootfs in a temp dir (vcb-init as /init, workloads in /bin, empty
 * /proc /sys /dev /tmp) and running an instance to the end. */
#ifndef CT_TEST_H
#define CT_TEST_H

#include <limits.h>

#include "container-priv.h"

struct ct_test_env {
    char rootfs[PATH_MAX];
    char run_dir[PATH_MAX];
    char run_id[VCB_RUN_ID_LEN + 1];
    unsigned next;
};

/* 0, or 77 with why filled when this host cannot run the tests. */
int ct_test_env_make(struct ct_test_env *e, char *why, size_t len);
void ct_test_env_remove(struct ct_test_env *e);
/* A spec for workload in env (name vcb-<run-id>-<next>); args may be NULL. */
void ct_test_spec(struct ct_test_env *e, struct vcb_instance_spec *spec, const char *workload,
                  char *const *args);

#define CT_TEST_MAX_EVENTS 64
struct ct_test_events {
    struct vcb_event ev[CT_TEST_MAX_EVENTS];
    size_t n;
};
/* Take events until GONE or timeout; -1 on error or timeout. */
int ct_test_collect(struct vcb_instance *inst, uint64_t timeout_ns, struct ct_test_events *out,
                    struct vcb_err *err);
void ct_test_events_clear(struct ct_test_events *evs);
/* Create, start and collect to GONE through ct_driver; the instance stays
 * (for stats and cgroup checks) until the caller destroys it. NULL on error. */
struct vcb_instance *ct_test_run(const struct vcb_instance_spec *spec, struct ct_test_events *evs,
                                 struct vcb_err *err);
/* The JSON of the first RESULT event (caller decrefs), or NULL. */
json_t *ct_test_result(const struct ct_test_events *evs);
/* The first event of kind, or NULL. */
const struct vcb_event *ct_test_find(const struct ct_test_events *evs, enum vcb_event_kind k);

#endif
