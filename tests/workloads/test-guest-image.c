/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-guest-image — vcb-init running an image's own command (`--image`):
 * a fake image rootfs (vcb-init under its own directory, the config parts
 * as files, static busybox as the command), run as the process arm runs an
 * own rootfs (a plain child chrooted into it, stdout the channel) and as
 * PID 1. Checks the protocol lines for each readiness kind, the command,
 * env, workdir and user really applied, the relay filter, metrics, usage
 * errors (2) and commands that cannot start (127). Needs root (chroot);
 * exits 77 otherwise or without /bin/busybox. */
#include <arpa/inet.h>
#include <grp.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "guest-image.h"
#include "guest-run.h"

#define MS 1000000ULL

/* ---- the image ------------------------------------------------------------------ */

/* A config part: words each NUL-terminated (NULL words: none written). */
static void write_words(const char *root, const char *file, const char *const *words)
{
    char buf[4096];
    size_t len = 0;
    for (size_t i = 0; words && words[i]; i++) {
        size_t n = strlen(words[i]) + 1;
        assert_true(len + n <= sizeof(buf));
        memcpy(buf + len, words[i], n);
        len += n;
    }
    if (words)
        guest_rootfs_write(root, file + 1, buf, len);
}

static void write_text(const char *root, const char *file, const char *text)
{
    guest_rootfs_write(root, file + 1, text, strlen(text));
}

/* An image whose cmd is `sh -c script` (NULL: no cmd). */
static char *image_with_script(const char *script)
{
    char *root = guest_image_rootfs_new();
    if (script)
        write_words(root, WL_OWN_CMD, (const char *[]){"sh", "-c", script, NULL});
    return root;
}

/* ---- running it ------------------------------------------------------------------ */

static void run_image_opts(const char *root, const char *const *args, struct guest_run_opts *o,
                           struct guest_run *r)
{
    const char *argv[32] = {WL_IMAGE_MODE_ARG};
    for (size_t i = 0; args && args[i]; i++) {
        assert_true(i + 2 < sizeof(argv) / sizeof(argv[0]));
        argv[i + 1] = args[i];
    }
    o->init = WL_OWN_INIT;
    o->chroot = !o->pid1;
    assert_int_equal(guest_run(root, argv, o, r), 0);
}

static void run_image(const char *root, const char *const *args, struct guest_run *r)
{
    struct guest_run_opts o = {0};
    run_image_opts(root, args, &o, r);
}

static void dump(const struct guest_run *r)
{
    print_message("--- channel ---\n%s--- log ---\n%s-----------\n", r->out, r->err);
}

/* The channel is "@vcb init <n>" and then exactly want[] (the last is the
 * exit line); the status matches; nothing was left running. */
static void expect_channel(const struct guest_run *r, const char *const *want, int status)
{
    size_t n = 0;
    while (want[n])
        n++;
    bool same = r->nlines == n + 1 && strncmp(r->lines[0], "@vcb init ", 10) == 0;
    for (size_t i = 0; same && i < n; i++)
        same = strcmp(r->lines[i + 1], want[i]) == 0;
    if (!same || r->status != status || r->timed_out || r->leftovers)
        dump(r);
    assert_true(same);
    assert_int_equal(r->status, status);
    assert_false(r->timed_out);
    assert_false(r->leftovers);
}

static void expect_log(const struct guest_run *r, const char *text)
{
    if (!strstr(r->err, text)) {
        dump(r);
        fail_msg("the log lacks '%s'", text);
    }
}

static void expect_not_in_log(const struct guest_run *r, const char *text)
{
    if (strstr(r->err, text)) {
        dump(r);
        fail_msg("the log has '%s'", text);
    }
}

static void finish(char *root, struct guest_run *r)
{
    guest_run_free(r);
    guest_rootfs_free(root);
}

/* ---- readiness ---------------------------------------------------------------------- */

/* start: ready once exec'd; the command's stdout and stderr reach the log
 * unchanged, not the channel. */
