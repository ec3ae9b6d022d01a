/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-parse.c — the strict user-input parsers of core/parse.c: sizes,
 * durations, whole numbers and reals ("--memory 12XB", suite fields), and
 * the instance-name parser `vcbench cleanup` applies to cgroup and domain
 * names it finds on the host (core/naming.c).
 * Byte 0 picks the parser; the rest is the string. Beyond memory safety it
 * checks the contract in vcb.h: a failure is a usage error naming `what`
 * and leaves the output alone; a success leaves the error empty. */
#include <math.h>

#include "fuzz-common.h"
#include "vcb.h"

#define SENTINEL 0x5a5a5a5a5a5a5a5aULL

static void check_outcome(int rc, const struct vcb_err *err, uint64_t out, const char *s)
{
    if (rc < 0) {
        FUZZ_CHECK(err->usage == 1, "\"%s\": failure is not a usage error", s);
        FUZZ_CHECK(strstr(err->msg, "--fuzz") != NULL, "\"%s\": message lacks the option: %s", s,
                   err->msg);
        FUZZ_CHECK(out == SENTINEL, "\"%s\": output changed on failure", s);
    } else {
        FUZZ_CHECK(rc == 0 && err->msg[0] == '\0', "\"%s\": success with an error set", s);
    }
}

/* "N<suffix>" without a fraction must be N * the suffix's multiplier. */
static void check_size_suffix(const char *s, uint64_t v)
{
    static const struct {
        const char *suffix;
        uint64_t mult;
    } cases[] = {{"KiB", 1024}, {"MiB", 1ULL << 20}, {"GB", 1000000000ULL}};
    size_t n = strlen(s);
    if (strchr(s, '.'))
        return;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t k = strlen(cases[i].suffix);
        if (n <= k || strcmp(s + n - k, cases[i].suffix) != 0)
            continue;
        char num[64];
        if (n - k >= sizeof(num))
            return;
        memcpy(num, s, n - k);
        num[n - k] = '\0';
        uint64_t base = 0;
        struct vcb_err e = {0};
        FUZZ_CHECK(vcb_parse_size(num, "--fuzz", &base, &e) == 0, "\"%s\" ok but \"%s\" not", s,
                   num);
        FUZZ_CHECK(base * cases[i].mult == v, "\"%s\" = %llu, not %llu * %llu", s,
                   (unsigned long long)v, (unsigned long long)base,
                   (unsigned long long)cases[i].mult);
    }
}

static void fuzz_size(const char *s)
{
    struct vcb_err err = {0};
    uint64_t v = SENTINEL;
    int rc = vcb_parse_size(s, "--fuzz", &v, &err);
    check_outcome(rc, &err, v, s);
    if (rc == 0) {
        char buf[16];
        vcb_format_size(v, buf, sizeof(buf));
        check_size_suffix(s, v);
    }
}

static void fuzz_duration(const char *s)
{
    struct vcb_err err = {0};
    uint64_t v = SENTINEL;
    int rc = vcb_parse_duration(s, "--fuzz", &v, &err);
    check_outcome(rc, &err, v, s);
    if (rc == 0) {
        char buf[8];
        vcb_format_duration(v, buf, sizeof(buf));
    }
}

static void fuzz_u64(const char *s)
{
    struct vcb_err err = {0};
    uint64_t v = SENTINEL;
    int rc = vcb_parse_u64(s, "--fuzz", &v, &err);
    check_outcome(rc, &err, v, s);
    if (rc == 0)
        FUZZ_CHECK(v == strtoull(s, NULL, 10), "\"%s\" read as %llu", s, (unsigned long long)v);
}

static void fuzz_double(const char *s)
{
    struct vcb_err err = {0};
    double v = -1;
    int rc = vcb_parse_double(s, "--fuzz", &v, &err);
    uint64_t bits = rc < 0 && v == -1 ? SENTINEL : 0;
    check_outcome(rc, &err, rc < 0 ? bits : 0, s);
    if (rc == 0) {
        FUZZ_CHECK(isfinite(v) && v >= 0, "\"%s\" read as %g", s, v);
        /* decimal only: no hex, exponent, sign, inf or nan */
        FUZZ_CHECK(strspn(s, "0123456789.") == strlen(s), "\"%s\" accepted", s);
    }
}

/* A name cleanup accepts must carry a run id of 8 hex digits. (Non-canonical
 * numbers such as "+5" or "007" are accepted: docs/reliability.md, N4.) */
static void fuzz_instance_name(const char *s)
{
    char id[VCB_RUN_ID_LEN + 1] = "";
    unsigned n = 0;
    if (vcb_instance_name_parse(s, id, &n) < 0)
        return;
    FUZZ_CHECK(strlen(id) == VCB_RUN_ID_LEN && strspn(id, "0123456789abcdef") == VCB_RUN_ID_LEN,
               "\"%s\": run id \"%s\"", s, id);
    FUZZ_CHECK(strncmp(s + 4, id, VCB_RUN_ID_LEN) == 0, "\"%s\": run id not from the name", s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    char *s = fuzz_strndup(data + 1, size - 1);
    switch (data[0] % 5) {
    case 0:
        fuzz_size(s);
        break;
    case 1:
        fuzz_duration(s);
        break;
    case 2:
        fuzz_u64(s);
        break;
    case 3:
        fuzz_double(s);
        break;
    default:
        fuzz_instance_name(s);
    }
    free(s);
    return 0;
}
