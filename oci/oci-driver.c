/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* oci-driver.c — the OCI family's driver. create() writes the bundle and
 * runs `RUNTIME create`: its stdout is the @vcb channel's pipe and its
 * stderr the log's, which the runtime hands on to the container's init
 * (non-terminal pass-through). start() runs `RUNTIME start`. The init is
 * the runtime's child, not ours (the runtime process exits), so its exit
 * is watched through a pidfd of the pid file's pid and its status comes
 * from "@vcb exit". stop() is `RUNTIME kill ID TERM`, destroy() `RUNTIME
 * delete --force ID`, then the bundle goes. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>

#include "oci-priv.h"

static void oci_destroy(struct vcb_instance *inst);

/* After init is gone: the memory group's count says whether something
 * inside hit the limit, whatever the exit status says. */
static const char *oci_oom_limit(void *arg)
{
    const struct oci_instance *o = arg;
    uint64_t n = oci_cg_oom_kills(o->base.name);
    if (n == VCB_STAT_UNSET || n == 0)
        return NULL;
    return oci_cg_mode() == OCI_CG_V2 ? "memory.max" : "memory.limit_in_bytes";
}

static int read_pid_file(const char *path, pid_t *pid, struct vcb_err *err)
{
    uint64_t v = 0;
    if (vcb_read_u64_file(path, &v, err) < 0)
        return -1;
    if (v == 0 || v > INT32_MAX)
        return vcb_err_set(err, EINVAL, "%s: not a pid", path);
    *pid = (pid_t)v;
    return 0;
}

/* `RUNTIME create`, then watch the init it leaves waiting for `start`. */
static int oci_runtime_create(struct oci_instance *o, int chan_wr, int err_wr, struct vcb_err *err)
{
    char pid_file[PATH_MAX + 16], log[PATH_MAX + 16];
    snprintf(pid_file, sizeof(pid_file), "%s/pid", o->bundle);
    snprintf(log, sizeof(log), "%s/runtime.log", o->bundle);
    struct oci_cmd cmd = {.stdout_fd = chan_wr, .stderr_fd = err_wr, .log = log};
    o->created = true; /* whatever it did, delete --force cleans it */
    const char *const args[] = {"create", "--bundle",   o->bundle, "--pid-file",
                                pid_file, o->base.name, NULL};
    pid_t pid = 0;
    if (oci_runtime_run(&o->rt, args, &cmd, err) < 0 || read_pid_file(pid_file, &pid, err) < 0)
        return -1;
    o->child.foreign = true;
    return vcb_child_adopt(&o->child, pid, -1, false, err);
}

static int oci_create(const struct vcb_instance_spec *spec, struct vcb_instance **out,
                      struct vcb_err *err)
{
    uint64_t t0 = vcb_now_ns();
    struct oci_instance *o = calloc(1, sizeof(*o));
    if (!o)
        return vcb_err_sys(err, ENOMEM, "%s: create", spec->name);
    o->exit_status = -1;
    struct vcb_instance *inst = &o->base;
    if (vcb_child_init(&o->child, &inst->events, &inst->log, err) < 0) {
        free(o);
        return vcb_err_prefix(err, "%s", spec->name);
    }
    o->child.oom_limit = oci_oom_limit;
    o->child.oom_arg = o;
    cleanup_close int chan_wr = -1, err_wr = -1;
    if (vcb_instance_base_init(inst, &oci_driver, spec->name, t0, err) < 0 ||
        oci_runtime_find(spec->backend ? spec->backend : "", &o->rt, err) < 0)
        goto fail;
    snprintf(o->rootfs, sizeof(o->rootfs), "%s", spec->rootfs);
    if (oci_bundle_write(spec, o->bundle, sizeof(o->bundle), err) < 0 ||
        vcb_child_pipe(&o->child.chan_fd, &chan_wr, err) < 0 ||
        vcb_child_pipe(&o->child.err_fd, &err_wr, err) < 0 || vcb_child_watch(&o->child, err) < 0 ||
        vcb_instance_log_open(inst, spec, ".log", err) < 0 ||
        oci_runtime_create(o, chan_wr, err_wr, err) < 0)
        goto fail;
    *out = inst;
    return 0;
fail:
    vcb_err_prefix(err, "%s", spec->name);
    oci_destroy(inst);
    return -1;
}

