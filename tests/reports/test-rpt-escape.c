/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-rpt-escape.c — text from results files into HTML, CSV, Markdown and
 * gnuplot scripts, and the SVG inlining that keeps ids apart. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "rpt-priv.h"

/* Run fn(f, in) into a string. */
static char *capture(void (*fn)(FILE *, const char *), const char *in)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    fn(f, in);
    fclose(f);
    return buf;
}

static void check(void (*fn)(FILE *, const char *), const char *in, const char *want)
{
    char *got = capture(fn, in);
    assert_string_equal(got, want);
    free(got);
}

static void test_html(void **state)
{
    check(rpt_html_puts, "<a href=\"x\">&'", "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
    check(rpt_html_puts, "vm — emulated (TCG)", "vm — emulated (TCG)");
    check(rpt_html_puts, "", "");
    check(rpt_html_puts, NULL, "");
}

static void test_csv(void **state)
{
    check(rpt_csv_field, "plain", "plain");
    check(rpt_csv_field, "a,b", "\"a,b\"");
    check(rpt_csv_field, "say \"hi\"", "\"say \"\"hi\"\"\"");
    check(rpt_csv_field, "two\nlines", "\"two\nlines\"");
    check(rpt_csv_field, "cr\r", "\"cr\r\"");
    check(rpt_csv_field, "", "");
    check(rpt_csv_field, NULL, "");
}

static void test_md(void **state)
{
    check(rpt_md_cell, "a|b\nc", "a\\|b c");
}

static void test_gp(void **state)
{
    /* Backquotes would run a command inside gnuplot's double quotes. */
    check(rpt_gp_str, "a`rm -rf /`\"b\\c", "\"a?rm -rf /??b?c\"");
    check(rpt_gp_str, "vm\nemulated (TCG) — @x $y 'q'", "\"vm\\nemulated (TCG) — @x $y 'q'\"");
    check(rpt_gp_str, "bell\a", "\"bell?\"");
    char out[8];
    rpt_gp_sanitize("ab`c", out, sizeof(out));
    assert_string_equal(out, "ab?c");
    rpt_gp_sanitize("abcd—", out, 6); /* room for "abcd" + 1 byte of the dash */
    assert_string_equal(out, "abcd");
}

static void test_utf8_trim(void **state)
{
    char s[16] = "ab\xe2\x80"; /* "—" cut after two of its three bytes */
    rpt_utf8_trim(s);
    assert_string_equal(s, "ab");
    strcpy(s, "ab\xe2\x80\x94");
    rpt_utf8_trim(s);
    assert_string_equal(s, "ab\xe2\x80\x94");
    strcpy(s, "abc");
    rpt_utf8_trim(s);
    assert_string_equal(s, "abc");
}

static void test_svg_inline(void **state)
{
    const char *svg = "<?xml version=\"1.0\"?>\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" "
                      "\"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n"
                      "<svg width='1'><path id='gpPt1'/><use xlink:href='#gpPt1'/>"
                      "<g clip-path=\"url(#c)\" id=\"c\"/></svg>";
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(rpt_svg_inline(f, svg, "p1", "T&"), 0);
    fclose(f);
    assert_true(strncmp(buf, "<svg role=\"img\" aria-label=\"T&amp;\" width='1'>", 46) == 0);
    assert_non_null(strstr(buf, "id='p1-gpPt1'"));
    assert_non_null(strstr(buf, "href='#p1-gpPt1'"));
    assert_non_null(strstr(buf, "url(#p1-c)"));
    assert_non_null(strstr(buf, "id=\"p1-c\""));
    assert_null(strstr(buf, "DOCTYPE"));
    assert_null(strstr(buf, "http"));
    free(buf);
    f = open_memstream(&buf, &len);
    assert_int_equal(rpt_svg_inline(f, "<html>not svg</html>", "p", "x"), -1);
    fclose(f);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_html),      cmocka_unit_test(test_csv),
        cmocka_unit_test(test_md),        cmocka_unit_test(test_gp),
        cmocka_unit_test(test_utf8_trim), cmocka_unit_test(test_svg_inline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