static void test_image_ready_start(void **state)
{
    char *root = image_with_script("echo to-stdout; echo to-stderr >&2; sleep 0.3");
    struct guest_run r;
    run_image(root, NULL, &r);
    expect_channel(&r, (const char *[]){"@vcb ready", "@vcb exit 0", NULL}, 0);
    expect_log(&r, "to-stdout\n");
    expect_log(&r, "to-stderr\n");
    assert_true(r.ready_ns < r.elapsed_ns - 200 * MS); /* at the start, not the end */
    finish(root, &r);
}

/* exit: ready when the command exits 0, before its exit line. */
static void test_image_ready_exit(void **state)
{
    char *root = image_with_script("sleep 0.3");
    struct guest_run r;
    run_image(root, (const char *[]){"--ready", "exit", NULL}, &r);
    expect_channel(&r, (const char *[]){"@vcb ready", "@vcb exit 0", NULL}, 0);
    assert_true(r.ready_ns >= 300 * MS);
    finish(root, &r);
}

static void test_image_ready_exit_failing(void **state)
{
    char *root = image_with_script("exit 1");
    struct guest_run r;
    run_image(root, (const char *[]){"--ready", "exit", NULL}, &r);
    expect_channel(&r, (const char *[]){"@vcb exit 1", NULL}, 1);
    finish(root, &r);
}

/* line: the first matching line, stdout or stderr. */
static void test_image_ready_line(void **state)
{
    char *root = image_with_script(
        "echo starting; echo listening on x; sleep 0.3; echo listening on 80 >&2; sleep 0.3");
    struct guest_run r;
    run_image(root, (const char *[]){"--ready", "line:^listening on [0-9]+$", NULL}, &r);
    expect_channel(&r, (const char *[]){"@vcb ready", "@vcb exit 0", NULL}, 0);
    assert_true(r.ready_ns >= 300 * MS);
    assert_true(r.ready_ns < r.elapsed_ns - 150 * MS); /* at the line, not the exit */
    finish(root, &r);
}

static void test_image_ready_line_never(void **state)
{
    char *root = image_with_script("echo starting");
    struct guest_run r;
    run_image(root, (const char *[]){"--ready", "line:^listening", NULL}, &r);
    expect_channel(&r, (const char *[]){"@vcb exit 0", NULL}, 0);
    finish(root, &r);
}

/* A port free on the host now (the chroot shares the host's network). */
static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET};
    socklen_t len = sizeof(sa);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
    close(fd);
    return ntohs(sa.sin_port);
}

/* tcp: ready only once the port listens (0.3 s after the start). nc serves
 * one connection and exits: the probe connected and closed at once, or
 * the run would time out. */
static void test_image_ready_tcp(void **state)
{
    char script[128], kind[32];
    int port = free_port();
    snprintf(script, sizeof(script), "sleep 0.3; exec nc -l -p %d", port);
    snprintf(kind, sizeof(kind), "tcp:%d", port);
    char *root = image_with_script(script);
    struct guest_run r;
    struct guest_run_opts o = {.timeout_ms = 10000};
    run_image_opts(root, (const char *[]){"--ready", kind, NULL}, &o, &r);
    expect_channel(&r, (const char *[]){"@vcb ready", "@vcb exit 0", NULL}, 0);
    assert_true(r.ready_ns >= 300 * MS);
    finish(root, &r);
}

static void test_image_ready_tcp_never(void **state)
{
    char kind[32];
    snprintf(kind, sizeof(kind), "tcp:%d", free_port());
    char *root = image_with_script("sleep 0.2");
    struct guest_run r;
    run_image(root, (const char *[]){"--ready", kind, NULL}, &r);
    expect_channel(&r, (const char *[]){"@vcb exit 0", NULL}, 0);
    finish(root, &r);
}

/* ---- the command, its env, workdir and user ---------------------------------------- */

