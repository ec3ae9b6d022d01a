/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* peers-launcher.c — our launcher as a peer: a container started in-process
 * through ct_driver (the same path `vcbench run` takes), timed from the
 * create call to destroy() returning (cgroups removed), which is what a
 * `crun run` pays between its spawn and its exit. Also its resident cost:
 * helper processes left beside the containers, and the launcher process's
 * own PSS growth per running instance. */
#include <dirent.h>
#include <string.h>
#include <sys/stat.h>

#include "peers.h"

int peers_once_launcher(struct peers_ctx *pc, struct peers_arm *a, uint64_t *ns, char *why,
                        size_t len)
{
    struct bench_inst bi;
    uint64_t t0 = vcb_now_ns();
    if (bench_inst_launch(&pc->bctx, &pc->be_ct, "noop", NULL, &bi) < 0) {
        snprintf(why, len, "%s", bi.error);
        bench_inst_clear(&bi);
        return -1;
    }
    int rc = bench_inst_wait(&bi, 1, VCB_EV_GONE, t0 + PEERS_CT_TIMEOUT_NS);
    bool ok = bi.t[VCB_EV_GONE] && bi.exit_status == 0 && !bi.error[0];
    if (!ok)
        bench_inst_why(&bi, VCB_EV_EXIT, rc, PEERS_CT_TIMEOUT_NS, why, len);
    uint64_t gone = bi.t[VCB_EV_GONE];
    bench_inst_destroy(&bi);
    *ns = vcb_now_ns() - t0;
    bench_inst_clear(&bi);
    if (ok && bench_samples_add(&a->gone, (double)(gone - t0)) < 0)
        return snprintf(why, len, "out of memory"), -1;
    return ok ? 0 : -1;
}

/* Our direct children that share our pid namespace: a container's PID 1
 * lives in a new one, so anything else is a helper process we left. */
static unsigned helper_count(void)
{
    struct stat self_ns, ns;
    char path[96];
    unsigned helpers = 0;
    if (stat("/proc/self/ns/pid", &self_ns) < 0)
        return 0;
    cleanup_free char *text = NULL;
    struct vcb_err e = {0};
    snprintf(path, sizeof path, "/proc/self/task/%d/children", (int)getpid());
    if (vcb_read_file(path, &text, NULL, &e) < 0)
        return 0;
    for (char *save = NULL, *tok = strtok_r(text, " \n", &save); tok;
         tok = strtok_r(NULL, " \n", &save)) {
        snprintf(path, sizeof path, "/proc/%s/ns/pid", tok);
        if (stat(path, &ns) == 0 && ns.st_ino == self_ns.st_ino)
            helpers++;
    }
    return helpers;
}

static uint64_t self_pss(void)
{
    struct vcb_proc_mem m = {0};
    struct vcb_err e = {0};
    return vcb_proc_mem(getpid(), &m, &e) < 0 ? 0 : m.pss;
}

/* One sample: PEERS_LAUNCHER_INSTS idle containers held at once. */
static int launcher_mem_once(struct peers_ctx *pc, struct bench_samples *s, char *why, size_t len)
{
    struct bench_inst v[PEERS_LAUNCHER_INSTS];
    size_t n = 0;
    int rc = 0;
    uint64_t before = self_pss();
    for (; n < PEERS_LAUNCHER_INSTS; n++)
        if (bench_inst_launch(&pc->bctx, &pc->be_ct, "idle", NULL, &v[n]) < 0) {
            snprintf(why, len, "%s", v[n].error);
            bench_inst_clear(&v[n]);
            rc = -1;
            break;
        }
    if (rc == 0 && bench_inst_wait(v, n, VCB_EV_READY, vcb_now_ns() + PEERS_CT_TIMEOUT_NS) != 0)
        rc = -1, snprintf(why, len, "idle containers did not all get ready");
    if (rc == 0) {
        uint64_t after = self_pss();
        pc->launcher_self_pss = after;
        unsigned helpers = helper_count();
        pc->launcher_helpers = helpers > pc->launcher_helpers ? helpers : pc->launcher_helpers;
        bench_samples_add(s, after > before ? (double)(after - before) / (double)n : 0.0);
    }
    for (size_t i = 0; i < n; i++)
        bench_inst_clear(&v[i]);
    return rc;
}

void peers_launcher_memory(struct peers_ctx *pc)
{
    struct peers_arm *a = &pc->ct[0]; /* "launcher": its samples live in pss */
    for (unsigned r = 0; r < pc->o->mem_runs && !bench_stop_signal(); r++) {
        char why[PEERS_WHY_MAX] = "";
        if (launcher_mem_once(pc, &a->pss, why, sizeof why) < 0 && !pc->launcher_mem_why[0])
            snprintf(pc->launcher_mem_why, sizeof pc->launcher_mem_why, "%s", why);
        bench_progress_step(&pc->session.progress, "peers", "launcher memory", r + 1,
                            pc->o->mem_runs);
    }
    pc->launcher_mem_done = true;
}
