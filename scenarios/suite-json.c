/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* suite-json.c — strict typed readers for suite files. Every error names the
 * file, the field path and what was expected, and is a usage error (exit 2). */
#include <string.h>

#include "suite-json.h"

int sj_bad(const struct sj *sj, const char *path, const char *fmt, ...)
{
    char what[VCB_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    return vcb_err_usage(sj->err, "%s: %s: %s", sj->file, path, what);
}

void sj_path(char *out, size_t len, const char *parent, const char *key)
{
    snprintf(out, len, "%s%s%s", parent, parent[0] ? "." : "", key);
}

static void join(char *out, size_t len, const char *const *names)
{
    out[0] = 0;
    for (size_t i = 0; names[i]; i++) {
        size_t used = strlen(out);
        snprintf(out + used, len - used, "%s%s", i ? ", " : "", names[i]);
    }
}

int sj_keys(const struct sj *sj, json_t *obj, const char *path, const char *const *allowed)
{
    const char *key;
    json_t *val;
    json_object_foreach(obj, key, val)
    {
        bool ok = false;
        for (size_t i = 0; allowed[i] && !ok; i++)
            ok = strcmp(key, allowed[i]) == 0;
        if (!ok) {
            char list[512];
            join(list, sizeof(list), allowed);
            return sj_bad(sj, path[0] ? path : "(top level)",
                          "unknown key '%s' (expected one of: %s)", key, list);
        }
    }
    return 0;
}

int sj_object(const struct sj *sj, json_t *j, const char *path)
{
    return json_is_object(j)
               ? 0
               : sj_bad(sj, path, "expected an object, got %s", vcb_json_type_name(j));
}

int sj_uint(const struct sj *sj, json_t *obj, const char *parent, const char *key, unsigned min,
            unsigned max, unsigned *out)
{
    json_t *j = json_object_get(obj, key);
    if (!j)
        return 0; /* keep the default */
    char path[256];
    sj_path(path, sizeof(path), parent, key);
    if (!json_is_integer(j))
        return sj_bad(sj, path, "expected an integer from %u to %u, got %s", min, max,
                      vcb_json_type_name(j));
    json_int_t v = json_integer_value(j);
    if (v < (json_int_t)min || v > (json_int_t)max)
        return sj_bad(sj, path, "expected an integer from %u to %u, got %lld", min, max,
                      (long long)v);
    *out = (unsigned)v;
    return 0;
}

int sj_double(const struct sj *sj, json_t *obj, const char *parent, const char *key, double min,
              double max, double *out)
{
    json_t *j = json_object_get(obj, key);
    if (!j)
        return 0;
    char path[256];
    sj_path(path, sizeof(path), parent, key);
    if (!json_is_number(j))
        return sj_bad(sj, path, "expected a number from %g to %g, got %s", min, max,
                      vcb_json_type_name(j));
    double v = json_number_value(j);
    if (v < min || v > max)
        return sj_bad(sj, path, "expected a number from %g to %g, got %g", min, max, v);
    *out = v;
    return 0;
}

int sj_number(const struct sj *sj, json_t *obj, const char *parent, const char *key, bool integer,
              double *out)
{
    json_t *j = json_object_get(obj, key);
    if (!j)
        return 0;
    char path[256];
    sj_path(path, sizeof(path), parent, key);
    if (integer ? !json_is_integer(j) : !json_is_number(j))
        return sj_bad(sj, path, "expected %s, got %s", integer ? "an integer" : "a number",
                      vcb_json_type_name(j));
    *out = json_number_value(j);
    return 0;
}

int sj_size(const struct sj *sj, json_t *obj, const char *parent, const char *key, uint64_t *out)
{
    json_t *j = json_object_get(obj, key);
    if (!j)
        return 0;
    char path[256], what[PATH_MAX + 256];
    sj_path(path, sizeof(path), parent, key);
    if (json_is_integer(j) && json_integer_value(j) >= 0) {
        *out = (uint64_t)json_integer_value(j);
        return 0;
    }
    if (!json_is_string(j))
        return sj_bad(sj, path, "expected a size like \"256MiB\", got %s", vcb_json_type_name(j));
    snprintf(what, sizeof(what), "%s: %s", sj->file, path);
    return vcb_parse_size(json_string_value(j), what, out, sj->err);
}

int sj_duration(const struct sj *sj, json_t *obj, const char *parent, const char *key,
                uint64_t *out)
{
    json_t *j = json_object_get(obj, key);
    if (!j)
        return 0;
    char path[256], what[PATH_MAX + 256];
    sj_path(path, sizeof(path), parent, key);
    if (!json_is_string(j))
        return sj_bad(sj, path, "expected a duration like \"500ms\", got %s",
                      vcb_json_type_name(j));
    snprintf(what, sizeof(what), "%s: %s", sj->file, path);
    if (vcb_parse_duration(json_string_value(j), what, out, sj->err) < 0)
        return -1;
    return *out ? 0 : sj_bad(sj, path, "expected a duration above 0");
}

/* One string out of a set of choices (choices == NULL: any string). */
static int str_in(const struct sj *sj, json_t *j, const char *path, const char *noun,
                  const char *const *choices, char *out, size_t len)
{
    if (!json_is_string(j))
        return sj_bad(sj, path, "expected a %s name, got %s", noun, vcb_json_type_name(j));
    const char *s = json_string_value(j);
    bool ok = !choices;
    for (size_t i = 0; choices && choices[i] && !ok; i++)
        ok = strcmp(s, choices[i]) == 0;
    if (!ok) {
        char list[512];
        join(list, sizeof(list), choices);
        return sj_bad(sj, path, "unknown %s '%s' (expected one of: %s)", noun, s, list);
    }
    if (strlen(s) >= len || !s[0])
        return sj_bad(sj, path, "expected a %s name of 1 to %zu characters", noun, len - 1);
    snprintf(out, len, "%s", s);
    return 0;
}

int sj_choice(const struct sj *sj, json_t *obj, const char *parent, const char *key,
              const char *noun, const char *const *choices, char *out, size_t len)
{
    json_t *j = json_object_get(obj, key);
    if (!j)
        return 0;
    char path[256];
    sj_path(path, sizeof(path), parent, key);
    return str_in(sj, j, path, noun, choices, out, len);
}

int sj_choice_list(const struct sj *sj, json_t *obj, const char *parent, const char *key,
                   const char *noun, const char *const *choices, char (*out)[BENCH_WORKLOAD_MAX],
                   size_t max, size_t *n)
{
    json_t *arr = json_object_get(obj, key), *j;
    if (!arr)
        return 0;
    char path[256], ipath[300];
    sj_path(path, sizeof(path), parent, key);
    if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > max)
        return sj_bad(sj, path, "expected an array of 1 to %zu %s names", max, noun);
    size_t i;
    json_array_foreach(arr, i, j)
    {
        snprintf(ipath, sizeof(ipath), "%s[%zu]", path, i);
        if (str_in(sj, j, ipath, noun, choices, out[i], BENCH_WORKLOAD_MAX) < 0)
            return -1;
        for (size_t k = 0; k < i; k++)
            if (strcmp(out[k], out[i]) == 0)
                return sj_bad(sj, ipath, "'%s' is listed twice", out[i]);
    }
    *n = json_array_size(arr);
    return 0;
}

