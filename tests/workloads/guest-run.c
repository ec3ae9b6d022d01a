/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* guest-run.c — see guest-run.h. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "guest-image.h"
#include "guest-run.h"

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* ---- rootfs ------------------------------------------------------------------ */

static void copy_file(const char *src, const char *dst)
{
    int in = open(src, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        fail_msg("open %s: %s (is VCB_LIBEXEC_DIR right?)", src, strerror(errno));
    int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
    assert_true(out >= 0);
    char buf[65536];
    ssize_t n;
    while ((n = read(in, buf, sizeof(buf))) > 0)
        assert_int_equal(write(out, buf, (size_t)n), n);
    assert_int_equal(n, 0);
    close(in);
    close(out);
}

/* Every rootfs made and not yet freed: a failed assert skips the free, so
 * the group teardown removes what is left. */
static char *rootfs_made[256];

static void rootfs_track(char *dir, bool add)
{
    for (size_t i = 0; i < sizeof(rootfs_made) / sizeof(rootfs_made[0]); i++) {
        if (add ? rootfs_made[i] == NULL : rootfs_made[i] == dir) {
            rootfs_made[i] = add ? dir : NULL;
            return;
        }
    }
}

char *guest_rootfs_new(const char *workload)
{
    const char *libexec = getenv("VCB_LIBEXEC_DIR");
    if (!libexec)
        fail_msg("VCB_LIBEXEC_DIR is not set");
    char tmpl[] = "/tmp/vcb-guest-test-XXXXXX";
    assert_non_null(mkdtemp(tmpl));
    char path[4096], src[4096];
    const char *dirs[] = {"bin", "proc", "sys", "dev", "tmp"};
    for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", tmpl, dirs[i]);
        assert_int_equal(mkdir(path, 0755), 0);
    }
    snprintf(src, sizeof(src), "%s/vcb-init", libexec);
    snprintf(path, sizeof(path), "%s/init", tmpl);
    copy_file(src, path);
    if (workload) {
        snprintf(src, sizeof(src), "%s/wl-%s", libexec, workload);
        snprintf(path, sizeof(path), "%s/bin/%s", tmpl, workload);
        copy_file(src, path);
    }
    char *dir = strdup(tmpl);
    rootfs_track(dir, true);
    return dir;
}

static void make_dirs(const char *rootfs, const char *name)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", rootfs, name);
    for (char *p = path + strlen(rootfs) + 1; (p = strchr(p, '/')); *p++ = '/') {
        *p = '\0';
        if (mkdir(path, 0755) < 0 && errno != EEXIST)
            fail_msg("mkdir %s: %s", path, strerror(errno));
    }
}

void guest_rootfs_write(const char *rootfs, const char *name, const char *data, size_t len)
{
    char path[4096];
    make_dirs(rootfs, name);
    snprintf(path, sizeof(path), "%s/%s", rootfs, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, len), (ssize_t)len);
    close(fd);
}

char *guest_image_rootfs_new(void)
{
    static const char *const applets[] = {"sh", "id",   "pwd", "env",  "sleep",
                                          "nc", "echo", "cat", "test", "printf"};
    const char *libexec = getenv("VCB_LIBEXEC_DIR");
    if (!libexec)
        fail_msg("VCB_LIBEXEC_DIR is not set");
    if (access("/bin/busybox", X_OK) < 0) {
        print_message("no /bin/busybox (busybox-static): skipped\n");
        exit(77);
    }
    char tmpl[] = "/tmp/vcb-image-test-XXXXXX";
    assert_non_null(mkdtemp(tmpl));
    assert_int_equal(chmod(tmpl, 0755), 0); /* the image's user must get through / */
    char *dir = strdup(tmpl);
    rootfs_track(dir, true);
    char path[4096], src[4096];
    make_dirs(dir, WL_OWN_INIT + 1);
    make_dirs(dir, "bin/busybox");
    snprintf(src, sizeof(src), "%s/vcb-init", libexec);
    snprintf(path, sizeof(path), "%s%s", dir, WL_OWN_INIT);
    copy_file(src, path);
    snprintf(path, sizeof(path), "%s/bin/busybox", dir);
    copy_file("/bin/busybox", path);
    for (size_t i = 0; i < sizeof(applets) / sizeof(applets[0]); i++) {
        snprintf(path, sizeof(path), "%s/bin/%s", dir, applets[i]);
        assert_int_equal(symlink("busybox", path), 0);
    }
    return dir;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    return remove(path);
}

void guest_rootfs_free(char *dir)
{
    if (!dir)
        return;
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
    rootfs_track(dir, false);
    free(dir);
}

int guest_rootfs_cleanup_all(void **state)
{
    for (size_t i = 0; i < sizeof(rootfs_made) / sizeof(rootfs_made[0]); i++) {
        if (rootfs_made[i])
            guest_rootfs_free(rootfs_made[i]);
    }
    return 0;
}

