/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vm-cleanup.c — find domains a crashed or killed run left behind: every
 * domain vcb-<run-id>-<n> whose run the caller says is stale. */
#include <errno.h>
#include <string.h>

#include "vm-priv.h"

/* Destroy it if it runs; undefine it if something made it persistent. */
static int vm_cleanup_one(virDomainPtr dom, const char *name, struct vcb_err *err)
{
    if (virDomainIsActive(dom) == 1 && virDomainDestroy(dom) < 0)
        return vm_err_virt(err, "domain %s: destroy", name);
    if (virDomainIsPersistent(dom) == 1 &&
        virDomainUndefineFlags(dom, VIR_DOMAIN_UNDEFINE_MANAGED_SAVE |
                                        VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA |
                                        VIR_DOMAIN_UNDEFINE_NVRAM) < 0)
        return vm_err_virt(err, "domain %s: undefine", name);
    return 0;
}

int vm_cleanup(const struct vcb_backend_opts *opts, bool (*is_stale)(const char *run_id, void *ctx),
               void (*removed)(const char *what, void *ctx), void *ctx, struct vcb_err *err)
{
    cleanup_vconn virConnectPtr conn = NULL;
    virDomainPtr *doms = NULL;
    if (vm_conn_open(vm_uri(opts), &conn, err) < 0)
        return -1;
    int n = virConnectListAllDomains(conn, &doms, 0);
    if (n < 0)
        return vm_err_virt(err, "libvirt %s: list domains", vm_uri(opts));
    int rc = 0;
    for (int i = 0; i < n; i++) {
        const char *name = virDomainGetName(doms[i]);
        char run_id[VCB_RUN_ID_LEN + 1], what[VCB_NAME_MAX + 16];
        unsigned idx;
        if (rc == 0 && name && vcb_instance_name_parse(name, run_id, &idx) == 0 &&
            is_stale(run_id, ctx)) {
            rc = vm_cleanup_one(doms[i], name, err);
            snprintf(what, sizeof what, "domain %s", name);
            if (rc == 0 && removed)
                removed(what, ctx);
        }
        virDomainFree(doms[i]);
    }
    free(doms);
    return rc;
}
