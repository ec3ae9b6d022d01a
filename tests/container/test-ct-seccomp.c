/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-ct-seccomp — the default profile, one test per rule group: a forked
 * child installs the compiled program (as the launcher does) and calls a
 * syscall of the group with arguments that, without the filter, fail with
 * another errno (or do nothing) — never harm the host. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include <cmocka.h>
#include <seccomp.h>

#include "container-priv.h"

#define NOPATH "/nonexistent-vcb-test"

/* Run fn in a child under the profile; returns what it returned (0 = ok). */
static int run_filtered(int (*fn)(void))
{
    const struct sock_fprog *prog;
    struct vcb_err err = {0};
    assert_int_equal(ct_seccomp_program(&prog, &err), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || ct_seccomp_install(prog, &err) < 0)
            _exit(100);
        _exit(fn());
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

/* 0 when rc is -1 with EPERM, else a code saying which call failed how. */
#define EPERM_OR(code, call) ((call) == -1 && errno == EPERM ? 0 : (code))
#define CHECK(code, call)                                                                          \
    do {                                                                                           \
        int r_ = EPERM_OR(code, call);                                                             \
        if (r_)                                                                                    \
            return r_;                                                                             \
    } while (0)

static int g_modules(void)
{
    CHECK(1, syscall(SYS_init_module, NULL, 0, ""));
    CHECK(2, syscall(SYS_finit_module, -1, "", 0));
    CHECK(3, syscall(SYS_delete_module, "vcb_no_such_module", O_NONBLOCK));
    return 0;
}

static int g_kexec(void)
{
    CHECK(1, syscall(SYS_kexec_load, 0, 0, NULL, 0xdead0000UL));
    CHECK(2, syscall(SYS_kexec_file_load, -1, -1, 0, NULL, 0));
    return 0;
}

static int g_keyring(void)
{
    CHECK(1, syscall(SYS_keyctl, 0 /* GET_KEYRING_ID */, -3 /* session */, 0));
    CHECK(2, syscall(SYS_add_key, "user", "vcb", "x", 1, -3));
    CHECK(3, syscall(SYS_request_key, "user", "vcb", NULL, 0));
    return 0;
}

static int g_bpf(void)
{
    CHECK(1, syscall(SYS_bpf, -1, NULL, 0));
    return 0;
}

static int g_perf(void)
{
    CHECK(1, syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0));
    return 0;
}

static int g_userfaultfd(void)
{
    CHECK(1, syscall(SYS_userfaultfd, ~0));
    return 0;
}

static int g_swap(void)
{
    CHECK(1, syscall(SYS_swapon, NOPATH, 0));
    CHECK(2, syscall(SYS_swapoff, NOPATH));
    return 0;
}

static int g_reboot(void)
{
    CHECK(1, syscall(SYS_reboot, 0, 0, 0, NULL)); /* bad magic: EINVAL without the filter */
    return 0;
}

static int g_mount(void)
{
    CHECK(1, syscall(SYS_mount, "none", NOPATH, "tmpfs", 0, NULL));
    CHECK(2, syscall(SYS_umount2, NOPATH, 0));
    CHECK(3, syscall(SYS_pivot_root, NOPATH, NOPATH));
    CHECK(4, syscall(SYS_fsopen, "vcb-no-such-fs", 0));
    CHECK(5, syscall(SYS_open_tree, -1, NOPATH, 0));
    return 0;
}

static int g_namespaces(void)
{
    CHECK(1, unshare(CLONE_NEWNS));
    CHECK(2, unshare(CLONE_NEWUSER));
    CHECK(3, syscall(SYS_setns, -1, 0));
    long pid = syscall(SYS_clone, CLONE_NEWUTS | SIGCHLD, NULL, NULL, NULL, 0);
    if (pid == 0)
        _exit(0); /* the filter let it through */
    CHECK(4, pid);
    if (syscall(SYS_clone3, NULL, 0) != -1 || errno != ENOSYS)
        return 5; /* clone3: ENOSYS so libc falls back to clone */
    if (unshare(CLONE_FILES) != 0)
        return 6; /* no new namespace: allowed */
    pid = fork(); /* plain fork still works */
    if (pid == 0)
        _exit(0);
    if (pid < 0 || waitpid((pid_t)pid, NULL, 0) != pid)
        return 7;
    return 0;
}

static int g_ptrace(void)
{
    CHECK(1, syscall(SYS_ptrace, 16 /* PTRACE_ATTACH */, 0, NULL, NULL));
    CHECK(2, syscall(SYS_process_vm_readv, 0, NULL, 0, NULL, 0, 0));
    return 0;
}

static int g_accounting(void)
{
    CHECK(1, syscall(SYS_acct, NOPATH));
    return 0;
}

static int g_clock(void)
{
    struct timespec ts = {0, 0};
    CHECK(1, syscall(SYS_clock_settime, CLOCK_MONOTONIC, &ts)); /* EINVAL without */
    CHECK(2, syscall(SYS_settimeofday, NULL, NULL));            /* a no-op without */
    return 0;
}

