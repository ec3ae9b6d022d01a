/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* proto.c — the `@vcb` line protocol: parse one line, and assemble lines
 * from raw bytes stamped on arrival. Input comes from guests, which can
 * print anything: everything is bounded and validated. */
#include <errno.h>
#include <string.h>

#include "vcb-json.h"
#include "vcb-driver.h"

#define PROTO_PREFIX "@vcb "

static int parse_u64_arg(const char *s, uint64_t *out)
{
    if (*s < '0' || *s > '9')
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

/* "<status>" or "<status> oom_kills=<n>" (a VM guest's own OOM count). */
static int parse_exit(char *args, struct vcb_event *ev)
{
    uint64_t status, kills = 0;
    char *sp = strchr(args, ' ');
    if (sp) {
        *sp = '\0';
        if (strncmp(sp + 1, "oom_kills=", 10) != 0 || parse_u64_arg(sp + 11, &kills) < 0)
            return -1;
    }
    if (parse_u64_arg(args, &status) < 0 || status > 255)
        return -1;
    ev->kind = VCB_EV_EXIT;
    ev->status = (int)status;
    ev->oom_kills = kills;
    return 0;
}

static int parse_result(const char *json, struct vcb_event *ev, struct vcb_err *err)
{
    json_error_t je;
    json_t *j = json_loads(json, JSON_REJECT_DUPLICATES, &je);
    bool ok = json_is_object(j);
    json_decref(j);
    if (!ok)
        return vcb_err_set(err, EINVAL, "@vcb result: expected a JSON object, got \"%.60s\"", json);
    ev->text = strdup(json);
    if (!ev->text)
        return vcb_err_set(err, ENOMEM, "@vcb result: out of memory");
    return 1;
}

int vcb_proto_parse_line(const char *line, struct vcb_event *ev, struct vcb_err *err)
{
    size_t len = strlen(line);
    char buf[128];
    if (strncmp(line, PROTO_PREFIX, strlen(PROTO_PREFIX)) != 0)
        return 0;
    memset(ev, 0, sizeof(*ev));
    const char *rest = line + strlen(PROTO_PREFIX);
    if (strncmp(rest, "result ", 7) == 0) {
        ev->kind = VCB_EV_RESULT;
        return parse_result(rest + 7, ev, err);
    }
    /* the short verbs: copy without a trailing \r */
    if (len - strlen(PROTO_PREFIX) >= sizeof(buf))
        return vcb_err_set(err, EINVAL, "@vcb line too long: \"%.60s\"", line);
    snprintf(buf, sizeof(buf), "%s", rest);
    buf[strcspn(buf, "\r")] = '\0';
    uint64_t v;
    if (strcmp(buf, "ready") == 0) {
        ev->kind = VCB_EV_READY;
        return 1;
    }
    if (strncmp(buf, "init ", 5) == 0 && parse_u64_arg(buf + 5, &v) == 0) {
        ev->kind = VCB_EV_INIT;
        ev->guest_ns = v;
        return 1;
    }
    if (strncmp(buf, "exit ", 5) == 0 && parse_exit(buf + 5, ev) == 0)
        return 1;
    return vcb_err_set(err, EINVAL, "malformed @vcb line: \"%.60s\"", line);
}

/* A complete line: protocol lines become events, others go to the log. */
static int proto_line(struct vcb_proto *p, char *line, uint64_t host_ns, struct vcb_evq *out,
                      struct vcb_err *err)
{
    size_t n = strlen(line);
    if (n && line[n - 1] == '\r')
        line[n - 1] = '\0';
    struct vcb_event ev;
    struct vcb_err perr = {0};
    int rc = vcb_proto_parse_line(line, &ev, &perr);
    if (rc == 0 || rc < 0) {
        if (rc < 0)
            p->bad_lines++;
        if (p->log) {
            static const char bad[] = "[bad @vcb line] ";
            size_t len = strlen(line);
            if (rc < 0)
                vcb_logcap_write(p->log, bad, sizeof(bad) - 1);
            line[len] = '\n'; /* the line and its newline in one piece */
            vcb_logcap_write(p->log, line, len + 1);
            line[len] = '\0';
        }
        return 0;
    }
    ev.host_ns = host_ns;
    if (vcb_evq_push(out, &ev) < 0) {
        free(ev.text);
        return vcb_err_set(err, ENOMEM, "protocol: out of memory");
    }
    return 0;
}

static int proto_append(struct vcb_proto *p, const char *data, size_t n)
{
    if (p->overflow)
        return 0;
    if (p->len + n + 1 > VCB_PROTO_LINE_MAX) {
        p->overflow = true; /* drop the rest of this line */
        p->len = 0;
        return 0;
    }
    if (p->len + n + 1 > p->cap) {
        size_t cap = p->cap ? p->cap : 256;
        while (cap < p->len + n + 1)
            cap *= 2;
        char *b = realloc(p->buf, cap);
        if (!b)
            return -1;
        p->buf = b;
        p->cap = cap;
    }
    memcpy(p->buf + p->len, data, n);
    p->len += n;
    p->buf[p->len] = '\0';
    return 0;
}

int vcb_proto_feed(struct vcb_proto *p, const char *data, size_t n, uint64_t host_ns,
                   struct vcb_evq *out, struct vcb_err *err)
{
    while (n > 0) {
        const char *nl = memchr(data, '\n', n);
        size_t chunk = nl ? (size_t)(nl - data) : n;
        if (proto_append(p, data, chunk) < 0)
            return vcb_err_set(err, ENOMEM, "protocol: out of memory");
        if (!nl)
            break;
        if (p->overflow) {
            p->overflow = false;
            p->bad_lines++;
        } else if (p->len > 0 && memchr(p->buf, '\0', p->len) == NULL) {
            if (proto_line(p, p->buf, host_ns, out, err) < 0)
                return -1;
        } else if (p->len > 0) {
            p->bad_lines++; /* a NUL inside a line: not text */
        }
        p->len = 0;
        data = nl + 1;
        n -= chunk + 1;
    }
    return 0;
}

void vcb_proto_free(struct vcb_proto *p)
{
    free(p->buf);
    memset(p, 0, sizeof(*p));
}
