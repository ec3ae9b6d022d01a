/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ct-test.c — see ct-test.h. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "ct-test.h"

static int copy_in(const struct ct_test_env *e, const char *src, const char *dst, char *why,
                   size_t len)
{
    char to[PATH_MAX + 64];
    struct vcb_err err = {0};
    snprintf(to, sizeof to, "%s/%s", e->rootfs, dst);
    if (vcb_copy_file(src, to, 0755, &err) < 0) {
        snprintf(why, len, "%s", err.msg);
        return 77;
    }
    return 0;
}

/* Nothing half-made stays in /tmp when the environment cannot be built. */
static int env_make(struct ct_test_env *e, char *why, size_t len);

int ct_test_env_make(struct ct_test_env *e, char *why, size_t len)
{
    int rc = env_make(e, why, len);
    if (rc)
        ct_test_env_remove(e);
    return rc;
}

static int env_make(struct ct_test_env *e, char *why, size_t len)
{
    static const char *const wls[] = {"noop", "idle", "memhog", "forkbomb", "cpu", NULL};
    static const char *const dirs[] = {"bin", "proc", "sys", "dev", "tmp", NULL};
    char src[PATH_MAX + 64], dst[64];
    memset(e, 0, sizeof *e);
    snprintf(e->rootfs, sizeof e->rootfs, "/tmp/ct-rootfs-XXXXXX");
    snprintf(e->run_dir, sizeof e->run_dir, "/tmp/ct-run-XXXXXX");
    if (!mkdtemp(e->rootfs) || !mkdtemp(e->run_dir) || chmod(e->rootfs, 0755) < 0)
        return snprintf(why, len, "mkdtemp: %s", strerror(errno)), 77;
    for (int i = 0; dirs[i]; i++) {
        snprintf(src, sizeof src, "%s/%s", e->rootfs, dirs[i]);
        mkdir(src, 0755);
    }
    snprintf(src, sizeof src, "%s/vcb-init", vcb_libexec_dir());
    if (copy_in(e, src, "init", why, len))
        return 77;
    for (int i = 0; wls[i]; i++) {
        snprintf(src, sizeof src, "%s/wl-%s", vcb_libexec_dir(), wls[i]);
        snprintf(dst, sizeof dst, "bin/%s", wls[i]);
        if (copy_in(e, src, dst, why, len))
            return 77;
    }
#ifdef CT_PROBE
    if (copy_in(e, CT_PROBE, "bin/ct-probe", why, len))
        return 77;
#endif
#ifdef CT_ESCAPE
    if (copy_in(e, CT_ESCAPE, "bin/ct-escape", why, len))
        return 77;
#endif
    vcb_run_id_new(e->run_id);
    return 0;
}

void ct_test_env_remove(struct ct_test_env *e)
{
    struct vcb_err err = {0};
    vcb_rm_rf(e->rootfs, &err);
    vcb_rm_rf(e->run_dir, &err);
}

void ct_test_spec(struct ct_test_env *e, struct vcb_instance_spec *spec, const char *workload,
                  char *const *args)
{
    memset(spec, 0, sizeof *spec);
    vcb_instance_name(e->run_id, ++e->next, spec->name);
    spec->run_dir = e->run_dir;
    spec->workload = workload;
    spec->rootfs = e->rootfs;
    spec->args = args;
}

int ct_test_collect(struct vcb_instance *inst, uint64_t timeout_ns, struct ct_test_events *out,
                    struct vcb_err *err)
{
    uint64_t deadline = vcb_now_ns() + timeout_ns;
    while (out->n < CT_TEST_MAX_EVENTS) {
        struct vcb_event *ev = &out->ev[out->n];
        int rc = vcb_instance_next_event(inst, deadline, ev, err);
        if (rc < 0)
            return -1;
        if (rc == 0)
            return vcb_err_set(err, ETIMEDOUT, "%s: no GONE before the timeout", inst->name);
        out->n++;
        if (ev->kind == VCB_EV_GONE)
            return 0;
    }
    return vcb_err_set(err, E2BIG, "%s: too many events", inst->name);
}

void ct_test_events_clear(struct ct_test_events *evs)
{
    for (size_t i = 0; i < evs->n; i++)
        vcb_event_clear(&evs->ev[i]);
    evs->n = 0;
}

const struct vcb_event *ct_test_find(const struct ct_test_events *evs, enum vcb_event_kind k)
{
    for (size_t i = 0; i < evs->n; i++)
        if (evs->ev[i].kind == k)
            return &evs->ev[i];
    return NULL;
}

struct vcb_instance *ct_test_run(const struct vcb_instance_spec *spec, struct ct_test_events *evs,
                                 struct vcb_err *err)
{
    struct vcb_instance *inst = NULL;
    if (ct_driver.create(spec, &inst, err) < 0 || ct_driver.start(inst, err) < 0 ||
        ct_test_collect(inst, 20 * VCB_NS_PER_S, evs, err) < 0) {
        vcb_instance_destroy(inst);
        return NULL;
    }
    return inst;
}

json_t *ct_test_result(const struct ct_test_events *evs)
{
    const struct vcb_event *ev = ct_test_find(evs, VCB_EV_RESULT);
    return ev ? json_loads(ev->text, 0, NULL) : NULL;
}