static int oci_start(struct vcb_instance *inst, struct vcb_err *err)
{
    struct oci_instance *o = (struct oci_instance *)inst;
    struct oci_cmd cmd = {.stdout_fd = -1, .stderr_fd = -1};
    if (oci_runtime_run(&o->rt, (const char *const[]){"start", inst->name, NULL}, &cmd, err) < 0)
        return vcb_err_prefix(err, "%s", inst->name);
    return vcb_instance_queue(inst, VCB_EV_STARTED, vcb_now_ns(), err);
}

static int oci_event_fd(struct vcb_instance *inst)
{
    return vcb_child_event_fd(&((struct oci_instance *)inst)->child);
}

/* GONE of an init that is not our child has no wait status: say where the
 * status came from. */
static void gone_detail(const struct oci_instance *o, struct vcb_event *ev)
{
    if (strncmp(ev->detail, "killed by OOM", 13) == 0)
        return;
    if (o->exit_status >= 0)
        snprintf(ev->detail, sizeof(ev->detail),
                 "exited %d (status from @vcb exit: init is the runtime's child, not ours)",
                 o->exit_status);
    else
        snprintf(ev->detail, sizeof(ev->detail),
                 "gone without @vcb exit (init is the runtime's child: no wait status)");
}

static int oci_next_event(struct vcb_instance *inst, uint64_t deadline_ns, struct vcb_event *ev,
                          struct vcb_err *err)
{
    struct oci_instance *o = (struct oci_instance *)inst;
    int rc = vcb_child_next_event(&o->child, deadline_ns, ev, err);
    if (rc < 0)
        return vcb_err_prefix(err, "%s", inst->name);
    if (rc > 0 && ev->kind == VCB_EV_EXIT)
        o->exit_status = ev->status;
    if (rc > 0 && ev->kind == VCB_EV_GONE)
        gone_detail(o, ev);
    return rc;
}

static int oci_stop(struct vcb_instance *inst, struct vcb_err *err)
{
    struct oci_instance *o = (struct oci_instance *)inst;
    struct oci_cmd cmd = {.stdout_fd = -1, .stderr_fd = -1};
    if (o->child.reaped)
        return 0;
    if (oci_runtime_run(&o->rt, (const char *const[]){"kill", inst->name, "TERM", NULL}, &cmd,
                        err) < 0 &&
        !o->child.reaped)
        return vcb_err_prefix(err, "%s: stop", inst->name);
    return 0;
}

static void oci_destroy(struct vcb_instance *inst)
{
    struct oci_instance *o = (struct oci_instance *)inst;
    struct vcb_err ignored = {0};
    if (!o)
        return;
    if (o->created) {
        (void)oci_runtime_delete(&o->rt, inst->name, &ignored);
        (void)oci_cg_remove(inst->name, NULL, NULL); /* what a runtime left of its groups */
    }
    vcb_child_free(&o->child);
    if (o->bundle[0])
        (void)vcb_rm_rf(o->bundle, &ignored);
    vcb_instance_base_free(inst);
    free(o);
}

int oci_run_options(const struct vcb_backend_opts *opts, json_t *options, struct vcb_err *err)
{
    (void)opts;
    (void)err;
    /* The runtimes ship no seccomp profile and vcbench writes none. */
    json_object_set_new(options, "oci_seccomp", json_string("none (runtime default)"));
    return 0;
}

const struct vcb_driver oci_driver = {
    .name = "oci",
    .kind = VCB_ARM_CONTAINER,
    .create = oci_create,
    .start = oci_start,
    .event_fd = oci_event_fd,
    .next_event = oci_next_event,
    .stats = oci_stats,
    .stop = oci_stop,
    .destroy = oci_destroy,
    .run_options = oci_run_options,
    .doctor = oci_doctor,
    .cleanup = oci_cleanup,
};
