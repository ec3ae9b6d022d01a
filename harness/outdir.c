/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* outdir.c — `vcbench run --out DIR` never replaces an earlier run's results
 * by accident: a DIR holding results.json or logs/ is refused unless --force
 * is given, and then what is replaced is said, and the earlier logs go as
 * soon as this run's first results.json stands in place of the earlier one,
 * so the logs of two runs never mix. */
#include <dirent.h>
#include <string.h>

#include "harness.h"

static size_t count_files(const char *dir)
{
    DIR *d = opendir(dir);
    size_t n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

/* "DIR/results.json (run 3f2a9c01) and DIR/logs/ (12 files)" */
static void describe_prior(const char *dir, bool results, bool logs, char *out, size_t len)
{
    char path[PATH_MAX + 16], id[64] = "";
    snprintf(path, sizeof(path), "%s/results.json", dir);
    cleanup_json json_t *doc = results ? vcb_json_load_file(path, NULL) : NULL;
    const char *rid = json_string_value(json_object_get(json_object_get(doc, "run"), "id"));
    if (rid)
        snprintf(id, sizeof(id), " (run %.16s)", rid);
    snprintf(path, sizeof(path), "%s/logs", dir);
    int n = results ? snprintf(out, len, "%s/results.json%s", dir, id) : 0;
    if (logs && n >= 0 && (size_t)n < len)
        snprintf(out + n, len - (size_t)n, "%s%s/logs/ (%zu files)", results ? " and " : "", dir,
                 count_files(path));
}

int bench_out_check(const char *dir, bool force, char *replaced, size_t len, struct vcb_err *err)
{
    char path[PATH_MAX + 16], what[2 * PATH_MAX + 64];
    snprintf(path, sizeof(path), "%s/results.json", dir);
    bool results = vcb_path_exists(path);
    snprintf(path, sizeof(path), "%s/logs", dir);
    bool logs = vcb_path_exists(path);
    replaced[0] = '\0';
    if (!results && !logs)
        return 0;
    describe_prior(dir, results, logs, what, sizeof(what));
    if (!force)
        return vcb_err_usage(err,
                             "--out %s: holds an earlier run's results: %s (expected a new or "
                             "empty directory; --force replaces them)",
                             dir, what);
    snprintf(replaced, len, "%s", what);
    return 0;
}

int bench_out_drop_prior_logs(const char *results_path, struct vcb_err *err)
{
    char logs[PATH_MAX];
    bench_logs_dir(results_path, logs, sizeof(logs));
    if (vcb_rm_rf(logs, err) < 0)
        return vcb_err_prefix(err, "--force: remove the earlier logs");
    return 0;
}
