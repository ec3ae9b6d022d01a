/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vm-console-kernel.c — the kernel console (serial0) of a guest on a remote
 * libvirt host: there virtlogd would write a file on that host, which this
 * one cannot read, so serial0 is a pty read through a second console
 * stream into the same local <name>.console.log, capped like an
 * instance's own log. A local guest keeps virtlogd's file. */
#include <errno.h>
#include <string.h>

#include "vm-priv.h"

struct vm_ktap {
    virStreamPtr st;
    pthread_mutex_t lock; /* log, cb, ended */
    struct vcb_logcap log;
    bool cb, ended;
};

static void vm_ktap_free(void *opaque)
{
    struct vm_ktap *t = opaque;
    vcb_logcap_close(&t->log);
    pthread_mutex_destroy(&t->lock);
    free(t);
}

static void vm_ktap_cb(virStreamPtr st, int events, void *opaque)
{
    (void)events;
    struct vm_ktap *t = opaque;
    char buf[4096];
    for (;;) {
        int n = virStreamRecv(st, buf, sizeof buf);
        if (n == -2)
            return;
        pthread_mutex_lock(&t->lock);
        if (n > 0) {
            vcb_logcap_write(&t->log, buf, (size_t)n);
            pthread_mutex_unlock(&t->lock);
            continue;
        }
        bool remove = t->cb;
        t->cb = false;
        t->ended = true;
        pthread_mutex_unlock(&t->lock);
        if (remove)
            virStreamEventRemoveCallback(st);
        return;
    }
}

int vm_ktap_open(virConnectPtr conn, virDomainPtr dom, const char *path, uint64_t max,
                 struct vm_ktap **out, struct vcb_err *err)
{
    const char *name = virDomainGetName(dom);
    struct vm_ktap *t = calloc(1, sizeof *t);
    if (!t)
        return vcb_err_sys(err, ENOMEM, "domain %s: kernel console", name);
    pthread_mutex_init(&t->lock, NULL);
    *out = t;
    if (vcb_logcap_open(&t->log, path, max, err) < 0)
        return vcb_err_prefix(err, "domain %s: kernel console", name);
    t->st = virStreamNew(conn, VIR_STREAM_NONBLOCK);
    if (!t->st)
        return vm_err_virt(err, "domain %s: kernel console stream", name);
    if (virDomainOpenConsole(dom, "serial0", t->st, VIR_DOMAIN_CONSOLE_FORCE) < 0)
        return vm_err_virt(err, "domain %s: open console serial0", name);
    int events = VIR_STREAM_EVENT_READABLE | VIR_STREAM_EVENT_ERROR | VIR_STREAM_EVENT_HANGUP;
    if (virStreamEventAddCallback(t->st, events, vm_ktap_cb, t, NULL) < 0)
        return vm_err_virt(err, "domain %s: kernel console callback", name);
    pthread_mutex_lock(&t->lock);
    t->cb = true;
    pthread_mutex_unlock(&t->lock);
    return 0;
}

void vm_ktap_wait_end(struct vm_ktap *t, uint64_t timeout_ns)
{
    if (!t)
        return;
    uint64_t until = vcb_now_ns() + timeout_ns;
    pthread_mutex_lock(&t->lock);
    while (!t->ended && t->cb && vcb_now_ns() < until) {
        pthread_mutex_unlock(&t->lock);
        vcb_sleep_ns(10 * VCB_NS_PER_MS);
        pthread_mutex_lock(&t->lock);
    }
    pthread_mutex_unlock(&t->lock);
}

/* Freed on the event loop thread, after a callback already running there. */
static void vm_ktap_free_cb(int timer, void *opaque)
{
    (void)opaque;
    virEventRemoveTimeout(timer);
}

void vm_ktap_close(struct vm_ktap *t)
{
    if (!t)
        return;
    pthread_mutex_lock(&t->lock);
    bool remove = t->cb;
    t->cb = false;
    pthread_mutex_unlock(&t->lock);
    if (remove)
        virStreamEventRemoveCallback(t->st);
    if (t->st) {
        virStreamAbort(t->st); /* fails harmlessly when already ended */
        virStreamFree(t->st);
        t->st = NULL;
    }
    if (virEventAddTimeout(0, vm_ktap_free_cb, t, vm_ktap_free) < 0)
        return; /* ENOMEM only: leaking beats a use-after-free */
}
