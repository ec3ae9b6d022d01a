/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* escape.c — put text from results files into HTML, CSV, gnuplot scripts
 * and Markdown table cells. Results files are outside input: nothing from
 * them reaches an output language unescaped. */
#include <string.h>

#include "rpt-priv.h"

void rpt_html_puts(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&#39;", f);
            break;
        default:
            fputc(*s, f);
        }
    }
}

/* RFC 4180: quote a field holding a comma, quote, CR or LF; double quotes. */
void rpt_csv_field(FILE *f, const char *s)
{
    if (!s)
        s = "";
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* gnuplot runs `backquoted` commands even inside double-quoted strings (not
 * @macros: checked with gnuplot 5.4) and reads \ escapes there: backquote,
 * double quote, backslash and controls become '?'. Bytes of
 * UTF-8 sequences pass (jansson has already checked the UTF-8 is valid). */
static bool gp_safe(unsigned char c)
{
    if (c < 0x20 || c == 0x7f)
        return false;
    return !strchr("`\"\\", c);
}

void rpt_gp_sanitize(const char *s, char *out, size_t len)
{
    size_t o = 0;
    if (len == 0)
        return;
    for (; s && *s && o + 1 < len; s++)
        out[o++] = gp_safe((unsigned char)*s) ? *s : '?';
    /* Cut short: never end inside a UTF-8 sequence. */
    if (s && ((unsigned char)*s & 0xc0) == 0x80) {
        while (o > 0 && ((unsigned char)out[o - 1] & 0xc0) == 0x80)
            o--;
        if (o > 0 && (unsigned char)out[o - 1] >= 0xc0)
            o--;
    }
    out[o] = '\0';
}

/* A newline becomes gnuplot's \n escape: labels may wrap, nothing else. */
void rpt_gp_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++) {
        if (*s == '\n')
            fputs("\\n", f);
        else
            fputc(gp_safe((unsigned char)*s) ? *s : '?', f);
    }
    fputc('"', f);
}

/* After snprintf cut a string short: drop a trailing incomplete UTF-8
 * sequence so SVG and HTML stay well-formed. */
void rpt_utf8_trim(char *s)
{
    size_t n = strlen(s), i = n;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
        i--;
    if (i == 0)
        return;
    unsigned char lead = (unsigned char)s[i - 1];
    size_t need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    if (n - (i - 1) < need)
        s[i - 1] = '\0';
}

/* A Markdown table cell: '|' escaped, line breaks flattened. */
void rpt_md_cell(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '|')
            fputs("\\|", f);
        else if (*s == '\n' || *s == '\r')
            fputc(' ', f);
        else
            fputc(*s, f);
    }
}
