/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-vm-boot.c — the vm driver against a real libvirtd: idle and cpu
 * boot to READY, RESULT parsed, EXIT 0, GONE, domain absent afterwards;
 * a missing kernel and an unreachable libvirtd fail clearly and leave no
 * domain; destroy before start and `cleanup` leave nothing. Exit 77 with a
 * reason when this host cannot run it. No timings are asserted, only
 * generous timeouts (TCG boots take seconds). */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "vm-priv.h"
#include "wl-image.h"

#define BOOT_TIMEOUT_NS (120 * VCB_NS_PER_S)

static int failures;
static char run_id[VCB_RUN_ID_LEN + 1];
/* <run root>/vcb-<run-id>: while it exists (and holds no lock) a
 * concurrent `vcbench cleanup` does not judge our domains stale. */
static char run_dir[PATH_MAX];
static unsigned next_n = 1;
static enum vcb_accel host_accel;

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);                        \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

static _Noreturn void skip(const char *why)
{
    struct vcb_err err = {0};
    if (run_dir[0])
        (void)vcb_rm_rf(run_dir, &err);
    printf("SKIP: %s\n", why);
    exit(77);
}

/* libvirtd (and virtlogd, without which no domain starts) up, or skip. */
static void ensure_libvirtd(void)
{
    struct vcb_err err = {0};
    virConnectPtr c = NULL;
    if (vm_conn_open(VM_DEFAULT_URI, &c, &err) == 0) {
        virConnectClose(c);
        return;
    }
    if (system("pgrep -x virtlogd >/dev/null || virtlogd -d; "
               "pgrep -x libvirtd >/dev/null || libvirtd -d") != 0)
        skip("cannot start virtlogd/libvirtd");
    for (int i = 0; i < 50; i++) {
        vcb_sleep_ns(200 * VCB_NS_PER_MS);
        if (vm_conn_open(VM_DEFAULT_URI, &c, &err) == 0) {
            virConnectClose(c);
            return;
        }
    }
    fprintf(stderr, "%s\n", err.msg);
    skip("libvirtd not reachable at qemu:///system");
}

static bool domain_exists(const char *name)
{
    virConnectPtr c = NULL;
    struct vcb_err err = {0};
    if (vm_conn_open(VM_DEFAULT_URI, &c, &err) < 0)
        return false;
    virDomainPtr d = virDomainLookupByName(c, name);
    if (d)
        virDomainFree(d);
    virConnectClose(c);
    return d != NULL;
}

static void spec_init(struct vcb_instance_spec *s, const char *wl, const struct wl_image *img)
{
    memset(s, 0, sizeof *s);
    vcb_instance_name(run_id, next_n++, s->name);
    s->run_dir = run_dir;
    s->workload = wl;
    s->initramfs = img ? img->initramfs : "/nonexistent/initramfs.cpio.gz";
    s->limits.cpus = 1;
    s->limits.memory_bytes = 256ULL << 20;
}

struct seen {
    bool kinds[VCB_EV__COUNT];
    bool workload_result, init_result;
    int exit_status;
    char gone_detail[128];
};

static void on_ready(struct vcb_instance *inst, bool stop)
{
    struct vcb_err err = {0};
    struct vcb_stats st;
    CHECK(vm_driver.stats(inst, &st, &err) == 0, "%s", err.msg);
    CHECK(st.guest_ram == 256ULL << 20, "guest_ram %llu", (unsigned long long)st.guest_ram);
    CHECK(st.pss > 0 && st.pss != VCB_STAT_UNSET, "qemu pss %llu", (unsigned long long)st.pss);
    CHECK(st.guest_used > 0 && st.guest_used < st.guest_ram, "guest_used %llu",
          (unsigned long long)st.guest_used);
    /* the guest RAM mapping is found in qemu's smaps and is part of its PSS */
    CHECK(st.guest_ram_pss > 0 && st.guest_ram_pss < st.pss, "guest RAM pss %llu of %llu",
          (unsigned long long)st.guest_ram_pss, (unsigned long long)st.pss);
    CHECK(st.proc_pagetables > 0 && st.proc_pagetables != VCB_STAT_UNSET, "qemu VmPTE %llu",
          (unsigned long long)st.proc_pagetables);
    CHECK(st.image_bytes > 0 && st.image_bytes != VCB_STAT_UNSET, "image bytes %llu",
          (unsigned long long)st.image_bytes);
    if (stop)
        CHECK(vm_driver.stop(inst, &err) == 0, "stop: %s", err.msg);
}

