/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* labels.c — the names people read: values with units, backends (with the
 * emulated label), legend series, the host line, and one colour per backend
 * so a backend looks the same in every plot. */
#include <string.h>

#include "rpt-priv.h"

/* Three significant digits without exponent notation. */
static void sig3(double v, const char *unit, char *buf, size_t len)
{
    double a = fabs(v);
    int prec = a >= 100 || a == floor(a) ? 0 : a >= 10 ? 1 : 2;
    snprintf(buf, len, "%.*f %s", prec, v, unit);
}

static void scaled(double v, const double *steps, const char *const *names, size_t n, char *buf,
                   size_t len)
{
    size_t i = 0;
    while (i + 1 < n && fabs(v) >= steps[i + 1] * 0.9995)
        i++;
    sig3(v / steps[i], names[i], buf, len);
}

void rpt_format_value(const char *unit, double v, char *buf, size_t len)
{
    static const double t_steps[] = {1, 1e3, 1e6, 1e9};
    static const char *const t_names[] = {"ns", "µs", "ms", "s"};
    static const double b_steps[] = {1, 1024.0, 1048576.0, 1073741824.0, 1099511627776.0};
    static const char *const b_names[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    if (isnan(v))
        snprintf(buf, len, "n/a");
    else if (strcmp(unit, "ns") == 0)
        scaled(v, t_steps, t_names, 4, buf, len);
    else if (strcmp(unit, "bytes") == 0)
        scaled(v, b_steps, b_names, 5, buf, len);
    else if (strcmp(unit, "pct") == 0)
        snprintf(buf, len, "%.1f %%", v);
    else if (strcmp(unit, "ops_per_s") == 0)
        sig3(v, "ops/s", buf, len);
    else if (strcmp(unit, "mb_per_s") == 0)
        sig3(v, "MB/s", buf, len);
    else if (strcmp(unit, "per_s") == 0)
        sig3(v, "/s", buf, len);
    else
        snprintf(buf, len, "%g %s", v, unit);
}

void rpt_backend_label(const struct rpt_entry *e, char *buf, size_t len)
{
    const char *timed = json_string_value(json_object_get(e->notes, "timed"));
    snprintf(buf, len, "%s%s%s%s%s", e->backend, timed ? " (" : "", timed ? timed : "",
             timed ? ")" : "", e->emulated ? " — emulated (TCG)" : "");
    rpt_utf8_trim(buf);
}

static bool key_ignored(const char *key, const char *const *ignore)
{
    for (; ignore && *ignore; ignore++)
        if (strcmp(key, *ignore) == 0)
            return true;
    return false;
}

static bool param_varies(const char *key, json_t *v, const struct rpt_entry *const *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!json_equal(json_object_get(set[i]->params, key), v))
            return true;
    return false;
}

void rpt_series_label(struct rpt_run *const *runs, size_t n_runs, size_t run_i,
                      const struct rpt_entry *e, const struct rpt_entry *const *set, size_t n_set,
                      const char *const *ignore_keys, char *buf, size_t len)
{
    size_t o;
    rpt_backend_label(e, buf, len);
    const char *k;
    json_t *v;
    json_object_foreach(e->params, k, v)
    {
        if (key_ignored(k, ignore_keys) || !param_varies(k, v, set, n_set))
            continue;
        o = strlen(buf);
        if (json_is_string(v))
            snprintf(buf + o, len - o, " %s=%s", k, json_string_value(v));
        else if (json_is_number(v))
            snprintf(buf + o, len - o, " %s=%g", k, json_number_value(v));
        else
            snprintf(buf + o, len - o, " %s=%s", k, json_is_true(v) ? "true" : "false");
    }
    o = strlen(buf);
    if (n_runs > 1)
        snprintf(buf + o, len - o, " [%s]", runs[run_i]->label);
    rpt_utf8_trim(buf);
}

void rpt_host_line(const struct rpt_run *run, char *buf, size_t len)
{
    const struct rpt_host *h = &run->host;
    const char *accel = h->accel;
    size_t o;
    snprintf(buf, len, "host: %s, %llu cores, kernel %s", h->cpu_model ? h->cpu_model : "?",
             (unsigned long long)h->cores, h->kernel ? h->kernel : "?");
    o = strlen(buf);
    if (accel && strcmp(accel, "tcg") == 0)
        snprintf(buf + o, len - o, "; VMs: emulated (TCG) — %s",
                 h->accel_reason ? h->accel_reason : "reason not recorded");
    else if (accel && strcmp(accel, "kvm") == 0)
        snprintf(buf + o, len - o, "; VMs: KVM");
    rpt_utf8_trim(buf);
}

/* Okabe–Ito colours (safe for colour-blind readers); the control is grey.
 * Any other backend (a family's members: "oci:crun", "oci:runc") gets the
 * next colour in the order it is first asked for, the same one for the
 * rest of the report: a hash of the name let two of them share one. */
const char *rpt_backend_color(const char *backend)
{
    static const char *const others[] = {"#009E73", "#CC79A7", "#E69F00", "#56B4E9"};
    static char seen[16][64];
    static size_t nseen;
    if (strcmp(backend, "process") == 0)
        return "#555555";
    if (strcmp(backend, "container") == 0)
        return "#0072B2";
    if (strcmp(backend, "vm") == 0)
        return "#D55E00";
    size_t i = 0;
    while (i < nseen && strcmp(seen[i], backend) != 0)
        i++;
    if (i == nseen && nseen < sizeof(seen) / sizeof(seen[0]))
        snprintf(seen[nseen++], sizeof(seen[0]), "%s", backend);
    return others[i % 4];
}

bool rpt_oci_line(const struct rpt_host *h, char *buf, size_t len)
{
    const char *backend;
    json_t *rt;
    size_t o = 0;
    buf[0] = '\0';
    json_object_foreach(h->oci_runtimes, backend, rt)
    {
        const char *version = json_string_value(json_object_get(rt, "version"));
        const char *path = json_string_value(json_object_get(rt, "path"));
        const char *error = json_string_value(json_object_get(rt, "error"));
        int n = snprintf(buf + o, len - o, "%s%s: %s%s%s%s", o ? "; " : "", backend,
                         version ? version
                         : error ? error
                                 : "?",
                         path ? " (" : "", path ? path : "", path ? ")" : "");
        if (n < 0 || (size_t)n >= len - o)
            break;
        o += (size_t)n;
    }
    rpt_utf8_trim(buf);
    return buf[0] != '\0';
}

bool rpt_logs_line(const struct rpt_run *run, char *buf, size_t len)
{
    const struct rpt_logs *g = &run->logs;
    char cap[32], lost[32];
    int n = 0;
    buf[0] = '\0';
    if (g->capped_instances > 0) {
        vcb_format_size((uint64_t)g->max_per_instance, cap, sizeof(cap));
        vcb_format_size((uint64_t)g->dropped_bytes, lost, sizeof(lost));
        n = snprintf(buf, len,
                     "the logs of %.0f instances reached their cap of %s (or the disk was "
                     "full): %s dropped; results.json logs.capped lists them.",
                     g->capped_instances, cap, lost);
    }
    if (g->keep_error && n >= 0 && (size_t)n < len)
        snprintf(buf + n, len - (size_t)n, "%sThe logs could not be kept beside the results: %s.",
                 n ? " " : "", g->keep_error);
    return buf[0] != '\0';
}
