/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vm-driver.c — the vm driver: one transient libvirt domain per instance,
 * created paused so the console stream is attached before the guest can
 * print, resumed by start(). AUTODESTROY ties the domain to our connection:
 * if vcbench dies, libvirtd destroys it. */
#include <errno.h>
#include <string.h>
#include <sys/vfs.h>
#include <linux/magic.h>

#include "vm-priv.h"

/* Everything create() must know before t0: the inputs and the accel. */
struct vm_plan {
    struct vm_xml_config xml;
    char kernel_buf[PATH_MAX];
    char reason[160];
    char *cmdline;
    char *blkiotune; /* the scratch disk's I/O limits, as XML */
    /* A remote host: the volumes there holding kernel, initramfs and disk,
     * and what it took to send them. */
    bool remote;
    char staged[3][PATH_MAX];
    struct vm_upload upload;
    uint64_t log_max; /* the kernel console's cap when read through a stream */
};

static void vm_plan_free(struct vm_plan *p)
{
    free(p->cmdline);
    free(p->blkiotune);
}

/* The guest's files on a remote host: its own copies in the pool there. */
static int vm_plan_stage(const struct vcb_instance_spec *spec, struct vm_plan *p,
                         struct vcb_err *err)
{
    const char *local[3] = {p->xml.kernel, p->xml.initramfs, p->xml.disk};
    if (vm_pool_stage(&spec->opts, local, p->staged, 3, err) < 0)
        return -1;
    p->xml.kernel = p->staged[0];
    p->xml.initramfs = p->staged[1];
    p->xml.disk = p->xml.disk ? p->staged[2] : NULL;
    /* This thread's uploads since vm_plan_make began: the probe's kernel too. */
    p->upload = vm_pool_tally_take();
    return 0;
}

