/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* record.c — fleet.json: what the fleet was asked and what each host did,
 * enough to make the report again without any host (schema
 * vcbench-fleet/1; results paths relative to the record's directory). */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "fleet.h"

const char *fleet_state_name(enum fleet_state s)
{
    static const char *const names[] = {"waiting",  "connecting", "installing", "running",
                                        "fetching", "done",       "incomplete", "dnf"};
    return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

void fleet_iso_now(char *buf, size_t len)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static json_t *labels_json(const struct fleet_host *h)
{
    json_t *o = json_object();
    for (size_t i = 0; o && i < h->n_labels; i++)
        json_object_set_new(o, h->labels[i].key, json_string(h->labels[i].value));
    return o;
}

static json_t *timings_json(const struct fleet_timings *t)
{
    return json_pack("{s:f, s:f, s:f, s:f, s:f}", "check_s", t->check, "install_s", t->install,
                     "run_s", t->run, "fetch_s", t->fetch, "total_s", t->total);
}

/* results is out_dir/hosts/<name>/results.json: kept relative to out_dir. */
static json_t *host_json(const struct fleet_host *h, const struct fleet_host_result *r,
                         const char *out_dir)
{
    const char *rel = r->results;
    size_t n = strlen(out_dir);
    if (!strncmp(rel, out_dir, n) && rel[n] == '/')
        rel += n + 1;
    return json_pack("{s:s, s:s, s:o, s:s, s:s?, s:s?, s:b, s:s?, s:o, s:s?}", "name", h->name,
                     "destination", h->dest, "labels", labels_json(h), "status",
                     fleet_state_name(r->state), "reason", r->reason[0] ? r->reason : NULL,
                     "remote_version", r->remote_version[0] ? r->remote_version : NULL, "installed",
                     r->installed, "started", r->started[0] ? r->started : NULL, "timings",
                     timings_json(&r->t), "results",
                     r->state != FLEET_DNF && r->results[0] ? rel : NULL);
}

int fleet_record_write(const char *path, const struct fleet_hosts *hosts,
                       const struct fleet_host_result *res, const struct fleet_opts *opts,
                       const char *started, const char *stopped_by, struct vcb_err *err)
{
    char finished[32];
    fleet_iso_now(finished, sizeof(finished));
    cleanup_json json_t *list = json_array();
    for (size_t i = 0; list && i < hosts->n; i++)
        if (json_array_append_new(list, host_json(&hosts->hosts[i], &res[i], opts->out_dir)) < 0)
            return vcb_err_sys(err, ENOMEM, "%s", path);
    cleanup_json json_t *doc =
        json_pack("{s:s, s:{s:s, s:s}, s:s, s:s?, s:s, s:s, s:s?, s:O}", "schema", FLEET_SCHEMA,
                  "vcbench", "version", vcb_version(), "git", vcb_git_hash(), "suite",
                  opts->suite_name ? opts->suite_name : opts->suite, "suite_file",
                  opts->suite_text ? opts->suite : NULL, "started", started, "finished", finished,
                  "stopped_by", stopped_by, "hosts", list);
    if (!doc)
        return vcb_err_sys(err, ENOMEM, "%s", path);
    return vcb_json_dump_file_atomic(doc, path, err);
}
