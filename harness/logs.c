/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* logs.c — a run's instance logs: each capped by its driver (core/logcap.c)
 * at the run's log_max; here what each kept and dropped is counted into
 * results.json ("logs"), and at the end the logs are copied, streamed,
 * beside the results (logs/). A copy the disk refuses stops the keeping
 * and is reported: never a log cut short without a word. */
#include <dirent.h>
#include <string.h>

#include "harness.h"

/* Instances listed by name in results.json; the counts cover them all. */
#define LOGS_LISTED 64

void bench_logs_dir(const char *results_path, char *out, size_t len)
{
    const char *slash = strrchr(results_path, '/');
    if (slash)
        snprintf(out, len, "%.*s/logs", (int)(slash - results_path), results_path);
    else
        snprintf(out, len, "logs");
}

void bench_logs_note(struct bench_logs *l, const struct bench_inst *bi)
{
    uint64_t written, dropped;
    int error;
    if (!bi->vi)
        return;
    vcb_logcap_stats(&bi->vi->log, &written, &dropped, &error);
    pthread_mutex_lock(&l->lock); /* instances are destroyed in parallel threads */
    l->instances++;
    l->written += written;
    l->dropped += dropped;
    if (dropped || error) {
        l->capped++;
        if (!l->list)
            l->list = json_array();
        if (json_array_size(l->list) < LOGS_LISTED)
            json_array_append_new(
                l->list,
                json_pack("{s:s, s:s, s:s, s:I, s:I, s:s?}", "instance", bi->vi->name, "scenario",
                          l->scenario ? l->scenario : "", "backend", bi->be->name, "written_bytes",
                          (json_int_t)written, "dropped_bytes", (json_int_t)dropped, "error",
                          error ? strerror(error) : NULL));
    }
    pthread_mutex_unlock(&l->lock);
}

void bench_logs_to_results(struct bench_logs *l, json_t *doc)
{
    pthread_mutex_lock(&l->lock);
    json_t *o = json_pack(
        "{s:I, s:I, s:I, s:I, s:I, s:o, s:s?, s:s?}", "max_bytes_per_instance",
        (json_int_t)(l->max ? l->max : VCB_LOG_MAX_DEFAULT), "instances", (json_int_t)l->instances,
        "written_bytes", (json_int_t)l->written, "dropped_bytes", (json_int_t)l->dropped,
        "capped_instances", (json_int_t)l->capped, "capped",
        l->list ? json_deep_copy(l->list) : json_array(), "kept_in", l->kept[0] ? l->kept : NULL,
        "keep_error", l->keep_error[0] ? l->keep_error : NULL);
    pthread_mutex_unlock(&l->lock);
    json_object_set_new(doc, "logs", o);
}

void bench_logs_free(struct bench_logs *l)
{
    json_decref(l->list);
    l->list = NULL;
}

static void closedirp(DIR **d)
{
    if (*d)
        closedir(*d);
}

int bench_logs_keep(const char *run_dir, const char *results_path, struct vcb_err *err)
{
    char logs[PATH_MAX], src[PATH_MAX], dst[PATH_MAX * 2];
    bench_logs_dir(results_path, logs, sizeof(logs));
    __attribute__((cleanup(closedirp))) DIR *d = opendir(run_dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_type != DT_REG || strcmp(e->d_name, "lock") == 0)
            continue;
        if (vcb_mkdir_p(logs, 0755, err) < 0)
            return vcb_err_prefix(err, "logs");
        snprintf(src, sizeof(src), "%s/%s", run_dir, e->d_name);
        snprintf(dst, sizeof(dst), "%s/%s", logs, e->d_name);
        if (vcb_copy_file(src, dst, 0644, err) < 0)
            return vcb_err_prefix(err, "logs");
    }
    return 0;
}
