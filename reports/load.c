/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* load.c — read a results file into the report model, validating every field
 * it uses. Outside input: a fuzzer is pointed at this, so every value is
 * type-checked before use and every failure names the file and the field. */
#include <errno.h>
#include <string.h>

#include "rpt-priv.h"

/* Every loader failure is the user's input: exit 2. */
static int bad(struct vcb_err *err, const char *file, const char *where, const char *key,
               const char *expected, const json_t *got)
{
    bool named = where[0] || key;
    vcb_err_usage(err, "%s: %s%s%s%sexpected %s%s%s", file, where, where[0] && key ? "." : "",
                  key ? key : "", named ? ": " : "", expected, got ? ", got " : "",
                  got ? vcb_json_type_name(got) : "");
    return -1;
}

struct loc {
    const char *file;
    char where[200]; /* "results[2].metrics[0]" */
};

/* Optional string: absent or null leaves *out NULL. */
static int get_str(const struct loc *l, json_t *obj, const char *key, bool required,
                   const char **out, struct vcb_err *err)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return required ? bad(err, l->file, l->where, key, "a string", NULL) : 0;
    if (!json_is_string(v))
        return bad(err, l->file, l->where, key, "a string", v);
    *out = json_string_value(v);
    return 0;
}

/* Beyond 1e18 (31 years in ns, an exabyte) a value is junk, and it would
 * overflow the axis ranges computed from it. */
#define RPT_VALUE_MAX 1e18

static bool num_ok(const json_t *v)
{
    return json_is_number(v) && fabs(json_number_value(v)) <= RPT_VALUE_MAX;
}

static int get_num(const struct loc *l, json_t *obj, const char *key, bool required, double *out,
                   struct vcb_err *err)
{
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v))
        return required ? bad(err, l->file, l->where, key, "a number", NULL) : 0;
    if (!num_ok(v))
        return bad(err, l->file, l->where, key, "a number of at most 1e18", v);
    *out = json_number_value(v);
    return 0;
}

static int get_bool(const struct loc *l, json_t *obj, const char *key, bool *out,
                    struct vcb_err *err)
{
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_boolean(v))
        return bad(err, l->file, l->where, key, "true or false", v);
    *out = json_is_true(v);
    return 0;
}

/* Optional container of the given type; absent/null gives NULL. */
static int get_typed(const struct loc *l, json_t *obj, const char *key, json_type type,
                     json_t **out, struct vcb_err *err)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return 0;
    if (json_typeof(v) != type)
        return bad(err, l->file, l->where, key, type == JSON_OBJECT ? "an object" : "an array", v);
    *out = v;
    return 0;
}

/* A deep path is cut short, never overrun: the message stays readable. */
static void loc_sub(struct loc *child, const struct loc *parent, const char *key, long idx)
{
    int n;
    child->file = parent->file;
    const char *dot = parent->where[0] ? "." : "";
    if (idx >= 0)
        n = snprintf(child->where, sizeof(child->where), "%s%s%s[%ld]", parent->where, dot, key,
                     idx);
    else
        n = snprintf(child->where, sizeof(child->where), "%s%s%s", parent->where, dot, key);
    if (n < 0 || (size_t)n >= sizeof(child->where))
        rpt_utf8_trim(child->where);
}

/* The runner writes null for a value it could not compute (a CI from too
 * few samples): such a value is unknown, not an error. A summary without a
 * median is made again from the samples. */
static int load_summary(const struct loc *l, json_t *s, struct rpt_metric *m, struct vcb_err *err)
{
    struct rpt_summary *o = &m->sum;
    struct loc sl;
    loc_sub(&sl, l, "summary", -1);
    *o = (struct rpt_summary){
        .n = (double)m->n_samples, .median = NAN, .ci_lo = NAN, .ci_hi = NAN, .drift = NAN};
    if (s && (get_num(&sl, s, "median", false, &o->median, err) < 0 ||
              get_num(&sl, s, "n", false, &o->n, err) < 0 ||
              get_num(&sl, s, "p5", false, &o->p5, err) < 0 ||
              get_num(&sl, s, "p95", false, &o->p95, err) < 0 ||
              get_num(&sl, s, "mean", false, &o->mean, err) < 0 ||
              get_num(&sl, s, "stddev", false, &o->stddev, err) < 0 ||
              get_num(&sl, s, "ci95_lo", false, &o->ci_lo, err) < 0 ||
              get_num(&sl, s, "ci95_hi", false, &o->ci_hi, err) < 0 ||
              get_num(&sl, s, "outliers", false, &o->outliers, err) < 0 ||
              get_num(&sl, s, "drift", false, &o->drift, err) < 0))
        return -1;
    if (isnan(o->median)) {
        m->has_summary = rpt_summary_compute(m->samples, m->n_samples, o) == 0;
        return 0;
    }
    o->p99 = o->p95;
    if (get_num(&sl, s, "p99", false, &o->p99, err) < 0)
        return -1;
    if (o->ci_lo > o->ci_hi)
        return bad(err, l->file, sl.where, "ci95_lo", "ci95_lo <= ci95_hi", NULL);
    if (isnan(o->ci_lo) || isnan(o->ci_hi)) /* half a CI is no CI */
        o->ci_lo = o->ci_hi = NAN;
    m->has_summary = true;
    return 0;
}

