/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* guest.c — protocol output, JSON writer, command line, clocks and stop
 * signals shared by the guest binaries. libc only (see guest.h). */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "guest.h"
#include "vcb.h"

/* ---- output ---------------------------------------------------------------- */

int wl_write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

int wl_line_fd(int fd, const char *fmt, ...)
{
    char line[WL_LINE_MAX];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        return -1;
    if ((size_t)n > sizeof(line) - 2)
        n = (int)sizeof(line) - 2; /* truncated: still one line */
    line[n++] = '\n';
    return wl_write_all(fd, line, (size_t)n);
}

void wl_emit_ready(void)
{
    wl_line_fd(STDOUT_FILENO, "@vcb ready");
}

/* ---- JSON writer --------------------------------------------------------------- */

static void json_append(struct wl_json *j, const char *fmt, ...) WL_PRINTF(2, 3);
static void json_append(struct wl_json *j, const char *fmt, ...)
{
    if (j->overflow)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(j->buf + j->len, sizeof(j->buf) - j->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof(j->buf) - j->len) {
        j->overflow = true;
        return;
    }
    j->len += (size_t)n;
}

/* Append a JSON string literal; our strings are short ASCII, but escape
 * anyway so a strange errno text can never break the line. */
static void json_append_string(struct wl_json *j, const char *s)
{
    json_append(j, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            json_append(j, "\\%c", *p);
        else if (*p < 0x20 || *p >= 0x7f)
            json_append(j, "\\u%04x", *p);
        else
            json_append(j, "%c", *p);
    }
    json_append(j, "\"");
}

static void json_key(struct wl_json *j, const char *key)
{
    json_append(j, ",");
    json_append_string(j, key);
    json_append(j, ":");
}

void wl_json_begin(struct wl_json *j, const char *key, const char *value)
{
    j->len = 0;
    j->overflow = false;
    j->buf[0] = '\0';
    json_append(j, "{");
    json_append_string(j, key ? key : "workload");
    json_append(j, ":");
    json_append_string(j, value);
}

void wl_json_u64(struct wl_json *j, const char *key, uint64_t v)
{
    json_key(j, key);
    json_append(j, "%llu", (unsigned long long)v);
}

void wl_json_i64(struct wl_json *j, const char *key, int64_t v)
{
    json_key(j, key);
    json_append(j, "%lld", (long long)v);
}

static void json_real(struct wl_json *j, const char *key, bool fixed3, double v)
{
    json_key(j, key);
    if (!isfinite(v))
        json_append(j, "null"); /* JSON has no inf/nan */
    else if (fixed3)
        json_append(j, "%.3f", v);
    else
        json_append(j, "%.15g", v);
}

void wl_json_double(struct wl_json *j, const char *key, double v)
{
    json_real(j, key, true, v);
}

void wl_json_number(struct wl_json *j, const char *key, double v)
{
    json_real(j, key, false, v);
}

void wl_json_bool(struct wl_json *j, const char *key, bool v)
{
    json_key(j, key);
    json_append(j, "%s", v ? "true" : "false");
}

void wl_json_str(struct wl_json *j, const char *key, const char *v)
{
    json_key(j, key);
    json_append_string(j, v);
}

int wl_json_emit(struct wl_json *j, int fd)
{
    json_append(j, "}");
    if (j->overflow) /* never send broken JSON: say so instead */
        return wl_line_fd(fd, "@vcb result {\"error\":\"result too long\"}");
    return wl_line_fd(fd, "@vcb result %s", j->buf);
}

/* ---- command line ------------------------------------------------------------- */

_Noreturn void wl_usage_fail(const struct wl_prog *p, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s: %s\nusage: %s\n", p->name, msg, p->usage);
    exit(2);
}

void wl_handle_help(const struct wl_prog *p, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf("usage: %s\n", p->usage);
            exit(0);
        }
    }
}

bool wl_opt(const struct wl_prog *p, int argc, char **argv, int *i, const char *name,
            const char **value)
{
    const char *arg = argv[*i];
    size_t n = strlen(name);
    if (strncmp(arg, name, n) != 0)
        return false;
    if (arg[n] == '=') {
        *value = arg + n + 1;
        return true;
    }
    if (arg[n] != '\0')
        return false;
    if (*i + 1 >= argc)
        wl_usage_fail(p, "%s needs a value", name);
    *value = argv[++*i];
    return true;
}

uint64_t wl_opt_size(const struct wl_prog *p, const char *opt, const char *value)
{
    uint64_t v;
    if (wl_parse_size(value, &v) < 0)
        wl_usage_fail(p, "%s: '%s' is not a size (expected e.g. 4096, 512k, 256MiB, 1G)", opt,
                      value);
    return v;
}

uint64_t wl_opt_duration(const struct wl_prog *p, const char *opt, const char *value)
{
    uint64_t v;
    if (wl_parse_duration(value, &v) < 0)
        wl_usage_fail(p, "%s: '%s' is not a duration (expected e.g. 1.5s, 200ms, 50us, 2)", opt,
                      value);
    return v;
}

uint64_t wl_opt_u64(const struct wl_prog *p, const char *opt, const char *value)
{
    uint64_t v;
    if (wl_parse_u64(value, &v) < 0)
        wl_usage_fail(p, "%s: '%s' is not a whole number", opt, value);
    return v;
}

/* ---- time --------------------------------------------------------------------- */

/* The host's own clock helpers (core/clock.c, compiled in). */
uint64_t wl_now_ns(void)
{
    return vcb_now_ns();
}

uint64_t wl_boottime_ns(void)
{
    return vcb_boottime_ns();
}

uint64_t wl_deadline_after(uint64_t d_ns)
{
    uint64_t now = wl_now_ns();
    return d_ns >= WL_FOREVER - now ? WL_FOREVER : now + d_ns;
}

/* ---- stop signals --------------------------------------------------------------- */

static bool stop_seen;

static void stop_set(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGINT);
}

void wl_stop_signals_block(void)
{
    sigset_t set;
    stop_set(&set);
    sigprocmask(SIG_BLOCK, &set, NULL);
}

bool wl_stop_requested(void)
{
    return wl_wait_stop(0);
}

bool wl_wait_stop(uint64_t deadline_ns)
{
    sigset_t set;
    stop_set(&set);
    while (!stop_seen) {
        uint64_t now = wl_now_ns();
        uint64_t left = deadline_ns > now ? deadline_ns - now : 0;
        /* Forever is a long timeout in a loop: sigtimedwait needs a finite one. */
        if (left > 3600 * WL_NS_PER_S)
            left = 3600 * WL_NS_PER_S;
        struct timespec ts = {.tv_sec = (time_t)(left / WL_NS_PER_S),
                              .tv_nsec = (long)(left % WL_NS_PER_S)};
        int sig = sigtimedwait(&set, NULL, &ts);
        if (sig > 0)
            stop_seen = true;
        else if (errno == EAGAIN && (deadline_ns == 0 || wl_now_ns() >= deadline_ns))
            return false;
    }
    return true;
}
