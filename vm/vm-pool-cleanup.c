/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vm-pool-cleanup.c — `cleanup --volumes`: the upload cache on a libvirt
 * host (vm-pool.c) goes, except what a run there still needs: a volume that
 * a running instance's domain names (its kernel, initramfs, disk) and a part
 * volume that may still be uploading (changed within the last day). Then
 * the pool and its directory, when nothing was kept. Only what really went
 * is reported. */
#include <errno.h>
#include <string.h>

#include "vm-priv.h"

bool vm_xml_names_path(const char *xml, const char *path)
{
    size_t n = strlen(path);
    for (const char *p = xml && n ? strstr(xml, path) : NULL; p; p = strstr(p + 1, path)) {
        /* the whole of an element's text or an attribute's value */
        char before = p == xml ? '\0' : p[-1], after = p[n];
        if (before && after && strchr(">'\"", before) && strchr("<'\"", after))
            return true;
    }
    return false;
}

/* The XML of every running vcb-* domain on conn's host, one after the other. */
static int vm_live_xml(virConnectPtr conn, const char *uri, char **out, struct vcb_err *err)
{
    virDomainPtr *doms = NULL;
    int n = virConnectListAllDomains(conn, &doms, VIR_CONNECT_LIST_DOMAINS_ACTIVE);
    if (n < 0)
        return vm_err_virt(err, "libvirt %s: list running domains", uri);
    int rc = 0;
    *out = strdup("");
    if (!*out)
        rc = vcb_err_sys(err, ENOMEM, "libvirt %s: running domains", uri);
    for (int i = 0; i < n; i++) {
        const char *name = virDomainGetName(doms[i]);
        char run_id[VCB_RUN_ID_LEN + 1];
        unsigned idx;
        cleanup_free char *xml = NULL;
        if (rc == 0 && name && vcb_instance_name_parse(name, run_id, &idx) == 0) {
            xml = virDomainGetXMLDesc(doms[i], 0);
            if (!xml && virDomainIsActive(doms[i]) == 1) /* gone meanwhile: it needs nothing */
                rc = vm_err_virt(err, "libvirt %s: domain %s: XML", uri, name);
        }
        char *all = NULL;
        if (xml && asprintf(&all, "%s%s", *out, xml) < 0)
            rc = vcb_err_sys(err, ENOMEM, "libvirt %s: domain %s: XML", uri, name);
        if (all) {
            free(*out);
            *out = all;
        }
        virDomainFree(doms[i]);
    }
    free(doms);
    if (rc < 0) {
        free(*out);
        *out = NULL;
    }
    return rc;
}

/* Kept: a running instance uses it (a volume whose path is unknown might
 * be used), or it is a part volume someone may still be filling. */
static bool vm_vol_needed(virStorageVolPtr vol, const char *name, const char *live_xml)
{
    if (vm_vol_is_part(name))
        return !vm_vol_part_stale(vol, name);
    cleanup_free char *path = virStorageVolGetPath(vol);
    return !path || vm_xml_names_path(live_xml, path);
}

/* A transient pool cannot be deleted: its directory goes through the same
 * pool defined for a moment, deleted (rmdir) and undefined. */
static int vm_pool_dir_remove(virConnectPtr conn, const char *uri, struct vcb_err *err)
{
    cleanup_free char *xml = NULL;
    if (vm_pool_xml(&xml, err) < 0)
        return -1;
    virStoragePoolPtr def = virStoragePoolDefineXML(conn, xml, 0);
    if (!def)
        return vm_err_virt(err, "libvirt %s: remove directory " VM_POOL_DIR, uri);
    int rc = 0;
    if (virStoragePoolDelete(def, 0) < 0) {
        rc = vm_err_virt(err, "libvirt %s: remove directory " VM_POOL_DIR, uri);
        if (err->code == ENOENT) { /* already gone */
            rc = 0;
            vcb_err_clear(err);
        }
    }
    if (virStoragePoolUndefine(def) < 0 && rc == 0)
        rc = vm_err_virt(err, "libvirt %s: undefine storage pool " VM_POOL_NAME, uri);
    virStoragePoolFree(def);
    return rc;
}

/* The stopped pool, and its directory. */
static int vm_pool_remove(virConnectPtr conn, virStoragePoolPtr pool, const char *uri,
                          struct vcb_err *err)
{
    bool persistent = virStoragePoolIsPersistent(pool) == 1;
    if (virStoragePoolIsActive(pool) == 1 && virStoragePoolDestroy(pool) < 0)
        return vm_err_virt(err, "libvirt %s: stop storage pool " VM_POOL_NAME, uri);
    if (!persistent)
        return vm_pool_dir_remove(conn, uri, err);
    if (virStoragePoolDelete(pool, 0) < 0 || virStoragePoolUndefine(pool) < 0)
        return vm_err_virt(err, "libvirt %s: remove storage pool " VM_POOL_NAME, uri);
    return 0;
}

/* Each volume not needed, removed (or, in a dry run, named); the count of
 * those kept. */
static int vm_pool_remove_volumes(const struct vcb_cleanup_req *req, virStoragePoolPtr pool,
                                  const char *uri, const char *live_xml, struct vcb_err *err)
{
    virStorageVolPtr *vols = NULL;
    int n = virStoragePoolListAllVolumes(pool, &vols, 0);
    if (n < 0)
        return vm_err_virt(err, "libvirt %s: storage pool " VM_POOL_NAME ": list volumes", uri);
    int kept = 0, rc = 0;
    char what[PATH_MAX + 64];
    for (int i = 0; i < n; i++) {
        const char *name = virStorageVolGetName(vols[i]);
        if (rc < 0) {
            /* after a failure: only freed */
        } else if (!name || vm_vol_needed(vols[i], name, live_xml)) {
            kept++;
        } else if (!req->dry_run && virStorageVolDelete(vols[i], 0) < 0) {
            rc = vm_err_virt(err, "libvirt %s: volume %s: delete", uri, name);
        } else if (req->removed) {
            snprintf(what, sizeof what, "volume %s of pool " VM_POOL_NAME " on %s", name, uri);
            req->removed(what, req->ctx);
        }
        virStorageVolFree(vols[i]);
    }
    free(vols);
    return rc < 0 ? -1 : kept;
}

int vm_pool_cleanup(const struct vcb_cleanup_req *req, struct vcb_err *err)
{
    const char *uri = vm_uri(req->opts);
    cleanup_vconn virConnectPtr conn = NULL;
    if (vm_conn_open(uri, &conn, err) < 0)
        return -1;
    virStoragePoolPtr pool = virStoragePoolLookupByName(conn, VM_POOL_NAME);
    if (!pool)
        return 0; /* nothing uploaded there, or already removed */
    cleanup_free char *live = NULL;
    int kept = 0;
    if (virStoragePoolIsActive(pool) == 1) {
        (void)virStoragePoolRefresh(pool, 0);
        kept = vm_live_xml(conn, uri, &live, err) < 0
                   ? -1
                   : vm_pool_remove_volumes(req, pool, uri, live, err);
    }
    int rc = kept < 0 ? -1 : 0;
    if (kept == 0 && !req->dry_run)
        rc = vm_pool_remove(conn, pool, uri, err);
    if (kept == 0 && rc == 0 && req->removed) {
        char what[PATH_MAX + 64];
        snprintf(what, sizeof what, "storage pool " VM_POOL_NAME " (" VM_POOL_DIR ") on %s", uri);
        req->removed(what, req->ctx);
    }
    virStoragePoolFree(pool);
    return rc;
}