static int load_samples(const struct loc *l, json_t *arr, struct rpt_metric *m, struct vcb_err *err)
{
    size_t n = json_array_size(arr);
    m->samples = calloc(n ? n : 1, sizeof(double));
    if (!m->samples)
        return vcb_err_sys(err, ENOMEM, "%s: %s.samples", l->file, l->where);
    /* Times cannot be negative; bytes can: overhead and the density drop are
     * differences of two readings, and noise makes small ones negative. */
    bool nonneg = strcmp(m->unit, "ns") == 0;
    for (size_t i = 0; i < n; i++) {
        json_t *v = json_array_get(arr, i);
        if (json_is_null(v)) /* a non-finite value the runner could not write */
            continue;
        if (!num_ok(v) || (nonneg && json_number_value(v) < 0)) {
            char key[48];
            snprintf(key, sizeof(key), "samples[%zu]", i);
            return bad(err, l->file, l->where, key,
                       nonneg ? "a number >= 0, at most 1e18" : "a number of at most 1e18", v);
        }
        m->samples[m->n_samples++] = json_number_value(v);
    }
    return 0;
}

static int load_metric(const struct loc *l, json_t *j, struct rpt_metric *m, struct vcb_err *err)
{
    json_t *samples, *summary;
    if (!json_is_object(j))
        return bad(err, l->file, l->where, NULL, "an object", j);
    if (get_str(l, j, "name", true, &m->name, err) < 0 ||
        get_str(l, j, "unit", true, &m->unit, err) < 0 ||
        get_typed(l, j, "samples", JSON_ARRAY, &samples, err) < 0 ||
        get_typed(l, j, "summary", JSON_OBJECT, &summary, err) < 0)
        return -1;
    if (!vcb_unit_known(m->unit))
        return bad(err, l->file, l->where, "unit", "one of " VCB_UNITS_TEXT, NULL);
    if (load_samples(l, samples, m, err) < 0)
        return -1;
    return load_summary(l, summary, m, err);
}

static int load_metrics(const struct loc *l, json_t *j, struct rpt_entry *e, struct vcb_err *err)
{
    json_t *arr;
    if (get_typed(l, j, "metrics", JSON_ARRAY, &arr, err) < 0)
        return -1;
    size_t n = json_array_size(arr);
    e->metrics = calloc(n ? n : 1, sizeof(*e->metrics));
    if (!e->metrics)
        return vcb_err_sys(err, ENOMEM, "%s: %s.metrics", l->file, l->where);
    e->n_metrics = n;
    for (size_t i = 0; i < n; i++) {
        struct loc ml;
        loc_sub(&ml, l, "metrics", (long)i);
        if (load_metric(&ml, json_array_get(arr, i), &e->metrics[i], err) < 0)
            return -1;
    }
    return 0;
}

static int load_curve(const struct loc *l, json_t *j, struct rpt_entry *e, struct vcb_err *err)
{
    json_t *arr;
    if (get_typed(l, j, "curve", JSON_ARRAY, &arr, err) < 0)
        return -1;
    if (!arr)
        return 0;
    size_t n = json_array_size(arr);
    e->curve = calloc(n ? n : 1, sizeof(*e->curve));
    if (!e->curve)
        return vcb_err_sys(err, ENOMEM, "%s: %s.curve", l->file, l->where);
    for (size_t i = 0; i < n; i++) {
        struct loc cl;
        json_t *p = json_array_get(arr, i);
        loc_sub(&cl, l, "curve", (long)i);
        if (!json_is_object(p))
            return bad(err, l->file, cl.where, NULL, "an object", p);
        struct rpt_point *pt = &e->curve[i];
        if (get_num(&cl, p, "instances", true, &pt->instances, err) < 0 ||
            get_num(&cl, p, "host_used_bytes", true, &pt->host_used_bytes, err) < 0)
            return -1;
    }
    e->n_curve = n;
    return 0;
}

