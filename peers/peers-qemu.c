/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* peers-qemu.c — bare qemu, the VM path's floor: qemu-system-x86_64 with the
 * command line libvirt makes from our domain XML (vm-xml.c), minus what only
 * libvirt needs (monitor socket, -S + resume, -no-shutdown, sandbox, secret
 * object). Same kernel, initramfs, kernel command line (vm_cmdline_build
 * itself, so they cannot drift apart), RAM, vCPUs, TCG cache, serial ports.
 * ttyS1 (the @vcb channel) is qemu's stdio, a socketpair read and stamped by
 * core's child watcher; timed from just before the fork to ready and to
 * the reap. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "peers.h"
#include "vcb-child.h"

#ifdef VCB_WITH_VM
#include "vm-module.h"

#define QEMU_ARGS_MAX 48

struct qemu_run {
    char *argv[QEMU_ARGS_MAX];
    size_t argc;
    char *own[8]; /* formatted strings to free */
    size_t nown;
    bool bad;               /* out of memory or of argv slots */
    struct vcb_child child; /* qemu, its ttyS1 (the channel) and its pidfd */
    struct vcb_evq evq;
    uint64_t t0, init, ready, gone;
    uint64_t guest_ns; /* the guest's clock at "@vcb init" */
    int exit_status;   /* from "@vcb exit N", -1 if not seen */
};

static void qemu_run_free(struct qemu_run *q)
{
    for (size_t i = 0; i < q->nown; i++)
        free(q->own[i]);
    vcb_child_free(&q->child);
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
    bool lean = pc->bctx.bopts.vm_profile != VCB_VM_PROFILE_PLAIN;
    if (kvm)
        add(q, "kvm");
    else
        addf(q, "tcg,tb-size=%u", lean ? VM_TB_CACHE_MIB : VM_TB_CACHE_PLAIN_MIB);
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
    if (lean) { /* the lean profile's balloon, as libvirt adds it */
        add(q, "-device");
        addf(q, "%s,free-page-reporting=on",
             !strcmp(machine, "microvm") ? "virtio-balloon-device" : "virtio-balloon-pci");
    }
    q->argv[q->argc] = NULL;
    return q->bad ? -1 : 0;
}

/* ttyS1 is qemu's stdio: one end of a socketpair, the other our channel. */
static int qemu_spawn(struct peers_ctx *pc, struct qemu_run *q, const char *name, char *why,
                      size_t len)
{
    int sp[2];
    char log[PATH_MAX];
    struct vcb_err err = {0};
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) < 0)
        return snprintf(why, len, "socketpair: %s", strerror(errno)), -1;
    q->child.chan_fd = sp[0];
    cleanup_close int guest_end = sp[1];
    snprintf(log, sizeof log, "%s/%s.qemu.log", pc->bctx.run_dir, name);
    cleanup_close int log_fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (log_fd < 0)
        return snprintf(why, len, "open %s: %s", log, strerror(errno)), -1;
    const struct vcb_child_spawn s = {
        .argv = q->argv,
        .stdin_fd = guest_end,
        .stdout_fd = guest_end,
        .stderr_fd = log_fd,
        .flags = VCB_CHILD_PGROUP, /* a terminal Ctrl-C is ours to handle */
    };
    if (vcb_child_spawn(&q->child, &s, &err) < 0 || vcb_child_watch(&q->child, &err) < 0)
        return snprintf(why, len, "spawn qemu: %s", err.msg), -1;
    q->t0 = q->child.spawn_ns;
    return 0;
}

/* Until ready (until_ready) or until qemu is gone; false at the deadline,
 * on a stop signal or when the watcher fails. */
