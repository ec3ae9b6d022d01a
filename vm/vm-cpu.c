/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vm-cpu.c — what the host recorded of a domain's CPU use: how often its
 * quota held it back, from the host's CPU controller (libvirt gives a
 * domain a cgroup with qemu's own threads in <domain>/emulator and each
 * vCPU in <domain>/vcpuN, where <cputune>'s quota applies: the same
 * cpu.stat a container's is read from), and how much CPU time its vCPUs
 * wanted, from libvirt (a guest cannot use more of the host than its
 * vCPUs: one whose vCPUs ran or waited to run all along was capped by them). */
#include <string.h>

#include "vm-priv.h"

static void vm_cpu_throttle(struct vm_instance *vi, struct vcb_cpu_throttle *out)
{
    char dir[PATH_MAX];
    struct vcb_err err = {0};
    if (!vi->local || !vi->qemu_pid || vcb_proc_cpu_cgroup(vi->qemu_pid, dir, sizeof dir, &err) < 0)
        return;
    char *last = strrchr(dir, '/');
    if (last && strcmp(last, "/emulator") == 0)
        *last = '\0';
    (void)vcb_cgroup_cpu_throttle(dir, true, out, &err);
}

/* vcpu.<n>.time (ran) + vcpu.<n>.delay (runnable, waiting for a host CPU)
 * over every vCPU: the CPU time the guest wanted, met or not. */
static void vm_vcpu_demand(struct vm_instance *vi, struct vcb_stats *out)
{
    virDomainPtr doms[] = {vi->dom, NULL};
    virDomainStatsRecordPtr *recs = NULL;
    if (!vi->dom || virDomainListGetStats(doms, VIR_DOMAIN_STATS_VCPU, &recs, 0) != 1) {
        virDomainStatsRecordListFree(recs);
        return;
    }
    uint64_t demand = 0, vcpus = 0;
    for (int i = 0; i < recs[0]->nparams; i++) {
        const virTypedParameter *p = &recs[0]->params[i];
        const char *dot = strrchr(p->field, '.');
        if (strcmp(p->field, "vcpu.current") == 0 && p->type == VIR_TYPED_PARAM_UINT)
            vcpus = p->value.ui;
        else if (dot && p->type == VIR_TYPED_PARAM_ULLONG &&
                 (strcmp(dot, ".time") == 0 || strcmp(dot, ".delay") == 0))
            demand += p->value.ul;
    }
    virDomainStatsRecordListFree(recs);
    if (vcpus) {
        out->vcpus = vcpus;
        out->vcpu_ns = demand;
    }
}

void vm_cpu_stats(struct vm_instance *vi, struct vcb_stats *out)
{
    vm_cpu_throttle(vi, &out->throttle);
    vm_vcpu_demand(vi, out);
}
