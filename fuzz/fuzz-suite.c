/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-suite.c — suite files (suite/suite.c, scenarios/suite-json.c), loaded as
 * `vcbench run --suite FILE.json` loads them (duplicate keys rejected).
 * Contract checked beyond memory safety: a rejected suite is a usage error
 * whose message starts with the file name and leaves the output struct as
 * it was; an accepted one stays inside the documented bounds, and its
 * limits pass the rule the command-line options follow (core/limits.c). */
#include <string.h>

#include "boot.h"
#include "density.h"
#include "fuzz-common.h"
#include "isolation.h"
#include "memory.h"

#define FILE_NAME "fuzz-suite.json"

/* Each scenario's own bounds, from its parameters. */
static void check_scenario(const struct bench_scenario *sc, size_t i)
{
    unsigned n = 1, max_n = 1;
    const char *type = sc->ops->name;
    if (!strcmp(type, "boot")) {
        const struct boot_params *p = sc->params;
        n = p->n, max_n = p->max_n;
        FUZZ_CHECK(p->nconcurrency <= BENCH_LIST_MAX, "scenario %zu: a list past its bound", i);
    } else if (!strcmp(type, "memory")) {
        const struct memory_params *p = sc->params;
        n = max_n = p->n;
        FUZZ_CHECK(p->nworkloads <= MEMORY_WORKLOADS_MAX, "scenario %zu: a list past its bound", i);
        FUZZ_CHECK(p->alloc_bytes > 0, "scenario %zu: alloc 0", i);
    } else if (!strcmp(type, "density")) {
        const struct density_params *p = sc->params;
        n = max_n = p->n;
    } else {
        const struct iso_params *p = sc->params;
        n = p->n, max_n = p->max_n;
        FUZZ_CHECK(p->nvictims <= BENCH_LIST_MAX && p->naggressors <= BENCH_LIST_MAX,
                   "scenario %zu: a list past its bound", i);
        FUZZ_CHECK(p->nvariants <= ISO_VARIANTS_MAX, "scenario %zu: variants past their bound", i);
        /* a variant's limits pass the options' rule too */
        for (size_t v = 0; v < p->nvariants; v++)
            for (size_t b = 0; b < BENCH_BACKEND_MAX; b++) {
                struct vcb_err e = {0};
                FUZZ_CHECK(vcb_limits_check(&p->variants[v].limits[b], &e) == 0,
                           "scenario %zu: variant %s accepted: %s", i, p->variants[v].name, e.msg);
            }
    }
    FUZZ_CHECK(n >= 1 && max_n >= n, "scenario %zu: n %u max_n %u", i, n, max_n);
}

static void check_accepted(const struct bench_suite *s)
{
    FUZZ_CHECK(s->nscen >= 1 && s->nscen <= 64, "%zu scenarios", s->nscen);
    FUZZ_CHECK(s->nbackends >= 1 && s->nbackends <= BENCH_BACKEND_MAX, "%zu backends",
               s->nbackends);
    FUZZ_CHECK(s->name[0] && s->json, "no name or document");
    for (size_t i = 0; i < s->nbackends; i++)
        FUZZ_CHECK(bench_backend_index(s->backends[i]) >= 0, "backend '%s'", s->backends[i]);
    for (size_t i = 0; i < s->nscen; i++)
        check_scenario(&s->scen[i], i);
    /* Limits the suite gives pass the options' rule (none is 0 by accident). */
    for (size_t b = 0; b < bench_backend_count(); b++) {
        struct vcb_err e = {0};
        FUZZ_CHECK(vcb_limits_check(&s->limits[b], &e) == 0, "limits.%s accepted: %s",
                   bench_backend_name(b), e.msg);
    }
    FUZZ_CHECK(s->ready_timeout_ns > 0 && s->exit_timeout_ns > 0, "a zero timeout");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_error_t jerr;
    json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
    if (!doc)
        return 0;
    struct bench_suite s, before;
    memset(&s, 0xa5, sizeof(s));
    before = s;
    struct vcb_err err = {0};
    if (bench_suite_parse(doc, FILE_NAME, &s, &err) < 0) {
        FUZZ_CHECK(err.usage == 1 || err.code == ENOMEM, "not a usage error: %s", err.msg);
        FUZZ_CHECK(strncmp(err.msg, FILE_NAME ": ", strlen(FILE_NAME) + 2) == 0,
                   "message does not start with the file: %s", err.msg);
        FUZZ_CHECK(memcmp(&s, &before, sizeof(s)) == 0, "output changed on failure");
    } else {
        check_accepted(&s);
        bench_suite_free(&s);
    }
    json_decref(doc);
    return 0;
}