/* "fit": {"slope_bytes": …, "ci95_lo": … | null, "ci95_hi": … | null, …}. */
static int load_fit(const struct loc *l, json_t *j, const char *key, struct rpt_fit *out,
                    struct vcb_err *err)
{
    json_t *o;
    struct loc fl;
    if (get_typed(l, j, key, JSON_OBJECT, &o, err) < 0)
        return -1;
    if (!o)
        return 0;
    loc_sub(&fl, l, key, -1);
    out->lo = out->hi = out->intercept = NAN;
    if (get_num(&fl, o, "slope_bytes", true, &out->slope, err) < 0 ||
        get_num(&fl, o, "intercept_bytes", false, &out->intercept, err) < 0 ||
        get_num(&fl, o, "ci95_lo", false, &out->lo, err) < 0 ||
        get_num(&fl, o, "ci95_hi", false, &out->hi, err) < 0)
        return -1;
    out->has = true;
    return 0;
}

static int load_dnf(const struct loc *l, json_t *j, struct rpt_entry *e, struct vcb_err *err)
{
    json_t *arr, *notes;
    if (get_typed(l, j, "dnf", JSON_ARRAY, &arr, err) < 0 ||
        get_typed(l, j, "notes", JSON_OBJECT, &notes, err) < 0)
        return -1;
    e->n_dnf = json_array_size(arr);
    for (size_t i = 0; i < e->n_dnf; i++) {
        json_t *d = json_array_get(arr, i);
        struct loc dl;
        loc_sub(&dl, l, "dnf", (long)i);
        if (json_is_string(d) && !e->dnf_reason)
            e->dnf_reason = json_string_value(d);
        else if (json_is_object(d)) {
            const char *r;
            if (get_str(&dl, d, "reason", false, &r, err) < 0)
                return -1;
            if (!e->dnf_reason)
                e->dnf_reason = r;
        } else if (!json_is_string(d))
            return bad(err, l->file, dl.where, NULL, "an object with a reason", d);
    }
    e->notes = notes;
    if (!notes)
        return 0;
    struct loc nl;
    loc_sub(&nl, l, "notes", -1);
    return get_str(&nl, notes, "aggressor_outcome", false, &e->aggressor_outcome, err);
}

static int load_entry(const struct loc *l, json_t *j, const struct rpt_run *run,
                      struct rpt_entry *e, struct vcb_err *err)
{
    if (!json_is_object(j))
        return bad(err, l->file, l->where, NULL, "an object", j);
    if (get_str(l, j, "scenario", true, &e->scenario, err) < 0 ||
        get_str(l, j, "backend", true, &e->backend, err) < 0 ||
        get_typed(l, j, "params", JSON_OBJECT, &e->params, err) < 0)
        return -1;
    /* A VM on a TCG host is emulated even if an old writer forgot to say so. */
    const char *accel = run->host.accel;
    e->emulated = strcmp(e->backend, "vm") == 0 && accel && strcmp(accel, "tcg") == 0;
    if (get_bool(l, j, "emulated", &e->emulated, err) < 0)
        return -1;
    if (rpt_params_key(e->params, &e->params_key) < 0)
        return vcb_err_sys(err, ENOMEM, "%s: %s.params", l->file, l->where);
    if (load_metrics(l, j, e, err) < 0 || load_curve(l, j, e, err) < 0 ||
        load_fit(l, j, "fit", &e->fit, err) < 0 ||
        load_fit(l, j, "daemons_fit", &e->daemons_fit, err) < 0)
        return -1;
    return load_dnf(l, j, e, err);
}

