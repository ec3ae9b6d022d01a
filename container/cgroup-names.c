/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cgroup-names.c — the names of the cgroup modes and of our controllers, as
 * the kernel and the host facts spell them. */
#include "container-priv.h"

const char *ct_cg_mode_name(enum ct_cg_mode m)
{
    static const char *const names[] = {"v2", "hybrid", "v1"};
    return names[m];
}

const char *ct_cg_ctl_name(enum ct_cg_ctl c)
{
    static const char *const names[] = {"memory", "cpu",     "cpuacct", "pids",
                                        "cpuset", "devices", "blkio"};
    return names[c];
}
