/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* driver.c — the container driver: create (cgroups with limits), start
 * (clone into namespaces, wait for the exec), events from the @vcb pipe and a
 * pidfd, stats from the cgroup and smaps_rollup, stop and destroy. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>

#include "container-priv.h"

static char *const ct_envp[] = {"PATH=/bin:/sbin", "HOME=/", "container=vcbench", NULL};

static int ct_create(const struct vcb_instance_spec *spec, struct vcb_instance **out,
                     struct vcb_err *err)
{
    uint64_t t0 = vcb_now_ns();
    struct ct_instance *c = calloc(1, sizeof *c);
    if (!c)
        return vcb_err_sys(err, ENOMEM, "container %s", spec->name);
    ct_instance_init_fds(c);
    if (vcb_child_init(&c->child, &c->base.events, &c->base.log, err) < 0 ||
        vcb_instance_base_init(&c->base, &ct_driver, spec->name, t0, err) < 0) {
        vcb_child_free(&c->child);
        free(c);
        return vcb_err_prefix(err, "container %s", spec->name);
    }
    if (ct_instance_prepare(c, spec, err) < 0) {
        vcb_err_prefix(err, "container %s", spec->name);
        ct_instance_free(c);
        return -1;
    }
    *out = &c->base;
    return 0;
}

static void ct_fill_child_cfg(struct ct_instance *c, struct ct_child_cfg *cfg, int chan_wr,
                              int log_wr, int err_wr, int sync_rd)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->rootfs = c->rootfs;
    cfg->scratch = c->scratch;
    cfg->hostname = c->base.name;
    cfg->argv = c->argv;
    cfg->envp = ct_envp;
    cfg->chan_wr = chan_wr;
    cfg->log_fd = log_wr; /* a pipe the host drains into the capped log */
    cfg->null_fd = c->null_fd;
    cfg->err_wr = err_wr;
    cfg->sync_rd = sync_rd;
    cfg->userns = c->userns;
    cfg->net_addr = c->net.path == VCB_NET_BRIDGE ? c->net.addr : NULL;
    cfg->seccomp = c->seccomp;
    for (int i = 0; i < CT_CTL__COUNT; i++)
        cfg->procs_fd[i] = c->cg.procs_fd[i];
}

/* The parent's side after clone: maps (user namespace), network, then
 * wait for the exec or the child's error. */
static int ct_start_wait(struct ct_instance *c, int err_rd, int sync_wr, struct vcb_err *err)
{
    struct vcb_err child_err;
    ssize_t n;
    if (c->userns && ct_userns_write_maps(c->child.pid, err) < 0)
        return -1;
    if (c->net.path != VCB_NET_NONE && ct_net_attach(c, c->child.pid, err) < 0)
        return -1;
    if (sync_wr >= 0 && write(sync_wr, "1", 1) != 1)
        return vcb_err_sys(err, errno, "release the child");
    while ((n = read(err_rd, &child_err, sizeof child_err)) < 0 && errno == EINTR)
        ;
    if (n == 0)
        return 0; /* EOF: close-on-exec closed it, /init runs */
    if (n == (ssize_t)sizeof child_err) {
        child_err.msg[sizeof child_err.msg - 1] = '\0';
        *err = child_err;
        return -1;
    }
    return vcb_err_sys(err, n < 0 ? errno : EPROTO, "read the child's status");
}

