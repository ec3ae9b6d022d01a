/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* process.c — the control arm: vcb-init from the image rootfs as a plain
 * child process. No namespaces, no cgroups, no limits: it shows what the
 * workload costs with no isolation at all. An image from outside brings its
 * own libraries, so its command runs chrooted in the image, with the host's
 * /proc, /sys and /dev (core/child-root.c): a view of files, not a wall. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <string.h>

#include "process.h"
#include "vcb-child.h"

struct proc_instance {
    struct vcb_instance base;
    char **argv;
    char **envp; /* the caller's, plus VCB_INSTANCE=<name> */
    char rootfs[PATH_MAX];
    bool own_rootfs;        /* an image from outside: entered with chroot */
    int chan_wr, err_wr;    /* vcb-init's stdout (the channel) and stderr, until it starts */
    struct vcb_child child; /* the channel, stderr (into base.log, capped), the pidfd */
};

static void proc_destroy(struct vcb_instance *inst);

/* The caller's environment plus VCB_INSTANCE=<name>: the name every process
 * of the instance carries (there is no cgroup to carry it), so `vcbench
 * cleanup` and the run's guard can tell whose a leftover process is; and
 * VCB_SCRATCH=<file> when the instance has a scratch volume (the disk
 * workloads open it there: no mount namespace in this arm). */
static char **proc_envp(const char *name, const char *scratch)
{
    extern char **environ;
    const char *const ours[] = {VCB_INSTANCE_ENV "=", VCB_SCRATCH_ENV "="};
    size_t n = vcb_strv_len(environ), k = 0;
    char **v = calloc(n + 3, sizeof(char *));
    for (size_t i = 0; v && i < n; i++) {
        if (!strncmp(environ[i], ours[0], strlen(ours[0])) ||
            !strncmp(environ[i], ours[1], strlen(ours[1])))
            continue;
        if (!(v[k++] = strdup(environ[i])))
            goto fail;
    }
    if (v && asprintf(&v[k], "%s%s", ours[0], name) < 0) {
        v[k] = NULL;
        goto fail;
    }
    if (v && scratch && asprintf(&v[++k], "%s%s", ours[1], scratch) < 0) {
        v[k] = NULL;
        goto fail;
    }
    return v;
fail:
    vcb_strv_free(v);
    return NULL;
}

static int proc_create(const struct vcb_instance_spec *spec, struct vcb_instance **out,
                       struct vcb_err *err)
{
    uint64_t t0 = vcb_now_ns();
    if (vcb_limits_any(&spec->limits))
        return vcb_err_usage(err, "process backend applies no limits (it is the unisolated "
                                  "control): drop --cpus/--memory/--pids/--cpuset and the soft "
                                  "and --io-* limits, or use "
                                  "--backend container or vm");
    struct proc_instance *p = calloc(1, sizeof(*p));
    if (!p)
        return vcb_err_sys(err, ENOMEM, "%s: create", spec->name);
    p->chan_wr = p->err_wr = -1;
    struct vcb_instance *inst = &p->base;
    if (vcb_child_init(&p->child, &inst->events, &inst->log, err) < 0) {
        free(p); /* nothing else is made yet */
        return vcb_err_prefix(err, "%s", spec->name);
    }
    if (vcb_instance_base_init(inst, &process_driver, spec->name, t0, err) < 0)
        goto fail;
    snprintf(p->rootfs, sizeof(p->rootfs), "%s", spec->rootfs);
    size_t nargs = vcb_strv_len(spec->args);
    p->argv = calloc(nargs + 3, sizeof(char *));
    if (!p->argv)
        goto nomem;
    /* An image's own files run chrooted in it (its libraries, its paths);
     * a built-in image's vcb-init is static and runs from where it lies. */
    p->own_rootfs = spec->own_rootfs;
    char init[PATH_MAX + 8];
    if (spec->own_rootfs)
        snprintf(init, sizeof(init), "%s", spec->init ? spec->init : "/init");
    else
        snprintf(init, sizeof(init), "%s/init", spec->rootfs);
    if (!(p->argv[0] = strdup(init)) || !(p->argv[1] = strdup(spec->workload)) ||
        !(p->envp = proc_envp(spec->name, spec->scratch)))
        goto nomem;
    for (size_t i = 0; i < nargs; i++)
        if (!(p->argv[i + 2] = strdup(spec->args[i])))
            goto nomem;
    if (vcb_child_pipe(&p->child.chan_fd, &p->chan_wr, err) < 0 ||
        vcb_child_pipe(&p->child.err_fd, &p->err_wr, err) < 0 ||
        vcb_child_watch(&p->child, err) < 0 || vcb_instance_log_open(inst, spec, ".log", err) < 0) {
        vcb_err_prefix(err, "%s", spec->name);
        goto fail;
    }
    *out = inst;
    return 0;
nomem:
    vcb_err_sys(err, ENOMEM, "%s: create", spec->name);
fail:
    proc_destroy(inst);
    return -1;
}