static void test_image_env_workdir_user(void **state)
{
    char *root = image_with_script("id -u; id -g; id -G; pwd; env");
    write_words(root, WL_OWN_ENV, (const char *[]){"FOO=bar baz", "PATH=/bin", NULL});
    write_text(root, WL_OWN_WORKDIR, "/srv/app");
    write_text(root, WL_OWN_USER, "1234:5678");
    write_text(root, "/srv/app/.keep", "");
    /* a supplementary group for vcb-init to drop */
    assert_int_equal(setgroups(1, (gid_t[]){4242}), 0);
    struct guest_run r;
    run_image(root, NULL, &r);
    assert_int_equal(setgroups(0, NULL), 0);
    expect_channel(&r, (const char *[]){"@vcb ready", "@vcb exit 0", NULL}, 0);
    expect_log(&r, "1234\n5678\n5678\n/srv/app\n"); /* id -G: no group kept */
    expect_log(&r, "\nFOO=bar baz\n");
    expect_log(&r, "\nPATH=/bin\n");
    expect_log(&r, "\nHOME=/\n");
    expect_not_in_log(&r, "VCB_LIBEXEC_DIR="); /* vcb-init's own env stays out */
    finish(root, &r);
}

/* No env, workdir or user: docker's PATH, HOME=/, cwd /, root. */
static void test_image_defaults(void **state)
{
    char *root = image_with_script("id -u; pwd; env");
    struct guest_run r;
    run_image(root, NULL, &r);
    expect_channel(&r, (const char *[]){"@vcb ready", "@vcb exit 0", NULL}, 0);
    expect_log(&r, "0\n/\n");
    expect_log(&r, "\nPATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n");
    expect_log(&r, "\nHOME=/\n");
    finish(root, &r);
}

/* The command is looked up in the image's PATH, not vcb-init's. */
static void test_image_path_is_the_images(void **state)
{
    char *root = image_with_script("true");
    write_words(root, WL_OWN_ENV, (const char *[]){"PATH=/nowhere", NULL});
    struct guest_run r;
    run_image(root, NULL, &r);
    expect_channel(&r, (const char *[]){"@vcb exit 127", NULL}, 127);
    expect_log(&r, "cannot run sh (PATH=/nowhere)");
    finish(root, &r);
}

/* entrypoint + cmd; the words after `--` replace cmd; a bare `--` keeps it. */
static void test_image_entrypoint_and_cmd(void **state)
{
    char *root = guest_image_rootfs_new();
    write_words(root, WL_OWN_ENTRYPOINT, (const char *[]){"sh", "-c", "echo \"args:$0,$1\"", NULL});
    write_words(root, WL_OWN_CMD, (const char *[]){"one", "two", NULL});
    struct guest_run r;
    run_image(root, NULL, &r);
    expect_channel(&r, (const char *[]){"@vcb ready", "@vcb exit 0", NULL}, 0);
    expect_log(&r, "args:one,two\n");
    guest_run_free(&r);
    run_image(root, (const char *[]){"--command", "three", "four", NULL}, &r);
    expect_channel(&r, (const char *[]){"@vcb ready", "@vcb exit 0", NULL}, 0);
    expect_log(&r, "args:three,four\n");
    expect_not_in_log(&r, "one");
    guest_run_free(&r);
    run_image(root, (const char *[]){"--command", NULL}, &r);
    expect_channel(&r, (const char *[]){"@vcb ready", "@vcb exit 0", NULL}, 0);
    expect_log(&r, "args:one,two\n");
    finish(root, &r);
}

/* `--` replaces an image's cmd when it has no entrypoint. */
static void test_image_override_cmd(void **state)
{
    char *root = image_with_script("echo from-cmd");
    struct guest_run r;
    run_image(root, (const char *[]){"--command", "echo", "from-override", NULL}, &r);
    expect_channel(&r, (const char *[]){"@vcb ready", "@vcb exit 0", NULL}, 0);
    expect_log(&r, "from-override\n");
    expect_not_in_log(&r, "from-cmd");
    finish(root, &r);
}

/* ---- what the command says ----------------------------------------------------------- */

