/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-ct-escape — every wall of the container gets its attacker. ct-escape
 * (tests/container/probe) runs inside containers started through ct_driver,
 * with and without a user namespace, with and without seccomp, from a test
 * process whose controlling terminal is a pseudo-terminal (as a user's shell
 * would be), and must not get through: no TIOCSTI into that terminal, no host
 * device made or opened, no io_uring, no AF_VSOCK, nothing under
 * /sys/firmware. The same probe run on the host first is the control: it
 * shows each attempt succeeds where no wall stands, so the checks can fail.
 *
 * The cgroup backend is the host's (v1 devices controller here, v2 BPF on a
 * pure v2 host); with VCB_CGROUP_ROOT=/sys/fs/cgroup/unified on a hybrid host
 * the v2 BPF program is tried against the real unified hierarchy. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <termios.h>

#include <cmocka.h>

#include "ct-test.h"

static struct ct_test_env env;
static int tty_slave = -1; /* our controlling terminal */

#define jstr(j, k) json_string_value(json_object_get(j, k))
#define jint(j, k) json_integer_value(json_object_get(j, k))

/* Bytes waiting to be read from our terminal: what a TIOCSTI pushed. */
static int tty_pending(void)
{
    int n = -1;
    assert_int_equal(ioctl(tty_slave, FIONREAD, &n), 0);
    return n;
}

static bool sysctl_is(const char *path, const char *want)
{
    char *text = NULL;
    struct vcb_err err = {0};
    bool is = vcb_read_file(path, &text, NULL, &err) == 0 && strncmp(text, want, strlen(want)) == 0;
    free(text);
    return is;
}

/* The control: ct-escape as a plain root process on this host, nodes made in
 * a private tmpfs (no nodev) so nothing lands in the host's /dev. */
static void exec_control(int out, const char *dir)
{
    if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
        mount("tmpfs", dir, "tmpfs", 0, "size=64k") < 0 || dup2(out, 1) < 0)
        _exit(126);
    execl(CT_ESCAPE, CT_ESCAPE, "--host-control", dir, (char *)NULL);
    _exit(127);
}

