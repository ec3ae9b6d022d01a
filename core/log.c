/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* log.c — stderr logging for the CLI layer (libraries report via vcb_err). */
#include "vcb.h"

static enum vcb_log_level log_level = VCB_LOG_INFO;

void vcb_log_set_level(enum vcb_log_level level)
{
    log_level = level;
}

enum vcb_log_level vcb_log_get_level(void)
{
    return log_level;
}

void vcb_log(enum vcb_log_level level, const char *fmt, ...)
{
    static const char *const prefix[] = {"error: ", "warning: ", "", "debug: "};
    if (level > log_level)
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs(prefix[level], stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}
