/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-logcap.c — an instance's log with a ceiling: the file never grows
 * past max (its last line says it was capped), every byte over it is
 * counted, a write the disk refuses is counted with its errno, a drained
 * pipe ends at EOF, stray protocol lines go through the same cap, and the
 * file is made at the first byte only (a refusal then is counted too). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "vcb-driver.h"

static char path[64];

static int setup(void **state)
{
    snprintf(path, sizeof(path), "/tmp/vcb-logcap-XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    close(fd);
    return 0;
}

static int teardown(void **state)
{
    unlink(path);
    return 0;
}

static off_t file_size(void)
{
    struct stat st;
    return stat(path, &st) == 0 ? st.st_size : -1;
}

static void test_cap(void **state)
{
    struct vcb_logcap l;
    struct vcb_err err = {0};
    char block[1000];
    memset(block, 'x', sizeof(block));
    assert_int_equal(vcb_logcap_open(&l, path, 8192, &err), 0);
    for (int i = 0; i < 100; i++) /* 100 000 bytes into an 8 KiB log */
        vcb_logcap_write(&l, block, sizeof(block));
    uint64_t written, dropped;
    int error;
    vcb_logcap_stats(&l, &written, &dropped, &error);
    vcb_logcap_close(&l);
    assert_true(file_size() <= 8192);
    assert_int_equal((uint64_t)file_size(), written);
    assert_int_equal(error, 0);
    /* all the content is accounted for: kept (less the capped line) + dropped */
    cleanup_free char *text = NULL;
    assert_int_equal(vcb_read_file(path, &text, NULL, &err), 0);
    char *mark = strstr(text, "[vcbench: log capped at 8192 bytes;");
    assert_non_null(mark);
    size_t kept = strspn(text, "x");
    assert_int_equal(kept + dropped, 100000);
    assert_true(kept >= 8192 - 128);
}

static void test_default_and_rule(void **state)
{
    struct vcb_logcap l;
    struct vcb_err err = {0};
    assert_int_equal(vcb_logcap_open(&l, path, 0, &err), 0);
    assert_true(l.max == VCB_LOG_MAX_DEFAULT);
    vcb_logcap_write(&l, "short\n", 6);
    assert_int_equal(l.dropped, 0);
    vcb_logcap_close(&l);
    assert_int_equal(file_size(), 6);
    assert_int_equal(vcb_logcap_check(0, "--log-max", &err), -1);
    assert_string_equal(err.msg, "--log-max: 0 bytes is out of range (expected 4KiB to 1GiB)");
    assert_int_equal(err.usage, 1);
    assert_int_equal(vcb_logcap_check(2ULL << 30, "--log-max", &err), -1);
    assert_int_equal(vcb_logcap_check(1ULL << 20, "--log-max", &err), 0);
}

/* A full disk: /dev/full refuses every write with ENOSPC. */
static void test_refused_write(void **state)
{
    struct vcb_logcap l;
    struct vcb_err err = {0};
    uint64_t written, dropped;
    int error;
    assert_int_equal(vcb_logcap_open(&l, "/dev/full", 1 << 20, &err), 0);
    vcb_logcap_write(&l, "lost line\n", 10);
    vcb_logcap_stats(&l, &written, &dropped, &error);
    vcb_logcap_close(&l);
    assert_int_equal(written, 0);
    assert_int_equal(dropped, 10);
    assert_int_equal(error, ENOSPC);
}

static void test_drain_and_proto(void **state)
{
    struct vcb_logcap l;
    struct vcb_err err = {0};
    struct vcb_proto p = {0};
    struct vcb_evq q = {0};
    int pfd[2];
    assert_int_equal(vcb_logcap_open(&l, path, 4096, &err), 0);
    assert_int_equal(pipe2(pfd, O_NONBLOCK), 0);
    assert_int_equal(write(pfd[1], "stderr line\n", 12), 12);
    assert_int_equal(vcb_logcap_drain(&l, pfd[0]), 0); /* would block: more may come */
    close(pfd[1]);
    assert_int_equal(vcb_logcap_drain(&l, pfd[0]), 1); /* EOF */
    close(pfd[0]);
    p.log = &l;
    const char in[] = "@vcb ready\nstray stdout\n@vcb bogus\n";
    assert_int_equal(vcb_proto_feed(&p, in, sizeof(in) - 1, 1, &q, &err), 0);
    vcb_proto_free(&p);
    vcb_evq_free(&q);
    vcb_logcap_close(&l);
    cleanup_free char *text = NULL;
    assert_int_equal(vcb_read_file(path, &text, NULL, &err), 0);
    assert_string_equal(text, "stderr line\nstray stdout\n[bad @vcb line] @vcb bogus\n");
}

/* An instance that never writes leaves no file; the first byte makes it
 * (truncating what was there). */
static void test_made_at_first_write(void **state)
{
    struct vcb_logcap l;
    struct vcb_err err = {0};
    assert_int_equal(unlink(path), 0);
    assert_int_equal(vcb_logcap_open(&l, path, 0, &err), 0);
    vcb_logcap_close(&l);
    assert_int_equal(file_size(), -1);
    assert_int_equal(vcb_logcap_open(&l, path, 0, &err), 0);
    assert_int_equal(file_size(), -1);
    vcb_logcap_write(&l, "first\n", 6);
    assert_int_equal(file_size(), 6);
    vcb_logcap_write(&l, "second\n", 7);
    vcb_logcap_close(&l);
    assert_int_equal(file_size(), 13);
    assert_int_equal(vcb_logcap_open(&l, path, 0, &err), 0);
    vcb_logcap_write(&l, "again\n", 6);
    vcb_logcap_close(&l);
    assert_int_equal(file_size(), 6);
}

/* A file that cannot be made at the first write: every byte counted as
 * dropped, with the errno of the open. */
static void test_refused_open(void **state)
{
    struct vcb_logcap l;
    struct vcb_err err = {0};
    uint64_t written, dropped;
    int error;
    assert_int_equal(vcb_logcap_open(&l, "/nonexistent-vcb-dir/x.log", 1 << 20, &err), 0);
    vcb_logcap_write(&l, "lost line\n", 10);
    vcb_logcap_write(&l, "and this\n", 9);
    vcb_logcap_stats(&l, &written, &dropped, &error);
    vcb_logcap_close(&l);
    assert_int_equal(written, 0);
    assert_int_equal(dropped, 19);
    assert_int_equal(error, ENOENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_cap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_default_and_rule, setup, teardown),
        cmocka_unit_test(test_refused_write),
        cmocka_unit_test_setup_teardown(test_drain_and_proto, setup, teardown),
        cmocka_unit_test_setup_teardown(test_made_at_first_write, setup, teardown),
        cmocka_unit_test(test_refused_open),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
