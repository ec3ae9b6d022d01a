/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vm-conn.c — libvirt connection, the one event loop thread, and errors.
 * libvirt prints nothing on its own: a silent handler is installed and its
 * last error is copied into ours with what we were doing. */
#include <errno.h>
#include <string.h>

#include <libvirt/virterror.h>

#include "vm-priv.h"

static pthread_once_t vm_init_once = PTHREAD_ONCE_INIT;
static int vm_init_rc;
static char vm_init_msg[256];

static void vm_error_silent(void *opaque, virErrorPtr e) {}

/* Runs the default event loop for the life of the process: stream and
 * lifecycle callbacks are dispatched here. */
static void *vm_event_thread(void *arg)
{
    for (;;)
        virEventRunDefaultImpl();
    return NULL;
}

static void vm_libvirt_init_once(void)
{
    virSetErrorFunc(NULL, vm_error_silent);
    if (virInitialize() < 0 || virEventRegisterDefaultImpl() < 0) {
        virErrorPtr e = virGetLastError();
        snprintf(vm_init_msg, sizeof vm_init_msg, "libvirt: initialise: %s",
                 e && e->message ? e->message : "unknown error");
        vm_init_rc = -1;
        return;
    }
    pthread_t t;
    int rc = pthread_create(&t, NULL, vm_event_thread, NULL);
    if (rc) {
        snprintf(vm_init_msg, sizeof vm_init_msg, "libvirt: event loop thread: %s", strerror(rc));
        vm_init_rc = -1;
        return;
    }
    pthread_detach(t);
}

int vm_libvirt_init(struct vcb_err *err)
{
    pthread_once(&vm_init_once, vm_libvirt_init_once);
    if (vm_init_rc < 0)
        return vcb_err_set(err, 0, "%s", vm_init_msg);
    return 0;
}

int vm_err_virt(struct vcb_err *err, const char *fmt, ...)
{
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    virErrorPtr e = virGetLastError();
    int code = e && e->code == VIR_ERR_SYSTEM_ERROR && e->int1 > 0 ? e->int1 : 0;
    return vcb_err_set(err, code, "%s: %s", what,
                       e && e->message ? e->message : "unknown libvirt error");
}

/* As virsh: the option, else $LIBVIRT_DEFAULT_URI, else the local system
 * daemon. The URI is named in results and cache keys, so it is resolved here
 * rather than left to virConnectOpen(NULL). */
const char *vm_uri(const struct vcb_backend_opts *opts)
{
    if (opts && opts->vm_uri && opts->vm_uri[0])
        return opts->vm_uri;
    const char *env = getenv("LIBVIRT_DEFAULT_URI");
    return env && env[0] ? env : VM_DEFAULT_URI;
}

int vm_conn_open(const char *uri, virConnectPtr *out, struct vcb_err *err)
{
    if (vm_libvirt_init(err) < 0)
        return -1;
    virConnectPtr c = virConnectOpen(uri);
    if (!c && !vm_uri_is_local(uri))
        return vm_err_virt(err,
                           "libvirt %s: connect (is that host reachable, and libvirtd "
                           "running there?)",
                           uri);
    if (!c)
        return vm_err_virt(err,
                           "libvirt %s: connect (is libvirtd running? virtlogd -d && "
                           "libvirtd -d)",
                           uri);
    *out = c;
    return 0;
}

bool vm_uri_is_local(const char *uri)
{
    const char *p = strstr(uri, "://");
    if (!p)
        return true; /* "qemu:///system"-less aliases resolve locally */
    return p[3] == '/' || p[3] == '\0';
}

void vm_connp(virConnectPtr *c)
{
    if (*c)
        virConnectClose(*c);
}

void vm_domp(virDomainPtr *d)
{
    if (*d)
        virDomainFree(*d);
}

int vm_libvirt_reachable(const struct vcb_backend_opts *opts, struct vcb_err *err)
{
    cleanup_vconn virConnectPtr conn = NULL;
    return vm_conn_open(vm_uri(opts), &conn, err);
}
