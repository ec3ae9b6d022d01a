/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* seccomp-program.c — the default profile's BPF program, compiled when
 * vcbench was built (seccomp-profile.c, by vcb-seccomp-gen), and its
 * installation in the cloned child. No libseccomp at run time. */
#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/seccomp.h>

#include "container-priv.h"

int ct_seccomp_program(const struct sock_fprog **out, struct vcb_err *err)
{
    static struct sock_fprog prog;
    (void)err;
    prog.len = ct_seccomp_prebuilt_len; /* the same values on every call */
    prog.filter = (struct sock_filter *)ct_seccomp_prebuilt;
    *out = &prog;
    return 0;
}

int ct_seccomp_install(const struct sock_fprog *prog, struct vcb_err *err)
{
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, prog) < 0)
        return vcb_err_sys(err, errno, "seccomp: install the filter");
    return 0;
}