/* ---- running ----------------------------------------------------------------- */

/* The child side: stdout/stderr wired, own process group (so a timeout can
 * kill the workload too); for pid1, a private mount tree; for pid1 and
 * chroot, a chroot. */
static _Noreturn void exec_init(const char *rootfs, const char *const *argv,
                                const struct guest_run_opts *o, int out, int err)
{
    char path[4096];
    const char *init = o->init ? o->init : "/init";
    dup2(out, STDOUT_FILENO);
    dup2(err, STDERR_FILENO);
    setpgid(0, 0);
    snprintf(path, sizeof(path), "%s%s", rootfs, init);
    if (o->pid1 && mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
        fprintf(stderr, "test: pid1 setup: %s\n", strerror(errno));
        _exit(126);
    }
    if (o->pid1 || o->chroot) {
        if (chroot(rootfs) < 0 || chdir("/") < 0) {
            fprintf(stderr, "test: chroot %s: %s\n", rootfs, strerror(errno));
            _exit(126);
        }
        snprintf(path, sizeof(path), "%s", init);
    }
    size_t n = 0;
    while (argv[n])
        n++;
    char **args = calloc(n + 2, sizeof(*args));
    args[0] = path;
    for (size_t i = 0; i < n; i++)
        args[i + 1] = (char *)argv[i];
    execv(path, args);
    fprintf(stderr, "test: exec %s: %s\n", path, strerror(errno));
    _exit(126);
}

static pid_t spawn(const char *rootfs, const char *const *argv, const struct guest_run_opts *o,
                   int out, int err)
{
    /* Orphans the workload leaves behind come back to us: we check for them. */
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    pid_t pid = o->pid1
                    ? (pid_t)syscall(SYS_clone, CLONE_NEWPID | CLONE_NEWNS | SIGCHLD, 0, 0, 0, 0)
                    : fork();
    if (pid == 0)
        exec_init(rootfs, argv, o, out, err);
    return pid;
}

static void append(char **buf, size_t *len, const char *data, size_t n)
{
    *buf = realloc(*buf, *len + n + 1);
    memcpy(*buf + *len, data, n);
    *len += n;
    (*buf)[*len] = '\0';
}

/* Read stdout to EOF; fire the ready hook once; kill the group past the deadline. */
static void collect_output(int fd, pid_t pid, const struct guest_run_opts *o, struct guest_run *r,
                           uint64_t t0)
{
    size_t len = 0;
    bool ready_seen = false;
    uint64_t deadline = now_ns() + (uint64_t)(o->timeout_ms ? o->timeout_ms : 20000) * 1000000;
    r->out = strdup("");
    for (;;) {
        struct pollfd p = {fd, POLLIN, 0};
        int left_ms = (int)((deadline > now_ns() ? deadline - now_ns() : 0) / 1000000);
        if (poll(&p, 1, left_ms) == 0) {
            r->timed_out = true;
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            deadline = UINT64_MAX / 2;
            continue;
        }
        char buf[4096];
        ssize_t n = read(fd, buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        append(&r->out, &len, buf, (size_t)n);
        if (!ready_seen && strstr(r->out, "@vcb ready\n")) {
            ready_seen = true;
            r->ready_ns = now_ns() - t0;
            if (o->on_ready)
                o->on_ready(pid, o->ctx);
            if (o->stop_signal)
                kill(pid, o->stop_signal);
        }
    }
}

static char *read_all_fd(int fd)
{
    char *buf = strdup("");
    size_t len = 0;
    char chunk[4096];
    ssize_t n;
    lseek(fd, 0, SEEK_SET);
    while ((n = read(fd, chunk, sizeof(chunk))) > 0)
        append(&buf, &len, chunk, (size_t)n);
    return buf;
}

static void split_lines(struct guest_run *r)
{
    char *copy = strdup(r->out), *save = NULL;
    for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        r->lines = realloc(r->lines, (r->nlines + 1) * sizeof(*r->lines));
        r->lines[r->nlines++] = strdup(l);
    }
    free(copy);
}