static int load_host(const struct loc *root, json_t *doc, struct rpt_host *h, struct vcb_err *err)
{
    json_t *o;
    struct loc l;
    if (get_typed(root, doc, "host", JSON_OBJECT, &o, err) < 0)
        return -1;
    if (!o)
        return 0;
    loc_sub(&l, root, "host", -1);
    double cores = 0, mem = 0;
    if (get_str(&l, o, "hostname", false, &h->hostname, err) < 0 ||
        get_str(&l, o, "kernel", false, &h->kernel, err) < 0 ||
        get_str(&l, o, "cpu_model", false, &h->cpu_model, err) < 0 ||
        get_str(&l, o, "cgroup_mode", false, &h->cgroup_mode, err) < 0 ||
        get_str(&l, o, "accel", false, &h->accel, err) < 0 ||
        get_str(&l, o, "accel_reason", false, &h->accel_reason, err) < 0 ||
        get_str(&l, o, "libvirt_version", false, &h->libvirt_version, err) < 0 ||
        get_str(&l, o, "qemu_version", false, &h->qemu_version, err) < 0 ||
        get_str(&l, o, "thp", false, &h->thp, err) < 0 ||
        get_str(&l, o, "ksm", false, &h->ksm, err) < 0 ||
        get_num(&l, o, "cores", false, &cores, err) < 0 ||
        get_num(&l, o, "mem_total_bytes", false, &mem, err) < 0)
        return -1;
    if (get_typed(&l, o, "oci_runtimes", JSON_OBJECT, &h->oci_runtimes, err) < 0 ||
        get_typed(&l, o, "vm_host", JSON_OBJECT, &h->vm_host, err) < 0)
        return -1;
    if (h->accel && strcmp(h->accel, "kvm") != 0 && strcmp(h->accel, "tcg") != 0)
        return bad(err, l.file, l.where, "accel", "\"kvm\", \"tcg\" or null", NULL);
    if (cores < 0 || cores > 1e6 || mem < 0 || mem > 1e18)
        return bad(err, l.file, l.where, "cores", "a plausible core count and memory size", NULL);
    h->cores = (uint64_t)cores;
    h->mem_total_bytes = (uint64_t)mem;
    return 0;
}

/* What changes the numbers: options (flat: strings, booleans, null),
 * the suite's hash, the command line's words. */
static int load_run_options(const struct loc *l, json_t *run, struct rpt_run *r,
                            struct vcb_err *err)
{
    const char *k;
    json_t *v;
    size_t i;
    if (get_typed(l, run, "options", JSON_OBJECT, &r->options, err) < 0 ||
        get_typed(l, run, "command_line", JSON_ARRAY, &r->command_line, err) < 0 ||
        get_str(l, run, "suite_sha256", false, &r->suite_sha256, err) < 0)
        return -1;
    json_object_foreach(r->options, k, v)
    {
        if (!json_is_string(v) && !json_is_boolean(v) && !json_is_null(v)) {
            struct loc ol;
            loc_sub(&ol, l, "options", -1);
            return bad(err, l->file, ol.where, k, "a string, true, false or null", v);
        }
    }
    json_array_foreach(r->command_line, i, v)
    {
        if (!json_is_string(v)) {
            struct loc cl;
            loc_sub(&cl, l, "command_line", (long)i);
            return bad(err, l->file, cl.where, NULL, "a string", v);
        }
    }
    return 0;
}

/* "logs": what the instance logs dropped (optional: older files lack it). */
static int load_logs(const struct loc *root, json_t *doc, struct rpt_logs *g, struct vcb_err *err)
{
    json_t *o;
    struct loc l;
    if (get_typed(root, doc, "logs", JSON_OBJECT, &o, err) < 0)
        return -1;
    loc_sub(&l, root, "logs", -1);
    if (o && (get_num(&l, o, "max_bytes_per_instance", false, &g->max_per_instance, err) < 0 ||
              get_num(&l, o, "capped_instances", false, &g->capped_instances, err) < 0 ||
              get_num(&l, o, "dropped_bytes", false, &g->dropped_bytes, err) < 0 ||
              get_str(&l, o, "keep_error", false, &g->keep_error, err) < 0))
        return -1;
    return 0;
}

static int load_meta(const struct loc *root, json_t *doc, struct rpt_run *r, struct vcb_err *err)
{
    json_t *run, *vcb, *suite;
    struct loc l;
    if (get_typed(root, doc, "run", JSON_OBJECT, &run, err) < 0 ||
        get_typed(root, doc, "vcbench", JSON_OBJECT, &vcb, err) < 0 ||
        get_typed(root, doc, "suite", JSON_OBJECT, &suite, err) < 0)
        return -1;
    r->complete = true;
    loc_sub(&l, root, "run", -1);
    if (run && (get_str(&l, run, "id", false, &r->id, err) < 0 ||
                get_str(&l, run, "started", false, &r->started, err) < 0 ||
                get_str(&l, run, "finished", false, &r->finished, err) < 0 ||
                get_str(&l, run, "stopped_by", false, &r->stopped_by, err) < 0 ||
                get_bool(&l, run, "complete", &r->complete, err) < 0 ||
                load_run_options(&l, run, r, err) < 0))
        return -1;
    loc_sub(&l, root, "vcbench", -1);
    if (vcb && (get_str(&l, vcb, "version", false, &r->vcb_version, err) < 0 ||
                get_str(&l, vcb, "git", false, &r->vcb_git, err) < 0))
        return -1;
    loc_sub(&l, root, "suite", -1);
    if (suite && get_str(&l, suite, "name", false, &r->suite_name, err) < 0)
        return -1;
    if (load_logs(root, doc, &r->logs, err) < 0)
        return -1;
    return load_host(root, doc, &r->host, err);
}

