/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-proto.c — the `@vcb` protocol as a guest can abuse it (core/proto.c).
 * The input is fed twice: in one piece and cut into chunks chosen by the
 * first two bytes. Besides memory safety, the two feeds must give the same
 * events and the same count of bad lines: a line's meaning must not depend
 * on how the pipe or the serial port split it. Every line is also given
 * to vcb_proto_parse_line alone. */
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz-common.h"
#include "vcb-driver.h"

struct feed_out {
    struct vcb_evq q;
    unsigned bad_lines;
    char *log;
    size_t log_len;
};

/* Chunk lengths from a small xorshift seeded by the input. */
static size_t next_chunk(uint32_t *state, size_t left)
{
    *state ^= *state << 13;
    *state ^= *state >> 17;
    *state ^= *state << 5;
    size_t len = 1 + (*state % 97);
    return len < left ? len : left;
}

/* What the capped log holds (a memfd), as a string. */
static void log_read(struct vcb_logcap *log, struct feed_out *o)
{
    off_t len = lseek(log->fd, 0, SEEK_END);
    o->log = malloc((size_t)len + 1);
    if (len < 0 || !o->log || pread(log->fd, o->log, (size_t)len, 0) != len)
        abort();
    o->log_len = (size_t)len;
    vcb_logcap_close(log);
}

static void feed(const char *data, size_t n, uint32_t seed, struct feed_out *o)
{
    struct vcb_proto p = {0};
    struct vcb_err err = {0};
    struct vcb_logcap log;
    vcb_logcap_init(&log);
    log.max = VCB_LOG_MAX_MAX; /* never reached: the input is smaller */
    log.fd = memfd_create("fuzz-proto-log", MFD_CLOEXEC);
    if (log.fd < 0)
        abort();
    p.log = &log;
    uint32_t st = seed | 1;
    for (size_t off = 0; off < n;) {
        size_t len = seed ? next_chunk(&st, n - off) : n - off;
        FUZZ_CHECK(vcb_proto_feed(&p, data + off, len, off + 1, &o->q, &err) == 0, "feed: %s",
                   err.msg);
        off += len;
    }
    o->bad_lines = p.bad_lines;
    vcb_proto_free(&p);
    FUZZ_CHECK(log.dropped == 0 && log.error == 0, "log: %llu bytes dropped, errno %d",
               (unsigned long long)log.dropped, log.error);
    log_read(&log, o);
}

static void compare_events(struct feed_out *a, struct feed_out *b)
{
    FUZZ_CHECK(a->bad_lines == b->bad_lines, "bad lines %u vs %u", a->bad_lines, b->bad_lines);
    FUZZ_CHECK(a->log_len == b->log_len && memcmp(a->log, b->log, a->log_len) == 0, "logs differ");
    struct vcb_event x, y;
    for (;;) {
        bool hx = vcb_evq_pop(&a->q, &x), hy = vcb_evq_pop(&b->q, &y);
        FUZZ_CHECK(hx == hy, "event counts differ");
        if (!hx)
            break;
        FUZZ_CHECK(x.kind == y.kind && x.guest_ns == y.guest_ns && x.status == y.status,
                   "events differ: %s vs %s", vcb_event_kind_name(x.kind),
                   vcb_event_kind_name(y.kind));
        FUZZ_CHECK((x.text == NULL) == (y.text == NULL) && (!x.text || !strcmp(x.text, y.text)),
                   "result texts differ");
        FUZZ_CHECK(x.kind != VCB_EV_EXIT || (x.status >= 0 && x.status <= 255), "exit status %d",
                   x.status);
        vcb_event_clear(&x);
        vcb_event_clear(&y);
    }
}

/* Each line on its own: the result kinds and the error contract. */
static void parse_lines(char *text)
{
    for (char *save = NULL, *line = strtok_r(text, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        struct vcb_event ev;
        struct vcb_err err = {0};
        int rc = vcb_proto_parse_line(line, &ev, &err);
        FUZZ_CHECK(rc >= -1 && rc <= 1, "rc %d", rc);
        FUZZ_CHECK(rc != -1 || err.msg[0], "malformed line without a message");
        FUZZ_CHECK(rc != 1 || (ev.kind >= VCB_EV_INIT && ev.kind <= VCB_EV_EXIT), "kind %d",
                   ev.kind);
        if (rc == 1)
            vcb_event_clear(&ev);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    uint32_t seed = (uint32_t)data[0] << 8 | data[1];
    const char *text = (const char *)data + 2;
    size_t n = size - 2;
    struct feed_out whole = {0}, chunked = {0};
    feed(text, n, 0, &whole);
    feed(text, n, seed ? seed : 1, &chunked);
    compare_events(&whole, &chunked);
    vcb_evq_free(&whole.q);
    vcb_evq_free(&chunked.q);
    free(whole.log);
    free(chunked.log);
    char *copy = fuzz_strndup((const uint8_t *)text, n);
    parse_lines(copy);
    free(copy);
    return 0;
}
