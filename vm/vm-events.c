/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vm-events.c — an instance's event queue, shared between the caller's
 * thread and the libvirt event loop thread: lifecycle callbacks, the GONE
 * event, next_event and the eventfd the harness polls. */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/eventfd.h>

#include "vm-priv.h"

void vm_instance_ref(struct vm_instance *vi)
{
    __atomic_add_fetch(&vi->refs, 1, __ATOMIC_SEQ_CST);
}

/* The last reference frees what the callbacks may still touch. libvirt
 * handles (conn, dom, stream) are released by destroy, before this. */
void vm_instance_unref(struct vm_instance *vi)
{
    if (!vi || __atomic_sub_fetch(&vi->refs, 1, __ATOMIC_SEQ_CST) > 0)
        return;
    vcb_proto_free(&vi->proto);
    if (vi->efd >= 0)
        close(vi->efd);
    pthread_cond_destroy(&vi->cond);
    pthread_mutex_destroy(&vi->lock);
    vcb_instance_base_free(&vi->base);
    free(vi);
}

void vm_instance_unref_cb(void *opaque)
{
    vm_instance_unref(opaque);
}

/* libvirt 9's remote streams never call the freecb given to
 * virStreamEventAddCallback (and a close callback's may run at unregister
 * time), so those callbacks' references are dropped here: by a timer on the
 * event loop thread, which runs only after any call of theirs already in
 * flight on that thread has returned. */
static void vm_release_cb(int timer, void *opaque)
{
    virEventRemoveTimeout(timer); /* its freecb drops the reference */
}

void vm_instance_release_later(struct vm_instance *vi)
{
    if (virEventAddTimeout(0, vm_release_cb, vi, vm_instance_unref_cb) < 0)
        return; /* cannot happen short of ENOMEM; leaking beats a use-after-free */
}

static void vm_wake(struct vm_instance *vi)
{
    uint64_t one = 1;
    ssize_t n = write(vi->efd, &one, sizeof one);
    (void)n; /* EAGAIN: the counter is already non-zero, so it polls readable */
}

int vm_queue_locked(struct vm_instance *vi, struct vcb_event *ev, struct vcb_err *err)
{
    if (vi->gone_queued) { /* after GONE, no more */
        vcb_event_clear(ev);
        return 0;
    }
    if (vcb_evq_push(&vi->base.events, ev) < 0)
        return vcb_err_sys(err, ENOMEM, "domain %s: queue event", vi->base.name);
    vm_wake(vi);
    return 0;
}

static const char *vm_stopped_detail(int detail)
{
    switch (detail) {
    case VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN:
        return "poweroff";
    case VIR_DOMAIN_EVENT_STOPPED_DESTROYED:
        return "destroyed";
    case VIR_DOMAIN_EVENT_STOPPED_CRASHED:
        return "crashed";
    case VIR_DOMAIN_EVENT_STOPPED_FAILED:
        return "failed (qemu ended unexpectedly)";
    case VM_STOPPED_CONN_LOST:
        return "libvirt connection lost (domain state unknown)";
    default:
        return "stopped";
    }
}

/* The guest ended at SHUTDOWN; STOPPED comes once libvirt has seen qemu
 * reaped, which a slow host PID 1 delays (over a second here): stamp the
 * former, queue at the latter so the domain is really gone, say both. The
 * detail is named now, not at STOPPED: a late EXIT line still counts. */
void vm_queue_gone_locked(struct vm_instance *vi)
{
    if (vi->gone_queued)
        return;
    uint64_t end = vi->shutdown_ns ? vi->shutdown_ns : vi->stop_ns;
    struct vcb_event ev = {.kind = VCB_EV_GONE, .host_ns = end, .status = -1};
    const char *what = vm_stopped_detail(vi->stop_reason);
    char oom[64] = "";
    if (vi->stop_reason == VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN && !vi->exited)
        what = "poweroff before @vcb exit";
    /* named as the container arm names it; counted by the guest's kernel */
    if (vi->exit_oom_kills)
        snprintf(oom, sizeof oom, "killed by OOM (guest oom_kill +%llu), ",
                 (unsigned long long)vi->exit_oom_kills);
    if (vi->stop_ns > end)
        snprintf(ev.detail, sizeof ev.detail, "%s%s (libvirt teardown +%.3f s)", oom, what,
                 (double)(vi->stop_ns - end) / 1e9);
    else
        snprintf(ev.detail, sizeof ev.detail, "%s%s", oom, what);
    struct vcb_err err = {0};
    (void)vm_queue_locked(vi, &ev, &err);
    vi->gone_queued = true;
}

