/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* err.c — the one error type: what was being done to what, plus errno. */
#include <errno.h>
#include <string.h>

#include "vcb.h"

VCB_PRINTF(4, 0)
static int err_vset(struct vcb_err *err, int code, int usage, const char *fmt, va_list ap)
{
    if (!err)
        return -1;
    err->code = code;
    err->usage = usage;
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    return -1;
}

int vcb_err_set(struct vcb_err *err, int errno_value, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    err_vset(err, errno_value, 0, fmt, ap);
    va_end(ap);
    return -1;
}

int vcb_err_sys(struct vcb_err *err, int errno_value, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    err_vset(err, errno_value, 0, fmt, ap);
    va_end(ap);
    if (err && errno_value) {
        size_t n = strlen(err->msg);
        snprintf(err->msg + n, sizeof(err->msg) - n, ": %s", strerror(errno_value));
    }
    return -1;
}

int vcb_err_usage(struct vcb_err *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    err_vset(err, EINVAL, 1, fmt, ap);
    va_end(ap);
    return -1;
}

int vcb_err_prefix(struct vcb_err *err, const char *fmt, ...)
{
    if (!err)
        return -1;
    char prefix[VCB_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof(prefix), fmt, ap);
    va_end(ap);
    /* build "prefix: old" in place; whatever does not fit is cut at the end */
    size_t plen = strlen(prefix), olen = strlen(err->msg);
    size_t room = sizeof(err->msg) - 1;
    if (plen + 2 > room)
        plen = room - 2;
    size_t keep = olen < room - plen - 2 ? olen : room - plen - 2;
    memmove(err->msg + plen + 2, err->msg, keep);
    memcpy(err->msg, prefix, plen);
    memcpy(err->msg + plen, ": ", 2);
    err->msg[plen + 2 + keep] = '\0';
    return -1;
}

void vcb_err_clear(struct vcb_err *err)
{
    if (err)
        memset(err, 0, sizeof(*err));
}
