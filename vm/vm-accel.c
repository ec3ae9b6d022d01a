/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vm-accel.c — KVM or TCG, decided by booting, not by asking: kvm_pvm
 * hosts pass KVM_CREATE_VM and libvirt advertises kvm, yet a stock guest
 * kernel hangs there or qemu aborts on an MSR. The probe boots the guest
 * kernel with no initramfs under KVM: reaching the root-mount panic means the
 * whole kernel boot ran. The verdict is cached per host boot, /dev/kvm owner
 * and mode, URI and guest kernel; for a remote URI, per that host as its
 * libvirtd describes it (hostname, host UUID, libvirt and hypervisor
 * versions), where the probe boots the uploaded kernel and its console is
 * read through a stream. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include <libvirt/virterror.h>

#include "vm-priv.h"

static pthread_mutex_t vm_accel_lock = PTHREAD_MUTEX_INITIALIZER;

/* The node's owner and mode are part of it: a verdict of "permission
 * denied" must not outlive the permission. */
static void vm_local_host_id(char *buf, size_t len)
{
    struct utsname u;
    cleanup_free char *boot_id = NULL;
    struct vcb_err e = {0};
    char node[128];
    if (uname(&u) < 0)
        snprintf(u.release, sizeof u.release, "?");
    if (vcb_read_file("/proc/sys/kernel/random/boot_id", &boot_id, NULL, &e) == 0)
        boot_id[strcspn(boot_id, "\n")] = '\0';
    (void)vm_kvm_node_check(VM_KVM_NODE, node, sizeof node);
    snprintf(buf, len, "%s|%s|%s", u.release, boot_id ? boot_id : "?", node);
}

int vm_accel_host_id(const char *uri, char *buf, size_t len, struct vcb_err *err)
{
    /* A remote host's boot id and /dev/kvm are not this host's. */
    struct vm_remote_host h;
    if (vm_uri_is_local(uri)) {
        vm_local_host_id(buf, len);
        return 0;
    }
    if (vm_remote_host(uri, &h, err) < 0)
        return -1;
    snprintf(buf, len, "%s", h.id);
    return 0;
}

/* The host's identity (vm_accel_host_id), the URI, and the guest kernel's
 * identity (path, size, mtime). */
