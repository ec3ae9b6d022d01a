/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* clock.c — monotonic host stamps (the measurements) and boottime. */
#include <errno.h>
#include <time.h>

#include "vcb.h"

static uint64_t clock_ns(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (uint64_t)ts.tv_sec * VCB_NS_PER_S + (uint64_t)ts.tv_nsec;
}

uint64_t vcb_now_ns(void)
{
    return clock_ns(CLOCK_MONOTONIC);
}

uint64_t vcb_boottime_ns(void)
{
    return clock_ns(CLOCK_BOOTTIME);
}

void vcb_sleep_ns(uint64_t ns)
{
    struct timespec ts = {.tv_sec = ns / VCB_NS_PER_S, .tv_nsec = ns % VCB_NS_PER_S};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}
