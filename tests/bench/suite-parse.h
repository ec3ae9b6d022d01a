/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* suite-parse.h — the suite tests' one way to parse a suite from text, as
 * the file "t.json" (include after cmocka.h). */
#ifndef TESTS_SUITE_PARSE_H
#define TESTS_SUITE_PARSE_H

static inline int parse(const char *text, struct bench_suite *s, struct vcb_err *err)
{
    json_error_t jerr;
    json_t *doc = json_loads(text, 0, &jerr);
    if (!doc)
        fail_msg("test JSON does not parse: %s: %s", jerr.text, text);
    int rc = bench_suite_parse(doc, "t.json", s, err);
    json_decref(doc);
    return rc;
}

#endif
