/* guest-parse.c — strict size and duration parsers for guest binaries. The
 * host has its own (core/parse.c); these exist so guest binaries stay static
 * and dependency-free. Same grammar: see guest.h. */
#include <string.h>

#include "guest.h"

struct wl_unit {
    const char *suffix;
    uint64_t mult;
};

/* Longest suffixes first so "MiB" is not read as "M" + junk. */
static const struct wl_unit size_units[] = {
    {"KiB", 1ULL << 10},
    {"MiB", 1ULL << 20},
    {"GiB", 1ULL << 30},
    {"TiB", 1ULL << 40},
    {"KB", 1000ULL},
    {"MB", 1000000ULL},
    {"GB", 1000000000ULL},
    {"TB", 1000000000000ULL},
    {"k", 1ULL << 10},
    {"K", 1ULL << 10},
    {"M", 1ULL << 20},
    {"G", 1ULL << 30},
    {"T", 1ULL << 40},
    {"B", 1},
    {"", 1},
    {NULL, 0},
};

static const struct wl_unit duration_units[] = {
    {"ns", 1},
    {"us", WL_NS_PER_US},
    {"ms", WL_NS_PER_MS},
    {"s", WL_NS_PER_S},
    {"m", 60 * WL_NS_PER_S},
    {"h", 3600 * WL_NS_PER_S},
    {"", WL_NS_PER_S},
    {NULL, 0},
};

/* Read "digits[.digits]" into whole and fraction (up to 18 digits kept, in
 * units of 10^-frac_digits). Returns a pointer past the number or NULL. */
static const char *parse_decimal(const char *s, uint64_t *whole, uint64_t *frac,
                                 unsigned *frac_digits)
{
    const char *p = s;
    *whole = 0;
    *frac = 0;
    *frac_digits = 0;
    if (*p < '0' || *p > '9')
        return NULL;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (__builtin_mul_overflow(*whole, 10, whole) ||
            __builtin_add_overflow(*whole, (uint64_t)(*p - '0'), whole))
            return NULL;
    }
    if (*p != '.')
        return p;
    p++;
    if (*p < '0' || *p > '9')
        return NULL; /* "1." is junk */
    for (; *p >= '0' && *p <= '9'; p++) {
        if (*frac_digits < 18) {
            *frac = *frac * 10 + (uint64_t)(*p - '0');
            (*frac_digits)++;
        }
    }
    return p;
}

static const struct wl_unit *find_unit(const struct wl_unit *units, const char *suffix)
{
    for (const struct wl_unit *u = units; u->suffix; u++) {
        if (strcmp(u->suffix, suffix) == 0)
            return u;
    }
    return NULL;
}

/* whole.frac * mult, rounded down; -1 on overflow. */
static int scale(uint64_t whole, uint64_t frac, unsigned frac_digits, uint64_t mult, uint64_t *out)
{
    uint64_t v;
    if (__builtin_mul_overflow(whole, mult, &v))
        return -1;
    unsigned __int128 f = (unsigned __int128)frac * mult;
    for (unsigned i = 0; i < frac_digits; i++)
        f /= 10;
    if (__builtin_add_overflow(v, (uint64_t)f, &v))
        return -1;
    *out = v;
    return 0;
}

static int parse_with_units(const char *s, const struct wl_unit *units, uint64_t *out)
{
    uint64_t whole, frac;
    unsigned digits;
    if (!s)
        return -1;
    const char *rest = parse_decimal(s, &whole, &frac, &digits);
    if (!rest)
        return -1;
    const struct wl_unit *u = find_unit(units, rest);
    if (!u)
        return -1;
    return scale(whole, frac, digits, u->mult, out);
}

int wl_parse_size(const char *s, uint64_t *out)
{
    return parse_with_units(s, size_units, out);
}

int wl_parse_duration(const char *s, uint64_t *out_ns)
{
    return parse_with_units(s, duration_units, out_ns);
}

int wl_parse_u64(const char *s, uint64_t *out)
{
    uint64_t whole, frac;
    unsigned digits;
    if (!s)
        return -1;
    const char *rest = parse_decimal(s, &whole, &frac, &digits);
    if (!rest || *rest != '\0' || digits != 0)
        return -1;
    *out = whole;
    return 0;
}
