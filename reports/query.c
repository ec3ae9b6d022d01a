/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* query.c — find entries, metrics and params in the loaded model. */
#include <errno.h>
#include <string.h>

#include "rpt-priv.h"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* One value as text: strings bare, everything else as compact JSON. */
static char *param_text(json_t *v)
{
    if (json_is_string(v))
        return strdup(json_string_value(v));
    return json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
}

int rpt_params_key(json_t *params, char **out)
{
    size_t n = json_object_size(params), i = 0;
    const char **keys = calloc(n ? n : 1, sizeof(*keys));
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!keys || !f) {
        free(keys);
        if (f)
            fclose(f);
        free(buf);
        return -1;
    }
    const char *k;
    json_t *v;
    json_object_foreach(params, k, v) keys[i++] = k;
    qsort(keys, n, sizeof(*keys), cmp_str);
    for (i = 0; i < n; i++) {
        char *t = param_text(json_object_get(params, keys[i]));
        fprintf(f, "%s%s=%s", i ? " " : "", keys[i], t ? t : "?");
        free(t);
    }
    free(keys);
    if (fclose(f) != 0) {
        free(buf);
        return -1;
    }
    *out = buf;
    return 0;
}

const char *rpt_param_str(const struct rpt_entry *e, const char *key)
{
    return json_string_value(json_object_get(e->params, key));
}

bool rpt_param_num(const struct rpt_entry *e, const char *key, double *out)
{
    json_t *v = json_object_get(e->params, key);
    if (!json_is_number(v))
        return false;
    *out = json_number_value(v);
    return true;
}

bool rpt_param_bool(const struct rpt_entry *e, const char *key, bool dflt)
{
    json_t *v = json_object_get(e->params, key);
    return json_is_boolean(v) ? json_is_true(v) : dflt;
}

const struct rpt_metric *rpt_metric_find(const struct rpt_entry *e, const char *name)
{
    for (size_t i = 0; i < e->n_metrics; i++)
        if (strcmp(e->metrics[i].name, name) == 0)
            return &e->metrics[i];
    return NULL;
}

/* A boot entry without a mode is serial: the schema's default run. */
bool rpt_is_boot_serial(const struct rpt_entry *e)
{
    const char *mode = rpt_param_str(e, "mode");
    return strcmp(e->scenario, "boot") == 0 && (!mode || strcmp(mode, "serial") == 0);
}

bool rpt_is_boot_concurrent(const struct rpt_entry *e)
{
    const char *mode = rpt_param_str(e, "mode");
    return strcmp(e->scenario, "boot") == 0 && mode && strcmp(mode, "concurrent") == 0;
}

bool rpt_run_any_emulated(const struct rpt_run *run)
{
    for (size_t i = 0; i < run->n_entries; i++)
        if (run->entries[i].emulated)
            return true;
    return false;
}

const struct rpt_entry *rpt_entry_find(const struct rpt_run *run, const char *scenario,
                                       const char *backend, bool (*match)(const struct rpt_entry *))
{
    for (size_t i = 0; i < run->n_entries; i++) {
        const struct rpt_entry *e = &run->entries[i];
        if (strcmp(e->scenario, scenario) == 0 && strcmp(e->backend, backend) == 0 &&
            (!match || match(e)))
            return e;
    }
    return NULL;
}

int rpt_select(const struct rpt_ctx *ctx, bool (*pred)(const struct rpt_entry *),
               struct rpt_sel *out, struct vcb_err *err)
{
    size_t total = 0;
    for (size_t r = 0; r < ctx->n_runs; r++)
        total += ctx->runs[r]->n_entries;
    *out = (struct rpt_sel){0};
    out->run_i = calloc(total ? total : 1, sizeof(*out->run_i));
    out->e = calloc(total ? total : 1, sizeof(*out->e));
    if (!out->run_i || !out->e) {
        rpt_sel_clear(out);
        return vcb_err_sys(err, ENOMEM, "selecting results");
    }
    for (size_t r = 0; r < ctx->n_runs; r++)
        for (size_t i = 0; i < ctx->runs[r]->n_entries; i++)
            if (pred(&ctx->runs[r]->entries[i])) {
                out->run_i[out->n] = r;
                out->e[out->n++] = &ctx->runs[r]->entries[i];
            }
    return 0;
}

void rpt_sel_clear(struct rpt_sel *sel)
{
    free(sel->run_i);
    free(sel->e);
    *sel = (struct rpt_sel){0};
}
