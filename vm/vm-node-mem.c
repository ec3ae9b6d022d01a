/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vm-node-mem.c — the memory of the host behind a remote URI, for the
 * density scenario: libvirt's node memory stats, since that host's
 * /proc/meminfo is out of reach. Density reads it every 100 ms, so one
 * connection is kept for the process rather than an SSH handshake a read. */
#include <errno.h>
#include <string.h>

#include "vm-priv.h"

int vm_node_memstats_read(virConnectPtr conn, struct vm_node_memstats *out, struct vcb_err *err)
{
    virNodeMemoryStats p[8];
    int n = 0;
    /* libvirt wants exactly as many as it has: asked first */
    if (virNodeGetMemoryStats(conn, VIR_NODE_MEMORY_STATS_ALL_CELLS, NULL, &n, 0) < 0 ||
        n > (int)(sizeof p / sizeof p[0]) ||
        virNodeGetMemoryStats(conn, VIR_NODE_MEMORY_STATS_ALL_CELLS, p, &n, 0) < 0)
        return n > (int)(sizeof p / sizeof p[0])
                   ? vcb_err_set(err, E2BIG, "virNodeGetMemoryStats: %d fields", n)
                   : vm_err_virt(err, "virNodeGetMemoryStats");
    struct vm_node_memstats m = {0};
    bool total = false;
    for (int i = 0; i < n; i++) {
        uint64_t bytes = (uint64_t)p[i].value * 1024; /* KiB */
        if (!strcmp(p[i].field, VIR_NODE_MEMORY_STATS_TOTAL))
            m.total = bytes, total = true;
        else if (!strcmp(p[i].field, VIR_NODE_MEMORY_STATS_FREE))
            m.free = bytes;
        else if (!strcmp(p[i].field, VIR_NODE_MEMORY_STATS_BUFFERS))
            m.buffers = bytes;
        else if (!strcmp(p[i].field, VIR_NODE_MEMORY_STATS_CACHED))
            m.cached = bytes;
    }
    if (!total)
        return vcb_err_set(err, ENODATA, "virNodeGetMemoryStats: no \"total\" field");
    *out = m;
    return 0;
}

static struct {
    pthread_mutex_t lock;
    virConnectPtr conn;
    char *uri; /* conn's, whole: a cut one would never match, or match another */
    char host[64];
} node = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* With node.lock held: a live connection to uri, opened when needed. */
static int node_conn_locked(const char *uri, struct vcb_err *err)
{
    if (node.conn && (strcmp(node.uri, uri) != 0 || virConnectIsAlive(node.conn) != 1)) {
        virConnectClose(node.conn);
        node.conn = NULL;
    }
    if (node.conn)
        return 0;
    cleanup_free char *keep = strdup(uri);
    if (!keep)
        return vcb_err_sys(err, ENOMEM, "libvirt %s", uri);
    if (vm_conn_open(uri, &node.conn, err) < 0)
        return -1;
    free(node.uri);
    node.uri = steal_pointer(&keep);
    char *h = virConnectGetHostname(node.conn);
    snprintf(node.host, sizeof node.host, "%s", h ? h : "?");
    free(h);
    return 0;
}

int vm_node_mem(const struct vcb_backend_opts *opts, struct vcb_node_mem *out, struct vcb_err *err)
{
    const char *uri = vm_uri(opts);
    struct vm_node_memstats m;
    if (vm_uri_is_local(uri))
        return 0;
    pthread_mutex_lock(&node.lock);
    int rc = node_conn_locked(uri, err);
    if (rc == 0)
        rc = vm_node_memstats_read(node.conn, &m, err);
    if (rc == 0) {
        out->total = m.total;
        out->available = m.free + m.buffers + m.cached;
        snprintf(out->source, sizeof out->source, "%s, remote host %.64s", VM_NODE_AVAIL_SOURCE,
                 node.host);
    }
    pthread_mutex_unlock(&node.lock);
    if (rc < 0)
        return vcb_err_prefix(err, "the memory of the VM host at %s", uri);
    return 1;
}
