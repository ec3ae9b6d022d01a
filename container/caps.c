/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* caps.c — reduce the child's capabilities to the usual container default set
 * (the 14 Docker and crun keep). Raw syscalls only: this runs in the cloned
 * child, where nothing may allocate. */
#include <errno.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/capability.h>

#include "container-priv.h"

#define BIT(c) (1ULL << (c))

uint64_t ct_caps_default(void)
{
    return BIT(CAP_CHOWN) | BIT(CAP_DAC_OVERRIDE) | BIT(CAP_FSETID) | BIT(CAP_FOWNER) |
           BIT(CAP_MKNOD) | BIT(CAP_NET_RAW) | BIT(CAP_SETGID) | BIT(CAP_SETUID) |
           BIT(CAP_SETFCAP) | BIT(CAP_SETPCAP) | BIT(CAP_NET_BIND_SERVICE) | BIT(CAP_SYS_CHROOT) |
           BIT(CAP_KILL) | BIT(CAP_AUDIT_WRITE);
}

/* Drop from the bounding set every capability outside mask, up to the last
 * one this kernel knows (PR_CAPBSET_DROP fails with EINVAL past it). */
static int caps_drop_bounding(uint64_t mask, struct vcb_err *err)
{
    for (int c = 0; c < 64; c++) {
        if (mask & BIT(c))
            continue;
        if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0) {
            if (errno == EINVAL)
                return 0;
            return vcb_err_sys(err, errno, "capabilities: drop %d from the bounding set", c);
        }
    }
    return 0;
}

int ct_caps_apply(uint64_t mask, struct vcb_err *err)
{
    struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
    struct __user_cap_data_struct data[2] = {{0}};
    if (caps_drop_bounding(mask, err) < 0)
        return -1;
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
        return vcb_err_sys(err, errno, "capabilities: clear the ambient set");
    /* Inheritable stays empty (the CVE-2022-24769 fix Docker and crun made). */
    data[0].effective = data[0].permitted = (uint32_t)mask;
    data[1].effective = data[1].permitted = (uint32_t)(mask >> 32);
    if (syscall(SYS_capset, &hdr, data) < 0)
        return vcb_err_sys(err, errno, "capabilities: capset");
    return 0;
}
