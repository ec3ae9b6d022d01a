/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* guest.h — the small shared helper of the guest binaries (vcb-init and the
 * wl-* workloads): @vcb protocol output, a tiny JSON object writer, strict
 * size/duration parsers, clocks and stop-signal handling.
 *
 * Guest binaries are static and dependency-free (no jansson, no core): they
 * run as PID 1 of containers and VMs, so this file uses only libc. */
#ifndef WL_GUEST_H
#define WL_GUEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WL_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))

#define WL_NS_PER_US 1000ULL
#define WL_NS_PER_MS 1000000ULL
#define WL_NS_PER_S  1000000000ULL
#define WL_FOREVER   UINT64_MAX

/* Protocol lines stay below PIPE_BUF so one write() is atomic on a pipe. */
#define WL_LINE_MAX 4000

/* ---- output ---------------------------------------------------------------- */
/* Write all of buf to fd, retrying on EINTR and short writes. */
int wl_write_all(int fd, const char *buf, size_t len);
/* Format one line (a '\n' is appended) and write it to fd with one write(). */
int wl_line_fd(int fd, const char *fmt, ...) WL_PRINTF(2, 3);
/* "@vcb ready" on stdout. */
void wl_emit_ready(void);

/* ---- JSON object writer ------------------------------------------------------ */
struct wl_json {
    char buf[WL_LINE_MAX - 32];
    size_t len;
    bool overflow;
};
/* Start an object; the first key is "workload" (or "from" when key != NULL). */
void wl_json_begin(struct wl_json *j, const char *key, const char *value);
void wl_json_u64(struct wl_json *j, const char *key, uint64_t v);
void wl_json_i64(struct wl_json *j, const char *key, int64_t v);
void wl_json_double(struct wl_json *j, const char *key, double v);
/* A number as given (15 significant digits), not rounded to 3 decimals. */
void wl_json_number(struct wl_json *j, const char *key, double v);
void wl_json_bool(struct wl_json *j, const char *key, bool v);
void wl_json_str(struct wl_json *j, const char *key, const char *v);
/* Close the object and write "@vcb result {json}" to fd with one write(). */
int wl_json_emit(struct wl_json *j, int fd);

/* ---- strict parsers ------------------------------------------------------------
 * Sizes: "256MiB", "1G", "512k", "4096" (bytes), "1.5GiB". k/M/G/T and
 * KiB/MiB/GiB/TiB are powers of 1024; KB/MB/GB/TB powers of 1000; "B" bytes.
 * Durations: "1.5s", "200ms", "50us", "10ns", "2m", "1h"; a bare number is
 * seconds. Empty strings, junk, negatives and overflow return -1. */
int wl_parse_size(const char *s, uint64_t *out);
int wl_parse_duration(const char *s, uint64_t *out_ns);
int wl_parse_u64(const char *s, uint64_t *out);

/* ---- command line ----------------------------------------------------------- */
struct wl_prog {
    const char *name;  /* "cpu" */
    const char *usage; /* "cpu [--duration D]" plus option lines */
};
/* Print "name: message" and the usage to stderr and exit 2. */
_Noreturn void wl_usage_fail(const struct wl_prog *p, const char *fmt, ...) WL_PRINTF(2, 3);
/* Print the usage to stdout and exit 0 when argv holds --help or -h. */
void wl_handle_help(const struct wl_prog *p, int argc, char **argv);
/* Match argv[*i] as "--name VALUE" or "--name=VALUE". Returns true and sets
 * *value (advancing *i past a separate value) on a match; a missing value
 * is a usage failure. */
bool wl_opt(const struct wl_prog *p, int argc, char **argv, int *i, const char *name,
            const char **value);
/* Parse an option value, failing with a usage message naming the option. */
uint64_t wl_opt_size(const struct wl_prog *p, const char *opt, const char *value);
uint64_t wl_opt_duration(const struct wl_prog *p, const char *opt, const char *value);
uint64_t wl_opt_u64(const struct wl_prog *p, const char *opt, const char *value);

/* ---- time -------------------------------------------------------------------- */
uint64_t wl_now_ns(void);      /* CLOCK_MONOTONIC */
uint64_t wl_boottime_ns(void); /* CLOCK_BOOTTIME */
/* now + d, saturating at WL_FOREVER. */
uint64_t wl_deadline_after(uint64_t d_ns);

/* ---- stop signals (SIGTERM, SIGINT) -------------------------------------------
 * Workloads block both at start and look for them at points of their choice,
 * so a stop never lands in the middle of a measurement. */
void wl_stop_signals_block(void);
/* A stop signal is pending or was seen before (cheap: one syscall). */
bool wl_stop_requested(void);
/* Sleep until deadline_ns (CLOCK_MONOTONIC, WL_FOREVER = no limit) or a stop
 * signal; true when stopped by a signal. */
bool wl_wait_stop(uint64_t deadline_ns);

#endif
