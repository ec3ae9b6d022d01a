/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* driver.c — the container driver: create (cgroups with limits), start
 * (clone into namespaces, wait for the exec), events from the @vcb pipe and a
 * pidfd, stats from the cgroup and smaps_rollup, stop and destroy. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "container-priv.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

static char *const ct_envp[] = {"PATH=/bin:/sbin", "HOME=/", "container=vcbench", NULL};

static int ct_create(const struct vcb_instance_spec *spec, struct vcb_instance **out,
                     struct vcb_err *err)
{
    uint64_t t0 = vcb_now_ns();
    struct ct_instance *c = calloc(1, sizeof *c);
    if (!c)
        return vcb_err_sys(err, ENOMEM, "container %s", spec->name);
    ct_instance_init_fds(c);
    if (vcb_instance_base_init(&c->base, &ct_driver, spec->name, t0, err) < 0) {
        free(c);
        return -1;
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
    cfg->hostname = c->base.name;
    cfg->argv = c->argv;
    cfg->envp = ct_envp;
    cfg->chan_wr = chan_wr;
    cfg->log_fd = log_wr; /* a pipe the host drains into the capped log */
    cfg->null_fd = c->null_fd;
    cfg->err_wr = err_wr;
    cfg->sync_rd = sync_rd;
    cfg->userns = c->userns;
    cfg->seccomp = c->seccomp;
    for (int i = 0; i < CT_CTL__COUNT; i++)
        cfg->procs_fd[i] = c->cg.procs_fd[i];
}

/* The parent's side after clone: maps (user namespace), then wait for the
 * exec or the child's error. */
static int ct_start_wait(struct ct_instance *c, int err_rd, int sync_wr, struct vcb_err *err)
{
    struct vcb_err child_err;
    ssize_t n;
    if (c->userns) {
        if (ct_userns_write_maps(c->pid, err) < 0)
            return -1;
        if (write(sync_wr, "1", 1) != 1)
            return vcb_err_sys(err, errno, "user namespace: release the child");
    }
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
    if (c->pid > 0)
        return vcb_err_set(err, EALREADY, "container %s: already started", inst->name);
    if (ct_pipe(&c->chan_rd, &chan_wr, err) < 0 || ct_pipe(&c->log_rd, &log_wr, err) < 0 ||
        ct_pipe(&err_rd, &err_wr, err) < 0 || (c->userns && ct_pipe(&sync_rd, &sync_wr, err) < 0))
        return vcb_err_prefix(err, "container %s", inst->name);
    ct_fill_child_cfg(c, &cfg, chan_wr, log_wr, err_wr, sync_rd);
    int back_fd = -1; /* the clone's kernel objects are charged to the instance */
    if (ct_cg_charge_enter(&c->cg, &back_fd, err) < 0)
        return vcb_err_prefix(err, "container %s", inst->name);
    c->pid = ct_clone(c->userns, c->cg.host->ops->clone_fd(&c->cg), &c->pidfd, &into, err);
    if (c->pid == 0) {
        for (int i = 0; into && i < CT_CTL__COUNT; i++)
            cfg.procs_fd[i] = -1; /* CLONE_INTO_CGROUP placed it already */
        ct_child_main(&cfg);
    }
    uint64_t started = vcb_now_ns();
    struct vcb_err back_err = {0};
    if (ct_cg_charge_leave(&back_fd, &back_err) < 0 && c->pid > 0) {
        *err = back_err; /* this thread would pin the group: give up the start */
        ct_instance_reap(c, true);
        vcb_closep(&c->chan_rd);
        vcb_closep(&c->log_rd);
        return vcb_err_prefix(err, "container %s", inst->name);
    }
    if (c->pid < 0) {
        vcb_closep(&c->chan_rd);
        vcb_closep(&c->log_rd);
        return vcb_err_prefix(err, "container %s", inst->name);
    }
    c->into_cgroup = into;
    vcb_closep(&chan_wr);
    vcb_closep(&log_wr);
    vcb_closep(&err_wr);
    vcb_closep(&sync_rd);
    if (ct_start_wait(c, err_rd, sync_wr, err) < 0) {
        ct_instance_reap(c, true);
        return vcb_err_prefix(err, "container %s", inst->name);
    }
    if (ct_watch(c, err) < 0 || vcb_instance_queue(inst, VCB_EV_STARTED, started, err) < 0)
        return vcb_err_prefix(err, "container %s", inst->name);
    return 0;
}

static int ct_event_fd(struct vcb_instance *inst)
{
    return ((struct ct_instance *)inst)->epfd;
}

static int ct_next_event(struct vcb_instance *inst, uint64_t deadline_ns, struct vcb_event *ev,
                         struct vcb_err *err)
{
    struct ct_instance *c = (struct ct_instance *)inst;
    for (;;) {
        if (vcb_evq_pop(&inst->events, ev))
            return 1;
        if (c->gone || c->pid <= 0)
            return 0;
        int rc = ct_wait_once(c, deadline_ns, err);
        if (rc <= 0)
            return rc < 0 ? vcb_err_prefix(err, "container %s", inst->name) : 0;
    }
}

static int ct_stats(struct vcb_instance *inst, struct vcb_stats *out, struct vcb_err *err)
{
    struct ct_instance *c = (struct ct_instance *)inst;
    struct vcb_stats s;
    vcb_stats_init(&s);
    if (c->cg.host->ops->stats(&c->cg, &s, err) < 0 || ct_smaps_sum(c, &s, err) < 0 ||
        ct_image_cached(c, &s, err) < 0)
        return vcb_err_prefix(err, "container %s: stats", inst->name);
    struct vcb_err no_cpu_stat = {0}; /* no cpu controller: throttling stays unknown */
    if (c->pid > 0 && !c->gone)
        (void)vcb_proc_cpu_throttle(c->pid, &s.throttle, &no_cpu_stat);
    /* No helper stays around: the launcher is the caller's own process, and
     * after exec nothing of ours runs beside the container. */
    s.helper_pss = 0;
    *out = s;
    return 0;
}

static int ct_stop(struct vcb_instance *inst, struct vcb_err *err)
{
    struct ct_instance *c = (struct ct_instance *)inst;
    if (c->pid <= 0 || c->gone)
        return 0;
    /* vcb-init forwards SIGTERM to the workload. */
    if (syscall(SYS_pidfd_send_signal, c->pidfd, SIGTERM, NULL, 0) < 0 && errno != ESRCH)
        return vcb_err_sys(err, errno, "container %s: SIGTERM", inst->name);
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
