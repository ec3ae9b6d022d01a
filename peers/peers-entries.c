/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* peers-entries.c — one results entry per peer (and per machine type for the
 * VM peers), in the harness's format: samples + summaries, DNF reasons for
 * peers not installed or failing, what exactly was timed, tool versions, and
 * the ratios that concern the entry. */
#include <string.h>

#include "peers.h"

static json_t *params(const char *program, const char *rootfs, const char *machine,
                      const char *measure)
{
    json_t *p = json_pack("{s:s, s:s*}", "program", program, "rootfs", rootfs);
    if (machine)
        json_object_set_new(p, "machine", json_string(machine));
    if (measure)
        json_object_set_new(p, "measure", json_string(measure));
    return p;
}

static char *argv_text(char *const *argv)
{
    size_t len = 1;
    for (size_t i = 0; argv && argv[i]; i++)
        len += strlen(argv[i]) + 3;
    char *s = calloc(1, len), *p = s;
    for (size_t i = 0; s && argv && argv[i]; i++)
        p += sprintf(p, strchr(argv[i], ' ') ? "%s'%s'" : "%s%s", i ? " " : "", argv[i]);
    return s;
}

/* The ratios whose numerator is this entry. */
static json_t *ratios_of(json_t *ratios, const char *of, const char *machine)
{
    json_t *out = json_array(), *r;
    size_t i;
    json_array_foreach(ratios, i, r)
    {
        const char *m = json_string_value(json_object_get(r, "machine"));
        if (!strcmp(json_string_value(json_object_get(r, "of")), of) &&
            (!machine || (m && !strcmp(m, machine))))
            json_array_append(out, r);
    }
    return out;
}

static void fails_dnf(json_t *e, unsigned fails, const char *first)
{
    if (fails)
        bench_entry_add_dnf(e, "%u sample(s) failed; first: %s", fails, first);
}

static void entry_ct(struct peers_ctx *pc, struct peers_arm *a, json_t *ratios)
{
    json_t *e = bench_entry_new("peers", a->name,
                                a->program ? params(a->program, NULL, NULL, NULL)
                                           : params("/init noop", pc->rootfs, NULL, NULL));
    cleanup_free char *cmd = argv_text(a->argv);
    if (a->skip[0])
        bench_entry_add_dnf(e, "%s", a->skip);
    bench_entry_add_metric(e, "start_to_exit", "ns", &a->s, NULL);
    bench_entry_add_metric(e, "create_to_gone", "ns", &a->gone, NULL);
    fails_dnf(e, a->fails, a->first_fail);
    bench_entry_note(e, "what", json_string(a->what));
    bench_entry_note(e, "timed", json_string(a->in_process ? PEERS_IN_PROCESS : PEERS_WHOLE));
    if (a->ours)
        bench_entry_note(e, "ours", json_true());
    if (cmd && cmd[0])
        bench_entry_note(e, "command", json_string(cmd));
    if (a->version[0])
        bench_entry_note(e, "version", json_string(a->version));
    if (!strncmp(a->name, "wrapper", 7) || (pc->cg_hybrid && a->id_arg >= 0))
        bench_entry_note(e, "hybrid_cgroup_wrapper", json_true());
    bench_entry_note(e, "ratios", ratios_of(ratios, a->name, NULL));
    bench_results_add(&pc->session.results, e);
}

static void entry_launcher_mem(struct peers_ctx *pc, json_t *ratios)
{
    struct peers_arm *a = &pc->ct[0];
    json_t *e = bench_entry_new("peers", "launcher",
                                params("/init idle", pc->idle_rootfs, NULL, "resident"));
    bench_entry_add_metric(e, "pss_per_instance", "bytes", &a->pss, NULL);
    if (pc->launcher_mem_why[0])
        bench_entry_add_dnf(e, "%s", pc->launcher_mem_why);
    bench_entry_note(e, "helper_processes", json_integer((json_int_t)pc->launcher_helpers));
    bench_entry_note(e, "what",
                     json_string("PSS growth of the launcher process (vcbench itself) while "
                                 "holding idle containers, divided by their number; no helper "
                                 "process stays beside a container, so helper PSS is 0"));
    bench_entry_note(e, "instances", json_integer(PEERS_LAUNCHER_INSTS));
    bench_entry_note(e, "launcher_process_pss_bytes",
                     json_integer((json_int_t)pc->launcher_self_pss));
    bench_entry_note(e, "ratios", ratios_of(ratios, "launcher-resident", NULL));
    bench_results_add(&pc->session.results, e);
}