static json_t *run_control(void)
{
    int p[2];
    char buf[8192];
    char dir[] = "/tmp/ct-escape-XXXXXX";
    size_t got = 0;
    ssize_t n;
    assert_non_null(mkdtemp(dir));
    assert_int_equal(pipe(p), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        exec_control(p[1], dir);
    close(p[1]);
    while (got + 1 < sizeof buf && (n = read(p[0], buf + got, sizeof buf - 1 - got)) > 0)
        got += (size_t)n;
    buf[got] = '\0';
    close(p[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    rmdir(dir); /* its tmpfs went with the child's mount namespace */
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    char *line = strstr(buf, "@vcb result ");
    assert_non_null(line);
    line[strcspn(line, "\n")] = '\0';
    json_t *j = json_loads(line + strlen("@vcb result "), 0, NULL);
    assert_non_null(j);
    return j;
}

static void test_control_on_host(void **state)
{
    tcflush(tty_slave, TCIFLUSH);
    json_t *j = run_control();
    print_message("control on the host: tiocsti %s; mknod %s; open %s; io_uring %lld, vsock "
                  "%lld, /sys/firmware entries %lld\n",
                  jstr(j, "tiocsti"), jstr(j, "mknod"), jstr(j, "dev_open"),
                  jint(j, "io_uring_errno"), jint(j, "vsock_errno"), jint(j, "firmware_entries"));
    /* Root on the host makes and opens device nodes: the device check can fail. */
    assert_true(jint(j, "mknod_ok") > 0);
    assert_true(jint(j, "dev_open_ok") > 0);
    /* Our terminal is reachable from a process of our session... */
    assert_true(jint(j, "tty_fds") > 0);
    /* ...and TIOCSTI types into it unless the kernel forbids it outright. */
    if (!sysctl_is("/proc/sys/dev/tty/legacy_tiocsti", "0")) {
        assert_true(jint(j, "tiocsti_ok") > 0);
        assert_true(tty_pending() > 0);
    } else {
        print_message("dev.tty.legacy_tiocsti=0: the kernel refuses TIOCSTI everywhere\n");
    }
    tcflush(tty_slave, TCIFLUSH);
    json_decref(j);
}

/* The kernel's own device list of the instance's v1 group: the table. */
static void assert_v1_devices_list(const char *name)
{
    struct vcb_err err = {0};
    struct ct_cg_host *h = ct_cg_host_get(&err);
    char path[PATH_MAX + 64], rule[48], *text = NULL;
    size_t rules = 0;
    if (!h || h->mode == CT_CG_V2)
        return; /* v2: the BPF program has no list to read; its effect is tested */
    snprintf(path, sizeof path, "%s/vcbench/%s/devices.list", h->v1_mnt[CT_CTL_DEVICES], name);
    assert_int_equal(vcb_read_file(path, &text, NULL, &err), 0);
    for (const struct ct_dev_rule *r = ct_dev_allowed; r->type; r++, rules++) {
        ct_dev_rule_format(r, rule, sizeof rule);
        strcat(rule, "\n");
        if (!strstr(text, rule))
            fail_msg("%s lacks '%s' (has: %s)", path, rule, text);
    }
    size_t lines = 0;
    for (const char *p = text; (p = strchr(p, '\n')); p++)
        lines++;
    assert_int_equal(lines, rules); /* nothing beyond the table, no "a *:* rwm" */
    free(text);
}

static void check_walls(bool userns, enum vcb_seccomp_mode sc)
{
    struct vcb_instance_spec spec;
    struct ct_test_events evs = {.n = 0};
    struct vcb_err err = {0};
    tcflush(tty_slave, TCIFLUSH);
    ct_test_spec(&env, &spec, "ct-escape", NULL);
    spec.opts.userns = userns;
    spec.opts.seccomp = sc;
    struct vcb_instance *inst = ct_test_run(&spec, &evs, &err);
    if (!inst)
        fail_msg("%s: %s", spec.name, err.msg);
    json_t *j = ct_test_result(&evs);
    assert_non_null(j);
    print_message("%s (userns %d, seccomp %s): tiocsti [%s]; mknod [%s]; open [%s]\n", spec.name,
                  userns, sc == VCB_SECCOMP_OFF ? "off" : "on", jstr(j, "tiocsti"),
                  jstr(j, "mknod"), jstr(j, "dev_open"));
    assert_int_equal(jint(j, "tty_fds"), 0);
    assert_int_equal(jint(j, "tiocsti_ok"), 0);
    assert_int_equal(tty_pending(), 0); /* nothing was typed into our terminal */
    assert_int_equal(jint(j, "mknod_ok"), 0);
    assert_int_equal(jint(j, "dev_open_ok"), 0);
    assert_int_equal(jint(j, "allowed_ok"), 6); /* null … ptmx still work */
    assert_int_equal(jint(j, "firmware_entries"), 0);
    if (sc != VCB_SECCOMP_OFF) {
        assert_int_equal(jint(j, "io_uring_errno"), EPERM);
        assert_int_equal(jint(j, "vsock_errno"), EPERM);
    }
    assert_v1_devices_list(spec.name);
    vcb_instance_destroy(inst);
    ct_test_events_clear(&evs);
    json_decref(j);
}

static void test_walls(void **state)
{
    check_walls(false, VCB_SECCOMP_DEFAULT);
}

/* Terminal and devices do not rest on the syscall filter. */
static void test_walls_without_seccomp(void **state)
{
    check_walls(false, VCB_SECCOMP_OFF);
}

static void test_walls_userns(void **state)
{
    if (!vcb_path_exists("/proc/self/ns/user"))
        skip();
    check_walls(true, VCB_SECCOMP_DEFAULT);
}

static int escape_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_control_on_host),
        cmocka_unit_test(test_walls),
        cmocka_unit_test(test_walls_without_seccomp),
        cmocka_unit_test(test_walls_userns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* A new session whose controlling terminal is a fresh pty, as a user's shell
 * has; stdin is that terminal too. The parent holds the master. */
static int run_under_pty(void)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0)
        return printf("skipped: no pseudo-terminal: %s\n", strerror(errno)), 77;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        struct termios raw;
        if (setsid() < 0 || (tty_slave = open(ptsname(master), O_RDWR)) < 0 ||
            ioctl(tty_slave, TIOCSCTTY, 0) < 0 || dup2(tty_slave, 0) < 0 ||
            tcgetattr(tty_slave, &raw) < 0)
            _exit(1);
        cfmakeraw(&raw); /* FIONREAD then counts every pushed byte, not only whole lines */
        if (tcsetattr(tty_slave, TCSANOW, &raw) < 0)
            _exit(1);
        close(master);
        _exit(escape_tests());
    }
    int status = 1;
    waitpid(pid, &status, 0);
    close(master);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

int main(void)
{
    char why[512];
    const char *root = getenv("VCB_CGROUP_ROOT");
    if (geteuid() != 0)
        return printf("skipped: needs root\n"), 77;
    if (root && !vcb_path_exists(root))
        return printf("skipped: no cgroup hierarchy at %s\n", root), 77;
    if (ct_test_env_make(&env, why, sizeof why) != 0)
        return printf("skipped: %s\n", why), 77;
    int rc = run_under_pty();
    ct_test_env_remove(&env);
    return rc;
}
