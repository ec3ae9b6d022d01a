/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* io-figs.c — the disk and network victims' figures, as their sections show
 * them: one arm per backend (limits and variant apart), with the path its
 * I/O took, and per arm the entry of each condition: solo first, then beside
 * each aggressor in the IBS's order. */
#include <errno.h>
#include <string.h>

#include "rpt-priv.h"

static const char *const disk_tput[] = {"seq_write_mb_per_s", "seq_read_mb_per_s", "rand_read_iops",
                                        "rand_write_iops", NULL};
static const char *const disk_lat[] = {"rand_read_p50_ns", "rand_read_p99_ns", "rand_write_p50_ns",
                                       "rand_write_p99_ns", NULL};
static const char *const net_all[] = {"stream_mb_per_s", "rr_per_s", "rr_p50_ns", "rr_p99_ns",
                                      NULL};

const struct rpt_io_kind rpt_io_disk = {"diskio", {disk_tput, disk_lat}};
const struct rpt_io_kind rpt_io_net = {"netio", {net_all, NULL}};

static bool victim_is(const struct rpt_entry *e, const char *victim)
{
    const char *v = rpt_param_str(e, "victim");
    return strcmp(e->scenario, "isolation") == 0 && v && strcmp(v, victim) == 0;
}

bool rpt_is_disk(const struct rpt_entry *e)
{
    return victim_is(e, rpt_io_disk.victim);
}

bool rpt_is_net(const struct rpt_entry *e)
{
    return victim_is(e, rpt_io_net.victim);
}

void rpt_io_cond_label(const char *aggressor, char *buf, size_t len)
{
    char a[96];
    rpt_aggressor_label(aggressor, a, sizeof(a));
    if (rpt_aggressor_rank(aggressor) < 0)
        snprintf(buf, len, "solo");
    else
        snprintf(buf, len, "beside %s", a);
}

/* The path the victim's I/O took: netio's network path, diskio's scratch
 * volume form and cache as the arm saw it; false when the entry does not say
 * (one that did not finish). */
static bool io_path(const struct rpt_entry *e, char *buf, size_t len)
{
    json_t *s = e->notes ? json_object_get(e->notes, "victim_scratch") : NULL;
    const char *form = json_string_value(json_object_get(s, "form"));
    const char *cache = json_string_value(json_object_get(s, "cache"));
    if (rpt_is_net(e) && rpt_param_str(e, "net_path"))
        snprintf(buf, len, "%s", rpt_param_str(e, "net_path"));
    else if (!rpt_is_net(e) && form)
        snprintf(buf, len, "%s; cache %s", form, cache ? cache : "not recorded");
    else
        return false;
    rpt_utf8_trim(buf);
    return true;
}

/* "container (no limits), soft [run]": what tells one arm from another;
 * label_e is an entry that booted, so a VM arm says whether it was emulated. */
static void arm_label(struct rpt_run *const *runs, size_t n_runs, const struct rpt_io_arm *arm,
                      char *buf, size_t len)
{
    const struct rpt_entry *e = arm->label_e;
    const char *variant = rpt_param_str(e, "variant");
    size_t o;
    rpt_backend_label(e, buf, len);
    o = strlen(buf);
    if (!rpt_param_bool(e, "limited", true))
        snprintf(buf + o, len - o, " (no limits)");
    o = strlen(buf);
    if (variant)
        snprintf(buf + o, len - o, ", %s", variant);
    o = strlen(buf);
    if (n_runs > 1)
        snprintf(buf + o, len - o, " [%s]", runs[arm->run_i]->label);
    rpt_utf8_trim(buf);
}

static bool same_arm(const struct rpt_io_arm *arm, size_t run_i, const struct rpt_entry *e)
{
    const char *va = rpt_param_str(arm->label_e, "variant"), *vb = rpt_param_str(e, "variant");
    return arm->run_i == run_i && strcmp(arm->label_e->backend, e->backend) == 0 &&
           rpt_param_bool(arm->label_e, "limited", true) == rpt_param_bool(e, "limited", true) &&
           ((!va && !vb) || (va && vb && strcmp(va, vb) == 0));
}

