/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* instance.c — the part of an instance every driver shares. */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "vcb-driver.h"

int vcb_instance_base_init(struct vcb_instance *inst, const struct vcb_driver *drv,
                           const char *name, uint64_t t0, struct vcb_err *err)
{
    inst->driver = drv;
    snprintf(inst->name, sizeof(inst->name), "%s", name);
    vcb_logcap_init(&inst->log);
    return vcb_instance_queue(inst, VCB_EV_CREATE, t0, err);
}

int vcb_instance_queue(struct vcb_instance *inst, enum vcb_event_kind kind, uint64_t host_ns,
                       struct vcb_err *err)
{
    struct vcb_event ev = {.kind = kind, .host_ns = host_ns ? host_ns : vcb_now_ns()};
    if (vcb_evq_push(&inst->events, &ev) < 0)
        return vcb_err_set(err, ENOMEM, "%s: queue event: out of memory", inst->name);
    return 0;
}

void vcb_instance_base_free(struct vcb_instance *inst)
{
    vcb_evq_free(&inst->events);
    vcb_logcap_close(&inst->log);
}

int vcb_instance_log_open(struct vcb_instance *inst, const struct vcb_instance_spec *spec,
                          const char *suffix, struct vcb_err *err)
{
    char path[PATH_MAX];
    if (!spec->run_dir) { /* nowhere to keep it: counted only */
        vcb_logcap_init(&inst->log);
        inst->log.max = spec->log_max ? spec->log_max : VCB_LOG_MAX_DEFAULT;
        return 0;
    }
    if (snprintf(path, sizeof(path), "%s/%s%s", spec->run_dir, inst->name, suffix) >=
        (int)sizeof(path))
        return vcb_err_set(err, ENAMETOOLONG, "%s: log path too long", inst->name);
    return vcb_logcap_open(&inst->log, path, spec->log_max, err);
}

void vcb_instance_destroyp(struct vcb_instance **i)
{
    vcb_instance_destroy(*i);
    *i = NULL;
}
