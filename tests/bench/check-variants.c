/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* check-variants.c — an isolation run with limit variants, for the
 * integration tests:
 *   bench-check-variants FILE VARIANT...
 * Every (victim, aggressor) cell has, per variant, one container entry
 * labelled with it, carrying that variant's limits (the run's suite gives
 * "hard" cpus 1 and "weight" cpu_weight 100) and a victim score; and one
 * process entry, unlabelled and unlimited: the control runs once per cell. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "../lib/results-json.h"

static const char *str(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

/* How many isolation entries of backend beside aggressor have variant
 * (NULL: none); each must carry a victim score. */
static int count(json_t *doc, const char *backend, const char *aggressor, const char *variant,
                 json_t **last)
{
    json_t *e;
    size_t i;
    int n = 0;
    json_array_foreach(json_object_get(doc, "results"), i, e)
    {
        json_t *p = json_object_get(e, "params");
        json_t *v = json_object_get(p, "variant");
        if (strcmp(str(e, "scenario"), "isolation") || strcmp(str(e, "backend"), backend) ||
            strcmp(str(p, "aggressor"), aggressor) ||
            (variant ? !v || strcmp(json_string_value(v), variant) : v != NULL))
            continue;
        json_t *score = json_object_get(results_metric(e, "victim_score"), "samples");
        if (json_array_size(score) == 0) {
            fprintf(stderr, "%s beside %s (%s): no victim score\n", backend, aggressor,
                    variant ? variant : "no variant");
            return -1;
        }
        *last = e;
        n++;
    }
    return n;
}

static int check_cell(json_t *doc, const char *aggressor, char **variants, int nvar)
{
    json_t *e = NULL;
    int bad = 0;
    if (count(doc, "process", aggressor, NULL, &e) != 1 && ++bad)
        fprintf(stderr, "beside %s: expected one process control entry\n", aggressor);
    for (int k = 0; k < nvar; k++) {
        if (count(doc, "container", aggressor, variants[k], &e) != 1) {
            fprintf(stderr, "beside %s: expected one container entry of variant %s\n", aggressor,
                    variants[k]);
            bad++;
            continue;
        }
        json_t *lim = json_object_get(json_object_get(e, "notes"), "limits");
        double cpus = json_number_value(json_object_get(lim, "cpus"));
        json_int_t w = json_integer_value(json_object_get(lim, "cpu_weight"));
        bool ok = !strcmp(variants[k], "hard") ? cpus == 1 && w == 0 : cpus == 0 && w == 100;
        printf("beside %s: container %s: cpus %g, cpu_weight %lld%s\n", aggressor, variants[k],
               cpus, (long long)w, ok ? "" : " (unexpected)");
        bad += !ok;
    }
    if (count(doc, "container", aggressor, NULL, &e) != 0 && ++bad)
        fprintf(stderr, "beside %s: a container entry without its variant\n", aggressor);
    return bad;
}

int main(int argc, char **argv)
{
    json_error_t jerr;
    if (argc < 3) {
        fprintf(stderr, "usage: bench-check-variants FILE VARIANT...\n");
        return 2;
    }
    json_t *doc = json_load_file(argv[1], 0, &jerr);
    if (!doc) {
        fprintf(stderr, "%s: %s\n", argv[1], jerr.text);
        return 1;
    }
    int bad =
        check_cell(doc, "none", argv + 2, argc - 2) + check_cell(doc, "cpu", argv + 2, argc - 2);
    if (json_array_size(json_object_get(doc, "results")) != (size_t)(2 * (1 + argc - 2)) && ++bad)
        fprintf(stderr, "expected %d isolation entries, got %zu\n", 2 * (1 + argc - 2),
                json_array_size(json_object_get(doc, "results")));
    json_decref(doc);
    return bad ? 1 : 0;
}