static void note_event(struct vcb_instance *inst, const char *wl, struct vcb_event *ev,
                       struct seen *s, bool stop)
{
    s->kinds[ev->kind] = true;
    if (ev->kind == VCB_EV_INIT)
        CHECK(ev->guest_ns > 0, "INIT without guest uptime");
    if (ev->kind == VCB_EV_READY)
        on_ready(inst, stop);
    if (ev->kind == VCB_EV_EXIT)
        s->exit_status = ev->status;
    if (ev->kind == VCB_EV_GONE)
        snprintf(s->gone_detail, sizeof s->gone_detail, "%s", ev->detail);
    if (ev->kind == VCB_EV_RESULT) {
        struct vcb_err err = {0};
        json_t *j = vcb_json_load_str(ev->text, "result", &err);
        CHECK(json_is_object(j), "RESULT not a JSON object: %s", ev->text);
        const char *w = json_string_value(json_object_get(j, "workload"));
        const char *from = json_string_value(json_object_get(j, "from"));
        s->workload_result |= w && !strcmp(w, wl);
        s->init_result |= from && !strcmp(from, "vcb-init");
        json_decref(j);
    }
}

static void boot(const char *wl, char *const *args, bool stop)
{
    struct vcb_err err = {0};
    struct wl_image img;
    if (wl_image_build(wl, &img, &err) < 0)
        skip(err.msg);
    struct vcb_instance_spec spec;
    spec_init(&spec, wl, &img);
    spec.args = args;
    struct vcb_instance *inst = NULL;
    if (vm_driver.create(&spec, &inst, &err) < 0 || vm_driver.start(inst, &err) < 0) {
        CHECK(false, "%s: %s", wl, err.msg);
        vcb_instance_destroy(inst);
        return;
    }
    CHECK(inst->emulated == (host_accel != VCB_ACCEL_KVM), "emulated flag");
    CHECK(!inst->emulated || strstr(inst->emulated_reason, "emulated (TCG)"), "%s",
          inst->emulated_reason);
    struct seen s = {.exit_status = -1};
    struct vcb_event ev;
    uint64_t deadline = vcb_now_ns() + BOOT_TIMEOUT_NS;
    int rc;
    while ((rc = vm_driver.next_event(inst, deadline, &ev, &err)) == 1) {
        bool gone = ev.kind == VCB_EV_GONE;
        note_event(inst, wl, &ev, &s, stop);
        vcb_event_clear(&ev);
        if (gone)
            break;
    }
    CHECK(rc == 1, "%s: no GONE within the timeout (%s)", wl, err.msg);
    for (int k = VCB_EV_CREATE; k < VCB_EV__COUNT; k++)
        CHECK(s.kinds[k], "%s: no %s event", wl, vcb_event_kind_name(k));
    CHECK(s.workload_result && s.init_result, "%s: results from workload and vcb-init", wl);
    CHECK(s.exit_status == 0, "%s: exit status %d", wl, s.exit_status);
    CHECK(!strncmp(s.gone_detail, "poweroff", 8), "%s: gone '%s'", wl, s.gone_detail);
    CHECK(vm_driver.next_event(inst, 0, &ev, &err) == 0, "an event after GONE");
    vcb_instance_destroy(inst);
    CHECK(!domain_exists(spec.name), "domain %s still there", spec.name);
    printf("ok: %s booted, ready, exit 0, gone (%s)\n", wl, s.gone_detail);
}

/* The typed parameter called field of params, as an unsigned number. */
static unsigned long long param_u(const virTypedParameterPtr params, int n, const char *field)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(params[i].field, field))
            return params[i].type == VIR_TYPED_PARAM_ULLONG ? params[i].value.ul
                                                            : (unsigned long long)params[i].value.l;
    return 0;
}

/* Soft limits read back through libvirt from the running domain's host
 * cgroup: <shares> (cpu.shares on v1: weight 200 -> 2048; cpu.weight on v2)
 * and <memtune><soft_limit>; the guest boots to READY under them. */
