/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* backend.c — what the container driver adds beyond its instances: the
 * host's cgroup facts, doctor's checks, the cleanup of dead runs' cgroups
 * and mounts, and its command-line options (--userns, --seccomp). */
#include <string.h>

#include "container-priv.h"
#include "vcb-tool.h"

/* Every run records the host's cgroup mode, whichever backends it uses. */
void ct_backend_host_facts(const struct vcb_backend_opts *opts, json_t *host)
{
    struct vcb_err err = {0};
    (void)opts;
    if (ct_host_facts(host, &err) < 0)
        json_object_set_new(host, "cgroup_mode_error", json_string(err.msg));
}

int ct_backend_doctor(const struct vcb_backend_opts *opts, json_t *checks, struct vcb_err *err)
{
    (void)opts;
    return ct_doctor_checks(checks, err);
}

/* The staleness test (and a dry run's report) is the caller's is_stale. */
int ct_backend_cleanup(const struct vcb_cleanup_req *req, struct vcb_err *err)
{
    if (ct_cleanup(req->is_stale, req->removed, req->ctx, err) < 0)
        return vcb_err_prefix(err, "containers");
    return 0;
}

static int ct_opt_userns(struct vcb_backend_opts *o, const char *opt, const char *arg,
                         struct vcb_err *err)
{
    (void)opt, (void)arg, (void)err;
    o->userns = true;
    return 0;
}

static int ct_opt_seccomp(struct vcb_backend_opts *o, const char *opt, const char *arg,
                          struct vcb_err *err)
{
    if (strcmp(arg, "default") && strcmp(arg, "off"))
        return vcb_err_usage(err, "%s: \"%s\" (expected default or off)", opt, arg);
    o->seccomp = strcmp(arg, "off") ? VCB_SECCOMP_DEFAULT : VCB_SECCOMP_OFF;
    return 0;
}

static int ct_opt_net(struct vcb_backend_opts *o, const char *opt, const char *arg,
                      struct vcb_err *err)
{
    if (strcmp(arg, "bridge") && strcmp(arg, "user"))
        return vcb_err_usage(err, "%s: \"%s\" (expected bridge or user)", opt, arg);
    o->ct_net = strcmp(arg, "user") ? VCB_NET_BRIDGE : VCB_NET_USER;
    /* Asked for by name: missing, it is the user's to install, now. */
    if (o->ct_net == VCB_NET_USER && !vcb_tool_in_path("pasta"))
        return vcb_err_usage(err, "%s user: pasta is not in PATH (apt-get install passt)", opt);
    return 0;
}

const struct vcb_driver_opt ct_options[] = {
    {"userns", NULL, "map root to an unprivileged range", ct_opt_userns},
    {"seccomp", "MODE", "syscall filter: default|off", ct_opt_seccomp},
    {"net", "NET", "netio/netflood's path: bridge (veth, default) or user (pasta)", ct_opt_net},
    {0},
};
