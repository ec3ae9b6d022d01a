/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* parse.c — strict parsers for sizes, durations and numbers given by users.
 * Anything not fully understood is rejected with a message naming `what`. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <string.h>

#include "vcb.h"

struct unit {
    const char *suffix;
    uint64_t mult;
};

#define KI 1024ULL
static const struct unit size_units[] = {
    {"", 1},
    {"B", 1},
    {"k", KI},
    {"K", KI},
    {"Ki", KI},
    {"KiB", KI},
    {"kB", 1000},
    {"KB", 1000},
    {"M", KI *KI},
    {"m", KI *KI},
    {"Mi", KI *KI},
    {"MiB", KI *KI},
    {"MB", 1000000},
    {"G", KI *KI *KI},
    {"g", KI *KI *KI},
    {"Gi", KI *KI *KI},
    {"GiB", KI *KI *KI},
    {"GB", 1000000000ULL},
    {"T", KI *KI *KI *KI},
    {"t", KI *KI *KI *KI},
    {"Ti", KI *KI *KI *KI},
    {"TiB", KI *KI *KI *KI},
    {"TB", 1000000000000ULL},
};

static const struct unit duration_units[] = {
    {"", VCB_NS_PER_S},         {"ns", 1},
    {"us", VCB_NS_PER_US},      {"ms", VCB_NS_PER_MS},
    {"s", VCB_NS_PER_S},        {"m", 60 * VCB_NS_PER_S},
    {"min", 60 * VCB_NS_PER_S}, {"h", 3600 * VCB_NS_PER_S},
};

/* Split "12.5MiB" into integer part, fraction and suffix; 0 if well-formed. */
static int split_number(const char *s, uint64_t *ipart, double *frac, const char **suffix)
{
    const char *p = s;
    if (!isdigit((unsigned char)*p))
        return -1;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(p, &end, 10);
    if (errno == ERANGE)
        return -1;
    *ipart = v;
    *frac = 0;
    p = end;
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char)*p))
            return -1;
        double scale = 0.1;
        for (; isdigit((unsigned char)*p); p++, scale /= 10)
            *frac += (*p - '0') * scale;
    }
    *suffix = p;
    return 0;
}

static int parse_with_units(const char *s, const struct unit *units, size_t n_units, uint64_t *out)
{
    uint64_t ipart;
    double frac;
    const char *suffix;
    if (!s || split_number(s, &ipart, &frac, &suffix) < 0)
        return -1;
    for (size_t i = 0; i < n_units; i++) {
        if (strcmp(suffix, units[i].suffix) != 0)
            continue;
        uint64_t mult = units[i].mult;
        if (ipart > UINT64_MAX / mult)
            return -1;
        double extra = round(frac * (double)mult);
        if ((double)(UINT64_MAX - ipart * mult) < extra)
            return -1;
        *out = ipart * mult + (uint64_t)extra;
        return 0;
    }
    return -1;
}

int vcb_parse_size(const char *s, const char *what, uint64_t *out, struct vcb_err *err)
{
    uint64_t v;
    if (parse_with_units(s, size_units, sizeof(size_units) / sizeof(size_units[0]), &v) < 0)
        return vcb_err_usage(err,
                             "%s: \"%s\" is not a size (expected a number with an optional "
                             "unit, e.g. 4096, 512k, 256MiB, 1G)",
                             what, s ? s : "");
    *out = v;
    return 0;
}

int vcb_parse_duration(const char *s, const char *what, uint64_t *out_ns, struct vcb_err *err)
{
    uint64_t v;
    if (parse_with_units(s, duration_units, sizeof(duration_units) / sizeof(duration_units[0]),
                         &v) < 0)
        return vcb_err_usage(err,
                             "%s: \"%s\" is not a duration (expected a number with an optional "
                             "unit ns, us, ms, s, m, h, e.g. 200ms, 1.5s)",
                             what, s ? s : "");
    *out_ns = v;
    return 0;
}

int vcb_parse_u64(const char *s, const char *what, uint64_t *out, struct vcb_err *err)
{
    char *end;
    errno = 0;
    if (!s || !isdigit((unsigned char)*s))
        goto bad;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno == ERANGE || *end)
        goto bad;
    *out = v;
    return 0;
bad:
    return vcb_err_usage(err, "%s: \"%s\" is not a whole number", what, s ? s : "");
}

/* Plain decimal notation only: strtod alone would also take "0x10" (16),
 * "1e3", "inf" and "nan", which nobody means by --cpus. */
static bool is_decimal(const char *s)
{
    size_t digits = strspn(s, "0123456789");
    if (s[digits] == '.') {
        size_t frac = strspn(s + digits + 1, "0123456789");
        return digits + frac > 0 && s[digits + 1 + frac] == '\0';
    }
    return digits > 0 && s[digits] == '\0';
}

int vcb_parse_double(const char *s, const char *what, double *out, struct vcb_err *err)
{
    char *end;
    errno = 0;
    if (!s || !is_decimal(s))
        goto bad;
    double v = strtod(s, &end);
    if (errno == ERANGE || *end || !isfinite(v))
        goto bad;
    *out = v;
    return 0;
bad:
    return vcb_err_usage(err, "%s: \"%s\" is not a number (expected a decimal such as 2 or 0.5)",
                         what, s ? s : "");
}

void vcb_format_size(uint64_t bytes, char *buf, size_t len)
{
    static const char *const names[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = (double)bytes;
    size_t i = 0;
    while (v >= 1024 && i < 4) {
        v /= 1024;
        i++;
    }
    if (i == 0)
        snprintf(buf, len, "%llu B", (unsigned long long)bytes);
    else
        snprintf(buf, len, "%.1f %s", v, names[i]);
}

void vcb_format_duration(uint64_t ns, char *buf, size_t len)
{
    if (ns < VCB_NS_PER_US)
        snprintf(buf, len, "%llu ns", (unsigned long long)ns);
    else if (ns < VCB_NS_PER_MS)
        snprintf(buf, len, "%.1f us", ns / 1e3);
    else if (ns < VCB_NS_PER_S)
        snprintf(buf, len, "%.2f ms", ns / 1e6);
    else
        snprintf(buf, len, "%.3f s", ns / 1e9);
}
