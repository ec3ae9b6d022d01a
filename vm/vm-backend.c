/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vm-backend.c — what the VM driver adds beyond its instances: host facts
 * (versions, the acceleration verdict), the run options its figures depend
 * on, doctor's checks and the cleanup of dead runs' domains. */
#include "vm-priv.h"

/* A failure to learn them is the reason there is no accel verdict. */
void vm_backend_host_facts(const struct vcb_backend_opts *opts, json_t *host)
{
    struct vcb_err err = {0};
    if (vm_host_facts(opts, host, &err) < 0)
        json_object_set_new(host, "accel_reason", json_string(err.msg));
    /* the host that runs the guests, which a remote URI makes another one */
    json_object_set_new(host, "vm_host", vm_node_facts(opts));
}

/* A dead run's guard does not ask libvirtd: its domains are transient and
 * go with the connection of the run that made them. */
int vm_backend_cleanup(const struct vcb_cleanup_req *req, struct vcb_err *err)
{
    if (req->only_run)
        return 0;
    if (vm_cleanup(req->opts, req->is_stale, req->removed, req->ctx, err) < 0)
        return vcb_err_prefix(err, "domains");
    /* The upload cache on a remote host goes only when asked for. */
    if (req->volumes && vm_pool_cleanup(req, err) < 0)
        return vcb_err_prefix(err, "volumes");
    return 0;
}
