/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* workloads.c — the workloads vcbench ships (built in workloads/guest/). */
#include <string.h>

#include "wl-image.h"

struct wl_info {
    const char *name;
    const char *summary;
};

static const struct wl_info workloads[] = {
    {"noop", "ready, then exit at once (the boot-latency probe)"},
    {"idle", "ready, then sleep until stopped or --duration ends"},
    {"cpu", "integer + floating-point loop for --duration; ops/s"},
    {"membw", "STREAM-style triad bandwidth; MB/s"},
    {"lat", "wake-up latency of periodic sleeps; oversleep p50/p99/max"},
    {"alloc", "allocate and touch SIZE bytes, then hold"},
    {"memhog", "grow memory in steps until refused or killed (own ceiling)"},
    {"forkbomb", "fork until refused (own ceiling); count"},
    {"netio", "TCP stream MB/s and 1-byte request/response per s, p50/p99, against a peer"},
    {"netflood", "bounded TCP stream to a peer (the network aggressor); MB/s"},
    {"diskio", "O_DIRECT on the scratch volume: seq MB/s, 4KiB random IOPS, p50/p99"},
    {"diskhog", "random O_DIRECT writes at a queue depth on its scratch volume"},
};

#define N_WORKLOADS (sizeof(workloads) / sizeof(workloads[0]))

const char *const wl_workload_names[] = {"noop",   "idle",    "cpu",      "membw", "lat",
                                         "alloc",  "memhog",  "forkbomb", "netio", "netflood",
                                         "diskio", "diskhog", NULL};

_Static_assert(sizeof(wl_workload_names) / sizeof(wl_workload_names[0]) == N_WORKLOADS + 1,
               "wl_workload_names and workloads[] must list the same workloads");

bool wl_workload_known(const char *name)
{
    return wl_workload_summary(name) != NULL;
}

const char *wl_workload_summary(const char *name)
{
    for (size_t i = 0; name && i < N_WORKLOADS; i++)
        if (strcmp(workloads[i].name, name) == 0)
            return workloads[i].summary;
    return NULL;
}

/* The workloads that write to a scratch volume (workloads/guest/guest-scratch.h). */
bool wl_workload_uses_scratch(const char *name)
{
    return name && (strcmp(name, "diskio") == 0 || strcmp(name, "diskhog") == 0);
}

bool wl_workload_uses_net(const char *name)
{
    return name && (strcmp(name, "netio") == 0 || strcmp(name, "netflood") == 0);
}
