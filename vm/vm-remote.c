/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vm-remote.c — what a guest on a remote libvirt host cannot have: anything
 * that is a file, a socket or a process on this host. Refused by name
 * before anything is made or uploaded. What can travel (kernel, initramfs,
 * disk image) goes through the pool (vm-pool.c). And what the guest's
 * kernel is told of its host is that host's: its TSC rate, from libvirt's
 * capabilities (a guest under TCG left to calibrate it hangs now and then). */
#include <errno.h>
#include <string.h>

#include "vm-priv.h"

int vm_remote_check_needs(const struct vcb_backend_opts *opts, const struct vcb_spec_needs *needs,
                          struct vcb_err *err)
{
    const char *uri = vm_uri(opts);
    if (vm_uri_is_local(uri))
        return 0;
    if (needs->scratch)
        return vcb_err_usage(err,
                             "%s: the VM's scratch volume needs this host's files; a remote "
                             "libvirt host (%s, from --connect or $LIBVIRT_DEFAULT_URI) cannot "
                             "see them",
                             needs->scratch, uri);
    if (needs->net)
        return vcb_err_usage(err,
                             "network workload %s: the VM's network (passt, started on this "
                             "host) needs this host's files; a remote libvirt host (%s, from "
                             "--connect or $LIBVIRT_DEFAULT_URI) cannot see them",
                             needs->net, uri);
    return 0;
}

int vm_remote_check(const struct vcb_instance_spec *spec, struct vcb_err *err)
{
    struct vcb_spec_needs needs = {
        .scratch = spec->scratch,
        .net = spec->net.path == VCB_NET_NONE ? NULL
               : spec->workload               ? spec->workload
                                              : "?",
    };
    return vm_remote_check_needs(&spec->opts, &needs, err);
}

uint64_t vm_caps_tsc_khz(const char *caps_xml)
{
    const char *c = caps_xml ? strstr(caps_xml, "<counter name='tsc'") : NULL;
    const char *f = c ? strstr(c, "frequency='") : NULL;
    if (!f || f > strchr(c, '>'))
        return 0;
    unsigned long long hz = strtoull(f + strlen("frequency='"), NULL, 10);
    return hz / 1000;
}

void vm_remote_id(const char *hostname, const char *caps_xml, unsigned long libvirt_ver,
                  unsigned long hv_ver, char *buf, size_t len)
{
    /* The first <uuid> of the capabilities is the host's (<host><uuid>). */
    const char *u = caps_xml ? strstr(caps_xml, "<uuid>") : NULL;
    int n = u ? (int)strcspn(u + 6, "<") : 1;
    snprintf(buf, len, VM_REMOTE_ID_TAG "%s|%.*s|%lu|%lu", hostname ? hostname : "?",
             n > 64 ? 64 : n, u ? u + 6 : "?", libvirt_ver, hv_ver);
}

/* One URI's answer is kept for the process: it is asked before every
 * instance (over ssh, a connection costs a handshake), and what a host's
 * libvirtd says of it does not change under a run. The URI is kept whole
 * whatever its length: a cut one would never match, or match another. */
static pthread_mutex_t vm_host_lock = PTHREAD_MUTEX_INITIALIZER;
static char *vm_host_uri;
static struct vm_remote_host vm_host_seen;

int vm_remote_host(const char *uri, struct vm_remote_host *out, struct vcb_err *err)
{
    pthread_mutex_lock(&vm_host_lock);
    bool known = vm_host_uri && !strcmp(vm_host_uri, uri);
    *out = vm_host_seen;
    pthread_mutex_unlock(&vm_host_lock);
    if (known)
        return 0;
    cleanup_vconn virConnectPtr conn = NULL;
    if (vm_conn_open(uri, &conn, err) < 0)
        return -1;
    unsigned long lv = 0, hv = 0;
    cleanup_free char *host = virConnectGetHostname(conn);
    cleanup_free char *caps = virConnectGetCapabilities(conn);
    if (!host || !caps || virConnectGetLibVersion(conn, &lv) < 0 ||
        virConnectGetVersion(conn, &hv) < 0)
        return vm_err_virt(err, "libvirt %s: host identity", uri);
    char *keep = strdup(uri);
    if (!keep)
        return vcb_err_sys(err, ENOMEM, "libvirt %s: host identity", uri);
    vm_remote_id(host, caps, lv, hv, out->id, sizeof out->id);
    out->tsc_khz = vm_caps_tsc_khz(caps);
    pthread_mutex_lock(&vm_host_lock);
    free(vm_host_uri);
    vm_host_uri = keep;
    vm_host_seen = *out;
    pthread_mutex_unlock(&vm_host_lock);
    return 0;
}
