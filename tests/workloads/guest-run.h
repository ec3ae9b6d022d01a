/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* guest-run.h — test helpers: build a throw-away rootfs holding vcb-init and
 * one workload, run `<rootfs>/init <workload> args...` (as a plain child, or as
 * PID 1 of a new pid+mount namespace chrooted into the rootfs), capture what
 * it prints and check the @vcb protocol it speaks. */
#ifndef GUEST_RUN_H
#define GUEST_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <jansson.h>

/* Called once "@vcb ready" has arrived, with vcb-init's pid. */
typedef void (*guest_ready_fn)(pid_t init_pid, void *ctx);

struct guest_run_opts {
    bool pid1;               /* new pid+mount namespace, chroot, /init is PID 1 */
    bool chroot;             /* a plain child chrooted into the rootfs (an own rootfs) */
    const char *init;        /* vcb-init's path in the rootfs; NULL = "/init" */
    int stop_signal;         /* sent to vcb-init after "@vcb ready"; 0 = none */
    guest_ready_fn on_ready; /* optional, runs before stop_signal */
    void *ctx;
    unsigned timeout_ms; /* 0 = 20 s; vcb-init is killed past it */
};

struct guest_run {
    char *out; /* vcb-init's stdout (the channel) */
    char *err; /* its stderr (the log) */
    char **lines;
    size_t nlines;
    int status; /* exit code, or 128 + signal */
    bool timed_out;
    bool leftovers; /* processes outlived vcb-init (they were killed) */
    uint64_t elapsed_ns;
    uint64_t ready_ns; /* "@vcb ready" arrived this long after the start; 0 = never */
};

/* A temp dir with init, bin/<workload> and empty proc/sys/dev/tmp. The
 * workload binary is wl-<workload> from $VCB_LIBEXEC_DIR; NULL copies none. */
char *guest_rootfs_new(const char *workload);
void guest_rootfs_free(char *dir);
/* Group teardown: remove every rootfs a failed test left behind. */
int guest_rootfs_cleanup_all(void **state);

/* An image from outside as the importer leaves it: a temp dir (mode 0755)
 * with vcb-init at its own path (guest-image.h) and the host's static
 * busybox at /bin/busybox with links for the applets the tests use; no
 * proc/sys/dev/tmp. Freed with guest_rootfs_free. Skips the test (77)
 * without /bin/busybox. */
char *guest_image_rootfs_new(void);
/* Write <rootfs>/<name> with len bytes of data (parents made). */
void guest_rootfs_write(const char *rootfs, const char *name, const char *data, size_t len);

/* Run <rootfs>/init argv...; returns 0 when it ran (whatever its status). */
int guest_run(const char *rootfs, const char *const *argv, const struct guest_run_opts *o,
              struct guest_run *r);
void guest_run_free(struct guest_run *r);

/* Whole-run checks (cmocka asserts): first line "@vcb init <n>", every line a
 * protocol line, "@vcb exit <status>" last, the exit status equal to it, and
 * "@vcb ready" before any result when want_ready. */
void guest_assert_protocol(const struct guest_run *r, int status, bool want_ready);
/* The last "@vcb result" that is not a progress line, parsed; asserts it is a
 * JSON object whose "workload" is `workload`. Caller json_decref()s. */
json_t *guest_final_result(const struct guest_run *r, const char *workload);
/* Count lines starting with prefix. */
size_t guest_count_lines(const struct guest_run *r, const char *prefix);
/* A numeric member (integer or real) of obj; asserts it is there. */
double guest_json_num(json_t *obj, const char *key);

/* One workload run in process mode with protocol checks, returning the
 * final result (NULL when want_status != 0). */
json_t *guest_run_workload(const char *workload, const char *const *args, int want_status);

#endif
