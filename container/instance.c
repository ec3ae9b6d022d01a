/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* instance.c — a container instance's host resources: what create() prepares
 * (cgroups with limits, argv, capped log, seccomp program) and their release. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "container-priv.h"

void ct_instance_init_fds(struct ct_instance *c)
{
    c->null_fd = -1;
    for (int i = 0; i < CT_CTL__COUNT; i++)
        c->cg.dfd[i] = c->cg.procs_fd[i] = -1;
}

int ct_pipe(int *rd, int *wr, struct vcb_err *err)
{
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0)
        return vcb_err_sys(err, errno, "pipe");
    *rd = p[0];
    *wr = p[1];
    return 0;
}

/* After the reap: the cgroup's own count tells whether something inside
 * hit the memory limit, whatever the exit status says. */
static const char *ct_oom_limit(void *arg)
{
    struct ct_instance *c = arg;
    struct vcb_err ignored = {0};
    uint64_t ooms = 0;
    if (c->cg.host->ops->oom_kills(&c->cg, &ooms, &ignored) < 0 || ooms == VCB_STAT_UNSET)
        return NULL;
    return ooms > 0 ? c->oom_file : NULL;
}

/* vcb-init's path in the image ("/init" unless the spec says), workload,
 * args…, NULL. */
static char **ct_argv_build(const struct vcb_instance_spec *spec)
{
    size_t n = vcb_strv_len(spec->args);
    char **v = calloc(n + 3, sizeof *v);
    if (!v)
        return NULL;
    v[0] = strdup(spec->init ? spec->init : "/init");
    v[1] = strdup(spec->workload);
    for (size_t i = 0; i < n; i++)
        v[i + 2] = strdup(spec->args[i]);
    for (size_t i = 0; i < n + 2; i++) {
        if (!v[i]) {
            for (size_t j = 0; j < n + 2; j++)
                free(v[j]);
            free(v);
            return NULL;
        }
    }
    return v;
}

static int ct_check_spec(const struct vcb_instance_spec *spec, struct vcb_err *err)
{
    if (!spec->rootfs || !spec->workload)
        return vcb_err_usage(err, "the container backend needs an image rootfs and a workload");
    /* An image from outside keeps its owners and setuid binaries under a
     * directory only the host's root may enter; a user namespace's root is
     * not that. */
    if (spec->own_rootfs && spec->opts.userns)
        return vcb_err_usage(err, "--userns: an image from outside cannot run in a user "
                                  "namespace here (its files are the host root's alone: they "
                                  "keep the image's setuid binaries); run it without --userns");
    if (ct_net_check(spec, err) < 0)
        return -1;
    return vcb_limits_check(&spec->limits, err);
}

int ct_instance_prepare(struct ct_instance *c, const struct vcb_instance_spec *spec,
                        struct vcb_err *err)
{
    struct ct_cg_host *host;
    if (ct_check_spec(spec, err) < 0 || !(host = ct_cg_host_get(err)))
        return -1;
    c->userns = spec->opts.userns;
    c->oom_file = host->mode == CT_CG_V2 ? "memory.max" : "memory.limit_in_bytes";
    if (spec->opts.seccomp != VCB_SECCOMP_OFF && ct_seccomp_program(&c->seccomp, err) < 0)
        return -1;
    if (!(c->rootfs = strdup(spec->rootfs)) || !(c->argv = ct_argv_build(spec)) ||
        (spec->scratch && !(c->scratch = strdup(spec->scratch))))
        return vcb_err_sys(err, ENOMEM, "argv");
    if ((c->null_fd = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0)
        return vcb_err_sys(err, errno, "open /dev/null");
    if (vcb_instance_log_open(&c->base, spec, ".log", err) < 0)
        return -1;
    c->net = spec->net;
    c->net_rate = spec->limits.net_rate;
    if (spec->net.run_netns && !(c->run_netns = strdup(spec->net.run_netns)))
        return vcb_err_sys(err, ENOMEM, "network namespace name");
    c->net.run_netns = NULL; /* c->run_netns is ours */
    if (spec->net.path == VCB_NET_USER && spec->run_dir &&
        asprintf(&c->pasta_pidfile, "%s/%s.pasta.pid", spec->run_dir, spec->name) < 0)
        return vcb_err_sys(err, ENOMEM, "pasta's pid file name");
    c->child.oom_limit = ct_oom_limit;
    c->child.oom_arg = c;
    ct_cgroup_init(&c->cg, host, spec->name);
    /* I/O limits: the disk its I/O lands on, its scratch volume's where it
     * has one, else its root's. */
    c->cg.io_file = spec->scratch ? spec->scratch : spec->rootfs;
    return ct_cgroup_create(&c->cg, &spec->limits, err);
}

void ct_instance_free(struct ct_instance *c)
{
    struct vcb_err ignored = {0};
    /* SIGKILL to the pid namespace's init takes every process inside with it. */
    vcb_child_free(&c->child);
    ct_net_detach(c);
    if (c->cg.host)
        ct_cgroup_destroy(&c->cg, &ignored);
    vcb_closep(&c->null_fd);
    vcb_strv_free(c->argv);
    free(c->rootfs);
    free(c->scratch);
    vcb_instance_base_free(&c->base);
    free(c);
}