/* Its results pass; its ready, init and exit lines do not. */
static void test_image_relay_results_only(void **state)
{
    char *root = image_with_script("echo '@vcb ready'; echo '@vcb exit 5'; echo '@vcb init 1'; "
                                   "echo '@vcb result {\"k\":1}'; echo '@vcb ready' >&2");
    struct guest_run r;
    run_image(root, (const char *[]){"--ready", "line:^never$", NULL}, &r);
    expect_channel(&r, (const char *[]){"@vcb result {\"k\":1}", "@vcb exit 0", NULL}, 0);
    expect_log(&r, "not relayed (the command may send \"@vcb result\" lines only): @vcb ready\n");
    expect_log(&r, "not relayed (the command may send \"@vcb result\" lines only): @vcb exit 5\n");
    finish(root, &r);
}

static void expect_metric(const char *line, const char *name, double value, const char *unit)
{
    const char *prefix = "@vcb result ";
    assert_true(strncmp(line, prefix, strlen(prefix)) == 0);
    json_error_t jerr;
    json_t *j = json_loads(line + strlen(prefix), 0, &jerr);
    if (!j)
        fail_msg("not JSON (%s): %s", jerr.text, line);
    assert_int_equal(json_object_size(j), 3);
    assert_string_equal(json_string_value(json_object_get(j, "metric")), name);
    assert_true(guest_json_num(j, "value") == value);
    assert_string_equal(json_string_value(json_object_get(j, "unit")), unit);
    json_decref(j);
}

/* Each matching line whose first group is a finite number gives a result. */
static void test_image_metric(void **state)
{
    /* the pauses keep the order of stdout and stderr lines */
    char *root = image_with_script("echo 'rate 1234.5 req/s'; sleep 0.1; echo 'took 7 ms' >&2; "
                                   "sleep 0.1; echo 'rate fast req/s'; echo 'rate inf req/s'; "
                                   "echo 'rate 0.000125 req/s'");
    struct guest_run r;
    run_image(root,
              (const char *[]){"--ready", "exit", "--metric", "rps:req/s=^rate (.*) req/s$",
                               "--metric", "lat.p50:ms=took ([0-9]+) ms", NULL},
              &r);
    if (r.nlines != 6)
        dump(&r);
    assert_int_equal(r.nlines, 6);
    expect_metric(r.lines[1], "rps", 1234.5, "req/s");
    expect_metric(r.lines[2], "lat.p50", 7, "ms");
    expect_metric(r.lines[3], "rps", 0.000125, "req/s");
    assert_string_equal(r.lines[4], "@vcb ready");
    assert_string_equal(r.lines[5], "@vcb exit 0");
    finish(root, &r);
}

/* ---- refusals -------------------------------------------------------------------------- */

/* Bad options: a usage error (2) before the command runs. */
static void test_image_usage_errors(void **state)
{
    static const char *const bad[][3] = {
        {"--ready", "bogus"},
        {"--ready", "tcp:0"},
        {"--ready", "tcp:70000"},
        {"--ready", "tcp:80x"},
        {"--ready", "line:("},
        {"--ready", "line:"},
        {"--ready", NULL},
        {"--frob", NULL},
        {"--metric", "noname"},
        {"--metric", "bad name:ms=(1)"},
        {"--metric", "n:m\"s=(1)"},
        {"--metric", "n:ms=nogroup"},
        {"--metric", "n:=(1)"},
        {"--metric", "n:ms="},
        /* regexes glibc would compile into gigabytes: refused before */
        {"--metric", "n:ms=([0-9]+)++"},
        {"--metric", "n:ms=1+++++{0"},
        {"--metric", "n:ms=(a{33})"},
        {"--ready", "line:(((((((a+)+)+)+)+)+)+)"},
    };
    char *root = image_with_script("echo RAN");
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct guest_run r;
        run_image(root, bad[i], &r);
        print_message("%s %s\n", bad[i][0], bad[i][1] ? bad[i][1] : "");
        expect_channel(&r, (const char *[]){"@vcb exit 2", NULL}, 2);
        expect_log(&r, "vcb-init: ");
        expect_not_in_log(&r, "RAN");
        guest_run_free(&r);
    }
    guest_rootfs_free(root);
}