static int ct_start(struct vcb_instance *inst, struct vcb_err *err)
{
    struct ct_instance *c = (struct ct_instance *)inst;
    struct ct_child_cfg cfg;
    cleanup_close int chan_wr = -1, log_wr = -1, err_rd = -1, err_wr = -1, sync_rd = -1,
                      sync_wr = -1;
    bool into = false;
    int pidfd = -1;
    if (c->child.pid > 0)
        return vcb_err_set(err, EALREADY, "container %s: already started", inst->name);
    if (vcb_child_pipe(&c->child.chan_fd, &chan_wr, err) < 0 ||
        vcb_child_pipe(&c->child.err_fd, &log_wr, err) < 0 || ct_pipe(&err_rd, &err_wr, err) < 0 ||
        ((c->userns || c->net.path != VCB_NET_NONE) && ct_pipe(&sync_rd, &sync_wr, err) < 0))
        return vcb_err_prefix(err, "container %s", inst->name);
    ct_fill_child_cfg(c, &cfg, chan_wr, log_wr, err_wr, sync_rd);
    int back_fd = -1; /* the clone's kernel objects are charged to the instance */
    if (ct_cg_charge_enter(&c->cg, &back_fd, err) < 0)
        return vcb_err_prefix(err, "container %s", inst->name);
    if (back_fd >= 0) /* a child is born in its parent thread's groups: joined already */
        cfg.procs_fd[CT_CTL_MEMORY] = -1;
    uint64_t started = 0;
    pid_t pid = ct_clone(&cfg, c->cg.host->ops->clone_fd(&c->cg), &pidfd, &into, &started, err);
    struct vcb_err back_err = {0};
    bool back = ct_cg_charge_leave(&back_fd, &back_err) == 0;
    if (pid < 0)
        return vcb_err_prefix(err, "container %s", inst->name);
    int rc = vcb_child_adopt(&c->child, pid, pidfd, false, err);
    if (rc == 0 && !back) {
        *err = back_err; /* this thread would pin the group: give up the start */
        rc = -1;
    }
    if (rc < 0) {
        vcb_child_kill(&c->child);
        return vcb_err_prefix(err, "container %s", inst->name);
    }
    c->into_cgroup = into;
    vcb_closep(&chan_wr);
    vcb_closep(&log_wr);
    vcb_closep(&err_wr);
    vcb_closep(&sync_rd);
    if (ct_start_wait(c, err_rd, sync_wr, err) < 0) {
        vcb_child_kill(&c->child);
        return vcb_err_prefix(err, "container %s", inst->name);
    }
    if (vcb_child_watch(&c->child, err) < 0 ||
        vcb_instance_queue(inst, VCB_EV_STARTED, started, err) < 0)
        return vcb_err_prefix(err, "container %s", inst->name);
    return 0;
}

static int ct_event_fd(struct vcb_instance *inst)
{
    return vcb_child_event_fd(&((struct ct_instance *)inst)->child);
}

static int ct_next_event(struct vcb_instance *inst, uint64_t deadline_ns, struct vcb_event *ev,
                         struct vcb_err *err)
{
    struct ct_instance *c = (struct ct_instance *)inst;
    int rc = vcb_child_next_event(&c->child, deadline_ns, ev, err);
    return rc < 0 ? vcb_err_prefix(err, "container %s", inst->name) : rc;
}

static int ct_stats(struct vcb_instance *inst, struct vcb_stats *out, struct vcb_err *err)
{
    struct ct_instance *c = (struct ct_instance *)inst;
    struct vcb_stats s;
    vcb_stats_init(&s);
    if (c->cg.host->ops->stats(&c->cg, &s, err) < 0 || ct_smaps_sum(c, &s, err) < 0 ||
        ct_image_cached(c, &s, err) < 0)
        return vcb_err_prefix(err, "container %s: stats", inst->name);
    if (s.cpu_ns == VCB_STAT_UNSET && c->child.reaped)
        s.cpu_ns = c->child.cpu_ns;   /* no cpuacct group: its init's rusage */
    struct vcb_err no_cpu_stat = {0}; /* no cpu controller: throttling stays unknown */
    if (c->child.pid > 0 && !c->child.reaped)
        (void)vcb_proc_cpu_throttle(c->child.pid, &s.throttle, &no_cpu_stat);
    /* No helper stays around: the launcher is the caller's own process, and
     * after exec nothing of ours runs beside the container. */
    s.helper_pss = 0;
    *out = s;
    return 0;
}

static int ct_stop(struct vcb_instance *inst, struct vcb_err *err)
{
    struct ct_instance *c = (struct ct_instance *)inst;
    /* vcb-init forwards SIGTERM to the workload. */
    if (vcb_child_signal(&c->child, SIGTERM, err) < 0)
        return vcb_err_prefix(err, "container %s", inst->name);
    return 0;
}

static void ct_destroy(struct vcb_instance *inst)
{
    if (inst)
        ct_instance_free((struct ct_instance *)inst);
}

const struct vcb_driver ct_driver = {
    .name = "container",
    .kind = VCB_ARM_CONTAINER,
    .create = ct_create,
    .start = ct_start,
    .event_fd = ct_event_fd,
    .next_event = ct_next_event,
    .stats = ct_stats,
    .stop = ct_stop,
    .destroy = ct_destroy,
    .host_facts = ct_backend_host_facts,
    .host_facts_always = true,
    .doctor = ct_backend_doctor,
    .cleanup = ct_backend_cleanup,
    .options = ct_options,
};
