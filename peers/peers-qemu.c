/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* peers-qemu.c — bare qemu, the VM path's floor: qemu-system-x86_64 with the
 * command line libvirt makes from our domain XML (vm-xml.c), minus what only
 * libvirt needs (monitor socket, -S + resume, -no-shutdown, sandbox, secret
 * object). Same kernel, initramfs, kernel command line (vm_cmdline_build
 * itself, so they cannot drift apart), RAM, vCPUs, TCG cache, serial ports.
 * ttyS1 (the @vcb channel) is qemu's stdio, a socketpair we read and stamp;
 * timed from just before posix_spawn to ready and to waitpid's return. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "peers.h"

#ifdef VCB_WITH_VM
#include "vm.h"

extern char **environ;

#define QEMU_ARGS_MAX 48

struct qemu_run {
    char *argv[QEMU_ARGS_MAX];
    size_t argc;
    char *own[8]; /* formatted strings to free */
    size_t nown;
    bool bad; /* out of memory or of argv slots */
    pid_t pid;
    int sock, pidfd;
    uint64_t t0, ready, gone;
    int exit_status; /* from "@vcb exit N", -1 if not seen */
    struct vcb_proto proto;
    struct vcb_evq evq;
};

static void qemu_run_free(struct qemu_run *q)
{
    for (size_t i = 0; i < q->nown; i++)
        free(q->own[i]);
    vcb_closep(&q->sock);
    vcb_closep(&q->pidfd);
    vcb_proto_free(&q->proto);
    vcb_evq_free(&q->evq);
}

static void add(struct qemu_run *q, const char *a)
{
    if (a && q->argc < QEMU_ARGS_MAX - 1)
        q->argv[q->argc++] = (char *)a;
    else
        q->bad = true;
}

static void addf(struct qemu_run *q, const char *fmt, ...) VCB_PRINTF(2, 3);
static void addf(struct qemu_run *q, const char *fmt, ...)
{
    va_list ap;
    char *s = NULL;
    va_start(ap, fmt);
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0 || q->nown >= sizeof q->own / sizeof q->own[0]) {
        free(n < 0 ? NULL : s);
        q->bad = true;
        return;
    }
    q->own[q->nown++] = s;
    add(q, s);
}

static int qemu_argv(struct peers_ctx *pc, struct qemu_run *q, const char *machine,
                     const char *name, const char *cmdline, const char *initramfs)
{
    bool kvm = pc->accel == VCB_ACCEL_KVM;
    add(q, "qemu-system-x86_64");
    add(q, "-name");
    addf(q, "guest=%s", name);
    add(q, "-machine");
    addf(q, "%s,usb=off,dump-guest-core=off", machine);
    add(q, "-accel");
    if (kvm)
        add(q, "kvm");
    else
        addf(q, "tcg,tb-size=%u", VM_TB_CACHE_MIB);
    const char *fixed[] = {"-cpu", kvm ? "host" : "qemu64", "-m", NULL};
    for (size_t i = 0; fixed[i]; i++)
        add(q, fixed[i]);
    addf(q, "%llu", (unsigned long long)(VM_DEFAULT_MEMORY_BYTES >> 20));
    const char *more[] = {"-smp",        "1",       "-display", "none",    "-no-user-config",
                          "-nodefaults", "-rtc",    "base=utc", "-kernel", pc->kernel,
                          "-initrd",     initramfs, "-append",  cmdline,   "-chardev",
                          NULL};
    for (size_t i = 0; more[i]; i++)
        add(q, more[i]);
    addf(q, "file,id=s0,path=%s/%s.console.log", pc->bctx.run_dir, name);
    const char *serial[] = {
        "-device", "isa-serial,chardev=s0,index=0", "-chardev", "stdio,id=s1,signal=off",
        "-device", "isa-serial,chardev=s1,index=1", NULL};
    for (size_t i = 0; serial[i]; i++)
        add(q, serial[i]);
    q->argv[q->argc] = NULL;
    return q->bad ? -1 : 0;
}

static int qemu_spawn(struct peers_ctx *pc, struct qemu_run *q, const char *name, char *why,
                      size_t len)
{
    int sp[2];
    char log[PATH_MAX];
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) < 0)
        return snprintf(why, len, "socketpair: %s", strerror(errno)), -1;
    snprintf(log, sizeof log, "%s/%s.qemu.log", pc->bctx.run_dir, name);
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, sp[1], 0);
    posix_spawn_file_actions_adddup2(&fa, sp[1], 1);
    posix_spawn_file_actions_addopen(&fa, 2, log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawnattr_init(&at);
    posix_spawnattr_setpgroup(&at, 0); /* a terminal Ctrl-C is ours to handle */
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP);
    q->t0 = vcb_now_ns();
    int rc = posix_spawnp(&q->pid, q->argv[0], &fa, &at, q->argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    close(sp[1]);
    q->sock = sp[0];
    if (rc != 0)
        return snprintf(why, len, "spawn qemu: %s", strerror(rc)), -1;
    q->pidfd = (int)syscall(SYS_pidfd_open, q->pid, 0);
    fcntl(q->sock, F_SETFL, O_NONBLOCK);
    return 0;
}