static void entry_vm_common(struct peers_ctx *pc, struct peers_vm_arm *a, json_t *e)
{
    if (pc->vm_skip[0])
        bench_entry_add_dnf(e, "%s", pc->vm_skip);
    else if (a->skip[0])
        bench_entry_add_dnf(e, "%s", a->skip);
    if (pc->accel != VCB_ACCEL_KVM && !pc->vm_skip[0]) {
        char why[200];
        snprintf(why, sizeof why, "emulated (TCG): %.180s", pc->accel_reason);
        json_object_set_new(e, "emulated", json_true());
        bench_entry_note(e, "emulated_reason", json_string(why));
    }
    fails_dnf(e, a->fails, a->first_fail);
}

/* An idle guest's qemu PSS: settled (the headline), at +1 s, and the time
 * it took to settle; the KSM state the rows ran under. */
static void entry_vm_mem(struct peers_ctx *pc, struct peers_vm_arm *a, json_t *ratios)
{
    json_t *e = bench_entry_new("peers", a->name,
                                params("/init idle", pc->idle_rootfs, a->machine, "resident"));
    entry_vm_common(pc, a, e);
    if (pc->ksm_why[0])
        bench_entry_add_dnf(e, "%s", pc->ksm_why);
    bench_entry_add_metric(e, "pss", "bytes", &a->pss, NULL);
    bench_entry_add_metric(e, "pss_at_1s", "bytes", &a->pss_1s, NULL);
    bench_entry_add_metric(e, "pss_settle_time", "ns", &a->settle, NULL);
    bench_entry_note(e, "what",
                     json_string("qemu's PSS (smaps_rollup) for an idle guest: pss settled (read "
                                 "every second from 1 s after ready until the readings of the "
                                 "last span lie within 1 MiB: 3 s, or with KSM running two "
                                 "passes of its scanner, notes.ksm.settle_span_s; at most 27 s "
                                 "more), pss_at_1s the first reading, pss_settle_time ready -> "
                                 "the settled level first read"));
    bench_entry_note(e, "settle_at_bound", json_integer(a->at_bound));
    if (pc->ksm_used)
        bench_entry_note(e, "ksm", json_incref(pc->ksm_used));
    if (!strcmp(a->name, "vm-libvirt"))
        bench_entry_note(e, "ratios", ratios_of(ratios, "vm-libvirt-resident", a->machine));
    bench_results_add(&pc->session.results, e);
}

static void entry_vm(struct peers_ctx *pc, struct peers_vm_arm *a, json_t *ratios)
{
    bool ours = !strcmp(a->name, "vm-libvirt");
    if (a->enabled) {
        json_t *e =
            bench_entry_new("peers", a->name, params("/init noop", pc->rootfs, a->machine, NULL));
        json_object_set_new(json_object_get(e, "params"), "initramfs", json_string(pc->initramfs));
        entry_vm_common(pc, a, e);
        bench_entry_add_metric(e, "create_to_ready", "ns", &a->ready, NULL);
        bench_entry_add_metric(e, "create_to_gone", "ns", &a->gone, NULL);
        bench_entry_add_metric(e, "pre_guest_clock", "ns", &a->before_guest, NULL);
        bench_entry_add_metric(e, "guest_to_init", "ns", &a->guest_clock, NULL);
        bench_entry_note(e, "split",
                         json_string("pre_guest_clock: create -> @vcb init less the guest's "
                                     "clock then (the toolstack, qemu's own start, the loader); "
                                     "guest_to_init: the guest's CLOCK_BOOTTIME at "
                                     "@vcb init (its kernel's boot)"));
        bench_entry_note(e, "what",
                         json_string(ours ? "our vm driver through the driver table: create call "
                                            "-> @vcb ready / GONE (libvirt STOPPED)"
                                          : "bare qemu-system-x86_64, libvirt's command line "
                                            "minus monitor/-S/-no-shutdown: spawn -> @vcb "
                                            "ready / waitpid"));
        bench_entry_note(e, "timed", json_string(ours ? PEERS_IN_PROCESS : PEERS_WHOLE));
        if (ours)
            bench_entry_note(e, "ours", json_true());
        bench_entry_note(e, "ratios", ratios_of(ratios, a->name, a->machine));
        bench_results_add(&pc->session.results, e);
    }
    if (a->mem && pc->o->mem_runs)
        entry_vm_mem(pc, a, ratios);
}

void peers_results_add(struct peers_ctx *pc)
{
    cleanup_json json_t *ratios = peers_ratios(pc);
    for (size_t i = 0; i < pc->nct; i++)
        if (pc->ct[i].enabled)
            entry_ct(pc, &pc->ct[i], ratios);
    if (pc->with_mem)
        entry_launcher_mem(pc, ratios);
    for (size_t i = 0; i < pc->nvm; i++)
        entry_vm(pc, &pc->vm[i], ratios);
}