static void test_image_too_many_metrics(void **state)
{
    const char *args[20];
    size_t n = 0;
    for (int i = 0; i < 9; i++) {
        args[n++] = "--metric";
        args[n++] = "m:u=(1)";
    }
    args[n] = NULL;
    char *root = image_with_script("echo RAN");
    struct guest_run r;
    run_image(root, args, &r);
    expect_channel(&r, (const char *[]){"@vcb exit 2", NULL}, 2);
    expect_log(&r, "--metric: at most 8");
    finish(root, &r);
}

static void test_image_no_command(void **state)
{
    char *root = image_with_script(NULL);
    struct guest_run r;
    run_image(root, NULL, &r);
    expect_channel(&r, (const char *[]){"@vcb exit 127", NULL}, 127);
    expect_log(&r, "the image has no command");
    finish(root, &r);
}

/* A step that fails before the exec is named, and exits 127. */
static void test_image_cannot_start(void **state)
{
    static const struct {
        const char *file, *text, *log;
    } cases[] = {
        {WL_OWN_WORKDIR, "/missing", "workdir /missing: No such file or directory"},
        {WL_OWN_WORKDIR, "relative", "is not an absolute path"},
        {WL_OWN_USER, "abc", "'abc' is not UID:GID"},
        {WL_OWN_USER, "1:2:3", "is not UID:GID"},
        {WL_OWN_ENV, "A=1", "the last word is not NUL-terminated"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *root = image_with_script("echo RAN");
        write_text(root, cases[i].file, cases[i].text);
        struct guest_run r;
        run_image(root, NULL, &r);
        expect_channel(&r, (const char *[]){"@vcb exit 127", NULL}, 127);
        expect_log(&r, cases[i].log);
        expect_not_in_log(&r, "RAN");
        finish(root, &r);
    }
}

/* ---- PID 1 in a user's image ---------------------------------------------------------- */

/* The image has no /proc, /sys, /dev or /tmp: PID 1 makes and mounts them. */
static void test_image_pid1_mounts(void **state)
{
    char *root = image_with_script("test -r /proc/self/stat && test -d /sys/kernel && "
                                   "test -c /dev/null && test -d /tmp && echo mounts-ok");
    struct guest_run r;
    struct guest_run_opts o = {.pid1 = true};
    run_image_opts(root, NULL, &o, &r);
    expect_channel(&r, (const char *[]){"@vcb ready", "@vcb exit 0", NULL}, 0);
    expect_log(&r, "mounts-ok\n");
    finish(root, &r);
}

int main(void)
{
    if (geteuid() != 0) {
        fprintf(stderr, "test-guest-image: needs root (chroot into the image): skipped\n");
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_image_ready_start),
        cmocka_unit_test(test_image_ready_exit),
        cmocka_unit_test(test_image_ready_exit_failing),
        cmocka_unit_test(test_image_ready_line),
        cmocka_unit_test(test_image_ready_line_never),
        cmocka_unit_test(test_image_ready_tcp),
        cmocka_unit_test(test_image_ready_tcp_never),
        cmocka_unit_test(test_image_env_workdir_user),
        cmocka_unit_test(test_image_defaults),
        cmocka_unit_test(test_image_path_is_the_images),
        cmocka_unit_test(test_image_entrypoint_and_cmd),
        cmocka_unit_test(test_image_override_cmd),
        cmocka_unit_test(test_image_relay_results_only),
        cmocka_unit_test(test_image_metric),
        cmocka_unit_test(test_image_usage_errors),
        cmocka_unit_test(test_image_too_many_metrics),
        cmocka_unit_test(test_image_no_command),
        cmocka_unit_test(test_image_cannot_start),
        cmocka_unit_test(test_image_pid1_mounts),
    };
    return cmocka_run_group_tests(tests, NULL, guest_rootfs_cleanup_all);
}
