/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* seccomp-profile.c — the default seccomp profile, in one file so it can be
 * read at once. Everything is allowed except the groups below, which fail
 * with EPERM (as Docker's and crun's default profiles do for an unprivileged
 * container). Syscalls of other ABIs (i386, x32) kill the process: the filter
 * only admits the native architecture.
 *
 * The profile is compiled to BPF with libseccomp when vcbench is built
 * (vcb-seccomp-gen writes the program into the library: seccomp-program.c
 * serves it), not on every start: compiling it cost about 0.5 ms of every
 * `vcbench launch`, and vcbench itself no longer loads libseccomp. A test
 * compiles it again and checks the built-in program is the same. */
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <linux/seccomp.h>

#include <seccomp.h>

#include "container-priv.h"

#define GROUP(name, ...)                                                                           \
    {                                                                                              \
        name, (const char *const[])                                                                \
        {                                                                                          \
            __VA_ARGS__, NULL                                                                      \
        }                                                                                          \
    }

/* Unconditional EPERM, by what they would let a container do to its host. */
const struct ct_seccomp_group ct_seccomp_groups[] = {
    GROUP("modules", "init_module", "finit_module", "delete_module", "create_module",
          "query_module", "get_kernel_syms"),
    GROUP("kexec", "kexec_load", "kexec_file_load"),
    GROUP("keyring", "keyctl", "add_key", "request_key"),
    GROUP("bpf", "bpf"),
    GROUP("perf", "perf_event_open"),
    GROUP("userfaultfd", "userfaultfd"),
    GROUP("swap", "swapon", "swapoff"),
    GROUP("reboot", "reboot"),
    /* The mounts are set up before the filter goes in; afterwards, none. */
    GROUP("mount", "mount", "umount2", "pivot_root", "move_mount", "open_tree", "fsopen",
          "fsconfig", "fsmount", "fspick", "mount_setattr"),
    GROUP("namespaces", "setns"),
    GROUP("ptrace", "ptrace", "process_vm_readv", "process_vm_writev"),
    GROUP("accounting", "acct", "quotactl", "quotactl_fd"),
    GROUP("clock", "settimeofday", "clock_settime", "clock_adjtime", "adjtimex", "stime"),
    GROUP("handles", "open_by_handle_at", "name_to_handle_at"),
    GROUP("io-ports", "iopl", "ioperm"),
    GROUP("obsolete", "uselib", "_sysctl", "ustat", "sysfs", "nfsservctl", "lookup_dcookie", "vm86",
          "vm86old"),
    GROUP("kernel-log", "syslog"),
    /* A large, fast-moving attack surface that bypasses syscall filtering of
     * the operations it queues; Docker's default profile blocks it too. */
    GROUP("io_uring", "io_uring_setup", "io_uring_enter", "io_uring_register"),
    {NULL, NULL},
};

/* New namespaces: unshare and clone with a CLONE_NEW* flag fail with EPERM;
 * clone3 fails with ENOSYS (its flags sit behind a pointer a filter cannot
 * read), so libc falls back to clone, which the rule above can check. */
#define CT_CLONE_NEW_MASK                                                                          \
    (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET |     \
     CLONE_NEWCGROUP | 0x80 /* CLONE_NEWTIME */)

static int seccomp_add_namespace_rules(scmp_filter_ctx ctx)
{
    struct scmp_arg_cmp new_ns;
    int rc;
    /* "any bit of the mask set" = NOT (masked == 0): one rule per bit. */
    for (uint64_t bit = 1; bit; bit <<= 1) {
        if (!(bit & CT_CLONE_NEW_MASK))
            continue;
        new_ns = SCMP_A0(SCMP_CMP_MASKED_EQ, bit, bit);
        if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(unshare), 1, new_ns)) < 0 ||
            (rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1, new_ns)) < 0)
            return rc;
    }
    return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
}

/* Sockets to a hypervisor (AF_VSOCK) reach past the host's network
 * namespaces: socket(AF_VSOCK, …) fails with EPERM, as in Docker's profile. */
static int seccomp_add_socket_rules(scmp_filter_ctx ctx)
{
    return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(socket), 1,
                            SCMP_A0(SCMP_CMP_EQ, AF_VSOCK));
}

static int seccomp_add_groups(scmp_filter_ctx ctx, const char **failed)
{
    for (const struct ct_seccomp_group *g = ct_seccomp_groups; g->group; g++) {
        for (const char *const *s = g->syscalls; *s; s++) {
            int nr = seccomp_syscall_resolve_name(*s);
            if (nr == __NR_SCMP_ERROR)
                continue; /* not a syscall on this architecture (e.g. vm86 on x86_64) */
            int rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0);
            if (rc < 0) {
                *failed = *s;
                return rc;
            }
        }
    }
    return 0;
}

static void seccomp_releasep(scmp_filter_ctx *ctx)
{
    if (*ctx)
        seccomp_release(*ctx);
}

/* Build the profile and export its BPF into a memfd, then read it back. */
int ct_seccomp_compile(struct sock_fprog *out, struct vcb_err *err)
{
    __attribute__((cleanup(seccomp_releasep))) scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    const char *failed = "clone/unshare/clone3";
    int rc;
    if (!ctx)
        return vcb_err_set(err, ENOMEM, "seccomp: seccomp_init failed");
    /* A binary tree of syscall numbers, not a list: the kernel walks the
     * program once per syscall number when the filter goes in (to cache
     * which are always allowed), so its cost is paid on every start. */
    if ((rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2)) < 0)
        return vcb_err_sys(err, -rc, "seccomp: ask for a binary tree");
    if ((rc = seccomp_add_groups(ctx, &failed)) < 0 || (rc = seccomp_add_namespace_rules(ctx)) < 0)
        return vcb_err_sys(err, -rc, "seccomp: add the rule for %s", failed);
    if ((rc = seccomp_add_socket_rules(ctx)) < 0)
        return vcb_err_sys(err, -rc, "seccomp: add the rule for socket(AF_VSOCK)");
    cleanup_close int fd = memfd_create("vcb-seccomp", MFD_CLOEXEC);
    if (fd < 0)
        return vcb_err_sys(err, errno, "seccomp: memfd_create");
    if ((rc = seccomp_export_bpf(ctx, fd)) < 0)
        return vcb_err_sys(err, -rc, "seccomp: export the BPF program");
    off_t size = lseek(fd, 0, SEEK_END);
    struct sock_filter *prog = malloc(size > 0 ? (size_t)size : 1);
    if (!prog)
        return vcb_err_sys(err, ENOMEM, "seccomp: program");
    if (size <= 0 || pread(fd, prog, (size_t)size, 0) != size) {
        free(prog);
        return vcb_err_sys(err, errno ? errno : EIO, "seccomp: read the BPF program back");
    }
    out->len = (unsigned short)((size_t)size / sizeof *prog);
    out->filter = prog;
    return 0;
}
