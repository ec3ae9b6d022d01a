/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* logcap.c — an instance's log with a ceiling. A workload can write without
 * end (a container capped at 64 MiB once wrote 2 GiB of stderr into
 * /run/vcbench, which is RAM); at most `max` bytes reach the file, the rest
 * is counted, and a write the disk refuses is counted as dropped with its
 * errno, never lost without a trace. The file is made at the first byte:
 * most instances never write to stderr, and creating (then removing) a file
 * per instance is a fair part of a container's start on a disk filesystem.
 * Bytes are copied as they come, through
 * one small buffer: nothing is held in memory. The counters may be read
 * from another thread than the writer's (VM: the libvirt event loop). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "vcb-driver.h"

/* Room kept under max for the line that says the log was capped. */
#define MARK_ROOM 128

void vcb_logcap_init(struct vcb_logcap *l)
{
    memset(l, 0, sizeof(*l));
    l->fd = -1;
}

int vcb_logcap_check(uint64_t max, const char *what, struct vcb_err *err)
{
    if (max < VCB_LOG_MAX_MIN || max > VCB_LOG_MAX_MAX)
        return vcb_err_usage(err, "%s: %llu bytes is out of range (expected 4KiB to 1GiB)", what,
                             (unsigned long long)max);
    return 0;
}

int vcb_logcap_open(struct vcb_logcap *l, const char *path, uint64_t max, struct vcb_err *err)
{
    vcb_logcap_init(l);
    l->max = max ? max : VCB_LOG_MAX_DEFAULT;
    if (!(l->path = strdup(path)))
        return vcb_err_sys(err, ENOMEM, "the log %s", path);
    return 0;
}

static void count(uint64_t *counter, uint64_t n)
{
    __atomic_add_fetch(counter, n, __ATOMIC_RELAXED);
}

static void note_error(struct vcb_logcap *l, int e)
{
    int none = 0;
    __atomic_compare_exchange_n(&l->error, &none, e, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED);
}

/* The file, at the first byte; tried once (a refusal is kept as the error). */
static void open_on_first_write(struct vcb_logcap *l)
{
    if (l->fd >= 0 || !l->path)
        return;
    l->fd = open(l->path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
    if (l->fd < 0)
        note_error(l, errno);
    free(l->path);
    l->path = NULL;
}

/* Write all of data, or count what did not go (first errno kept). */
static void put(struct vcb_logcap *l, const char *data, size_t n)
{
    open_on_first_write(l);
    while (n > 0 && l->fd >= 0) {
        ssize_t w = write(l->fd, data, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            note_error(l, w < 0 ? errno : EIO);
            break;
        }
        count(&l->written, (uint64_t)w);
        data += w;
        n -= (size_t)w;
    }
    if (n > 0)
        count(&l->dropped, n);
}

void vcb_logcap_write(struct vcb_logcap *l, const void *data, size_t n)
{
    uint64_t budget = l->max > MARK_ROOM ? l->max - MARK_ROOM : 0, used = l->written;
    size_t keep = used >= budget ? 0 : (budget - used < n ? (size_t)(budget - used) : n);
    if (keep)
        put(l, data, keep);
    if (keep == n)
        return;
    count(&l->dropped, n - keep);
    if (!l->marked && (l->fd >= 0 || l->path)) {
        char mark[MARK_ROOM];
        int len = snprintf(mark, sizeof(mark),
                           "\n[vcbench: log capped at %llu bytes; what follows is dropped and "
                           "counted in results.json]\n",
                           (unsigned long long)l->max);
        l->marked = true;
        put(l, mark, (size_t)len < sizeof(mark) ? (size_t)len : sizeof(mark) - 1);
    }
}

int vcb_logcap_drain(struct vcb_logcap *l, int fd)
{
    char buf[16384];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof(buf));
        if (n > 0) {
            vcb_logcap_write(l, buf, (size_t)n);
            continue;
        }
        if (n == 0)
            return 1;
        if (errno == EINTR)
            continue;
        return errno == EAGAIN ? 0 : -1;
    }
}

void vcb_logcap_stats(const struct vcb_logcap *l, uint64_t *written, uint64_t *dropped, int *error)
{
    *written = __atomic_load_n(&l->written, __ATOMIC_RELAXED);
    *dropped = __atomic_load_n(&l->dropped, __ATOMIC_RELAXED);
    *error = __atomic_load_n(&l->error, __ATOMIC_RELAXED);
}

void vcb_logcap_close(struct vcb_logcap *l)
{
    vcb_closep(&l->fd);
    free(l->path);
    l->path = NULL;
}