/* Channel bytes → events; note ready and exit. */
static void qemu_read(struct qemu_run *q)
{
    char buf[4096];
    struct vcb_err err = {0};
    struct vcb_event ev;
    ssize_t n;
    while ((n = read(q->sock, buf, sizeof buf)) > 0) {
        vcb_proto_feed(&q->proto, buf, (size_t)n, vcb_now_ns(), &q->evq, &err);
        while (vcb_evq_pop(&q->evq, &ev)) {
            if (ev.kind == VCB_EV_READY && !q->ready)
                q->ready = ev.host_ns;
            if (ev.kind == VCB_EV_EXIT)
                q->exit_status = ev.status;
            vcb_event_clear(&ev);
        }
    }
}

/* Until ready (until_ready) or until qemu exits; false at the deadline. */
static bool qemu_wait(struct qemu_run *q, bool until_ready, uint64_t deadline)
{
    struct pollfd p[2] = {{.fd = q->sock, .events = POLLIN}, {.fd = q->pidfd, .events = POLLIN}};
    for (;;) {
        qemu_read(q);
        if (until_ready && q->ready)
            return true;
        uint64_t now = vcb_now_ns();
        if (now >= deadline || bench_stop_signal())
            return false;
        int ms = (int)((deadline - now) / VCB_NS_PER_MS) + 1;
        if (poll(p, 2, ms) < 0 && errno != EINTR)
            return false;
        if (p[1].revents && !until_ready) {
            qemu_read(q);
            return true;
        }
    }
}

static void qemu_reap(struct qemu_run *q, bool kill_first, int *wstatus)
{
    if (kill_first)
        kill(q->pid, SIGKILL);
    while (waitpid(q->pid, wstatus, 0) < 0 && errno == EINTR)
        ;
    q->gone = vcb_now_ns();
}

static int qemu_measure(struct qemu_run *q, struct peers_vm_arm *a, bool idle, char *why,
                        size_t len)
{
    int st = 0;
    struct vcb_proc_mem m;
    struct vcb_err err = {0};
    if (idle) {
        bool ok = qemu_wait(q, true, q->t0 + PEERS_VM_TIMEOUT_NS);
        if (ok)
            bench_pause(PEERS_MEM_SETTLE_NS);
        ok = ok && vcb_proc_mem(q->pid, &m, &err) == 0;
        qemu_reap(q, true, &st);
        if (!ok)
            return snprintf(why, len, "idle guest: no ready or no PSS %s", err.msg), -1;
        return bench_samples_add(&a->pss, (double)m.pss);
    }
    bool done = qemu_wait(q, false, q->t0 + PEERS_VM_TIMEOUT_NS);
    qemu_reap(q, !done, &st);
    if (!done || !q->ready || q->exit_status != 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        return snprintf(why, len, "bare qemu: %s (ready %s, @vcb exit %d, status 0x%x)",
                        done ? "ended badly" : "timeout or stop", q->ready ? "seen" : "not seen",
                        q->exit_status, st),
               -1;
    if (bench_samples_add(&a->ready, (double)(q->ready - q->t0)) < 0 ||
        bench_samples_add(&a->gone, (double)(q->gone - q->t0)) < 0)
        return -1;
    return 0;
}

int peers_qemu_once(struct peers_ctx *pc, struct peers_vm_arm *a, bool idle, char *why, size_t len)
{
    struct qemu_run q = {.sock = -1, .pidfd = -1, .exit_status = -1};
    struct vcb_err err = {0};
    char name[VCB_NAME_MAX];
    const char *wl = idle ? "idle" : "noop";
    cleanup_free char *cmdline = NULL;
    peers_next_name(pc, name);
    int rc = vm_cmdline_build(wl, NULL, vm_host_tsc_khz(), &cmdline, &err);
    if (rc < 0)
        snprintf(why, len, "%s", err.msg);
    if (rc == 0 && (rc = qemu_argv(pc, &q, a->machine, name, cmdline,
                                   idle ? pc->idle_initramfs : pc->initramfs)) < 0)
        snprintf(why, len, "qemu command line: out of memory");
    if (rc == 0 && (rc = qemu_spawn(pc, &q, name, why, len)) == 0)
        rc = qemu_measure(&q, a, idle, why, len);
    qemu_run_free(&q);
    return rc;
}
#else
int peers_qemu_once(struct peers_ctx *pc, struct peers_vm_arm *a, bool idle, char *why, size_t len)
{
    snprintf(why, len, "vcbench was built without the VM backend");
    return -1;
}
#endif
