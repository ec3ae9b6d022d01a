/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* isolation-variant.c — the isolation scenario's limit variants: a suite
 * names several sets of limits ("hard": cpu.max, "weight": cpu.weight,
 * "cpuset", "mem-soft", …) and every cell runs once per variant, the limited
 * arms under that variant's limits and the unlimited control once per cell,
 * as Sharma et al. (Middleware '16) compare soft and hard limits. */
#include <string.h>

#include "isolation.h"

/* Lowercase letters, digits and '-', starting with a letter; "control" is
 * the label the report gives the unlimited arm. */
static bool variant_name_ok(const char *s)
{
    size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-");
    return n && n == strlen(s) && n < ISO_VARIANT_NAME_MAX && s[0] >= 'a' && s[0] <= 'z' &&
           strcmp(s, "control") != 0;
}

static int variant_parse(const struct sj *sj, const char *name, json_t *val, const char *vp,
                         struct iso_variant *var)
{
    bool any = false;
    if (!variant_name_ok(name))
        return sj_bad(sj, vp,
                      "expected a variant name of lowercase letters, digits and '-', starting "
                      "with a letter, at most %d characters, not \"control\"",
                      ISO_VARIANT_NAME_MAX - 1);
    snprintf(var->name, sizeof var->name, "%s", name);
    if (sj_limits_by_backend(sj, val, vp, var->limits, var->given) < 0)
        return -1;
    for (size_t b = 0; b < BENCH_BACKEND_MAX; b++)
        any = any || var->given[b];
    if (!any)
        return sj_bad(sj, vp, "names no backend (expected e.g. {\"container\": {\"cpus\": 1}})");
    return 0;
}

int iso_variants_parse(const struct sj *sj, json_t *o, const char *p, struct iso_params *sc)
{
    json_t *v = json_object_get(o, "variants"), *val;
    const char *name;
    char path[256];
    if (!v)
        return 0;
    sj_path(path, sizeof path, p, "variants");
    if (sj_object(sj, v, path) < 0)
        return -1;
    if (json_object_size(v) == 0 || json_object_size(v) > ISO_VARIANTS_MAX)
        return sj_bad(sj, path, "expected 1 to %d named variants, got %zu", ISO_VARIANTS_MAX,
                      json_object_size(v));
    json_object_foreach(v, name, val)
    {
        char vp[320];
        snprintf(vp, sizeof vp, "%s.%s", path, name);
        if (variant_parse(sj, name, val, vp, &sc->variants[sc->nvariants]) < 0)
            return -1;
        sc->nvariants++;
    }
    return 0;
}

static bool is_control(const struct bench_backend *be, int *idx)
{
    *idx = bench_backend_index(be->name);
    return *idx >= 0 && bench_backend_kind((size_t)*idx) == VCB_ARM_CONTROL;
}

const struct bench_backend *iso_arm_backend(const struct bench_ctx *ctx, const struct iso_cell *c,
                                            size_t b, struct bench_backend *tmp)
{
    const struct bench_backend *be = &ctx->backends[b];
    int idx;
    if (!c->variant)
        return be;
    if (is_control(be, &idx))
        return c->first_variant ? be : NULL;
    if (idx < 0 || !c->variant->given[idx])
        return NULL;
    *tmp = *be;
    tmp->limits = c->variant->limits[idx];
    return tmp;
}

const char *iso_variant_label(const struct iso_cell *c, const struct bench_backend *be)
{
    int idx;
    return c->variant && !is_control(be, &idx) ? c->variant->name : NULL;
}
