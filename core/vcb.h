/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vcb.h — the shared core of vcbench: errors, cleanup helpers, clock, strict
 * parsers, files, naming. Every module includes this; libc only, so the
 * static guest binaries parse as the host does (JSON: vcb-json.h). */
#ifndef VCB_H
#define VCB_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define VCB_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))

/* ---- errors --------------------------------------------------------------
 * Functions return 0 (or a count) on success and -1 on failure, filling the
 * error with errno (0 if not a system error) and a message saying what was
 * being done to what. Callers add context on the way up with vcb_err_prefix.
 * Only the CLI prints. */
#define VCB_ERR_MSG_MAX 512

struct vcb_err {
    int code;  /* errno, or 0 */
    int usage; /* 1: the user's input was bad (CLI exits 2) */
    char msg[VCB_ERR_MSG_MAX];
};

/* Set the error (code = errno_value) and return -1. */
int vcb_err_set(struct vcb_err *err, int errno_value, const char *fmt, ...) VCB_PRINTF(3, 4);
/* Same, appending ": strerror(errno_value)" when errno_value != 0. */
int vcb_err_sys(struct vcb_err *err, int errno_value, const char *fmt, ...) VCB_PRINTF(3, 4);
/* Bad user input: sets usage = 1 so the CLI exits 2. */
int vcb_err_usage(struct vcb_err *err, const char *fmt, ...) VCB_PRINTF(2, 3);
/* Prepend "what: " to the message already there; returns -1. */
int vcb_err_prefix(struct vcb_err *err, const char *fmt, ...) VCB_PRINTF(2, 3);
void vcb_err_clear(struct vcb_err *err);

/* ---- cleanup helpers ----------------------------------------------------- */
void vcb_freep(void *p);
void vcb_closep(int *fd);
void vcb_fclosep(FILE **f);

#define cleanup_free   __attribute__((cleanup(vcb_freep)))
#define cleanup_close  __attribute__((cleanup(vcb_closep)))
#define cleanup_fclose __attribute__((cleanup(vcb_fclosep)))

/* Hand ownership out of a cleanup variable. */
#define steal_pointer(pp)                                                                          \
    ({                                                                                             \
        __typeof__(*(pp)) steal_tmp_ = *(pp);                                                      \
        *(pp) = NULL;                                                                              \
        steal_tmp_;                                                                                \
    })
#define steal_fd(fdp)                                                                              \
    ({                                                                                             \
        int steal_fd_tmp_ = *(fdp);                                                                \
        *(fdp) = -1;                                                                               \
        steal_fd_tmp_;                                                                             \
    })

void vcb_strv_free(char **v);
size_t vcb_strv_len(char *const *v);

/* ---- time ---------------------------------------------------------------- */
#define VCB_NS_PER_US 1000ULL
#define VCB_NS_PER_MS 1000000ULL
#define VCB_NS_PER_S  1000000000ULL
uint64_t vcb_now_ns(void);      /* CLOCK_MONOTONIC */
uint64_t vcb_boottime_ns(void); /* CLOCK_BOOTTIME (guest uptime) */
void vcb_sleep_ns(uint64_t ns);

/* ---- strict parsers for user input ---------------------------------------
 * Sizes: "256MiB", "1G", "512k", "4096" (bytes). k/M/G/T and KiB/MiB/GiB/TiB
 * are powers of 1024 (what memory.max means); KB/MB/GB/TB are powers of 1000.
 * Durations: "1.5s", "200ms", "50us", "10ns", "2m", "1h"; a bare number is
 * seconds. Junk, overflow, negatives and empty strings are rejected with a
 * usage error naming `what` (e.g. "--memory"). */
int vcb_parse_size(const char *s, const char *what, uint64_t *out, struct vcb_err *err);
int vcb_parse_duration(const char *s, const char *what, uint64_t *out_ns, struct vcb_err *err);
int vcb_parse_u64(const char *s, const char *what, uint64_t *out, struct vcb_err *err);
int vcb_parse_double(const char *s, const char *what, double *out, struct vcb_err *err);
/* Human-readable forms for output ("256 MiB", "1.53 ms"). */
void vcb_format_size(uint64_t bytes, char *buf, size_t len);
void vcb_format_duration(uint64_t ns, char *buf, size_t len);

/* ---- files ---------------------------------------------------------------- */
int vcb_mkdir_p(const char *path, unsigned mode, struct vcb_err *err);
/* Remove a tree without crossing mount points; missing path is success. */
int vcb_rm_rf(const char *path, struct vcb_err *err);
int vcb_read_file(const char *path, char **out, size_t *len, struct vcb_err *err);
int vcb_write_file(const char *path, const char *data, size_t len, struct vcb_err *err);
/* Write to path.tmp, fsync, rename: an earlier file is never truncated. */
int vcb_write_file_atomic(const char *path, const char *data, size_t len, struct vcb_err *err);
int vcb_copy_file(const char *src, const char *dst, unsigned mode, struct vcb_err *err);
bool vcb_path_exists(const char *path);
/* Read an unsigned integer from a one-value file (cgroup/proc style). */
int vcb_read_u64_file(const char *path, uint64_t *out, struct vcb_err *err);

/* ---- where things live ---------------------------------------------------- */
/* State dir: $VCB_STATE_DIR or /var/lib/vcbench (kernel/, images/, probe cache).
 * Run dir root: $VCB_RUN_DIR or /run/vcbench (one dir per run: vcb-<run-id>). */
const char *vcb_state_dir(void);
const char *vcb_run_root(void);
/* The filesystem the run root is on (or would be, before the first run: its
 * nearest existing parent's): "tmpfs", "ext4", … or "0x<magic>". A run's
 * dir, lock and logs are made and removed at every start, so on a disk
 * each is a journal transaction; systemd hosts have /run in RAM. */
void vcb_run_root_fs(char *out, size_t len);
/* Directory holding our built binaries (vcb-init, workloads): $VCB_LIBEXEC_DIR,
 * else the directory of the running executable's ../libexec/vcbench, else the
 * build-tree layout. */
const char *vcb_libexec_dir(void);
/* A module vcbench loads on first use (file, e.g. "vcbench-oci.so"):
 * $VCB_MODULE_DIR/file (tests: a test binary is not beside lib/vcbench),
 * else <exe dir>/../lib/vcbench/file, in the build tree and installed. */
void vcb_module_path(const char *file, char *out, size_t len);

/* ---- naming ----------------------------------------------------------------
 * A run id is 8 hex chars; instance names are vcb-<run-id>-<n>. Every host
 * resource an instance owns carries its name so `vcbench cleanup` finds it. */
#define VCB_RUN_ID_LEN 8
#define VCB_NAME_MAX   64
void vcb_run_id_new(char out[VCB_RUN_ID_LEN + 1]);
void vcb_instance_name(const char *run_id, unsigned n, char out[VCB_NAME_MAX]);
/* Parse "vcb-<run-id>-<n>"; returns 0 and fills run_id when it matches. */
int vcb_instance_name_parse(const char *name, char run_id[VCB_RUN_ID_LEN + 1], unsigned *n);

/* ---- version --------------------------------------------------------------- */
const char *vcb_version(void);
/* `git describe --always --dirty` of the tree at build time ("…-dirty" when
 * it had uncommitted changes), or "unknown" outside a git checkout. */
const char *vcb_git_hash(void);

#endif
