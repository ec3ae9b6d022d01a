/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-fleet-hosts.c — the hosts file: destinations, names, vcbench=,
 * labels, comments; every malformed line a usage error naming FILE:LINE
 * and what was expected, nothing returned; and the quoting of the words
 * sent to a remote shell. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "fleet-priv.h"

static void test_hosts_ok(void **state)
{
    struct fleet_hosts h = {0};
    struct vcb_err err = {0};
    const char *text = "# the lab\n"
                       "\n"
                       "vcb-a gen=zen3 kernel=6.1   # a comment after the words\n"
                       "  root@10.0.0.2\tname=beta vcbench=~/vcbench/build/bin/vcbench gen=zen4\n"
                       "alias.example\n";
    assert_int_equal(fleet_hosts_parse(text, "hosts", &h, &err), 0);
    assert_int_equal(h.n, 3);
    assert_string_equal(h.hosts[0].dest, "vcb-a");
    assert_string_equal(h.hosts[0].name, "vcb-a");
    assert_null(h.hosts[0].vcbench);
    assert_int_equal(h.hosts[0].n_labels, 2);
    assert_string_equal(h.hosts[0].labels[0].key, "gen");
    assert_string_equal(h.hosts[0].labels[0].value, "zen3");
    assert_string_equal(h.hosts[0].labels[1].key, "kernel");
    assert_string_equal(h.hosts[0].labels[1].value, "6.1");
    assert_int_equal(h.hosts[0].line, 3);
    assert_string_equal(h.hosts[1].dest, "root@10.0.0.2");
    assert_string_equal(h.hosts[1].name, "beta");
    assert_string_equal(h.hosts[1].vcbench, "~/vcbench/build/bin/vcbench");
    assert_int_equal(h.hosts[1].n_labels, 1);
    assert_int_equal(h.hosts[1].line, 4);
    assert_string_equal(h.hosts[2].name, "alias.example");
    assert_int_equal(h.hosts[2].n_labels, 0);
    fleet_hosts_free(&h);
}

/* text must fail with a usage error holding each of the words in want. */
static void bad(const char *text, const char *const *want)
{
    struct fleet_hosts h = {0};
    struct vcb_err err = {0};
    assert_int_equal(fleet_hosts_parse(text, "lab.hosts", &h, &err), -1);
    assert_int_equal(err.usage, 1);
    assert_null(h.hosts);
    for (; *want; want++)
        if (!strstr(err.msg, *want))
            fail_msg("'%s' does not say '%s'", err.msg, *want);
}

static void test_hosts_malformed(void **state)
{
    bad("vcb-a\ngen=zen3 vcb-b\n", (const char *[]){"lab.hosts:2:", "SSH destination", NULL});
    bad("vcb-a gen\n", (const char *[]){"lab.hosts:1:", "'gen'", "key=value", NULL});
    bad("vcb-a gen=\n", (const char *[]){"lab.hosts:1:", "key=value", NULL});
    bad("vcb-a =zen3\n", (const char *[]){"lab.hosts:1:", "key=value", NULL});
    bad("vcb-a g/n=1\n", (const char *[]){"lab.hosts:1:", "key=value", NULL});
    bad("-oProxyCommand=x\n", (const char *[]){"lab.hosts:1:", "SSH destination", NULL});
    bad("\n# c\nvcb-a name=x name=y\n",
        (const char *[]){"lab.hosts:3:", "name= given twice", NULL});
    bad("vcb-a gen=1 gen=2\n", (const char *[]){"lab.hosts:1:", "label gen given twice", NULL});
    bad("vcb-a name=../up\n", (const char *[]){"lab.hosts:1:", "name=../up", "expected", NULL});
    bad("vcb-a name=a/b\n", (const char *[]){"lab.hosts:1:", "name=a/b", NULL});
    bad("ssh://h:22/\n", (const char *[]){"lab.hosts:1:", "add name=NAME", NULL});
    bad("vcb-a\nvcb-b name=vcb-a\n",
        (const char *[]){"lab.hosts:2:", "'vcb-a'", "line 1", "unique", NULL});
    bad("vcb-a\nvcb-a\n", (const char *[]){"lab.hosts:2:", "unique", NULL});
    bad("# only comments\n\n", (const char *[]){"lab.hosts:", "no hosts", NULL});
    bad("", (const char *[]){"no hosts", NULL});
    bad("vcb-a a=1 b=1 c=1 d=1 e=1 f=1 g=1 h=1 i=1 j=1 k=1 l=1 m=1 n=1 o=1 p=1 q=1\n",
        (const char *[]){"lab.hosts:1:", "at most 16 labels", NULL});
    bad("vcb-a gen=\x01\n", (const char *[]){"lab.hosts:1:", "printable", NULL});
}

static void test_sh_quote(void **state)
{
    char buf[128] = "";
    assert_true(fleet_sh_quote("it's $HOME", buf, sizeof(buf)));
    assert_string_equal(buf, "'it'\\''s $HOME'");
    char small[8] = "";
    assert_false(fleet_sh_quote("toolongtofit", small, sizeof(small)));
    const char *args[] = {"a b", "'"};
    char *cmd = fleet_sh_command("echo \"$1\"", args, 2);
    assert_non_null(cmd);
    assert_string_equal(cmd, "sh -c 'echo \"$1\"' sh 'a b' ''\\'''");
    free(cmd);
}

/* What ssh hands the remote login shell, run by a shell: each word arrives
 * as it was, quotes, $, backquotes and all. */
static void test_sh_roundtrip(void **state)
{
    const char *args[] = {"it's", "$HOME `id` \"q\" \\", ""};
    char *cmd = fleet_sh_command("printf '%s|' \"$@\"", args, 3);
    assert_non_null(cmd);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char out[256] = "";
    size_t n = fread(out, 1, sizeof(out) - 1, p);
    out[n] = '\0';
    assert_int_equal(pclose(p), 0);
    assert_string_equal(out, "it's|$HOME `id` \"q\" \\||");
    free(cmd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hosts_ok),
        cmocka_unit_test(test_hosts_malformed),
        cmocka_unit_test(test_sh_quote),
        cmocka_unit_test(test_sh_roundtrip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
