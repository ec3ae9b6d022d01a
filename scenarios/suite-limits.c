/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* suite-limits.c — a suite's limits objects ({"cpus": 1, "cpu_weight": 100,
 * …} per backend), each field by the same rule as its option
 * (core/limits.c): the suite's "limits" and an isolation variant's. */
#include <string.h>

#include "suite-json.h"

/* "FILE: limits.container.memory" when the suite gives key, else NULL. */
static const char *limit_what(const struct sj *sj, json_t *o, const char *p, const char *key,
                              char *buf, size_t len)
{
    if (!json_object_get(o, key))
        return NULL;
    snprintf(buf, len, "%s: %s.%s", sj->file, p, key);
    return buf;
}

/* The soft and I/O limits, by the same rules as their options. */
static int check_soft_given(const struct sj *sj, json_t *o, const char *p,
                            const struct vcb_limits *l, const double w[4])
{
    char buf[PATH_MAX + 320], n[3][320];
    const char *k;
    const struct vcb_io_limits *io = &l->io;
    if (((k = limit_what(sj, o, p, "cpu_weight", buf, sizeof(buf))) &&
         vcb_limit_check_cpu_weight(w[0], k, sj->err) < 0) ||
        ((k = limit_what(sj, o, p, "memory_soft", buf, sizeof(buf))) &&
         vcb_limit_check_memory_soft(l->memory_soft, k, sj->err) < 0) ||
        ((k = limit_what(sj, o, p, "memory_low", buf, sizeof(buf))) &&
         vcb_limit_check_memory_soft(l->memory_low, k, sj->err) < 0) ||
        ((k = limit_what(sj, o, p, "io_read_bps", buf, sizeof(buf))) &&
         vcb_limit_check_io_bps(io->rbps, k, sj->err) < 0) ||
        ((k = limit_what(sj, o, p, "io_write_bps", buf, sizeof(buf))) &&
         vcb_limit_check_io_bps(io->wbps, k, sj->err) < 0) ||
        ((k = limit_what(sj, o, p, "io_read_iops", buf, sizeof(buf))) &&
         vcb_limit_check_io_iops(w[1], k, sj->err) < 0) ||
        ((k = limit_what(sj, o, p, "io_write_iops", buf, sizeof(buf))) &&
         vcb_limit_check_io_iops(w[2], k, sj->err) < 0) ||
        ((k = limit_what(sj, o, p, "io_weight", buf, sizeof(buf))) &&
         vcb_limit_check_io_weight(w[3], k, sj->err) < 0))
        return -1;
    snprintf(buf, sizeof buf, "%s: ", sj->file);
    snprintf(n[0], sizeof n[0], "%s.memory", p);
    snprintf(n[1], sizeof n[1], "%s.memory_soft", p);
    snprintf(n[2], sizeof n[2], "%s.memory_low", p);
    return vcb_limits_check_pairs(l, buf, (const char *const[3]){n[0], n[1], n[2]}, sj->err);
}

/* A limit the suite gives passes the same rule as its option (core/limits.c). */
static int check_limits_given(const struct sj *sj, json_t *o, const char *p,
                              const struct vcb_limits *l, double pids, const double wt[4])
{
    char buf[PATH_MAX + 320];
    const char *w;
    if ((w = limit_what(sj, o, p, "cpus", buf, sizeof(buf))) &&
        vcb_limit_check_cpus(l->cpus, w, sj->err) < 0)
        return -1;
    if ((w = limit_what(sj, o, p, "memory", buf, sizeof(buf))) &&
        vcb_limit_check_memory(l->memory_bytes, w, sj->err) < 0)
        return -1;
    if ((w = limit_what(sj, o, p, "pids", buf, sizeof(buf))) &&
        vcb_limit_check_pids(pids, w, sj->err) < 0)
        return -1;
    if ((w = limit_what(sj, o, p, "cpuset", buf, sizeof(buf))) &&
        vcb_limit_check_cpuset(l->cpuset, w, sj->err) < 0)
        return -1;
    return check_soft_given(sj, o, p, l, wt);
}

int sj_limits(const struct sj *sj, json_t *o, const char *p, struct vcb_limits *l)
{
    static const char *const keys[] = {
        "cpus",          "memory",     "pids",        "cpuset",       "cpu_weight",
        "memory_soft",   "memory_low", "io_read_bps", "io_write_bps", "io_read_iops",
        "io_write_iops", "io_weight",  NULL};
    double pids = 0, w[4] = {0};
    if (sj_object(sj, o, p) < 0 || sj_keys(sj, o, p, keys) < 0 ||
        sj_number(sj, o, p, "cpus", false, &l->cpus) < 0 ||
        sj_size(sj, o, p, "memory", &l->memory_bytes) < 0 ||
        sj_number(sj, o, p, "pids", true, &pids) < 0 ||
        sj_number(sj, o, p, "cpu_weight", true, &w[0]) < 0 ||
        sj_size(sj, o, p, "memory_soft", &l->memory_soft) < 0 ||
        sj_size(sj, o, p, "memory_low", &l->memory_low) < 0 ||
        sj_size(sj, o, p, "io_read_bps", &l->io.rbps) < 0 ||
        sj_size(sj, o, p, "io_write_bps", &l->io.wbps) < 0 ||
        sj_number(sj, o, p, "io_read_iops", true, &w[1]) < 0 ||
        sj_number(sj, o, p, "io_write_iops", true, &w[2]) < 0 ||
        sj_number(sj, o, p, "io_weight", true, &w[3]) < 0)
        return -1;
    /* Whole and in range once checked; a value out of range is refused by
     * its rule before it is used (the cast only carries it there). */
    l->cpu_weight = w[0] >= 1 && w[0] <= 1e12 ? (uint64_t)w[0] : 0;
    l->io.riops = w[1] >= 1 && w[1] <= 1e12 ? (uint64_t)w[1] : 0;
    l->io.wiops = w[2] >= 1 && w[2] <= 1e12 ? (uint64_t)w[2] : 0;
    l->io.weight = w[3] >= 1 && w[3] <= 1e12 ? (uint64_t)w[3] : 0;
    json_t *cs = json_object_get(o, "cpuset");
    if (cs && (!json_is_string(cs) || strlen(json_string_value(cs)) >= sizeof(l->cpuset))) {
        char path[256];
        sj_path(path, sizeof(path), p, "cpuset");
        return sj_bad(sj, path, "expected a cpu list like \"0-1\"");
    }
    if (cs)
        snprintf(l->cpuset, sizeof(l->cpuset), "%s", json_string_value(cs));
    if (check_limits_given(sj, o, p, l, pids, w) < 0)
        return -1;
    l->pids = (uint64_t)pids;
    return 0;
}

int sj_limits_by_backend(const struct sj *sj, json_t *o, const char *path,
                         struct vcb_limits out[BENCH_BACKEND_MAX], bool given[BENCH_BACKEND_MAX])
{
    const char *key;
    json_t *val;
    bench_backend_claim(o);
    if (sj_object(sj, o, path) < 0 || sj_keys(sj, o, path, bench_backend_names()) < 0)
        return -1;
    json_object_foreach(o, key, val)
    {
        char p[160];
        int b = bench_backend_index(key);
        snprintf(p, sizeof(p), "%s.%s", path, key);
        if (bench_backend_kind((size_t)b) == VCB_ARM_CONTROL)
            return sj_bad(sj, p,
                          "the %s backend is the unlimited control and applies "
                          "no limits; remove it",
                          key);
        if (sj_limits(sj, val, p, &out[b]) < 0)
            return -1;
        if (given)
            given[b] = true;
    }
    return 0;
}
