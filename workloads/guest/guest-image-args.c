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

/* Compile src (ERE) into re, or into a scratch one freed at once. */
static int regex_check(const char *src, size_t min_groups, regex_t *re, char *why, size_t len)
{
    regex_t scratch = {0}, *r = re ? re : &scratch;
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