/* "vcbench-results/1" or "vcbench-results/1.<minor>": minors only add fields. */
static bool schema_known(const char *schema)
{
    size_t n = strlen(RPT_SCHEMA);
    if (strncmp(schema, RPT_SCHEMA, n) != 0)
        return false;
    if (schema[n] == '\0')
        return true;
    return schema[n] == '.' && schema[n + 1] &&
           strspn(schema + n + 1, "0123456789") == strlen(schema + n + 1);
}

static int load_doc(struct rpt_run *r, struct vcb_err *err)
{
    struct loc root = {.file = r->path, .where = ""};
    const char *schema;
    json_t *results;
    if (!json_is_object(r->doc))
        return bad(err, r->path, "", NULL, "a JSON object at the top", r->doc);
    if (get_str(&root, r->doc, "schema", true, &schema, err) < 0)
        return -1;
    if (!schema_known(schema))
        return vcb_err_usage(err, "%s: schema: expected \"%s\" or \"%s.N\", got \"%.64s\"", r->path,
                             RPT_SCHEMA, RPT_SCHEMA, schema);
    if (load_meta(&root, r->doc, r, err) < 0 ||
        get_typed(&root, r->doc, "results", JSON_ARRAY, &results, err) < 0)
        return -1;
    if (!results)
        return bad(err, r->path, "", "results", "an array", NULL);
    size_t n = json_array_size(results);
    r->entries = calloc(n ? n : 1, sizeof(*r->entries));
    if (!r->entries)
        return vcb_err_sys(err, ENOMEM, "%s: results", r->path);
    r->n_entries = n;
    for (size_t i = 0; i < n; i++) {
        struct loc el;
        loc_sub(&el, &root, "results", (long)i);
        if (load_entry(&el, json_array_get(results, i), r, &r->entries[i], err) < 0)
            return -1;
    }
    return 0;
}

static int load_parsed(json_t *doc, const char *name, struct rpt_run **out, struct vcb_err *err)
{
    struct rpt_run *r = calloc(1, sizeof(*r));
    if (!r) {
        json_decref(doc);
        return vcb_err_sys(err, ENOMEM, "%s", name);
    }
    r->doc = doc;
    r->path = strdup(name);
    if (!r->path) {
        rpt_run_free(r);
        return vcb_err_sys(err, ENOMEM, "%s", name);
    }
    if (load_doc(r, err) < 0) {
        rpt_run_free(r);
        return -1;
    }
    *out = r;
    return 0;
}

int rpt_load_str(const char *text, const char *name, struct rpt_run **out, struct vcb_err *err)
{
    json_error_t jerr;
    json_t *doc = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
    if (!doc)
        return vcb_err_usage(err, "%s:%d:%d: not valid JSON: %s", name, jerr.line, jerr.column,
                             jerr.text);
    return load_parsed(doc, name, out, err);
}

int rpt_load(const char *path, struct rpt_run **out, struct vcb_err *err)
{
    json_error_t jerr;
    json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!doc) {
        int e = errno;
        if (json_error_code(&jerr) == json_error_cannot_open_file)
            return vcb_err_usage(err, "%s: cannot read: %s", path, strerror(e));
        return vcb_err_usage(err, "%s:%d:%d: not valid JSON: %s", path, jerr.line, jerr.column,
                             jerr.text);
    }
    return load_parsed(doc, path, out, err);
}

void rpt_run_free(struct rpt_run *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_entries; i++) {
        struct rpt_entry *e = &r->entries[i];
        for (size_t m = 0; m < e->n_metrics; m++)
            free(e->metrics[m].samples);
        free(e->metrics);
        free(e->curve);
        free(e->params_key);
    }
    free(r->entries);
    free(r->path);
    json_decref(r->doc);
    free(r);
}

void rpt_run_freep(struct rpt_run **r)
{
    rpt_run_free(*r);
}
