/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* results-json.h — what the test checkers read from a results.json entry. */
#ifndef TESTS_RESULTS_JSON_H
#define TESTS_RESULTS_JSON_H

#include <string.h>

#include <jansson.h>

/* The metric called name in a results entry, or NULL. */
static inline json_t *results_metric(json_t *entry, const char *name)
{
    json_t *m;
    size_t i;
    json_array_foreach(json_object_get(entry, "metrics"), i, m)
    {
        const char *n = json_string_value(json_object_get(m, "name"));
        if (n && !strcmp(n, name))
            return m;
    }
    return NULL;
}

#endif