static void test_soft_limits(const struct wl_image *img)
{
    struct vcb_err err = {0};
    struct vcb_instance_spec spec;
    struct vcb_instance *inst = NULL;
    struct vcb_event ev;
    virTypedParameterPtr p = NULL;
    virTypedParameter mem[8];
    int np = 0, nmem = 8;
    spec_init(&spec, "idle", img);
    spec.limits.cpu_weight = 200;
    spec.limits.memory_soft = 200ULL << 20;
    if (vm_driver.create(&spec, &inst, &err) < 0 || vm_driver.start(inst, &err) < 0) {
        CHECK(false, "soft limits: %s", err.msg);
        vcb_instance_destroy(inst);
        return;
    }
    virConnectPtr c = NULL;
    CHECK(vm_conn_open(VM_DEFAULT_URI, &c, &err) == 0, "%s", err.msg);
    virDomainPtr d = c ? virDomainLookupByName(c, spec.name) : NULL;
    char *sched = d ? virDomainGetSchedulerType(d, &np) : NULL; /* how many parameters */
    CHECK(sched && np > 0, "scheduler type");
    free(sched);
    p = calloc((size_t)np + 1, sizeof *p);
    CHECK(d && p && virDomainGetSchedulerParameters(d, p, &np) == 0, "scheduler parameters");
    unsigned long long shares = p ? param_u(p, np, VIR_DOMAIN_SCHEDULER_CPU_SHARES) : 0;
    CHECK(shares == 2048 || shares == 200, "cpu_shares %llu (want 2048 on v1, 200 on v2)", shares);
    CHECK(d && virDomainGetMemoryParameters(d, mem, &nmem, 0) == 0, "memory parameters");
    unsigned long long soft = d ? param_u(mem, nmem, VIR_DOMAIN_MEMORY_SOFT_LIMIT) : 0;
    CHECK(soft == 200ULL << 10, "soft_limit %llu KiB (want 204800)", soft);
    free(p);
    if (d)
        virDomainFree(d);
    if (c)
        virConnectClose(c);
    uint64_t deadline = vcb_now_ns() + BOOT_TIMEOUT_NS;
    bool ready = false;
    while (!ready && vm_driver.next_event(inst, deadline, &ev, &err) == 1) {
        ready = ev.kind == VCB_EV_READY;
        vcb_event_clear(&ev);
    }
    CHECK(ready, "soft limits: no READY (%s)", err.msg);
    vcb_instance_destroy(inst);
    CHECK(!domain_exists(spec.name), "domain %s still there", spec.name);
    printf("ok: soft limits: cpu_shares %llu, soft_limit %llu KiB, ready\n", shares, soft);
}

/* Creation must fail with msg_part in the error and leave no domain. */
static void expect_create_fails(struct vcb_instance_spec *spec, const char *msg_part)
{
    struct vcb_err err = {0};
    struct vcb_instance *inst = NULL;
    int rc = vm_driver.create(spec, &inst, &err);
    CHECK(rc == -1 && inst == NULL, "create should fail");
    CHECK(strstr(err.msg, msg_part), "error '%s' lacks '%s'", err.msg, msg_part);
    CHECK(!domain_exists(spec->name), "domain %s left behind", spec->name);
    printf("ok: clear error: %s\n", err.msg);
    if (rc == 0)
        vcb_instance_destroy(inst);
}

static void test_missing_kernel(const struct wl_image *img)
{
    struct vcb_instance_spec spec;
    spec_init(&spec, "idle", img);
    spec.opts.kernel = "/nonexistent/vmlinuz";
    expect_create_fails(&spec, "guest kernel /nonexistent/vmlinuz: not found");
}

static void test_unreachable_uri(const struct wl_image *img)
{
    struct vcb_instance_spec spec;
    spec_init(&spec, "idle", img);
    spec.opts.vm_uri = "qemu+unix:///system?socket=/nonexistent/libvirt-sock";
    spec.opts.accel = VCB_ACCEL_TCG; /* the connection, not the probe, must fail */
    expect_create_fails(&spec, "libvirt qemu+unix:///system?socket=/nonexistent/libvirt-sock: "
                               "connect");
    spec.opts.accel = VCB_ACCEL_AUTO; /* and the probe fails as clearly */
    expect_create_fails(&spec, "/nonexistent/libvirt-sock");
}

/* Destroy is safe before start: the paused domain goes. */
static void test_destroy_before_start(const struct wl_image *img)
{
    struct vcb_err err = {0};
    struct vcb_instance_spec spec;
    spec_init(&spec, "idle", img);
    struct vcb_instance *inst = NULL;
    CHECK(vm_driver.create(&spec, &inst, &err) == 0, "%s", err.msg);
    CHECK(domain_exists(spec.name), "domain %s not created", spec.name);
    vcb_instance_destroy(inst);
    CHECK(!domain_exists(spec.name), "domain %s left after destroy", spec.name);
    printf("ok: destroy before start leaves no domain\n");
}

struct cleanup_ctx {
    int removed;
    char what[128];
};

