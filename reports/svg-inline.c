/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* svg-inline.c — put a gnuplot SVG file inside report.html: drop the XML
 * prolog and DOCTYPE (whose DTD address a page must not carry), label it for
 * screen readers, and prefix its ids so several plots on one page never
 * share an id (gnuplot names its markers gpPt0… in every file). */
#include <string.h>

#include "rpt-priv.h"

/* Patterns after which an id (or a reference to one) starts. */
static const char *const id_starts[] = {"id='", "id=\"", "href='#", "href=\"#", "url(#"};

static size_t id_start(const char *p)
{
    for (size_t i = 0; i < sizeof(id_starts) / sizeof(id_starts[0]); i++) {
        size_t n = strlen(id_starts[i]);
        if (strncmp(p, id_starts[i], n) == 0)
            return n;
    }
    return 0;
}

int rpt_svg_inline(FILE *out, const char *svg, const char *prefix, const char *label)
{
    const char *p = strstr(svg, "<svg");
    if (!p)
        return -1;
    fputs("<svg role=\"img\" aria-label=\"", out);
    rpt_html_puts(out, label);
    fputs("\"", out);
    for (p += 4; *p;) {
        size_t n = id_start(p);
        if (n) {
            fwrite(p, 1, n, out);
            fprintf(out, "%s-", prefix);
            p += n;
        } else {
            fputc(*p++, out);
        }
    }
    return 0;
}