/* Readable when the channel has data or vcb-init has exited. */
static int proc_event_fd(struct vcb_instance *inst)
{
    return vcb_child_event_fd(&((struct proc_instance *)inst)->child);
}

/* vcb-init in a session of its own (no controlling terminal; its process
 * group is its pid, so destroy() reaches the workload's children), dying
 * with its parent: PR_SET_PDEATHSIG covers vcb-init only, which then watches
 * the workload's whole tree itself (workloads/guest/init.c: guard_tree). */
static int proc_start(struct vcb_instance *inst, struct vcb_err *err)
{
    struct proc_instance *p = (struct proc_instance *)inst;
    cleanup_close int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null_fd < 0)
        return vcb_err_sys(err, errno, "%s: open /dev/null", inst->name);
    const struct vcb_child_spawn s = {
        .argv = p->argv,
        .envp = p->envp,
        .cwd = p->own_rootfs ? "/" : p->rootfs,
        .root = p->own_rootfs ? p->rootfs : NULL,
        .stdin_fd = null_fd,
        .stdout_fd = p->chan_wr,
        .stderr_fd = p->err_wr,
        .flags = VCB_CHILD_SESSION | VCB_CHILD_PDEATHSIG | VCB_CHILD_CLOSE_FDS,
    };
    if (vcb_child_spawn(&p->child, &s, err) < 0)
        return vcb_err_prefix(err, "%s", inst->name);
    uint64_t started = vcb_now_ns();
    vcb_closep(&p->chan_wr);
    vcb_closep(&p->err_wr);
    return vcb_instance_queue(inst, VCB_EV_STARTED, started, err);
}

static int proc_next_event(struct vcb_instance *inst, uint64_t deadline_ns, struct vcb_event *ev,
                           struct vcb_err *err)
{
    struct proc_instance *p = (struct proc_instance *)inst;
    int rc = vcb_child_next_event(&p->child, deadline_ns, ev, err);
    return rc < 0 ? vcb_err_prefix(err, "%s", inst->name) : rc;
}

static int proc_stats(struct vcb_instance *inst, struct vcb_stats *out, struct vcb_err *err)
{
    struct proc_instance *p = (struct proc_instance *)inst;
    vcb_stats_init(out);
    if (p->child.pid <= 0 || p->child.reaped)
        return vcb_err_set(err, ESRCH, "%s: stats: not running", inst->name);
    if (vcb_proc_tree_stats(p->child.pid, out, err) < 0)
        return vcb_err_prefix(err, "%s: stats", inst->name);
    out->helper_pss = 0; /* no launcher process stays around */
    return 0;
}

static int proc_stop(struct vcb_instance *inst, struct vcb_err *err)
{
    struct proc_instance *p = (struct proc_instance *)inst;
    if (vcb_child_signal(&p->child, SIGTERM, err) < 0)
        return vcb_err_prefix(err, "%s: stop", inst->name);
    return 0;
}

static void proc_destroy(struct vcb_instance *inst)
{
    struct proc_instance *p = (struct proc_instance *)inst;
    if (!p)
        return;
    vcb_child_free(&p->child); /* kills what is left of its process group */
    vcb_closep(&p->chan_wr);
    vcb_closep(&p->err_wr);
    vcb_strv_free(p->argv);
    vcb_strv_free(p->envp);
    vcb_instance_base_free(inst);
    free(p);
}

const struct vcb_driver process_driver = {
    .name = "process",
    .kind = VCB_ARM_CONTROL,
    .create = proc_create,
    .start = proc_start,
    .event_fd = proc_event_fd,
    .next_event = proc_next_event,
    .stats = proc_stats,
    .stop = proc_stop,
    .destroy = proc_destroy,
    .cleanup = process_cleanup,
};