static int g_handles(void)
{
    CHECK(1, syscall(SYS_open_by_handle_at, -1, NULL, 0));
    CHECK(2, syscall(SYS_name_to_handle_at, -1, NOPATH, NULL, NULL, 0));
    return 0;
}

static int g_io_ports(void)
{
    CHECK(1, syscall(SYS_iopl, 99));
    return 0;
}

static int g_kernel_log(void)
{
    CHECK(1, syscall(SYS_syslog, 10 /* SIZE_BUFFER: harmless */, NULL, 0));
    return 0;
}

static int g_io_uring(void)
{
    CHECK(1, syscall(SYS_io_uring_setup, 0, NULL)); /* EINVAL/EFAULT without */
    CHECK(2, syscall(SYS_io_uring_enter, -1, 0, 0, 0, NULL, 0));
    CHECK(3, syscall(SYS_io_uring_register, -1, 0, NULL, 0));
    return 0;
}

static int g_vsock(void)
{
    CHECK(1, socket(AF_VSOCK, SOCK_STREAM, 0)); /* EAFNOSUPPORT without vsock */
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);   /* other families: allowed */
    if (fd < 0)
        return 2;
    close(fd);
    return 0;
}

static int g_allowed(void)
{
    /* What every workload needs keeps working. */
    if (getpid() <= 0 || write(-1, "", 0) != -1 || errno != EBADF)
        return 1;
    int fd = open("/dev/null", O_WRONLY);
    if (fd < 0 || write(fd, "x", 1) != 1)
        return 2;
    close(fd);
    return 0;
}

#define GROUP_TEST(fn)                                                                             \
    static void test_##fn(void **state)                                                            \
    {                                                                                              \
        assert_int_equal(run_filtered(fn), 0);                                                     \
    }
GROUP_TEST(g_modules)
GROUP_TEST(g_kexec)
GROUP_TEST(g_keyring)
GROUP_TEST(g_bpf)
GROUP_TEST(g_perf)
GROUP_TEST(g_userfaultfd)
GROUP_TEST(g_swap)
GROUP_TEST(g_reboot)
GROUP_TEST(g_mount)
GROUP_TEST(g_namespaces)
GROUP_TEST(g_ptrace)
GROUP_TEST(g_accounting)
GROUP_TEST(g_clock)
GROUP_TEST(g_handles)
GROUP_TEST(g_io_ports)
GROUP_TEST(g_kernel_log)
GROUP_TEST(g_io_uring)
GROUP_TEST(g_vsock)
GROUP_TEST(g_allowed)

/* Every name in the profile is a syscall libseccomp knows somewhere (no typo
 * silently dropped), and the program is built once. */
static void test_profile_names(void **state)
{
    const struct sock_fprog *a, *b;
    struct vcb_err err = {0};
    int groups = 0;
    for (const struct ct_seccomp_group *g = ct_seccomp_groups; g->group; g++, groups++)
        for (const char *const *s = g->syscalls; *s; s++)
            assert_true(seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86, *s) != __NR_SCMP_ERROR ||
                        seccomp_syscall_resolve_name(*s) != __NR_SCMP_ERROR ||
                        strcmp(*s, "vm86old") == 0 || strcmp(*s, "quotactl_fd") == 0);
    assert_int_equal(groups, 18);
    assert_int_equal(ct_seccomp_program(&a, &err), 0);
    assert_int_equal(ct_seccomp_program(&b, &err), 0);
    assert_ptr_equal(a, b);
    assert_true(a->len > 20);
}

/* The program built into vcbench is what the profile compiles to now: a
 * profile edited without a rebuild of the program cannot slip through. */
static void test_builtin_is_the_profile(void **state)
{
    const struct sock_fprog *builtin;
    struct sock_fprog fresh;
    struct vcb_err err = {0};
    assert_int_equal(ct_seccomp_program(&builtin, &err), 0);
    assert_int_equal(ct_seccomp_compile(&fresh, &err), 0);
    assert_int_equal(builtin->len, fresh.len);
    assert_memory_equal(builtin->filter, fresh.filter, fresh.len * sizeof(*fresh.filter));
    free(fresh.filter);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_g_modules),
        cmocka_unit_test(test_g_kexec),
        cmocka_unit_test(test_g_keyring),
        cmocka_unit_test(test_g_bpf),
        cmocka_unit_test(test_g_perf),
        cmocka_unit_test(test_g_userfaultfd),
        cmocka_unit_test(test_g_swap),
        cmocka_unit_test(test_g_reboot),
        cmocka_unit_test(test_g_mount),
        cmocka_unit_test(test_g_namespaces),
        cmocka_unit_test(test_g_ptrace),
        cmocka_unit_test(test_g_accounting),
        cmocka_unit_test(test_g_clock),
        cmocka_unit_test(test_g_handles),
        cmocka_unit_test(test_g_io_ports),
        cmocka_unit_test(test_g_kernel_log),
        cmocka_unit_test(test_g_io_uring),
        cmocka_unit_test(test_g_vsock),
        cmocka_unit_test(test_g_allowed),
        cmocka_unit_test(test_profile_names),
        cmocka_unit_test(test_builtin_is_the_profile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
