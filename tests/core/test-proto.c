/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-proto.c — the @vcb protocol: line parser and byte-stream assembler. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "vcb-driver.h"

static void test_parse_lines(void **state)
{
    struct vcb_event ev;
    struct vcb_err err = {0};
    assert_int_equal(vcb_proto_parse_line("@vcb init 123456789", &ev, &err), 1);
    assert_int_equal(ev.kind, VCB_EV_INIT);
    assert_int_equal(ev.guest_ns, 123456789);
    assert_int_equal(vcb_proto_parse_line("@vcb ready\r", &ev, &err), 1);
    assert_int_equal(ev.kind, VCB_EV_READY);
    assert_int_equal(vcb_proto_parse_line("@vcb exit 137", &ev, &err), 1);
    assert_int_equal(ev.kind, VCB_EV_EXIT);
    assert_int_equal(ev.status, 137);
    assert_int_equal(ev.oom_kills, 0);
    /* a VM guest says how many OOM kills its kernel counted */
    assert_int_equal(vcb_proto_parse_line("@vcb exit 137 oom_kills=2", &ev, &err), 1);
    assert_int_equal(ev.kind, VCB_EV_EXIT);
    assert_int_equal(ev.status, 137);
    assert_int_equal(ev.oom_kills, 2);
    assert_int_equal(vcb_proto_parse_line("@vcb exit 0 oom_kills=0\r", &ev, &err), 1);
    assert_int_equal(ev.status, 0);
    assert_int_equal(ev.oom_kills, 0);
    assert_int_equal(vcb_proto_parse_line("@vcb result {\"a_ns\":5}", &ev, &err), 1);
    assert_int_equal(ev.kind, VCB_EV_RESULT);
    assert_string_equal(ev.text, "{\"a_ns\":5}");
    vcb_event_clear(&ev);
    assert_int_equal(vcb_proto_parse_line("[    0.1] kernel says hi", &ev, &err), 0);
    assert_int_equal(vcb_proto_parse_line("@vcbready", &ev, &err), 0);
}

static void test_parse_malformed(void **state)
{
    struct vcb_event ev;
    struct vcb_err err = {0};
    const char *bad[] = {"@vcb init",
                         "@vcb init -1",
                         "@vcb init 12x",
                         "@vcb exit 256",
                         "@vcb exit",
                         "@vcb exit 137 ",
                         "@vcb exit 137 oom_kills=",
                         "@vcb exit 137 oom_kills=x",
                         "@vcb exit 137 kills=1",
                         "@vcb exit 137 oom_kills=1 more",
                         "@vcb exit 256 oom_kills=1",
                         "@vcb result [1,2]",
                         "@vcb result {",
                         "@vcb result \"s\"",
                         "@vcb bogus",
                         "@vcb ready now",
                         "@vcb init 99999999999999999999999"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (vcb_proto_parse_line(bad[i], &ev, &err) != -1)
            fail_msg("accepted malformed line: %s", bad[i]);
    }
    vcb_proto_parse_line("@vcb bogus", &ev, &err);
    assert_string_equal(err.msg, "malformed @vcb line: \"@vcb bogus\"");
}

/* Bytes arrive in arbitrary pieces; each complete line is stamped with the
 * host time of the piece that completed it. */
static void test_feed_split(void **state)
{
    struct vcb_proto p = {0};
    struct vcb_evq q = {0};
    struct vcb_err err = {0};
    const char *stream = "boot noise\n@vcb in";
    assert_int_equal(vcb_proto_feed(&p, stream, strlen(stream), 10, &q, &err), 0);
    assert_int_equal(vcb_proto_feed(&p, "it 5\n@vcb ready\n@vcb exit 0", 27, 20, &q, &err), 0);
    assert_int_equal(vcb_proto_feed(&p, "\n", 1, 30, &q, &err), 0);
    struct vcb_event ev;
    assert_true(vcb_evq_pop(&q, &ev));
    assert_int_equal(ev.kind, VCB_EV_INIT);
    assert_int_equal(ev.host_ns, 20);
    assert_true(vcb_evq_pop(&q, &ev));
    assert_int_equal(ev.kind, VCB_EV_READY);
    assert_int_equal(ev.host_ns, 20);
    assert_true(vcb_evq_pop(&q, &ev));
    assert_int_equal(ev.kind, VCB_EV_EXIT);
    assert_int_equal(ev.host_ns, 30);
    assert_false(vcb_evq_pop(&q, &ev));
    vcb_evq_free(&q);
    vcb_proto_free(&p);
}

/* A guest can print anything: an endless line is dropped and counted, NULs
 * are not text, and parsing resumes at the next line. */
static void test_feed_hostile(void **state)
{
    struct vcb_proto p = {0};
    struct vcb_evq q = {0};
    struct vcb_err err = {0};
    char *big = malloc(VCB_PROTO_LINE_MAX + 10);
    memset(big, 'x', VCB_PROTO_LINE_MAX + 10);
    memcpy(big, "@vcb result {", 13);
    assert_int_equal(vcb_proto_feed(&p, big, VCB_PROTO_LINE_MAX + 10, 1, &q, &err), 0);
    assert_int_equal(vcb_proto_feed(&p, "\n@vcb re\0dy\n@vcb bogus\n@vcb ready\n", 35, 2, &q, &err),
                     0);
    free(big);
    struct vcb_event ev;
    assert_true(vcb_evq_pop(&q, &ev));
    assert_int_equal(ev.kind, VCB_EV_READY);
    assert_false(vcb_evq_pop(&q, &ev));
    assert_int_equal(p.bad_lines, 3);
    vcb_evq_free(&q);
    vcb_proto_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_lines),
        cmocka_unit_test(test_parse_malformed),
        cmocka_unit_test(test_feed_split),
        cmocka_unit_test(test_feed_hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
