/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* check-iso.c — the aggressor side of an isolation results file, for the
 * integration tests:
 *   bench-check-iso FILE BACKEND AGGRESSOR RECORD THRESHOLD
 * In the entry (BACKEND, aggressor AGGRESSOR): the host's record of how the
 * CPU limit held the aggressor (metric RECORD, one sample per aggressor)
 * was read, exactly the samples at or above THRESHOLD have the outcome
 * "throttled" (the verdict is the record, whatever the limit's size), and
 * the aggressor's own score was kept. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../lib/results-json.h"

static json_t *iso_entry(json_t *doc, const char *backend, const char *aggressor)
{
    json_t *e;
    size_t i;
    json_array_foreach(json_object_get(doc, "results"), i, e)
    {
        json_t *p = json_object_get(e, "params");
        if (!strcmp(json_string_value(json_object_get(e, "scenario")), "isolation") &&
            !strcmp(json_string_value(json_object_get(e, "backend")), backend) &&
            json_is_string(json_object_get(p, "aggressor")) &&
            !strcmp(json_string_value(json_object_get(p, "aggressor")), aggressor))
            return e;
    }
    return NULL;
}

int main(int argc, char **argv)
{
    int bad = 0;
    if (argc != 6) {
        fprintf(stderr, "usage: bench-check-iso FILE BACKEND AGGRESSOR RECORD THRESHOLD\n");
        return 2;
    }
    double threshold = strtod(argv[5], NULL);
    json_error_t jerr;
    json_t *doc = json_load_file(argv[1], 0, &jerr);
    json_t *e = doc ? iso_entry(doc, argv[2], argv[3]) : NULL;
    if (!e) {
        fprintf(stderr, "%s: no isolation entry for %s beside %s\n", argv[1], argv[2], argv[3]);
        return 1;
    }
    json_t *outcomes = json_object_get(json_object_get(e, "notes"), "aggressor_outcomes");
    json_t *rec = json_object_get(results_metric(e, argv[4]), "samples"), *v;
    json_t *score = results_metric(e, "aggressor_score");
    long held = 0, throttled = (long)json_integer_value(json_object_get(outcomes, "throttled"));
    size_t i;
    json_array_foreach(rec, i, v) held += json_number_value(v) >= threshold;
    char *dump = json_dumps(outcomes, JSON_COMPACT);
    printf("%s beside %s: outcomes %s; %s: %zu sample(s), %ld at or above %g\n", argv[2], argv[3],
           dump ? dump : "none", argv[4], json_array_size(rec), held, threshold);
    free(dump);
    if (json_array_size(rec) == 0 && ++bad)
        fprintf(stderr, "%s: the host's record was not read\n", argv[4]);
    if (held != throttled && ++bad)
        fprintf(stderr, "%ld sample(s) held by the limit, %ld called throttled\n", held, throttled);
    if (!(json_number_value(json_object_get(json_object_get(score, "summary"), "median")) > 0) &&
        ++bad)
        fprintf(stderr, "aggressor_score: missing or not above 0\n");
    if (!bad && !throttled)
        printf("note: the quota never bit (a busy host gave the aggressor less than it)\n");
    json_decref(doc);
    return bad ? 1 : 0;
}