/* Console bytes may still be in flight when STOPPED arrives: give the
 * stream a moment to end so EXIT is queued before GONE. */
static void vm_grace_cb(int timer, void *opaque)
{
    struct vm_instance *vi = opaque;
    pthread_mutex_lock(&vi->lock);
    vm_queue_gone_locked(vi);
    vi->grace_timer = -1;
    pthread_mutex_unlock(&vi->lock);
    virEventRemoveTimeout(timer); /* its freecb drops our reference */
}

static void vm_stopped_locked(struct vm_instance *vi, int detail, uint64_t now)
{
    if (vi->stopped)
        return;
    vi->stopped = true;
    vi->stop_ns = now;
    vi->stop_reason = detail;
    if (vi->stream_done || !vi->stream_cb) {
        vm_queue_gone_locked(vi);
        return;
    }
    vm_instance_ref(vi);
    vi->grace_timer = virEventAddTimeout(VM_GONE_GRACE_MS, vm_grace_cb, vi, vm_instance_unref_cb);
    if (vi->grace_timer < 0) {
        vm_queue_gone_locked(vi);
        vm_instance_unref(vi);
    }
}

int vm_lifecycle_cb(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    struct vm_instance *vi = opaque;
    uint64_t now = vcb_now_ns();
    pthread_mutex_lock(&vi->lock);
    if (event == VIR_DOMAIN_EVENT_SHUTDOWN && !vi->shutdown_ns)
        vi->shutdown_ns = now;
    if (event == VIR_DOMAIN_EVENT_STOPPED)
        vm_stopped_locked(vi, detail, now);
    pthread_mutex_unlock(&vi->lock);
    return 0;
}

/* libvirtd went away: no STOPPED will ever come on this connection, so
 * end the instance now rather than let the caller wait for its timeout. */
void vm_conn_closed_cb(virConnectPtr conn, int reason, void *opaque)
{
    struct vm_instance *vi = opaque;
    uint64_t now = vcb_now_ns();
    pthread_mutex_lock(&vi->lock);
    vi->conn_lost = true;
    if (!vi->stopped) {
        vi->stopped = true;
        vi->stop_ns = now;
        vi->stop_reason = VM_STOPPED_CONN_LOST;
        vm_queue_gone_locked(vi);
    }
    pthread_mutex_unlock(&vi->lock);
}

int vm_event_fd(struct vcb_instance *inst)
{
    return ((struct vm_instance *)inst)->efd;
}

/* Pop one event; re-arm the fd if more are waiting. */
static bool vm_pop(struct vm_instance *vi, struct vcb_event *ev)
{
    uint64_t junk;
    ssize_t n = read(vi->efd, &junk, sizeof junk);
    (void)n;
    pthread_mutex_lock(&vi->lock);
    bool got = vcb_evq_pop(&vi->base.events, ev);
    if (vi->base.events.head < vi->base.events.len)
        vm_wake(vi);
    pthread_mutex_unlock(&vi->lock);
    return got;
}

int vm_next_event(struct vcb_instance *inst, uint64_t deadline_ns, struct vcb_event *ev,
                  struct vcb_err *err)
{
    struct vm_instance *vi = (struct vm_instance *)inst;
    for (;;) {
        if (vm_pop(vi, ev))
            return 1;
        uint64_t now = vcb_now_ns();
        if (deadline_ns == 0 || now >= deadline_ns)
            return 0;
        uint64_t left_ms = (deadline_ns - now + VCB_NS_PER_MS - 1) / VCB_NS_PER_MS;
        struct pollfd p = {.fd = vi->efd, .events = POLLIN};
        if (poll(&p, 1, left_ms > 60000 ? 60000 : (int)left_ms) < 0 && errno != EINTR)
            return vcb_err_sys(err, errno, "domain %s: wait for events", inst->name);
    }
}

int vm_events_init(struct vm_instance *vi, struct vcb_err *err)
{
    vi->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (vi->efd < 0)
        return vcb_err_sys(err, errno, "domain %s: eventfd", vi->base.name);
    if (vi->base.events.head < vi->base.events.len)
        vm_wake(vi); /* CREATE was queued before the fd existed */
    return 0;
}
