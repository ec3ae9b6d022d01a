/* check-iso.c — the aggressor side of an isolation results file, for the
 * integration tests:
 *   bench-check-iso FILE BACKEND AGGRESSOR OUTCOME METRIC...
 * The entry (BACKEND, aggressor AGGRESSOR) must count OUTCOME among its
 * aggressor outcomes and hold each METRIC with a median above 0. */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

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

static double median(json_t *e, const char *name)
{
    json_t *m;
    size_t i;
    json_array_foreach(json_object_get(e, "metrics"), i, m)
    {
        if (!strcmp(json_string_value(json_object_get(m, "name")), name))
            return json_number_value(json_object_get(json_object_get(m, "summary"), "median"));
    }
    return -1;
}

int main(int argc, char **argv)
{
    int bad = 0;
    if (argc < 5) {
        fprintf(stderr, "usage: bench-check-iso FILE BACKEND AGGRESSOR OUTCOME [METRIC...]\n");
        return 2;
    }
    json_error_t jerr;
    json_t *doc = json_load_file(argv[1], 0, &jerr);
    json_t *e = doc ? iso_entry(doc, argv[2], argv[3]) : NULL;
    if (!e) {
        fprintf(stderr, "%s: no isolation entry for %s beside %s\n", argv[1], argv[2], argv[3]);
        return 1;
    }
    json_t *outcomes = json_object_get(json_object_get(e, "notes"), "aggressor_outcomes");
    char *dump = json_dumps(outcomes, JSON_COMPACT);
    printf("%s beside %s: outcomes %s\n", argv[2], argv[3], dump ? dump : "none");
    free(dump);
    if (json_integer_value(json_object_get(outcomes, argv[4])) < 1) {
        fprintf(stderr, "no sample's aggressor was %s\n", argv[4]);
        bad++;
    }
    for (int i = 5; i < argc; i++) {
        double v = median(e, argv[i]);
        printf("  %s median %g\n", argv[i], v);
        if (!(v > 0)) {
            fprintf(stderr, "%s: missing or not above 0\n", argv[i]);
            bad++;
        }
    }
    json_decref(doc);
    return bad ? 1 : 0;
}
