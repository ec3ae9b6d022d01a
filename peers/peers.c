/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* peers.c — `vcbench peers`: set up (peers chosen and checked before
 * anything is made, run id, locked run dir, signals, images, OCI bundle,
 * acceleration, results file), run the interleaved rounds, write the
 * entries and ratios, and leave nothing behind (run dir, cgroups, domains,
 * child processes), also after Ctrl-C. */
#include <errno.h>
#include <string.h>

#include "peers.h"
#include "wl-image.h"

static int image_add(struct peers_ctx *pc, const char *wl, char *rootfs, char *initramfs,
                     struct vcb_err *err)
{
    if (bench_image_add(&pc->bctx, wl, err) < 0)
        return -1;
    const struct bench_image *img = bench_image_of(&pc->bctx, wl);
    snprintf(rootfs, PATH_MAX, "%s", img->rootfs);
    snprintf(initramfs, PATH_MAX, "%s", img->initramfs);
    return 0;
}

static bool oci_wanted(const struct peers_ctx *pc)
{
    for (size_t i = 0; i < pc->nct; i++)
        if (pc->ct[i].id_arg >= 0 && pc->ct[i].enabled && !pc->ct[i].skip[0])
            return true;
    return false;
}

static json_t *suite_json(const struct peers_ctx *pc)
{
    const struct bench_peers_opts *o = pc->o;
    json_t *peers = json_array();
    for (size_t i = 0; i < pc->nct; i++)
        if (pc->ct[i].enabled)
            json_array_append_new(peers, json_string(pc->ct[i].name));
    for (size_t i = 0; i < pc->nvm && i < 2; i++)
        if (pc->vm[i].enabled || pc->vm[i].mem)
            json_array_append_new(peers, json_string(pc->vm[i].name));
    return json_pack("{s:s, s:s, s:i, s:i, s:i, s:i, s:s, s:s?, s:s, s:o}", "name", "peers", "file",
                     "(vcbench peers)", "runs", (int)o->runs, "warmup", (int)o->warmup, "vm_runs",
                     (int)o->vm_runs, "mem_runs", (int)o->mem_runs, "machines",
                     o->machines ? o->machines : "pc,q35,microvm", "only", o->only, "ksm",
                     bench_peers_ksm_name(o->ksm), "backends", peers);
}

static int setup_results(struct peers_ctx *pc, struct vcb_err *err)
{
    char out[PATH_MAX];
    if (pc->o->out_dir)
        snprintf(out, sizeof out, "%s", pc->o->out_dir);
    else
        snprintf(out, sizeof out, "results/peers-%s", pc->bctx.run_id);
    /* The session's results take their own references to host and suite. */
    cleanup_json json_t *host =
        bench_host_facts(&pc->bctx.bopts, pc->with_vm && !pc->vm_skip[0], true);
    cleanup_json json_t *suite = suite_json(pc);
    int rc = bench_session_results(&pc->session, out, host, suite, err);
    bench_progress_note(&pc->session.progress, "peers run %s: results in %s", pc->bctx.run_id, out);
    return rc;
}

static int setup(struct peers_ctx *pc, struct vcb_err *err)
{
    struct bench_ctx *b = &pc->bctx;
    b->bopts = pc->o->bopts;
    pc->be_ct = bench_backend_at(bench_backend_of_kind(VCB_ARM_CONTAINER));
    pc->be_vm = bench_backend_at(bench_backend_of_kind(VCB_ARM_VM));
    if (!pc->be_ct.drv)
        snprintf(pc->be_ct.why, sizeof pc->be_ct.why, "container backend not built");
    int rc = bench_session_begin(&pc->session, err);
    bench_session_bind(&pc->session, b);
    if (rc < 0)
        return -1;
    snprintf(pc->bundle, sizeof pc->bundle, "%s/oci-bundle", b->run_dir);
    if (image_add(pc, "noop", pc->rootfs, pc->initramfs, err) < 0 ||
        image_add(pc, "idle", pc->idle_rootfs, pc->idle_initramfs, err) < 0)
        return -1;
    if (peers_select(pc, err) < 0) /* again, now with the rootfs in the command lines */
        return -1;
    if (oci_wanted(pc) && peers_oci_bundle(pc, err) < 0)
        return -1;
    if (pc->with_vm && peers_vm_prepare(pc, err) < 0)
        return -1;
    return setup_results(pc, err);
}

