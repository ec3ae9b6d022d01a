/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* suite-json.h — strict typed readers for suite files (the suite parser, each
 * scenario's parse). A missing key keeps the caller's default; a present one must be right or it is
 * a usage error "FILE: PATH: expected WHAT". */
#ifndef BENCH_SUITE_JSON_H
#define BENCH_SUITE_JSON_H

#include "harness.h"

struct sj {
    const char *file;
    struct vcb_err *err;
    /* The suite's own workloads (its "workloads" object), NULL-terminated;
     * NULL: none. */
    const char *const *own;
    /* The suite being parsed, for what a scenario needs of them beyond
     * their names (an isolation victim's score); NULL: none. */
    const struct bench_suite *suite;
};

/* base's names and then the suite's own workloads', into out (cap entries,
 * NULL-terminated): the choices of a scenario that runs them. */
void sj_with_own(const struct sj *sj, const char *const *base, const char **out, size_t cap);

int sj_bad(const struct sj *sj, const char *path, const char *fmt, ...) VCB_PRINTF(3, 4);
void sj_path(char *out, size_t len, const char *parent, const char *key);
/* Reject keys not in the NULL-terminated allowed list. */
int sj_keys(const struct sj *sj, json_t *obj, const char *path, const char *const *allowed);
int sj_object(const struct sj *sj, json_t *j, const char *path);
int sj_uint(const struct sj *sj, json_t *obj, const char *parent, const char *key, unsigned min,
            unsigned max, unsigned *out);
int sj_double(const struct sj *sj, json_t *obj, const char *parent, const char *key, double min,
              double max, double *out);
/* Type only (a number, or an integer): the caller applies the rule. */
int sj_number(const struct sj *sj, json_t *obj, const char *parent, const char *key, bool integer,
              double *out);
int sj_size(const struct sj *sj, json_t *obj, const char *parent, const char *key, uint64_t *out);
int sj_duration(const struct sj *sj, json_t *obj, const char *parent, const char *key,
                uint64_t *out);
int sj_choice(const struct sj *sj, json_t *obj, const char *parent, const char *key,
              const char *noun, const char *const *choices, char *out, size_t len);
int sj_choice_list(const struct sj *sj, json_t *obj, const char *parent, const char *key,
                   const char *noun, const char *const *choices, char (*out)[BENCH_WORKLOAD_MAX],
                   size_t max, size_t *n);
int sj_uint_list(const struct sj *sj, json_t *obj, const char *parent, const char *key,
                 unsigned min, unsigned max, unsigned *out, size_t cap, size_t *n);

/* One backend's limits object at p (suite-limits.c), into l. */
int sj_limits(const struct sj *sj, json_t *o, const char *p, struct vcb_limits *l);
/* {"container": {…}, "vm": {…}} at path: each backend's into out[its
 * registry index], given[] (may be NULL) marking the ones named; the
 * unlimited control is refused. */
int sj_limits_by_backend(const struct sj *sj, json_t *o, const char *path,
                         struct vcb_limits out[BENCH_BACKEND_MAX], bool given[BENCH_BACKEND_MAX]);

#endif