static bool stale_ours(const char *id, void *ctx)
{
    return !strcmp(id, run_id);
}

static void note_removed(const char *what, void *ctx)
{
    struct cleanup_ctx *c = ctx;
    c->removed++;
    snprintf(c->what, sizeof c->what, "%s", what);
}

/* A leftover domain of a "dead" run is found and removed by vm_cleanup. */
static void test_cleanup(const struct wl_image *img)
{
    struct vcb_err err = {0};
    struct vcb_instance_spec spec;
    spec_init(&spec, "idle", img);
    struct vcb_instance *inst = NULL;
    CHECK(vm_driver.create(&spec, &inst, &err) == 0, "%s", err.msg);
    struct cleanup_ctx ctx = {0};
    struct vcb_backend_opts opts = {0};
    CHECK(vm_cleanup(&opts, stale_ours, note_removed, &ctx, &err) == 0, "%s", err.msg);
    char want[128];
    snprintf(want, sizeof want, "domain %s", spec.name);
    CHECK(ctx.removed == 1 && !strcmp(ctx.what, want), "removed %d '%s'", ctx.removed, ctx.what);
    CHECK(!domain_exists(spec.name), "domain %s survived cleanup", spec.name);
    vcb_instance_destroy(inst); /* still safe: its domain is already gone */
    printf("ok: cleanup removed %s\n", ctx.what);
}

static void test_accel_verdict(void)
{
    struct vcb_err err = {0};
    struct vcb_backend_opts opts = {0};
    char why[256] = "";
    CHECK(vm_accel_decide(&opts, &host_accel, why, sizeof why, &err) == 0, "%s", err.msg);
    CHECK(why[0], "accel verdict without a reason");
    printf("accel verdict: %s: %s\n", host_accel == VCB_ACCEL_KVM ? "kvm" : "tcg", why);
}

/* Host facts and doctor checks carry what results and users need. */
static void test_facts_and_doctor(void)
{
    struct vcb_err err = {0};
    struct vcb_backend_opts opts = {0};
    json_t *facts = json_object(), *checks = json_array();
    CHECK(vm_host_facts(&opts, facts, &err) == 0, "%s", err.msg);
    const char *keys[] = {"libvirt_version", "qemu_version", "accel", "accel_reason",
                          "guest_kernel"};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        CHECK(json_is_string(json_object_get(facts, keys[i])), "fact %s", keys[i]);
    CHECK(vm_doctor_checks(&opts, checks, &err) == 0, "%s", err.msg);
    const char *names[] = {"guest_kernel", "libvirtd", "qemu", "kvm_device", "kvm_boots"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        bool found = false;
        size_t idx;
        json_t *c;
        json_array_foreach(checks, idx, c)
        {
            const char *n = json_string_value(json_object_get(c, "check"));
            found |= n && !strcmp(n, names[i]) && json_is_boolean(json_object_get(c, "ok")) &&
                     json_is_string(json_object_get(c, "value"));
        }
        CHECK(found, "doctor check %s", names[i]);
    }
    char *dump = json_dumps(checks, JSON_COMPACT);
    printf("ok: facts and doctor: %s\n", dump);
    free(dump);
    json_decref(facts);
    json_decref(checks);
}

int main(void)
{
    struct vcb_err err = {0};
    char kbuf[PATH_MAX];
    if (geteuid() != 0)
        skip("needs root (qemu:///system)");
    if (!vcb_path_exists(vm_kernel_path(NULL, kbuf, sizeof kbuf)))
        skip("no guest kernel: run scripts/setup");
    ensure_libvirtd();
    vcb_run_id_new(run_id);
    snprintf(run_dir, sizeof run_dir, "%s/vcb-%s", vcb_run_root(), run_id);
    if (vcb_mkdir_p(run_dir, 0755, &err) < 0)
        skip(err.msg);
    struct wl_image idle;
    if (wl_image_build("idle", &idle, &err) < 0)
        skip(err.msg);
    test_accel_verdict();
    test_facts_and_doctor();
    char *cpu_args[] = {"--duration", "1s", NULL};
    boot("idle", NULL, true);
    boot("cpu", cpu_args, false);
    test_soft_limits(&idle);
    test_missing_kernel(&idle);
    test_unreachable_uri(&idle);
    test_destroy_before_start(&idle);
    test_cleanup(&idle);
    (void)vcb_rm_rf(run_dir, &err);
    printf("%s\n", failures ? "FAILED" : "PASSED");
    return failures ? 1 : 0;
}