char *vm_accel_cache_key(const char *host, const char *uri, const char *kernel, struct vcb_err *err)
{
    struct stat st;
    char real[PATH_MAX];
    if (!realpath(kernel, real) || stat(real, &st) < 0) {
        vcb_err_sys(err, errno, "guest kernel %s", kernel);
        return NULL;
    }
    char *key = NULL;
    if (asprintf(&key, "%s|%s|%s|%lld|%lld.%09ld", host, uri, real, (long long)st.st_size,
                 (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec) < 0) {
        vcb_err_sys(err, ENOMEM, "accel cache key");
        return NULL;
    }
    return key;
}

static void vm_cache_path(char *buf, size_t len)
{
    snprintf(buf, len, "%s/accel-cache.json", vcb_state_dir());
}

bool vm_accel_cache_lookup(const char *key, enum vcb_accel *out, char *reason, size_t len)
{
    char path[PATH_MAX];
    vm_cache_path(path, sizeof path);
    if (!vcb_path_exists(path))
        return false;
    struct vcb_err e = {0};
    cleanup_json json_t *j = vcb_json_load_file(path, &e);
    json_t *ent = json_object_get(json_object_get(j, "entries"), key);
    const char *accel = json_string_value(json_object_get(ent, "accel"));
    const char *why = json_string_value(json_object_get(ent, "reason"));
    if (!accel || !why || (strcmp(accel, "kvm") && strcmp(accel, "tcg")))
        return false;
    *out = strcmp(accel, "kvm") ? VCB_ACCEL_TCG : VCB_ACCEL_KVM;
    snprintf(reason, len, "%s (cached verdict)", why);
    return true;
}

/* k is s followed by '|'. */
static bool vm_key_field_is(const char *k, const char *s)
{
    size_t n = strlen(s);
    return !strncmp(k, s, n) && k[n] == '|';
}

/* A remote entry's URI: after the tag and its host's four fields
 * (hostname|uuid|libvirt|hypervisor: vm_remote_id), none with a '|'. */
static const char *vm_key_remote_uri(const char *k)
{
    const char *p = k + strlen(VM_REMOTE_ID_TAG);
    for (int i = 0; i < 4 && p; i++)
        if ((p = strchr(p, '|')))
            p++;
    return p;
}

/* A key's entry stays when it is this host boot's, another remote URI's,
 * or this remote URI's under the host identity it has now (its verdicts
 * for other guest kernels): only an earlier identity under this URI goes. */
static bool vm_cache_keep(const char *k, const char *local, const char *host, const char *uri)
{
    if (strncmp(k, VM_REMOTE_ID_TAG, strlen(VM_REMOTE_ID_TAG)))
        return vm_key_field_is(k, local);
    const char *u = vm_key_remote_uri(k);
    return !u || !vm_key_field_is(u, uri) || vm_key_field_is(k, host);
}

void vm_accel_cache_store(const char *key, const char *host, const char *uri, enum vcb_accel accel,
                          const char *reason)
{
    char path[PATH_MAX], local[256];
    vm_cache_path(path, sizeof path);
    vm_local_host_id(local, sizeof local);
    struct vcb_err e = {0};
    cleanup_json json_t *old = vcb_path_exists(path) ? vcb_json_load_file(path, &e) : NULL;
    cleanup_json json_t *entries = json_object();
    const char *k;
    json_t *v;
    json_object_foreach(json_object_get(old, "entries"), k, v)
    {
        if (vm_cache_keep(k, local, host, uri))
            json_object_set(entries, k, v);
    }
    json_object_set_new(
        entries, key,
        json_pack("{s:s, s:s}", "accel", accel == VCB_ACCEL_KVM ? "kvm" : "tcg", "reason", reason));
    cleanup_json json_t *doc = json_pack("{s:i, s:O}", "schema", 1, "entries", entries);
    if (doc && vcb_mkdir_p(vcb_state_dir(), 0755, &e) == 0)
        (void)vcb_json_dump_file_atomic(doc, path, &e);
}

static bool vm_console_reached_root_mount(const char *log)
{
    cleanup_free char *text = NULL;
    struct vcb_err e = {0};
    if (vcb_read_file(log, &text, NULL, &e) < 0)
        return false;
    return strstr(text, "VFS: Unable to mount root") || strstr(text, "Kernel panic");
}

/* Wait for the probe domain to stop on its own; destroy it otherwise. */
static bool vm_probe_wait(virDomainPtr dom, uint64_t t0, uint64_t *took)
{
    for (;;) {
        uint64_t now = vcb_now_ns();
        if (virDomainIsActive(dom) != 1) { /* a transient domain vanishes */
            *took = now - t0;
            return true;
        }
        if (now - t0 > VM_PROBE_TIMEOUT_NS) {
            virDomainDestroy(dom);
            return false;
        }
        vcb_sleep_ns(20 * VCB_NS_PER_MS);
    }
}

static const char *vm_pvm_note(bool pvm)
{
    return pvm ? "; kvm_pvm is loaded (/sys/module/kvm_pvm) and runs no stock guest kernel" : "";
}

void vm_accel_reason_qemu(const char *qemu_msg, const char *node_seen, bool pvm, char *buf,
                          size_t len)
{
    int n = (int)strcspn(qemu_msg, "\n");
    if (n > 120)
        n = 120;
    if (strstr(qemu_msg, "Permission denied")) {
        int w =
            snprintf(buf, len, "qemu could not open " VM_KVM_NODE " as libvirt's qemu user (%.*s)",
                     n, qemu_msg);
        if (node_seen && w > 0 && (size_t)w < len)
            snprintf(buf + w, len - (size_t)w,
                     ": it is %s, udev's rule gives root:kvm 0660 (scripts/setup applies it)",
                     node_seen);
        return;
    }
    snprintf(buf, len, "qemu %s under KVM (%.*s)%s",
             strstr(qemu_msg, "MSR") ? "aborted on an MSR" : "failed to start", n, qemu_msg,
             vm_pvm_note(pvm));
}

void vm_accel_reason_hang(unsigned timeout_s, bool pvm, char *buf, size_t len)
{
    snprintf(buf, len, "KVM probe boot hung: no end of kernel boot within %u s%s", timeout_s,
             vm_pvm_note(pvm));
}

/* qemu's own words, without libvirt's wrapping and the timestamp. */
static void vm_probe_failed_reason(bool remote, char *reason, size_t len)
{
    virErrorPtr e = virGetLastError();
    const char *msg = e && e->message ? e->message : "unknown error";
    const char *q = strstr(msg, "qemu-system-x86_64: ");
    if (q)
        msg = q + strlen("qemu-system-x86_64: ");
    char node[128];
    if (remote) { /* this host's node and modules are not that host's */
        vm_accel_reason_qemu(msg, NULL, false, reason, len);
        return;
    }
    bool usable = vm_kvm_node_check(VM_KVM_NODE, node, sizeof node) != 0;
    vm_accel_reason_qemu(msg, usable ? NULL : node, vm_kvm_pvm_loaded(), reason, len);
}

struct vm_probe {
    const struct vcb_backend_opts *opts;
    const char *uri, *kernel, *machine;
    bool remote;           /* the kernel is a volume there, its console a stream */
    char staged[PATH_MAX]; /* remote: the kernel's volume */
    char name[VCB_NAME_MAX];
    char dir[PATH_MAX];
    char log[PATH_MAX];
};

static int vm_probe_xml(struct vm_probe *pr, char **xml, struct vcb_err *err)
{
    cleanup_free char *cmdline = NULL;
    struct vm_remote_host h = {.tsc_khz = vm_host_tsc_khz()};
    if ((pr->remote && vm_remote_host(pr->uri, &h, err) < 0) ||
        vm_cmdline_build(NULL, NULL, NULL, h.tsc_khz, false, &cmdline, err) < 0)
        return -1;
    struct vm_xml_config c = {
        .name = pr->name,
        .accel = VCB_ACCEL_KVM,
        .machine = pr->machine,
        .vcpus = 1,
        .memory_mib = 128,
        .kernel = pr->remote ? pr->staged : pr->kernel,
        .cmdline = cmdline,
        .console_log = pr->remote ? NULL : pr->log,
    };
    return vm_xml_build(&c, xml, err);
}

/* A remote guest is made paused: its console stream must be attached
 * before the kernel prints (a pty without a reader drops it). 0 with *out
 * NULL: libvirt could not start it under KVM (its last error says why, the
 * verdict's reason); -1 when what failed is ours: the stream, the resume. */
static int vm_probe_start(struct vm_probe *pr, virConnectPtr conn, const char *xml,
                          struct vm_ktap **tap, virDomainPtr *out, struct vcb_err *err)
{
    unsigned flags = VIR_DOMAIN_START_AUTODESTROY | (pr->remote ? VIR_DOMAIN_START_PAUSED : 0);
    virDomainPtr dom = virDomainCreateXML(conn, xml, flags);
    if (dom && pr->remote &&
        (vm_ktap_open(conn, dom, pr->log, 0, tap, err) < 0 ||
         (virDomainResume(dom) < 0 && vm_err_virt(err, "KVM probe %s: resume", pr->name) < 0))) {
        virDomainDestroy(dom);
        virDomainFree(dom);
        return -1;
    }
    *out = dom;
    return 0;
}

/* Boot under KVM; fills verdict + reason. -1 only when libvirt itself fails. */
static int vm_probe_run(struct vm_probe *pr, enum vcb_accel *out, char *reason, size_t len,
                        struct vcb_err *err)
{
    cleanup_vconn virConnectPtr conn = NULL;
    cleanup_free char *xml = NULL;
    if (vm_probe_xml(pr, &xml, err) < 0 || vm_conn_open(pr->uri, &conn, err) < 0)
        return -1;
    struct vm_ktap *tap = NULL;
    uint64_t t0 = vcb_now_ns(), took = 0;
    cleanup_vdom virDomainPtr dom = NULL;
    int rc = vm_probe_start(pr, conn, xml, &tap, &dom, err);
    *out = VCB_ACCEL_TCG;
    bool pvm = !pr->remote && vm_kvm_pvm_loaded();
    if (rc == 0 && !dom)
        vm_probe_failed_reason(pr->remote, reason, len);
    else if (dom && !vm_probe_wait(dom, t0, &took))
        vm_accel_reason_hang((unsigned)(VM_PROBE_TIMEOUT_NS / VCB_NS_PER_S), pvm, reason, len);
    vm_ktap_wait_end(tap, VCB_NS_PER_S); /* the console's last bytes */
    vm_ktap_close(tap);
    if (rc < 0 || !dom || took == 0)
        return rc;
    if (!vm_console_reached_root_mount(pr->log)) {
        snprintf(reason, len, "KVM probe guest stopped after %.1f s before the end of kernel boot",
                 (double)took / 1e9);
        return 0;
    }
    *out = VCB_ACCEL_KVM;
    snprintf(reason, len, "KVM probe boot reached the end of kernel boot in %.2f s",
             (double)took / 1e9);
    return 0;
}

static int vm_probe(const struct vcb_backend_opts *opts, const char *kernel, const char *machine,
                    enum vcb_accel *out, char *reason, size_t len, struct vcb_err *err)
{
    struct vm_probe pr = {.opts = opts, .uri = vm_uri(opts), .kernel = kernel, .machine = machine};
    pr.remote = !vm_uri_is_local(pr.uri);
    const char *files[1] = {kernel};
    if (pr.remote && vm_pool_stage(opts, files, &pr.staged, 1, err) < 0)
        return -1;
    char run_id[VCB_RUN_ID_LEN + 1];
    vcb_run_id_new(run_id);
    vcb_instance_name(run_id, 0, pr.name);
    int n1 = snprintf(pr.dir, sizeof pr.dir, "%s/vcb-%s", vcb_run_root(), run_id);
    int n2 = snprintf(pr.log, sizeof pr.log, "%s/%s.console.log", pr.dir, pr.name);
    if (n1 >= (int)sizeof pr.dir || n2 >= (int)sizeof pr.log)
        return vcb_err_set(err, ENAMETOOLONG, "run dir %s: path too long", vcb_run_root());
    if (vcb_mkdir_p(pr.dir, 0755, err) < 0)
        return -1;
    int rc = vm_probe_run(&pr, out, reason, len, err);
    struct vcb_err e = {0};
    (void)vcb_rm_rf(pr.dir, &e);
    return rc;
}

static int vm_accel_decide_locked(const struct vcb_backend_opts *opts, const char *kernel,
                                  enum vcb_accel *out, char *reason, size_t len,
                                  struct vcb_err *err)
{
    const char *uri = vm_uri(opts);
    char host[384];
    if (vm_accel_host_id(uri, host, sizeof host, err) < 0)
        return vcb_err_prefix(err, "decide KVM or TCG");
    cleanup_free char *key = vm_accel_cache_key(host, uri, kernel, err);
    if (!key)
        return vcb_err_prefix(err, "decide KVM or TCG");
    if (vm_accel_cache_lookup(key, out, reason, len))
        return 0;
    /* A local host without a working /dev/kvm needs no probe (nor a cache). */
    if (vm_uri_is_local(uri) && !vm_kvm_dev_works(reason, len)) {
        *out = VCB_ACCEL_TCG;
        return 0;
    }
    const char *machine = opts->machine && opts->machine[0] ? opts->machine : vm_machine_default();
    if (vm_probe(opts, kernel, machine, out, reason, len, err) < 0)
        return vcb_err_prefix(err, "KVM probe boot");
    vm_accel_cache_store(key, host, uri, *out, reason);
    return 0;
}

int vm_accel_decide(const struct vcb_backend_opts *opts, enum vcb_accel *out, char *reason,
                    size_t reason_len, struct vcb_err *err)
{
    if (opts->accel != VCB_ACCEL_AUTO) {
        *out = opts->accel;
        snprintf(reason, reason_len, "forced by --accel %s",
                 opts->accel == VCB_ACCEL_KVM ? "kvm" : "tcg");
        return 0;
    }
    char kbuf[PATH_MAX];
    const char *kernel = vm_kernel_path(opts, kbuf, sizeof kbuf);
    if (!vcb_path_exists(kernel))
        return vcb_err_usage(
            err, "guest kernel %s: not found (run scripts/setup, or pass --kernel)", kernel);
    enum vcb_accel verdict = VCB_ACCEL_TCG;
    char why[256];
    /* One probe at a time in this process; the cache is written atomically. */
    pthread_mutex_lock(&vm_accel_lock);
    int rc = vm_accel_decide_locked(opts, kernel, &verdict, why, sizeof why, err);
    pthread_mutex_unlock(&vm_accel_lock);
    if (rc < 0)
        return -1;
    *out = verdict;
    snprintf(reason, reason_len, "%s", why);
    return 0;
}