static int vm_plan_make(const struct vcb_instance_spec *spec, struct vm_plan *p,
                        struct vcb_err *err)
{
    const struct vcb_backend_opts *o = &spec->opts;
    (void)vm_pool_tally_take(); /* what a failed create in this thread sent is not ours */
    if (vm_remote_check(spec, err) < 0)
        return -1;
    p->remote = !vm_uri_is_local(vm_uri(o));
    p->log_max = spec->log_max;
    p->xml.name = spec->name;
    p->xml.machine = o->machine && o->machine[0] ? o->machine : vm_machine_default();
    if (!vm_machine_valid(p->xml.machine))
        return vcb_err_usage(err, "--machine: expected pc, q35 or microvm, got '%s'",
                             p->xml.machine);
    struct statfs sf;
    p->xml.host_cgroup_v2 = statfs("/sys/fs/cgroup", &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC;
    if (vcb_limits_check(&spec->limits, err) < 0 || vm_limits_map(&spec->limits, &p->xml, err) < 0)
        return -1;
    p->xml.kernel = vm_kernel_path(o, p->kernel_buf, sizeof p->kernel_buf);
    if (!vcb_path_exists(p->xml.kernel))
        return vcb_err_usage(
            err, "guest kernel %s: not found (run scripts/setup, or pass --kernel)", p->xml.kernel);
    if (!spec->initramfs || !vcb_path_exists(spec->initramfs))
        return vcb_err_usage(err, "initramfs %s: not found (build the image first)",
                             spec->initramfs ? spec->initramfs : "(none)");
    p->xml.initramfs = spec->initramfs;
    if (spec->disk && !vcb_path_exists(spec->disk))
        return vcb_err_usage(err, "disk image %s: not found (unpack the image again)", spec->disk);
    p->xml.disk = spec->disk;
    p->xml.scratch = spec->scratch;
    if (vm_io_plan(spec, &p->xml, &p->blkiotune, err) < 0)
        return -1;
    unsigned flags = (o->vm_profile != VCB_VM_PROFILE_PLAIN ? VM_CMDLINE_BALLOON : 0) |
                     (spec->scratch ? VM_CMDLINE_SCRATCH : 0);
    /* The guest runs on the URI's host: that host's TSC rate. */
    struct vm_remote_host h = {.tsc_khz = vm_host_tsc_khz()};
    if (p->remote && vm_remote_host(vm_uri(o), &h, err) < 0)
        return -1;
    if (vm_cmdline_build(spec->init, spec->workload, spec->args, h.tsc_khz, flags, &p->cmdline,
                         err) < 0 ||
        vm_net_plan(spec, &p->xml, &p->cmdline, err) < 0)
        return -1;
    p->xml.cmdline = p->cmdline;
    p->xml.protocol_pty = true;
    vm_profile_apply(o->vm_profile, &p->xml);
    enum vcb_accel accel;
    if (vm_accel_decide(o, &accel, p->reason, sizeof p->reason, err) < 0)
        return -1;
    p->xml.accel = accel;
    return p->remote ? vm_plan_stage(spec, p, err) : 0;
}

static struct vm_instance *vm_instance_alloc(const struct vcb_instance_spec *spec, uint64_t t0,
                                             struct vcb_err *err)
{
    struct vm_instance *vi = calloc(1, sizeof *vi);
    if (!vi) {
        vcb_err_sys(err, ENOMEM, "domain %s: create", spec->name);
        return NULL;
    }
    vi->refs = 1;
    vi->efd = -1;
    vi->lifecycle_id = -1;
    vi->grace_timer = -1;
    pthread_mutex_init(&vi->lock, NULL);
    pthread_cond_init(&vi->cond, NULL);
    if (vcb_instance_base_init(&vi->base, &vm_driver, spec->name, t0, err) < 0 ||
        vm_events_init(vi, err) < 0) {
        vm_instance_unref(vi);
        return NULL;
    }
    return vi;
}

/* Files in the run dir: the kernel console log (virtlogd writes it, and
 * rotates it at its own max_size) and the channel's stray lines (ours,
 * capped at spec->log_max). */
static int vm_files_open(struct vm_instance *vi, const struct vcb_instance_spec *spec,
                         struct vcb_err *err)
{
    struct vcb_instance_spec s = *spec;
    s.run_dir = spec->run_dir ? spec->run_dir : vcb_run_root();
    if (vcb_mkdir_p(s.run_dir, 0755, err) < 0)
        return -1;
    if (snprintf(vi->console_log, sizeof vi->console_log, "%s/%s.console.log", s.run_dir,
                 spec->name) >= (int)sizeof vi->console_log)
        return vcb_err_set(err, ENAMETOOLONG, "run dir %s: path too long", s.run_dir);
    if (vcb_instance_log_open(&vi->base, &s, ".channel.log", err) < 0)
        return vcb_err_prefix(err, "domain %s", spec->name);
    vi->proto.log = &vi->base.log;
    return 0;
}

static int vm_domain_launch(struct vm_instance *vi, struct vm_plan *p, const char *uri,
                            struct vcb_err *err)
{
    const char *name = vi->base.name;
    cleanup_free char *xml = NULL;
    p->xml.console_log = p->remote ? NULL : vi->console_log;
    if (vm_xml_build(&p->xml, &xml, err) < 0)
        return -1;
    if (vm_conn_open(uri, &vi->conn, err) < 0)
        return vcb_err_prefix(err, "domain %s", name);
    vm_instance_ref(vi); /* dropped by vm_instance_release_later in destroy */
    if (virConnectRegisterCloseCallback(vi->conn, vm_conn_closed_cb, vi, NULL) < 0) {
        vm_instance_unref(vi);
        return vm_err_virt(err, "domain %s: connection close callback", name);
    }
    vi->close_cb = true;
    vi->dom =
        virDomainCreateXML(vi->conn, xml, VIR_DOMAIN_START_PAUSED | VIR_DOMAIN_START_AUTODESTROY);
    if (!vi->dom)
        return vm_err_virt(err, "domain %s: create", name);
    vm_instance_ref(vi);
    vi->lifecycle_id = virConnectDomainEventRegisterAny(
        vi->conn, vi->dom, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
        VIR_DOMAIN_EVENT_CALLBACK(vm_lifecycle_cb), vi, vm_instance_unref_cb);
    if (vi->lifecycle_id < 0) {
        vm_instance_unref(vi);
        return vm_err_virt(err, "domain %s: lifecycle events", name);
    }
    if (p->remote &&
        vm_ktap_open(vi->conn, vi->dom, vi->console_log, p->log_max, &vi->ktap, err) < 0)
        return -1;
    return vm_console_open(vi, err);
}

static int vm_create(const struct vcb_instance_spec *spec, struct vcb_instance **out,
                     struct vcb_err *err)
{
    /* t0 after the accel verdict: the probe is a per-host cost (cached),
     * not part of any instance's boot. */
    __attribute__((cleanup(vm_plan_free))) struct vm_plan plan = {0};
    if (vm_plan_make(spec, &plan, err) < 0)
        return vcb_err_prefix(err, "domain %s", spec->name);
    struct vm_instance *vi = vm_instance_alloc(spec, vcb_now_ns(), err);
    if (!vi)
        return -1;
    vi->guest_ram = plan.xml.memory_mib << 20;
    vi->base.upload_files = plan.remote ? (plan.xml.disk ? 3 : 2) : 0;
    vi->base.upload_bytes = plan.upload.bytes;
    vi->base.upload_ns = plan.upload.ns;
    snprintf(vi->kernel, sizeof vi->kernel, "%s", plan.xml.kernel);
    snprintf(vi->initramfs, sizeof vi->initramfs, "%s", plan.xml.initramfs);
    vi->local = vm_uri_is_local(vm_uri(&spec->opts));
    snprintf(vi->uri, sizeof vi->uri, "%s", vm_uri(&spec->opts));
    if (plan.xml.accel != VCB_ACCEL_KVM) {
        vi->base.emulated = true;
        snprintf(vi->base.emulated_reason, sizeof vi->base.emulated_reason,
                 "emulated (TCG): %.140s", plan.reason);
    }
    if (vm_files_open(vi, spec, err) < 0 || vm_net_start(vi, spec, &plan.xml, err) < 0 ||
        vm_domain_launch(vi, &plan, vm_uri(&spec->opts), err) < 0) {
        vm_driver.destroy(&vi->base);
        return -1;
    }
    *out = &vi->base;
    return 0;
}

static int vm_start(struct vcb_instance *inst, struct vcb_err *err)
{
    struct vm_instance *vi = (struct vm_instance *)inst;
    if (virDomainResume(vi->dom) < 0)
        return vm_err_virt(err, "domain %s: resume", inst->name);
    uint64_t now = vcb_now_ns();
    struct vcb_event ev = {.kind = VCB_EV_STARTED, .host_ns = now};
    pthread_mutex_lock(&vi->lock);
    vi->started = true;
    int rc = vm_queue_locked(vi, &ev, err);
    pthread_mutex_unlock(&vi->lock);
    return rc;
}

static int vm_stats(struct vcb_instance *inst, struct vcb_stats *out, struct vcb_err *err)
{
    struct vm_instance *vi = (struct vm_instance *)inst;
    if (vm_stats_collect(vi, out, err) < 0)
        return -1;
    vm_cpu_stats(vi, out);
    return 0;
}

static int vm_stop(struct vcb_instance *inst, struct vcb_err *err)
{
    return vm_console_send((struct vm_instance *)inst, "@vcb stop\n", err);
}

/* Our connection died with the domain maybe still running: best effort
 * over a fresh one (AUTODESTROY died with the old connection). */
static void vm_destroy_by_name(const char *uri, const char *name)
{
    cleanup_vconn virConnectPtr conn = NULL;
    struct vcb_err e = {0};
    if (vm_conn_open(uri, &conn, &e) < 0)
        return; /* `vcbench cleanup` finds it later by its name */
    cleanup_vdom virDomainPtr dom = virDomainLookupByName(conn, name);
    if (dom)
        virDomainDestroy(dom);
}

/* Safe at any point of create(): every handle is checked. */
static void vm_destroy(struct vcb_instance *inst)
{
    struct vm_instance *vi = (struct vm_instance *)inst;
    if (!vi)
        return;
    pthread_mutex_lock(&vi->lock);
    bool stopped = vi->stopped, lost = vi->conn_lost;
    int timer = vi->grace_timer;
    vi->grace_timer = -1;
    pthread_mutex_unlock(&vi->lock);
    if (vi->dom && !stopped)
        virDomainDestroy(vi->dom); /* fails harmlessly if it already went */
    if (vi->dom && lost)
        vm_destroy_by_name(vi->uri, inst->name);
    if (vi->close_cb) {
        virConnectUnregisterCloseCallback(vi->conn, vm_conn_closed_cb);
        vm_instance_release_later(vi);
    }
    if (vi->lifecycle_id >= 0)
        virConnectDomainEventDeregisterAny(vi->conn, vi->lifecycle_id);
    if (timer >= 0)
        virEventRemoveTimeout(timer);
    vm_console_close(vi);
    vm_ktap_close(vi->ktap);
    vi->ktap = NULL;
    vm_net_stop(vi); /* after qemu: passt would see its client go anyway */
    if (vi->dom)
        virDomainFree(vi->dom);
    if (vi->conn)
        virConnectClose(vi->conn);
    vi->dom = NULL;
    vi->conn = NULL;
    vm_instance_unref(vi);
}

const struct vcb_driver vm_driver = {
    .name = "vm",
    .kind = VCB_ARM_VM,
    .create = vm_create,
    .start = vm_start,
    .event_fd = vm_event_fd,
    .next_event = vm_next_event,
    .stats = vm_stats,
    .stop = vm_stop,
    .destroy = vm_destroy,
    .check_spec = vm_remote_check_needs,
    .daemons_mem = vm_daemons_mem,
    .node_mem = vm_node_mem,
    .host_facts = vm_backend_host_facts,
    .run_options = vm_run_options,
    .doctor = vm_doctor_checks,
    .cleanup = vm_backend_cleanup,
    /* Its options are the registry line's (vm-options.c, in vcbench
     * itself): a second table here would be a second copy of a global. */
    .options = NULL,
};
