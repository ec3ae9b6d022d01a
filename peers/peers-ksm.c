/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* peers-ksm.c — --ksm on|off, a recorded option as Kata's density test has
 * it: KSM set for the VM memory rows alone and the host's values put back
 * right after them. The rows end the same way on a normal end, a failed
 * sample and a stop request (Ctrl-C, SIGTERM: the loop returns), so the
 * restore runs on all of those; a kill -9 leaves the knobs as set. */
#include <math.h>
#include <string.h>

#include "peers.h"

#ifdef VCB_WITH_VM
#include "vm-module.h"
#endif

static const char *const ksm_names[] = {"host", "on", "off"};

const char *bench_peers_ksm_name(enum bench_peers_ksm k)
{
    return ksm_names[k];
}

int bench_peers_ksm_parse(const char *word, enum bench_peers_ksm *out)
{
    for (size_t i = 0; i < sizeof ksm_names / sizeof ksm_names[0]; i++)
        if (!strcmp(word, ksm_names[i])) {
            *out = (enum bench_peers_ksm)i;
            return 0;
        }
    return -1;
}

#ifdef VCB_WITH_VM
static bool vm_mem_rows(const struct peers_ctx *pc)
{
    if (pc->vm_skip[0] || !pc->o->mem_runs)
        return false;
    for (size_t i = 0; i < pc->nvm; i++)
        if (pc->vm[i].mem && !pc->vm[i].skip[0])
            return true;
    return false;
}

int peers_ksm_check(struct peers_ctx *pc, struct vcb_err *err)
{
    struct vm_ksm_knobs leave = {-1, -1}, was;
    if (pc->o->ksm == BENCH_PEERS_KSM_HOST || !vm_mem_rows(pc))
        return 0;
    if (vm_module_load(NULL, 0)->ksm_set(&leave, &was, err) < 0)
        return vcb_err_prefix(err, "--ksm %s", bench_peers_ksm_name(pc->o->ksm));
    return 0;
}

/* Two passes of KSM's scanner over the guest's RAM, in whole seconds (0:
 * KSM not running). */
static unsigned ksm_two_passes_s(json_t *knobs)
{
    json_int_t run = json_integer_value(json_object_get(knobs, "run"));
    json_int_t pages = json_integer_value(json_object_get(knobs, "pages_to_scan"));
    json_int_t sleep_ms = json_integer_value(json_object_get(knobs, "sleep_millisecs"));
    if (run != 1 || pages <= 0 || sleep_ms < 0)
        return 0;
    double pass_ms = (double)(VM_DEFAULT_MEMORY_BYTES / 4096) / (double)pages * (double)sleep_ms;
    return (unsigned)ceil(2 * pass_ms / 1000.0);
}

void peers_ksm_apply(struct peers_ctx *pc)
{
    const struct vm_module *vm = vm_module_load(NULL, 0);
    struct vcb_err err = {0};
    bool on = pc->o->ksm == BENCH_PEERS_KSM_ON;
    struct vm_ksm_knobs want = {on ? 1 : 0, on ? 1 : -1}, was;
    if (!vm_mem_rows(pc))
        return;
    if (pc->o->ksm != BENCH_PEERS_KSM_HOST) {
        if (vm->ksm_set(&want, &was, &err) < 0) {
            snprintf(pc->ksm_why, sizeof pc->ksm_why, "--ksm %s: %.200s",
                     bench_peers_ksm_name(pc->o->ksm), err.msg);
            return;
        }
        pc->ksm_was[0] = was.run;
        pc->ksm_was[1] = was.use_zero_pages;
        pc->ksm_set = true;
    }
    json_decref(pc->ksm_used);
    pc->ksm_used =
        json_pack("{s:s, s:o}", "mode", bench_peers_ksm_name(pc->o->ksm), "knobs", vm->ksm_facts());
    unsigned ksm_s = ksm_two_passes_s(json_object_get(pc->ksm_used, "knobs"));
    pc->settle_span_s = ksm_s > PEERS_SETTLE_SPAN_S ? ksm_s : PEERS_SETTLE_SPAN_S;
    json_object_set_new(pc->ksm_used, "settle_span_s", json_integer(pc->settle_span_s));
}

void peers_ksm_restore(struct peers_ctx *pc)
{
    struct vcb_err err = {0};
    struct vm_ksm_knobs was = {pc->ksm_was[0], pc->ksm_was[1]};
    if (!pc->ksm_set)
        return;
    pc->ksm_set = false;
    if (vm_module_load(NULL, 0)->ksm_set(&was, NULL, &err) < 0 && pc->ksm_used)
        json_object_set_new(pc->ksm_used, "restore_error", json_string(err.msg));
}
#else
int peers_ksm_check(struct peers_ctx *pc, struct vcb_err *err)
{
    (void)pc, (void)err;
    return 0;
}

void peers_ksm_apply(struct peers_ctx *pc)
{
    (void)pc;
}

void peers_ksm_restore(struct peers_ctx *pc)
{
    (void)pc;
}
#endif
