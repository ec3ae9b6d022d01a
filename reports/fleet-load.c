/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fleet-load.c — a fleet's record (fleet.json, written by `vcbench fleet`)
 * read into the report model: each host with results (it finished, or was
 * stopped with its results so far: incomplete) is a run, labelled by its
 * name and labels; the others stay rows with their reason. Outside input,
 * checked as results files are: failures name the file and field. */
#include <errno.h>
#include <libgen.h>
#include <string.h>

#include "rpt-priv.h"

static int fleet_bad(struct vcb_err *err, const char *file, size_t i, const char *key,
                     const char *expected)
{
    return vcb_err_usage(err, "%s: hosts[%zu].%s: expected %s", file, i, key, expected);
}

static const char *str_of(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* "vcb-a (gen=zen3 kernel=6.1)": how the report names the host's run. */
static void host_label(const struct rpt_fleet_host *h, char *buf, size_t len)
{
    char labels[512];
    rpt_fleet_labels_text(h, labels, sizeof(labels));
    snprintf(buf, len, labels[0] ? "%s (%s)" : "%s", h->name, labels);
    rpt_utf8_trim(buf);
}

static int labels_ok(json_t *labels)
{
    const char *k;
    json_t *v;
    if (!json_is_object(labels))
        return 0;
    json_object_foreach(labels, k, v) if (!json_is_string(v)) return 0;
    return 1;
}

/* One host entry; a done host's results file loaded as a run. */
static int host_load(struct rpt_fleet *f, size_t i, json_t *o, const char *dir, struct vcb_err *err)
{
    struct rpt_fleet_host *h = &f->hosts[i];
    const char *file = f->path;
    h->name = str_of(o, "name");
    h->status = str_of(o, "status");
    h->reason = str_of(o, "reason");
    h->dest = str_of(o, "destination");
    h->labels = json_object_get(o, "labels");
    h->total_s = json_number_value(json_object_get(json_object_get(o, "timings"), "total_s"));
    h->run_i = SIZE_MAX;
    if (!json_is_object(o))
        return vcb_err_usage(err, "%s: hosts[%zu]: expected an object", file, i);
    if (!h->name || !h->name[0])
        return fleet_bad(err, file, i, "name", "a string");
    if (!h->status ||
        (strcmp(h->status, "done") && strcmp(h->status, "incomplete") && strcmp(h->status, "dnf")))
        return fleet_bad(err, file, i, "status", "\"done\", \"incomplete\" or \"dnf\"");
    if (!labels_ok(h->labels))
        return fleet_bad(err, file, i, "labels", "an object of strings");
    if (strcmp(h->status, "done") && !h->reason)
        return fleet_bad(err, file, i, "reason", "a string (why it did not finish)");
    if (!strcmp(h->status, "dnf"))
        return 0;
    const char *rel = str_of(o, "results");
    if (!rel || !rel[0] || rel[0] == '/' || strstr(rel, ".."))
        return fleet_bad(err, file, i, "results", "a path inside the fleet's directory");
    cleanup_free char *path = NULL;
    if (asprintf(&path, "%s/%s", dir, rel) < 0)
        return vcb_err_sys(err, ENOMEM, "%s", file);
    struct rpt_run *run;
    if (rpt_load(path, &run, err) < 0)
        return vcb_err_prefix(err, "%s: host %s", file, h->name);
    h->run_i = f->n_runs;
    f->runs[f->n_runs++] = run;
    host_label(h, run->label, sizeof(run->label));
    return 0;
}

static int fleet_parse(struct rpt_fleet *f, struct vcb_err *err)
{
    json_t *hosts = json_object_get(f->doc, "hosts");
    if (!json_is_object(f->doc) || !str_of(f->doc, "schema") ||
        strcmp(str_of(f->doc, "schema"), RPT_FLEET_SCHEMA) != 0)
        return vcb_err_usage(err, "%s: schema: expected \"%s\"", f->path, RPT_FLEET_SCHEMA);
    if (!json_is_array(hosts) || json_array_size(hosts) == 0)
        return vcb_err_usage(err, "%s: hosts: expected a non-empty array", f->path);
    f->suite = str_of(f->doc, "suite");
    f->stopped_by = str_of(f->doc, "stopped_by");
    size_t n = json_array_size(hosts);
    f->hosts = calloc(n, sizeof(*f->hosts));
    f->runs = calloc(n, sizeof(*f->runs));
    if (!f->hosts || !f->runs)
        return vcb_err_sys(err, ENOMEM, "%s", f->path);
    cleanup_free char *copy = strdup(f->path);
    if (!copy)
        return vcb_err_sys(err, ENOMEM, "%s", f->path);
    const char *dir = dirname(copy);
    for (f->n_hosts = 0; f->n_hosts < n; f->n_hosts++)
        if (host_load(f, f->n_hosts, json_array_get(hosts, f->n_hosts), dir, err) < 0)
            return -1;
    return 0;
}

int rpt_fleet_load(const char *path, struct rpt_fleet **out, struct vcb_err *err)
{
    struct rpt_fleet *f = calloc(1, sizeof(*f));
    if (!f || !(f->path = strdup(path))) {
        free(f);
        return vcb_err_sys(err, ENOMEM, "%s", path);
    }
    if (!(f->doc = vcb_json_load_file(path, err)) || fleet_parse(f, err) < 0) {
        rpt_fleet_free(f);
        return -1;
    }
    *out = f;
    return 0;
}

void rpt_fleet_free(struct rpt_fleet *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n_runs; i++)
        rpt_run_free(f->runs[i]);
    free(f->runs);
    free(f->hosts);
    json_decref(f->doc);
    free(f->path);
    free(f);
}

bool rpt_fleet_is(const char *path)
{
    struct vcb_err ignored = {0};
    cleanup_json json_t *doc = vcb_json_load_file(path, &ignored);
    const char *schema = json_string_value(json_object_get(doc, "schema"));
    return schema && !strcmp(schema, RPT_FLEET_SCHEMA);
}

size_t rpt_fleet_n_runs(const struct rpt_fleet *f)
{
    return f->n_runs;
}

int rpt_fleet_report_write(struct rpt_fleet *f, const struct rpt_opts *opts, struct vcb_err *err)
{
    if (f->n_runs == 0)
        return vcb_err_set(err, 0, "%s: no host has results: nothing to report", f->path);
    return rpt_report_make(f->runs, f->n_runs, opts, f, err);
}