static int arm_cmp(const void *pa, const void *pb)
{
    const struct rpt_io_arm *a = pa, *b = pb;
    int d = rpt_backend_rank(a->label_e->backend) - rpt_backend_rank(b->label_e->backend);
    if (d == 0)
        d = (a->run_i > b->run_i) - (a->run_i < b->run_i);
    return d ? d : (a->order > b->order) - (a->order < b->order);
}

static int cond_cmp(const void *pa, const void *pb)
{
    const char *a = *(const char *const *)pa, *b = *(const char *const *)pb;
    int d = rpt_aggressor_rank(a) - rpt_aggressor_rank(b);
    return d ? d : strcmp(a, b);
}

static size_t cond_index(const struct rpt_io_set *set, const char *aggressor)
{
    size_t c = 0;
    while (c < set->n_conds && strcmp(set->conds[c], aggressor) != 0)
        c++;
    return c;
}

static const char *aggressor_of(const struct rpt_entry *e)
{
    const char *a = rpt_param_str(e, "aggressor");
    return a ? a : "none";
}

int rpt_io_collect(struct rpt_run *const *runs, size_t n_runs,
                   bool (*pred)(const struct rpt_entry *), struct rpt_io_set *out,
                   struct vcb_err *err)
{
    *out = (struct rpt_io_set){0};
    size_t cap = 0;
    for (size_t r = 0; r < n_runs; r++)
        cap += runs[r]->n_entries;
    out->arms = calloc(cap ? cap : 1, sizeof(*out->arms));
    if (!out->arms)
        return vcb_err_sys(err, ENOMEM, "disk and network figures");
    /* The arms and conditions first, then each entry in its place. */
    for (size_t r = 0; r < n_runs; r++)
        for (size_t i = 0; i < runs[r]->n_entries; i++) {
            const struct rpt_entry *e = &runs[r]->entries[i];
            if (!pred(e))
                continue;
            size_t a = 0;
            while (a < out->n_arms && !same_arm(&out->arms[a], r, e))
                a++;
            if (a == out->n_arms)
                out->arms[out->n_arms++] =
                    (struct rpt_io_arm){.run_i = r, .order = a, .label_e = e};
            else if (e->emulated && !out->arms[a].label_e->emulated)
                out->arms[a].label_e = e;
            if (cond_index(out, aggressor_of(e)) == out->n_conds && out->n_conds < RPT_IO_CONDS)
                out->conds[out->n_conds++] = aggressor_of(e);
        }
    qsort(out->conds, out->n_conds, sizeof(out->conds[0]), cond_cmp);
    qsort(out->arms, out->n_arms, sizeof(out->arms[0]), arm_cmp);
    for (size_t a = 0; a < out->n_arms; a++)
        arm_label(runs, n_runs, &out->arms[a], out->arms[a].label, sizeof(out->arms[a].label));
    for (size_t r = 0; r < n_runs; r++)
        for (size_t i = 0; i < runs[r]->n_entries; i++) {
            const struct rpt_entry *e = &runs[r]->entries[i];
            size_t c = cond_index(out, aggressor_of(e));
            if (!pred(e) || c == out->n_conds)
                continue;
            for (size_t a = 0; a < out->n_arms; a++) {
                struct rpt_io_arm *arm = &out->arms[a];
                if (!same_arm(arm, r, e))
                    continue;
                if (!arm->cond[c])
                    arm->cond[c] = e;
                if (!arm->path[0])
                    io_path(e, arm->path, sizeof(arm->path));
            }
        }
    for (size_t a = 0; a < out->n_arms; a++)
        if (!out->arms[a].path[0])
            snprintf(out->arms[a].path, sizeof(out->arms[a].path), "path not recorded");
    return 0;
}

void rpt_io_clear(struct rpt_io_set *set)
{
    free(set->arms);
    *set = (struct rpt_io_set){0};
}
