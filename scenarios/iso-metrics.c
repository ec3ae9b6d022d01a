/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* iso-metrics.c — every figure an isolation victim reports, not only its
 * score: each numeric field of its result whose name carries a unit (as
 * the workloads name them: _ns, _bytes, _pct, mb_per_s, ops_per_s, _iops
 * and other _per_s rates) is kept per arm and published as the metric
 * "victim.<field>" with its summary and CI. So a report can show, say, a
 * disk victim's throughput and latency per arm beside its score. */
#include <string.h>

#include "isolation.h"

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* The schema unit a field's name gives, or NULL (a plain count, a flag). */
static const char *unit_of(const char *key)
{
    if (ends_with(key, "_ns"))
        return "ns";
    if (ends_with(key, "_bytes"))
        return "bytes";
    if (ends_with(key, "_pct"))
        return "pct";
    if (strstr(key, "mb_per_s"))
        return "mb_per_s";
    if (strstr(key, "ops_per_s"))
        return "ops_per_s";
    if (ends_with(key, "_iops") || ends_with(key, "_per_s"))
        return "per_s";
    return NULL;
}

static struct iso_metric *metric_slot(struct iso_arm *a, const char *key, const char *unit)
{
    for (size_t i = 0; i < a->nmetrics; i++)
        if (strcmp(a->metrics[i].name, key) == 0)
            return &a->metrics[i];
    if (a->nmetrics == ISO_METRICS_MAX || strlen(key) >= sizeof(a->metrics[0].name))
        return NULL;
    struct iso_metric *m = &a->metrics[a->nmetrics++];
    snprintf(m->name, sizeof(m->name), "%s", key);
    m->unit = unit;
    return m;
}

void iso_metrics_add(struct iso_arm *a, const struct bench_inst *bi)
{
    const char *key;
    json_t *val;
    json_object_foreach(bi->result, key, val)
    {
        const char *unit = unit_of(key);
        struct iso_metric *m = json_is_number(val) && unit ? metric_slot(a, key, unit) : NULL;
        if (m)
            bench_samples_add(&m->s, json_number_value(val));
    }
    json_t *scratch = json_object_get(bi->result, "scratch");
    if (scratch && a->entry) /* how this arm saw its disk */
        bench_entry_note(a->entry, "victim_scratch", json_incref(scratch));
}

void iso_metrics_publish(struct iso_arm *a)
{
    char name[80];
    for (size_t i = 0; i < a->nmetrics; i++) {
        snprintf(name, sizeof(name), "victim.%s", a->metrics[i].name);
        bench_entry_add_metric(a->entry, name, a->metrics[i].unit, &a->metrics[i].s, NULL);
    }
}

void iso_metrics_free(struct iso_arm *a)
{
    for (size_t i = 0; i < a->nmetrics; i++)
        bench_samples_free(&a->metrics[i].s);
    a->nmetrics = 0;
}
