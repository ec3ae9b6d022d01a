/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* peers-vm.c — the VM side of the peers: the acceleration verdict and what
 * both VM arms share, and one boot through our libvirt driver (the driver
 * table, as `vcbench run` drives it): create call → ready, create call →
 * gone; or, for the memory figure, qemu's PSS for an idle guest as it
 * settles. */
#include <string.h>

#include "peers.h"

#ifdef VCB_WITH_VM
#include "vm-module.h"
#endif

#ifdef VCB_WITH_VM
/* libvirtd reachable? Only the vm-libvirt arms need it. */
static void peers_vm_libvirt_check(struct peers_ctx *pc, const struct vm_module *vm)
{
    struct vcb_err err = {0};
    if (vm->libvirt_reachable(&pc->bctx.bopts, &err) == 0)
        return;
    for (size_t i = 0; i < pc->nvm; i++)
        if (!strcmp(pc->vm[i].name, "vm-libvirt"))
            snprintf(pc->vm[i].skip, sizeof pc->vm[i].skip,
                     "libvirtd not reachable (start it: virtlogd -d; libvirtd -d): %.180s",
                     err.msg);
}

int peers_vm_prepare(struct peers_ctx *pc, struct vcb_err *err)
{
    char qemu[PATH_MAX];
    struct vcb_err e = {0};
    const struct vm_module *vm = vm_module_load(pc->vm_skip, sizeof pc->vm_skip);
    if (!vm)
        return 0;
    vm->kernel_path(&pc->bctx.bopts, pc->kernel, sizeof pc->kernel);
    if (!vcb_path_exists(pc->kernel)) {
        snprintf(pc->vm_skip, sizeof pc->vm_skip, "guest kernel %s not found (run scripts/setup)",
                 pc->kernel);
        return 0;
    }
    if (vm->accel_decide(&pc->bctx.bopts, &pc->accel, pc->accel_reason, sizeof pc->accel_reason,
                         &e) < 0) {
        snprintf(pc->vm_skip, sizeof pc->vm_skip, "acceleration: %.200s", e.msg);
        return 0;
    }
    if (!peers_tool_find("qemu-system-x86_64", qemu, sizeof qemu))
        for (size_t i = 0; i < pc->nvm; i++)
            if (!strcmp(pc->vm[i].name, "qemu"))
                snprintf(pc->vm[i].skip, sizeof pc->vm[i].skip,
                         "not installed: qemu-system-x86_64 not found in PATH");
    peers_vm_libvirt_check(pc, vm);
    return peers_ksm_check(pc, err);
}
#else
int peers_vm_prepare(struct peers_ctx *pc, struct vcb_err *err)
{
    snprintf(pc->vm_skip, sizeof pc->vm_skip, "vcbench was built without the VM backend");
    (void)err;
    return 0;
}
#endif

int peers_vm_boot_add(struct peers_vm_arm *a, uint64_t t0, uint64_t init, uint64_t guest_ns,
                      uint64_t ready, uint64_t gone)
{
    if (!init || init < t0 || init > ready)
        return -1;
    /* negative if the guest's clock ran ahead of the host's: kept as is */
    double before = (double)(init - t0) - (double)guest_ns;
    if (bench_samples_add(&a->ready, (double)(ready - t0)) < 0 ||
        bench_samples_add(&a->gone, (double)(gone - t0)) < 0 ||
        bench_samples_add(&a->guest_clock, (double)guest_ns) < 0 ||
        bench_samples_add(&a->before_guest, before) < 0)
        return -1;
    return 0;
}

static int vm_pss_read(void *ctx, uint64_t *pss, char *why, size_t len)
{
    struct bench_inst *bi = ctx;
    struct vcb_stats st;
    struct vcb_err err = {0};
    if (bi->vi->driver->stats(bi->vi, &st, &err) < 0 || st.pss == VCB_STAT_UNSET)
        return snprintf(why, len, "stats: %s", err.msg[0] ? err.msg : "no PSS"), -1;
    *pss = st.pss;
    return 0;
}

/* Idle guest: wait for ready, then read qemu's PSS from the driver until it settles. */
static int vm_once_mem(const struct peers_ctx *pc, struct peers_vm_arm *a, struct bench_inst *bi,
                       char *why, size_t len)
{
    int rc = bench_inst_wait(bi, 1, VCB_EV_READY, vcb_now_ns() + PEERS_VM_TIMEOUT_NS);
    if (!bi->t[VCB_EV_READY]) {
        bench_inst_why(bi, VCB_EV_READY, rc, PEERS_VM_TIMEOUT_NS, why, len);
        return -1;
    }
    return peers_mem_settle(pc, a, bi->t[VCB_EV_READY], vm_pss_read, bi, why, len);
}

int peers_vm_once(struct peers_ctx *pc, struct peers_vm_arm *a, bool idle, char *why, size_t len)
{
    struct bench_inst bi;
    pc->bctx.bopts.machine = a->machine;
    uint64_t t0 = vcb_now_ns();
    if (bench_inst_launch(&pc->bctx, &pc->be_vm, idle ? "idle" : "noop", NULL, &bi) < 0) {
        snprintf(why, len, "%s", bi.error);
        bench_inst_clear(&bi);
        return -1;
    }
    int rc = 0;
    if (idle) {
        rc = vm_once_mem(pc, a, &bi, why, len);
    } else {
        int w = bench_inst_wait(&bi, 1, VCB_EV_GONE, t0 + PEERS_VM_TIMEOUT_NS);
        if (!bi.t[VCB_EV_READY] || !bi.t[VCB_EV_GONE] || bi.exit_status != 0) {
            bench_inst_why(&bi, VCB_EV_EXIT, w, PEERS_VM_TIMEOUT_NS, why, len);
            rc = -1;
        } else if (peers_vm_boot_add(a, t0, bi.t[VCB_EV_INIT], bi.guest_init_ns, bi.t[VCB_EV_READY],
                                     bi.t[VCB_EV_GONE]) < 0) {
            snprintf(why, len, "boot: no '@vcb init' before ready, or out of memory");
            rc = -1;
        }
    }
    bench_inst_clear(&bi);
    return rc;
}
