/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vm-console.c — the protocol channel: serial1 (the guest's ttyS1) read
 * through libvirt's console stream, non-blocking, on the event loop
 * thread. Bytes are stamped with CLOCK_MONOTONIC the moment they arrive. */
#include <errno.h>
#include <string.h>

#include "vm-priv.h"

void vm_console_note_event_locked(struct vm_instance *vi, const struct vcb_event *ev)
{
    uint64_t used;
    switch (ev->kind) {
    case VCB_EV_READY:
        vi->ready = true;
        break;
    case VCB_EV_EXIT:
        vi->exited = true;
        vi->exit_oom_kills = ev->oom_kills;
        break;
    case VCB_EV_RESULT:
        if (ev->text && vm_meminfo_result_used(ev->text, &used)) {
            vi->guest_used = used;
            vi->meminfo_seq++;
            pthread_cond_broadcast(&vi->cond);
        }
        break;
    default:
        break;
    }
}

static void vm_console_feed(struct vm_instance *vi, const char *buf, size_t n, uint64_t now)
{
    struct vcb_evq parsed = {0};
    struct vcb_err err = {0};
    struct vcb_event ev;
    pthread_mutex_lock(&vi->lock);
    /* A failure here is ENOMEM on one line: the lines already parsed still count. */
    (void)vcb_proto_feed(&vi->proto, buf, n, now, &parsed, &err);
    while (vcb_evq_pop(&parsed, &ev)) {
        vm_console_note_event_locked(vi, &ev);
        (void)vm_queue_locked(vi, &ev, &err);
    }
    pthread_mutex_unlock(&vi->lock);
    vcb_evq_free(&parsed);
}

/* The stream ended (EOF, error, or the domain went away): stop listening
 * and let a STOPPED that is already in finish as GONE. */
static void vm_console_ended(struct vm_instance *vi, virStreamPtr st)
{
    pthread_mutex_lock(&vi->lock);
    vi->stream_done = true;
    bool remove = vi->stream_cb;
    vi->stream_cb = false;
    if (vi->stopped)
        vm_queue_gone_locked(vi);
    pthread_mutex_unlock(&vi->lock);
    if (remove) {
        virStreamEventRemoveCallback(st);
        vm_instance_release_later(vi);
    }
}

static void vm_console_cb(virStreamPtr st, int events, void *opaque)
{
    struct vm_instance *vi = opaque;
    char buf[4096];
    for (;;) {
        int n = virStreamRecv(st, buf, sizeof buf);
        uint64_t now = vcb_now_ns();
        if (n == -2)
            return; /* drained for now */
        if (n <= 0) {
            vm_console_ended(vi, st);
            return;
        }
        vm_console_feed(vi, buf, (size_t)n, now);
    }
}

int vm_console_open(struct vm_instance *vi, struct vcb_err *err)
{
    const char *name = vi->base.name;
    vi->stream = virStreamNew(vi->conn, VIR_STREAM_NONBLOCK);
    if (!vi->stream)
        return vm_err_virt(err, "domain %s: console stream", name);
    /* FORCE: take the console even if a stale client holds it. */
    if (virDomainOpenConsole(vi->dom, "serial1", vi->stream, VIR_DOMAIN_CONSOLE_FORCE) < 0)
        return vm_err_virt(err, "domain %s: open console serial1", name);
    int events = VIR_STREAM_EVENT_READABLE | VIR_STREAM_EVENT_ERROR | VIR_STREAM_EVENT_HANGUP;
    vm_instance_ref(vi); /* dropped by vm_instance_release_later, not a freecb */
    if (virStreamEventAddCallback(vi->stream, events, vm_console_cb, vi, NULL) < 0) {
        vm_instance_unref(vi);
        return vm_err_virt(err, "domain %s: console stream callback", name);
    }
    pthread_mutex_lock(&vi->lock);
    vi->stream_cb = true;
    pthread_mutex_unlock(&vi->lock);
    return 0;
}

int vm_console_send(struct vm_instance *vi, const char *line, struct vcb_err *err)
{
    const char *name = vi->base.name;
    if (!vi->stream)
        return vcb_err_set(err, ENOTCONN, "domain %s: send '%.*s': no console stream", name,
                           (int)strcspn(line, "\n"), line);
    size_t len = strlen(line), off = 0;
    uint64_t deadline = vcb_now_ns() + VCB_NS_PER_S;
    while (off < len) {
        int n = virStreamSend(vi->stream, line + off, len - off);
        if (n == -2 && vcb_now_ns() < deadline) {
            vcb_sleep_ns(VCB_NS_PER_MS);
            continue;
        }
        if (n < 0)
            return n == -2 ? vcb_err_set(err, EAGAIN, "domain %s: console send: stream full", name)
                           : vm_err_virt(err, "domain %s: console send", name);
        off += (size_t)n;
    }
    return 0;
}

void vm_console_close(struct vm_instance *vi)
{
    if (!vi->stream)
        return;
    pthread_mutex_lock(&vi->lock);
    bool remove = vi->stream_cb;
    vi->stream_cb = false;
    pthread_mutex_unlock(&vi->lock);
    if (remove) {
        virStreamEventRemoveCallback(vi->stream);
        vm_instance_release_later(vi);
    }
    virStreamAbort(vi->stream); /* fails harmlessly when already ended */
    virStreamFree(vi->stream);
    vi->stream = NULL;
}