static unsigned plan(const struct peers_ctx *pc)
{
    const struct bench_peers_opts *o = pc->o;
    unsigned total = pc->with_mem ? o->mem_runs : 0;
    for (size_t i = 0; i < pc->nct; i++)
        total += pc->ct[i].enabled && !pc->ct[i].skip[0] ? o->warmup + o->runs : 0;
    for (size_t i = 0; i < pc->nvm && !pc->vm_skip[0]; i++) {
        const struct peers_vm_arm *a = &pc->vm[i];
        total += !a->skip[0] && a->enabled ? (1 + o->vm_runs) * PEERS_VM_WEIGHT : 0;
        total += !a->skip[0] && a->mem ? o->mem_runs * PEERS_VM_WEIGHT : 0;
    }
    return total;
}

static void free_arms(struct peers_ctx *pc)
{
    for (size_t i = 0; i < pc->nct; i++) {
        struct peers_arm *a = &pc->ct[i];
        vcb_strv_free(a->argv);
        a->argv = NULL;
        bench_samples_free(&a->s);
        bench_samples_free(&a->round);
        bench_samples_free(&a->gone);
        bench_samples_free(&a->pss);
    }
    pc->nct = 0;
    for (size_t i = 0; i < pc->nvm; i++) {
        bench_samples_free(&pc->vm[i].ready);
        bench_samples_free(&pc->vm[i].gone);
        bench_samples_free(&pc->vm[i].guest_clock);
        bench_samples_free(&pc->vm[i].before_guest);
        bench_samples_free(&pc->vm[i].pss);
        bench_samples_free(&pc->vm[i].pss_1s);
        bench_samples_free(&pc->vm[i].settle);
    }
    pc->nvm = 0;
}

static int finish(struct peers_ctx *pc, int rc, struct bench_peers_result *res, struct vcb_err *err)
{
    if (rc == 0)
        peers_results_add(pc);
    rc = bench_session_end(&pc->session, rc, NULL, err);
    if (rc < 0 || !pc->session.results.doc)
        return rc;
    snprintf(res->results_path, sizeof res->results_path, "%s", pc->session.results.path);
    res->stop_signal = pc->session.stop_signal;
    res->complete = pc->session.complete;
    res->doc = json_incref(pc->session.results.doc);
    res->ratios = peers_ratios(pc);
    return 0;
}

int bench_peers_run(const struct bench_peers_opts *o, struct bench_peers_result *res,
                    struct vcb_err *err)
{
    struct peers_ctx *pc = calloc(1, sizeof *pc);
    memset(res, 0, sizeof *res);
    if (!pc)
        return vcb_err_sys(err, ENOMEM, "peers");
    pc->o = o;
    bench_session_init(&pc->session, o->progress);
    /* Bad --only / --machines are usage errors before anything is made. */
    int rc = peers_select(pc, err);
    free_arms(pc);
    pc->with_ct = pc->with_vm = pc->with_mem = false;
    if (rc == 0)
        rc = setup(pc, err);
    snprintf(res->run_id, sizeof res->run_id, "%s", pc->bctx.run_id);
    if (rc == 0) {
        bench_progress_add_total(&pc->session.progress, (int)plan(pc));
        pc->session.progress.t_start = vcb_now_ns();
        peers_loop_ct(pc);
        if (pc->with_vm && !bench_stop_signal())
            peers_loop_vm(pc);
    }
    rc = finish(pc, rc, res, err);
    bench_session_close(&pc->session, false);
    free_arms(pc);
    json_decref(pc->ksm_used);
    free(pc);
    return rc;
}

void bench_peers_result_free(struct bench_peers_result *res)
{
    json_decref(res->doc);
    json_decref(res->ratios);
    res->doc = res->ratios = NULL;
}