static bool qemu_wait(struct qemu_run *q, bool until_ready, uint64_t deadline)
{
    struct vcb_err err = {0};
    struct vcb_event ev;
    for (;;) {
        while (vcb_evq_pop(&q->evq, &ev)) {
            if (ev.kind == VCB_EV_INIT && !q->init) {
                q->init = ev.host_ns;
                q->guest_ns = ev.guest_ns;
            }
            if (ev.kind == VCB_EV_READY && !q->ready)
                q->ready = ev.host_ns;
            if (ev.kind == VCB_EV_EXIT)
                q->exit_status = ev.status;
            if (ev.kind == VCB_EV_GONE)
                q->gone = ev.host_ns;
            vcb_event_clear(&ev);
        }
        if (until_ready ? q->ready != 0 : q->child.reaped)
            return true;
        if (vcb_now_ns() >= deadline || bench_stop_signal())
            return false;
        if (vcb_child_wait(&q->child, deadline, &err) < 0)
            return false;
    }
}

static int qemu_pss_read(void *ctx, uint64_t *pss, char *why, size_t len)
{
    struct qemu_run *q = ctx;
    struct vcb_proc_mem m;
    struct vcb_err err = {0};
    if (q->child.reaped || vcb_proc_mem(q->child.pid, &m, &err) < 0)
        return snprintf(why, len, "idle guest: no PSS %s", err.msg), -1;
    *pss = m.pss;
    return 0;
}

static int qemu_measure(const struct peers_ctx *pc, struct qemu_run *q, struct peers_vm_arm *a,
                        bool idle, char *why, size_t len)
{
    char gone[128];
    if (idle) {
        int rc = qemu_wait(q, true, q->t0 + PEERS_VM_TIMEOUT_NS)
                     ? peers_mem_settle(pc, a, q->ready, qemu_pss_read, q, why, len)
                     : (snprintf(why, len, "idle guest: not ready (timeout or stop)"), -1);
        vcb_child_kill(&q->child);
        return rc;
    }
    bool done = qemu_wait(q, false, q->t0 + PEERS_VM_TIMEOUT_NS);
    vcb_child_kill(&q->child); /* nothing to do once it is gone */
    int st = q->child.wstatus;
    if (!done || !q->ready || q->exit_status != 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        vcb_child_exit_text(st, NULL, gone, sizeof gone);
        return snprintf(why, len, "bare qemu: %s (ready %s, @vcb exit %d, %s)",
                        done ? "ended badly" : "timeout or stop", q->ready ? "seen" : "not seen",
                        q->exit_status, gone),
               -1;
    }
    if (peers_vm_boot_add(a, q->t0, q->init, q->guest_ns, q->ready, q->gone) < 0)
        return snprintf(why, len, "bare qemu: no '@vcb init' before ready, or out of memory"), -1;
    return 0;
}

int peers_qemu_once(struct peers_ctx *pc, struct peers_vm_arm *a, bool idle, char *why, size_t len)
{
    struct qemu_run q = {.exit_status = -1};
    struct vcb_err err = {0};
    char name[VCB_NAME_MAX];
    const char *wl = idle ? "idle" : "noop";
    cleanup_free char *cmdline = NULL;
    peers_next_name(pc, name);
    /* stray channel lines are not kept: no log */
    int rc = vcb_child_init(&q.child, &q.evq, NULL, &err);
    /* loaded: peers_vm_prepare skips every VM arm when it is not */
    const struct vm_module *vm = vm_module_load(NULL, 0);
    if (rc == 0)
        rc = vm->cmdline_build(NULL, wl, NULL, vm->host_tsc_khz(),
                               pc->bctx.bopts.vm_profile != VCB_VM_PROFILE_PLAIN, &cmdline, &err);
    if (rc < 0)
        snprintf(why, len, "%s", err.msg);
    if (rc == 0 && (rc = qemu_argv(pc, &q, a->machine, name, cmdline,
                                   idle ? pc->idle_initramfs : pc->initramfs)) < 0)
        snprintf(why, len, "qemu command line: out of memory");
    if (rc == 0 && (rc = qemu_spawn(pc, &q, name, why, len)) == 0)
        rc = qemu_measure(pc, &q, a, idle, why, len);
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