static int wait_status(pid_t pid)
{
    int st;
    while (waitpid(pid, &st, 0) < 0)
        assert_int_equal(errno, EINTR);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Anything the workload left behind comes back to us (subreaper): report it,
 * then kill and reap it so one failure does not spill into the next test. */
static bool reap_leftovers(pid_t pgid)
{
    pid_t p = waitpid(-1, NULL, WNOHANG);
    if (p < 0)
        return false; /* ECHILD: nothing left */
    kill(-pgid, SIGKILL);
    for (int tries = 0; tries < 2000 && waitpid(-1, NULL, WNOHANG) >= 0; tries++)
        usleep(1000);
    return true;
}

int guest_run(const char *rootfs, const char *const *argv, const struct guest_run_opts *o,
              struct guest_run *r)
{
    static const struct guest_run_opts none;
    o = o ? o : &none;
    memset(r, 0, sizeof(*r));
    int p[2];
    assert_int_equal(pipe2(p, O_CLOEXEC), 0);
    int err = memfd_create("vcb-init-stderr", MFD_CLOEXEC);
    assert_true(err >= 0);
    uint64_t t0 = now_ns();
    pid_t pid = spawn(rootfs, argv, o, p[1], err);
    if (pid < 0) {
        close(p[0]);
        close(p[1]);
        close(err);
        return -1;
    }
    close(p[1]);
    collect_output(p[0], pid, o, r, t0);
    close(p[0]);
    r->status = wait_status(pid);
    r->leftovers = reap_leftovers(pid);
    r->elapsed_ns = now_ns() - t0;
    r->err = read_all_fd(err);
    close(err);
    split_lines(r);
    return 0;
}

void guest_run_free(struct guest_run *r)
{
    for (size_t i = 0; i < r->nlines; i++)
        free(r->lines[i]);
    free(r->lines);
    free(r->out);
    free(r->err);
    memset(r, 0, sizeof(*r));
}

/* ---- checks --------------------------------------------------------------------- */

static void print_run(const struct guest_run *r)
{
    print_message("--- stdout ---\n%s--- stderr ---\n%s--------------\n", r->out, r->err);
}

void guest_assert_protocol(const struct guest_run *r, int status, bool want_ready)
{
    char want_exit[32];
    unsigned long long ns;
    char junk;
    snprintf(want_exit, sizeof(want_exit), "@vcb exit %d", status);
    if (r->timed_out || r->nlines < 2 || r->status != status)
        print_run(r);
    assert_false(r->timed_out);
    assert_false(r->leftovers);
    assert_true(r->nlines >= 2);
    assert_int_equal(sscanf(r->lines[0], "@vcb init %llu%c", &ns, &junk), 1);
    assert_true(ns > 0);
    for (size_t i = 0; i < r->nlines; i++)
        assert_true(strncmp(r->lines[i], "@vcb ", 5) == 0);
    assert_string_equal(r->lines[r->nlines - 1], want_exit);
    assert_int_equal(r->status, status);
    assert_int_equal(guest_count_lines(r, "@vcb exit "), 1);
    assert_int_equal(guest_count_lines(r, "@vcb init "), 1);
    assert_int_equal(guest_count_lines(r, "@vcb ready"), want_ready ? 1 : 0);
    if (want_ready) /* ready comes before any result */
        assert_string_equal(r->lines[1], "@vcb ready");
}

size_t guest_count_lines(const struct guest_run *r, const char *prefix)
{
    size_t n = 0;
    for (size_t i = 0; i < r->nlines; i++)
        n += strncmp(r->lines[i], prefix, strlen(prefix)) == 0;
    return n;
}

json_t *guest_final_result(const struct guest_run *r, const char *workload)
{
    const char *prefix = "@vcb result ";
    for (size_t i = r->nlines; i-- > 0;) {
        if (strncmp(r->lines[i], prefix, strlen(prefix)) != 0)
            continue;
        json_error_t jerr;
        json_t *j = json_loads(r->lines[i] + strlen(prefix), 0, &jerr);
        if (!j)
            fail_msg("result is not JSON (%s): %s", jerr.text, r->lines[i]);
        assert_true(json_is_object(j));
        if (json_is_true(json_object_get(j, "progress"))) {
            json_decref(j);
            continue;
        }
        assert_string_equal(json_string_value(json_object_get(j, "workload")), workload);
        return j;
    }
    print_run(r);
    fail_msg("no final @vcb result from %s", workload);
    return NULL;
}

double guest_json_num(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    if (!json_is_number(v))
        fail_msg("result has no number '%s'", key);
    return json_number_value(v);
}

json_t *guest_run_workload(const char *workload, const char *const *args, int want_status)
{
    const char *argv[32] = {workload};
    for (size_t i = 0; args && args[i]; i++) {
        assert_true(i + 2 < sizeof(argv) / sizeof(argv[0]));
        argv[i + 1] = args[i];
    }
    char *root = guest_rootfs_new(workload);
    struct guest_run r;
    assert_int_equal(guest_run(root, argv, NULL, &r), 0);
    guest_assert_protocol(&r, want_status, want_status == 0);
    json_t *j = want_status == 0 ? guest_final_result(&r, workload) : NULL;
    if (want_status == 2)
        assert_non_null(strstr(r.err, "usage:"));
    guest_run_free(&r);
    guest_rootfs_free(root);
    return j;
}