int sj_uint_list(const struct sj *sj, json_t *obj, const char *parent, const char *key,
                 unsigned min, unsigned max, unsigned *out, size_t cap, size_t *n)
{
    json_t *arr = json_object_get(obj, key), *j;
    if (!arr)
        return 0;
    char path[256], ipath[300];
    sj_path(path, sizeof(path), parent, key);
    if (!json_is_array(arr) || json_array_size(arr) > cap)
        return sj_bad(sj, path, "expected an array of at most %zu integers", cap);
    size_t i;
    json_array_foreach(arr, i, j)
    {
        snprintf(ipath, sizeof(ipath), "%s[%zu]", path, i);
        if (!json_is_integer(j) || json_integer_value(j) < (json_int_t)min ||
            json_integer_value(j) > (json_int_t)max)
            return sj_bad(sj, ipath, "expected an integer from %u to %u", min, max);
        out[i] = (unsigned)json_integer_value(j);
    }
    *n = json_array_size(arr);
    return 0;
}

int bench_scenario_check_max_n(const struct sj *sj, const char *p, unsigned n, unsigned *max_n)
{
    if (*max_n == 0)
        *max_n = n;
    if (*max_n < n)
        return sj_bad(sj, p, "max_n (%u) must be at least n (%u)", *max_n, n);
    return 0;
}

void sj_with_own(const struct sj *sj, const char *const *base, const char **out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; base[i] && n + 1 < cap; i++)
        out[n++] = base[i];
    for (size_t i = 0; sj->own && sj->own[i] && n + 1 < cap; i++)
        out[n++] = sj->own[i];
    out[n] = NULL;
}
