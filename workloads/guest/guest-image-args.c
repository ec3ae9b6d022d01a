/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* guest-image-args.c — the rules of `--ready KIND` and `--metric
 * NAME:UNIT=REGEX` (guest-image.h), compiled into vcb-init and into the
 * host's workloads library, so both sides hold a value to one rule. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guest-image.h"

#define NAME_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-"

/* glibc compiles "x+" as "xx*" and "x{m,n}" as n copies of x, so a few
 * stacked or nested repetitions make a tree that doubles with each: a
 * regex of 100 bytes can ask regcomp for gigabytes. Refused before it
 * compiles: a repetition of a repetition, more than WL_REGEX_PLUS_MAX '+',
 * more than WL_REGEX_BOUNDS_MAX bounds, a bound above WL_REGEX_BOUND_MAX. */
#define WL_REGEX_LEN_MAX    256
#define WL_REGEX_PLUS_MAX   6
#define WL_REGEX_BOUNDS_MAX 2
#define WL_REGEX_BOUND_MAX  32

/* The end of the bracket expression that starts at p ("[...]"). */
static const char *bracket_end(const char *p)
{
    const char *q = p + 1 + (p[1] == '^');
    q += *q == ']'; /* a leading ']' is a member */
    for (; *q && *q != ']'; q++)
        if (*q == '[' && (q[1] == ':' || q[1] == '.' || q[1] == '=')) {
            const char *close = strchr(q + 2, q[1]);
            q = close && close[1] == ']' ? close + 1 : q;
        }
    return *q ? q : q - 1;
}

/* "{m}", "{m,}" or "{m,n}" at p: 1 with *end past it and *max the largest
 * number, 0 when p is not a bound (glibc then reads '{' as itself). */
static int bound_parse(const char *p, const char **end, unsigned long *max)
{
    char *e;
    if (p[1] < '0' || p[1] > '9')
        return 0;
    *max = strtoul(p + 1, &e, 10);
    if (*e == ',' && e[1] >= '0' && e[1] <= '9') {
        unsigned long hi = strtoul(e + 1, &e, 10);
        *max = hi > *max ? hi : *max;
    } else if (*e == ',')
        e++;
    if (*e != '}')
        return 0;
    *end = e + 1;
    return 1;
}

static int regex_bounded(const char *src, char *why, size_t len)
{
    unsigned plus = 0, bounds = 0;
    bool after_rep = false;
    if (strlen(src) > WL_REGEX_LEN_MAX)
        return snprintf(why, len, "longer than %d bytes", WL_REGEX_LEN_MAX), -1;
    for (const char *p = src; *p; p++) {
        const char *end = p + 1;
        unsigned long max = 0;
        bool rep = *p == '*' || *p == '+' || *p == '?';
        if (*p == '{' && bound_parse(p, &end, &max)) {
            rep = true;
            if (++bounds > WL_REGEX_BOUNDS_MAX || max > WL_REGEX_BOUND_MAX)
                return snprintf(why, len,
                                "at most %d bounds {m,n}, each at most %d (regcomp copies "
                                "what they repeat)",
                                WL_REGEX_BOUNDS_MAX, WL_REGEX_BOUND_MAX),
                       -1;
        }
        if (rep && after_rep)
            return snprintf(why, len, "a repetition of a repetition (\"%.*s\")", (int)(end - p + 1),
                            p - 1),
                   -1;
        if (*p == '+' && ++plus > WL_REGEX_PLUS_MAX)
            return snprintf(why, len,
                            "more than %d '+' (regcomp copies what each repeats; use '*')",
                            WL_REGEX_PLUS_MAX),
                   -1;
        if (*p == '\\' && p[1])
            end = p + 2;
        else if (*p == '[')
            end = bracket_end(p) + 1;
        after_rep = rep;
        p = end - 1;
    }
    return 0;
}

/* Compile src (ERE) into re, or into a scratch one freed at once. */
static int regex_check(const char *src, size_t min_groups, regex_t *re, char *why, size_t len)
{
    regex_t scratch = {0}, *r = re ? re : &scratch;
    if (regex_bounded(src, why, len) < 0)
        return -1;
    int rc = regcomp(r, src, REG_EXTENDED);
    if (rc != 0) {
        char msg[128];
        regerror(rc, r, msg, sizeof(msg));
        snprintf(why, len, "not a POSIX extended regex (%s)", msg);
        return -1;
    }
    size_t groups = r->re_nsub;
    if (!re || groups < min_groups)
        regfree(r);
    if (groups < min_groups) {
        snprintf(why, len, "expected a group around the number, as in \"rps=([0-9.]+)\"");
        return -1;
    }
    return 0;
}

static int port_parse(const char *s, uint16_t *out)
{
    char *end;
    errno = 0;
    unsigned long v = s[0] >= '0' && s[0] <= '9' ? strtoul(s, &end, 10) : 0;
    if (v == 0 || v > 65535 || errno || *end)
        return -1;
    *out = (uint16_t)v;
    return 0;
}

int wl_ready_parse(const char *kind, struct wl_ready *out, regex_t *re, char *why, size_t len)
{
    *out = (struct wl_ready){.kind = WL_READY_START};
    if (!kind[0] || !strcmp(kind, "start"))
        return 0;
    if (!strcmp(kind, "exit")) {
        out->kind = WL_READY_EXIT;
        return 0;
    }
    if (!strncmp(kind, "line:", 5) && kind[5]) {
        out->kind = WL_READY_LINE;
        return regex_check(kind + 5, 0, re, why, len);
    }
    if (!strncmp(kind, "tcp:", 4) && port_parse(kind + 4, &out->port) == 0) {
        out->kind = WL_READY_TCP;
        return 0;
    }
    snprintf(why, len, "expected start, exit, line:REGEX or tcp:PORT (1-65535)");
    return -1;
}

int wl_metric_parse(const char *spec, struct wl_metric *out, regex_t *re, char *why, size_t len)
{
    const char *colon = strchr(spec, ':'), *eq = colon ? strchr(colon + 1, '=') : NULL;
    size_t nlen = colon ? (size_t)(colon - spec) : 0, ulen = eq ? (size_t)(eq - colon - 1) : 0;
    bool ok = eq && eq[1] && nlen > 0 && nlen < sizeof(out->name) && ulen > 0 &&
              ulen < sizeof(out->unit) && strspn(spec, NAME_CHARS) == nlen;
    for (size_t i = 0; ok && i < ulen; i++)
        ok =
            colon[1 + i] > ' ' && colon[1 + i] < 127 && colon[1 + i] != '"' && colon[1 + i] != '\\';
    if (!ok) {
        snprintf(why, len,
                 "expected NAME:UNIT=REGEX (NAME 1-%zu of letters, digits, '_', '.', '-'; UNIT "
                 "1-%zu printable, without quotes)",
                 sizeof(out->name) - 1, sizeof(out->unit) - 1);
        return -1;
    }
    snprintf(out->name, sizeof(out->name), "%.*s", (int)nlen, spec);
    snprintf(out->unit, sizeof(out->unit), "%.*s", (int)ulen, colon + 1);
    return regex_check(eq + 1, 1, re, why, len);
}
