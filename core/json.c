/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* json.c — jansson helpers whose errors name the file, the field and what
 * was expected. */
#include <errno.h>
#include <string.h>

#include "vcb.h"

const char *vcb_json_type_name(const json_t *j)
{
    switch (json_typeof(j)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
    case JSON_REAL:
        return "a number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    default:
        return "null";
    }
}

json_t *vcb_json_load_file(const char *path, struct vcb_err *err)
{
    json_error_t je;
    json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!j) {
        if (!vcb_path_exists(path))
            vcb_err_sys(err, ENOENT, "%s", path);
        else
            vcb_err_usage(err, "%s:%d:%d: not valid JSON: %s", path, je.line, je.column, je.text);
    }
    return j;
}

json_t *vcb_json_load_str(const char *s, const char *what, struct vcb_err *err)
{
    json_error_t je;
    json_t *j = json_loads(s, JSON_REJECT_DUPLICATES, &je);
    if (!j)
        vcb_err_usage(err, "%s: not valid JSON: %s", what, je.text);
    return j;
}

/* Fetch key; a missing required key or a wrong type is a usage error. */
static json_t *get_field(json_t *obj, const char *key, const char *where, bool required,
                         const char *expected, struct vcb_err *err, int *rc)
{
    *rc = 0;
    json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
    if (!v && required)
        *rc = vcb_err_usage(err, "%s: field '%s' is missing (expected %s)", where, key, expected);
    return v;
}

int vcb_json_get_str(json_t *obj, const char *key, const char *where, bool required,
                     const char **out, struct vcb_err *err)
{
    int rc;
    json_t *v = get_field(obj, key, where, required, "a string", err, &rc);
    if (!v)
        return rc;
    if (!json_is_string(v))
        return vcb_err_usage(err, "%s: field '%s': expected a string", where, key);
    *out = json_string_value(v);
    return 0;
}

int vcb_json_get_u64(json_t *obj, const char *key, const char *where, bool required, uint64_t *out,
                     struct vcb_err *err)
{
    int rc;
    json_t *v = get_field(obj, key, where, required, "a whole number", err, &rc);
    if (!v)
        return rc;
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return vcb_err_usage(err, "%s: field '%s': expected a whole number >= 0", where, key);
    *out = (uint64_t)json_integer_value(v);
    return 0;
}

int vcb_json_get_double(json_t *obj, const char *key, const char *where, bool required, double *out,
                        struct vcb_err *err)
{
    int rc;
    json_t *v = get_field(obj, key, where, required, "a number", err, &rc);
    if (!v)
        return rc;
    if (!json_is_number(v))
        return vcb_err_usage(err, "%s: field '%s': expected a number", where, key);
    *out = json_number_value(v);
    return 0;
}

int vcb_json_dump_file_atomic(json_t *j, const char *path, struct vcb_err *err)
{
    cleanup_free char *text = json_dumps(j, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    if (!text)
        return vcb_err_set(err, ENOMEM, "write %s: cannot serialise JSON", path);
    size_t len = strlen(text);
    text[len] = '\0';
    cleanup_free char *with_nl = malloc(len + 2);
    if (!with_nl)
        return vcb_err_set(err, ENOMEM, "write %s", path);
    memcpy(with_nl, text, len);
    with_nl[len] = '\n';
    return vcb_write_file_atomic(path, with_nl, len + 1, err);
}
