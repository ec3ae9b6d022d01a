/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* events.c — a running container's events: @vcb lines from the channel pipe
 * (stamped on arrival by vcb_proto_feed) and its exit from a pidfd, watched
 * by one epoll fd (the driver's event_fd) with its stderr pipe, which is
 * drained into the capped log as it comes. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/wait.h>

#include "container-priv.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

int ct_watch(struct ct_instance *c, struct vcb_err *err)
{
    struct epoll_event ev = {.events = EPOLLIN};
    if (fcntl(c->chan_rd, F_SETFL, O_NONBLOCK) < 0 || fcntl(c->log_rd, F_SETFL, O_NONBLOCK) < 0)
        return vcb_err_sys(err, errno, "channel and stderr: set non-blocking");
    ev.data.fd = c->chan_rd;
    if (epoll_ctl(c->epfd, EPOLL_CTL_ADD, c->chan_rd, &ev) < 0)
        return vcb_err_sys(err, errno, "epoll: add the channel");
    ev.data.fd = c->log_rd;
    if (epoll_ctl(c->epfd, EPOLL_CTL_ADD, c->log_rd, &ev) < 0)
        return vcb_err_sys(err, errno, "epoll: add stderr");
    ev.data.fd = c->pidfd;
    if (epoll_ctl(c->epfd, EPOLL_CTL_ADD, c->pidfd, &ev) < 0)
        return vcb_err_sys(err, errno, "epoll: add the pidfd");
    return 0;
}

/* Read what the channel holds now; at EOF stop watching it. */
static int ct_drain(struct ct_instance *c, struct vcb_err *err)
{
    char buf[4096];
    while (c->chan_rd >= 0) {
        ssize_t n = read(c->chan_rd, buf, sizeof buf);
        if (n > 0) {
            if (vcb_proto_feed(&c->proto, buf, (size_t)n, vcb_now_ns(), &c->base.events, err) < 0)
                return -1;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return 0;
        if (n < 0)
            return vcb_err_sys(err, errno, "channel: read");
        epoll_ctl(c->epfd, EPOLL_CTL_DEL, c->chan_rd, NULL);
        vcb_closep(&c->chan_rd);
    }
    return 0;
}

/* stderr into the capped log; at EOF stop watching it. */
static int ct_drain_log(struct ct_instance *c, struct vcb_err *err)
{
    int rc = c->log_rd >= 0 ? vcb_logcap_drain(&c->base.log, c->log_rd) : 0;
    if (rc < 0)
        return vcb_err_sys(err, errno, "stderr: read");
    if (rc > 0) {
        epoll_ctl(c->epfd, EPOLL_CTL_DEL, c->log_rd, NULL);
        vcb_closep(&c->log_rd);
    }
    return 0;
}

void ct_gone_detail(const siginfo_t *si, bool oom, const char *oom_file, char *buf, size_t len,
                    int *wstatus)
{
    if (si->si_code == CLD_EXITED) {
        *wstatus = (si->si_status & 0xff) << 8;
        snprintf(buf, len, "exited %d", si->si_status);
    } else {
        *wstatus = (si->si_status & 0x7f) | (si->si_code == CLD_DUMPED ? 0x80 : 0);
        snprintf(buf, len, "killed by signal %d", si->si_status);
    }
    if (oom) /* the cgroup's own count: something inside hit the limit */
        snprintf(buf, len, "killed by OOM (%s)", oom_file);
}

/* The child exited: reap it (the channel was drained first, so EXIT comes
 * before GONE) and queue GONE with its status and why. */
static int ct_gone(struct ct_instance *c, struct vcb_err *err)
{
    struct vcb_event ev = {.kind = VCB_EV_GONE, .host_ns = vcb_now_ns(), .status = -1};
    siginfo_t si;
    uint64_t ooms = 0;
    struct vcb_err ignored = {0};
    memset(&si, 0, sizeof si);
    if (ct_drain(c, err) < 0 || ct_drain_log(c, err) < 0)
        return -1;
    while (waitid(P_PIDFD, (id_t)c->pidfd, &si, WEXITED) < 0)
        if (errno != EINTR)
            return vcb_err_sys(err, errno, "waitid");
    c->gone = true;
    if (c->cg.host->ops->oom_kills(&c->cg, &ooms, &ignored) < 0 || ooms == VCB_STAT_UNSET)
        ooms = 0;
    ct_gone_detail(&si, ooms > 0, c->oom_file, ev.detail, sizeof ev.detail, &ev.status);
    return vcb_evq_push(&c->base.events, &ev) < 0
               ? vcb_err_set(err, ENOMEM, "queue GONE: out of memory")
               : 0;
}

static int ct_timeout_ms(uint64_t deadline_ns)
{
    uint64_t now = vcb_now_ns();
    if (deadline_ns <= now)
        return 0;
    uint64_t ms = (deadline_ns - now + VCB_NS_PER_MS - 1) / VCB_NS_PER_MS;
    return ms > 3600000 ? 3600000 : (int)ms;
}

int ct_wait_once(struct ct_instance *c, uint64_t deadline_ns, struct vcb_err *err)
{
    struct epoll_event evs[3];
    bool exited = false;
    int n = epoll_wait(c->epfd, evs, 3, ct_timeout_ms(deadline_ns));
    if (n < 0)
        return errno == EINTR ? 1 : vcb_err_sys(err, errno, "epoll_wait");
    for (int i = 0; i < n; i++) {
        if (evs[i].data.fd == c->pidfd)
            exited = true;
        else if (evs[i].data.fd == c->log_rd && ct_drain_log(c, err) < 0)
            return -1;
        else if (evs[i].data.fd == c->chan_rd && ct_drain(c, err) < 0)
            return -1;
    }
    if (exited && ct_gone(c, err) < 0)
        return -1;
    return n > 0 ? 1 : 0;
}
