/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vm-priv.h — the VM backend's internals, shared by its files and opened
 * to tests (libvirt's *priv.h habit). Not for other modules. */
#ifndef VM_PRIV_H
#define VM_PRIV_H

#include <limits.h>
#include <pthread.h>

#include <libvirt/libvirt.h>

#include "vm-module.h"
#include "vm.h"

#define VM_DEFAULT_URI      "qemu:///system"
#define VM_KVM_NODE         "/dev/kvm"
#define VM_CPU_PERIOD_US    100000ULL
#define VM_CMDLINE_MAX      2048 /* x86 COMMAND_LINE_SIZE */
#define VM_PROBE_TIMEOUT_NS (10 * VCB_NS_PER_S)
#define VM_GONE_GRACE_MS    300 /* wait this long for console bytes after STOPPED */
#define VM_MEMINFO_WAIT_NS  (2 * VCB_NS_PER_S)
/* The lean profile's guest kernel options: it keeps less (vm_cmdline_build). */
#define VM_LEAN_KERNEL_ARGS "lockdown=confidentiality percpu_alloc=page"

/* ---- domain XML (vm-xml.c) ------------------------------------------------ */
struct vm_xml_config {
    const char *name;
    enum vcb_accel accel; /* VCB_ACCEL_KVM or VCB_ACCEL_TCG */
    const char *machine;  /* "pc" | "q35" | "microvm" */
    unsigned vcpus;
    uint64_t cpu_quota_us; /* per vCPU over VM_CPU_PERIOD_US; 0 = none */
    const char *cpuset;    /* NULL or "" = none */
    uint64_t memory_mib;
    /* Soft limits: <cputune><shares> (0 = none) in the host cgroup's own
     * scale, and <memtune><soft_limit> (0 = none). */
    bool host_cgroup_v2; /* set before vm_limits_map: the scale of shares */
    uint64_t cpu_shares; /* v2: cpu.weight as given; v1: cpu.shares */
    uint64_t memory_soft_kib;
    const char *kernel;
    const char *initramfs; /* NULL = none (the accel probe) */
    const char *disk;      /* NULL = none; else the image, read-only, as the guest's vda */
    const char *scratch;   /* NULL = none; else a raw file, read-write, uncached (serial) */
    const char *blkiotune; /* NULL = none; the domain's <blkiotune> (vm_xml_blkiotune) */
    const char *cmdline;
    const char *console_log; /* serial0 (kernel console) goes here; NULL: a pty (remote host) */
    bool protocol_pty;       /* serial1 as a pty for the console stream */
    unsigned tb_cache_mib;   /* TCG only; 0 = qemu's default */
    bool page_reporting;     /* a virtio balloon that takes the guest's freed pages back */
    const char *net_socket;  /* passt's socket: a virtio NIC on it (qemu's stream netdev) */
};
/* The profile's part of the config: balloon and TCG cache. */
void vm_profile_apply(enum vcb_vm_profile p, struct vm_xml_config *c);

/* XML-escape s (&<>"'); returns NULL on ENOMEM. */
char *vm_xml_escape(const char *s);
/* The whole domain XML; deterministic for a given config. */
int vm_xml_build(const struct vm_xml_config *c, char **out, struct vcb_err *err);
bool vm_machine_valid(const char *machine);
/* The measured default machine type. */
const char *vm_machine_default(void);
/* The guest's link behind passt: its address and gateway, on the kernel
 * command line as vcb.net=ADDR/PREFIX,GATEWAY for vcb-init. */
#define VM_NET_GUEST_ADDR   "10.0.2.15"
#define VM_NET_GUEST_PREFIX "24"
#define VM_NET_GATEWAY      "10.0.2.2"
/* A network workload's NIC (vm-net.c): the checks (passt in PATH, no rate:
 * libvirt's <bandwidth> needs a tap, passt has none) and *cmdline's
 * vcb.net=… before init's arguments. */
int vm_net_plan(const struct vcb_instance_spec *spec, struct vm_xml_config *c, char **cmdline,
                struct vcb_err *err);
struct vm_instance;
/* passt started in the run's namespace, its socket for c->net_socket;
 * nothing without a network workload. */
int vm_net_start(struct vm_instance *vi, const struct vcb_instance_spec *spec,
                 struct vm_xml_config *c, struct vcb_err *err);
void vm_net_stop(struct vm_instance *vi);
/* Limits → vcpus/quota/cpuset/memory, shares and the memory soft limit;
 * pids and memory_low are errors (a VM has neither). I/O limits are the
 * scratch disk's (vm_io_plan). */
int vm_limits_map(const struct vcb_limits *l, struct vm_xml_config *c, struct vcb_err *err);
/* The domain's block I/O limits (vm-xml-io.c) as <blkiotune>: the host
 * cgroup's throttles of qemu on dev, the disk holding its scratch volume,
 * and its weight; "" when none is set. A weight is refused below libvirt's
 * minimum of 100, or unless dev's scheduler is BFQ. */
int vm_xml_blkiotune(const struct vcb_io_limits *io, const struct vcb_blockdev *dev, char **out,
                     struct vcb_err *err);
/* c->blkiotune (owned by *blkiotune) for the scratch disk; a usage error
 * without one, where the domain has nothing of its own to throttle. */
int vm_io_plan(const struct vcb_instance_spec *spec, struct vm_xml_config *c, char **blkiotune,
               struct vcb_err *err);

/* ---- libvirt connection, event loop, errors (vm-conn.c) -------------------- */
/* Once per process: silent error handler, default event loop + its thread. */
int vm_libvirt_init(struct vcb_err *err);
/* Copy virGetLastError() into err as "<what>: <libvirt message>"; returns -1. */
int vm_err_virt(struct vcb_err *err, const char *fmt, ...) VCB_PRINTF(2, 3);
const char *vm_uri(const struct vcb_backend_opts *opts);
int vm_conn_open(const char *uri, virConnectPtr *out, struct vcb_err *err);
/* True when the URI names no remote host (qemu:///…, qemu+unix:///…). */
bool vm_uri_is_local(const char *uri);

void vm_connp(virConnectPtr *c);
void vm_domp(virDomainPtr *d);
#define cleanup_vconn __attribute__((cleanup(vm_connp)))
#define cleanup_vdom  __attribute__((cleanup(vm_domp)))

/* ---- host (vm-host.c) -------------------------------------------------------- */
/* /dev/kvm opens and KVM_CREATE_VM works; else 0 with why filled. */
bool vm_kvm_dev_works(char *why, size_t len);
/* Can group kvm (libvirt's qemu user) open the KVM node at path? 1 yes, 0 no,
 * -1 no such node; seen gets what is there ("root:root 0600") or why not. */
int vm_kvm_node_check(const char *path, char *seen, size_t len);
/* The paravirtual kvm_pvm module is loaded (it runs no stock guest kernel). */
bool vm_kvm_pvm_loaded(void);
/* KSM merges identical guest pages (qemu marks guest RAM mergeable): its
 * knobs as the host has them, {"run", "use_zero_pages", "pages_to_scan",
 * "sleep_millisecs"}, -1 for one that cannot be read. */
#define VM_KSM_DIR "/sys/kernel/mm/ksm"
json_t *vm_ksm_facts(void);
/* Set the knobs want names (-1: leave), *was (if not NULL) the values
 * before; -1 when they cannot be read or written, with nothing changed. */
int vm_ksm_set(const struct vm_ksm_knobs *want, struct vm_ksm_knobs *was, struct vcb_err *err);

/* ---- libvirt's capability cache (vm-latency.c) ------------------------------ */
/* A second look-up slower than this: libvirtd re-probes qemu on every call. */
#define VM_CAPS_SLOW_NS (1 * VCB_NS_PER_S)
/* Time two consecutive domain-capability look-ups over one connection. */
int vm_caps_latency(const char *uri, uint64_t took_ns[2], struct vcb_err *err);

/* ---- accel (vm-accel.c) ------------------------------------------------------ */
/* Cache key for a host (vm_accel_host_id) + URI + guest kernel; NULL on error. */
char *vm_accel_cache_key(const char *host, const char *uri, const char *kernel,
                         struct vcb_err *err);
/* The host a URI reaches, for the cache key: this one's kernel release,
 * boot id and /dev/kvm owner and mode; a remote one as its libvirtd
 * describes it (vm_remote_id). */
int vm_accel_host_id(const char *uri, char *buf, size_t len, struct vcb_err *err);
#define VM_REMOTE_ID_TAG "remote|"
/* The cached verdict of a key, with its reason (said to be cached). */
bool vm_accel_cache_lookup(const char *key, enum vcb_accel *out, char *reason, size_t len);
/* Cache a verdict under key (host|uri|kernel…); best effort: a state dir
 * we cannot write only costs a probe next time. What goes: other boots of
 * this host, and earlier identities of uri's remote host. */
void vm_accel_cache_store(const char *key, const char *host, const char *uri, enum vcb_accel accel,
                          const char *reason);
/* The verdict's reason when qemu failed to start under KVM, naming what was
 * seen: the node's permission (node_seen: its owner and mode when group kvm
 * cannot open it, else NULL), an MSR abort, or another failure; kvm_pvm is
 * named only when pvm (the module is loaded). */
void vm_accel_reason_qemu(const char *qemu_msg, const char *node_seen, bool pvm, char *buf,
                          size_t len);
/* The reason when the probe boot hung past timeout_s. */
void vm_accel_reason_hang(unsigned timeout_s, bool pvm, char *buf, size_t len);

/* ---- qemu's guest-RAM mapping (vm-smaps.c) ---------------------------------- */
struct vm_ram_map {
    uint64_t size, pss, rss; /* bytes, over the VMAs that make it up */
    unsigned vmas;
};
/* Find the guest RAM in a /proc/PID/smaps text: the run of adjacent
 * writable, non-executable anonymous/memfd/hugetlbfs VMAs whose size is
 * closest to guest_ram (not below it). -1 when there is none. */
int vm_smaps_guest_ram(const char *smaps, uint64_t guest_ram, struct vm_ram_map *out);
int vm_guest_ram_read(pid_t qemu, uint64_t guest_ram, struct vm_ram_map *out, struct vcb_err *err);

/* ---- one instance (vm-driver.c, vm-console.c) ------------------------------- */
struct vm_instance {
    struct vcb_instance base; /* first: the driver hands this out */
    pthread_mutex_t lock;     /* base.events, proto and everything below */
    pthread_cond_t cond;      /* signalled on each vcb-init meminfo result */
    int refs;                 /* owner + every registered libvirt callback */
    int efd;                  /* eventfd: readable when events may be queued */
    virConnectPtr conn;
    virDomainPtr dom;
    virStreamPtr stream;
    int lifecycle_id; /* -1 = none */
    int grace_timer;  /* -1 = none */
    bool stream_cb;
    struct vcb_proto proto; /* its stray lines go to base.log */
    bool started, ready, exited, stream_done, stopped, gone_queued;
    uint64_t exit_oom_kills; /* the guest kernel's OOM kills, from its exit line */
    uint64_t shutdown_ns;    /* lifecycle SHUTDOWN: the guest powered off */
    uint64_t stop_ns;        /* lifecycle STOPPED: libvirt finished with qemu */
    int stop_reason;         /* VIR_DOMAIN_EVENT_STOPPED_* or VM_STOPPED_CONN_LOST */
    bool conn_lost;          /* libvirtd closed our connection */
    bool close_cb;           /* a close callback is registered */
    char uri[256];
    uint64_t guest_ram;
    uint64_t guest_used;
    unsigned meminfo_seq;
    bool local;
    pid_t qemu_pid;
    char console_log[PATH_MAX];
    char kernel[PATH_MAX], initramfs[PATH_MAX]; /* the image qemu reads */
    pid_t passt;                                /* a network workload's passt, our child */
    char passt_socket[PATH_MAX];
    /* A remote host's guest: its kernel console read through a stream. */
    struct vm_ktap *ktap;
};

void vm_instance_ref(struct vm_instance *vi);
void vm_instance_unref(struct vm_instance *vi);
/* libvirt freecb shape for callbacks that hold a reference. */
void vm_instance_unref_cb(void *opaque);
/* With vi->lock held: queue an event and wake the event fd. */
int vm_queue_locked(struct vm_instance *vi, struct vcb_event *ev, struct vcb_err *err);
/* With vi->lock held: queue GONE once (stamped at the STOPPED event). */
void vm_queue_gone_locked(struct vm_instance *vi);

/* vm-events.c: the eventfd, lifecycle callback, next_event. */
int vm_events_init(struct vm_instance *vi, struct vcb_err *err);
int vm_lifecycle_cb(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque);
#define VM_STOPPED_CONN_LOST (-1)
void vm_conn_closed_cb(virConnectPtr conn, int reason, void *opaque);
int vm_event_fd(struct vcb_instance *inst);
int vm_next_event(struct vcb_instance *inst, uint64_t deadline_ns, struct vcb_event *ev,
                  struct vcb_err *err);

/* Drop a callback's reference on the event loop thread, after any call
 * of it already in flight there (for callbacks whose freecb libvirt 9 does
 * not call). */
void vm_instance_release_later(struct vm_instance *vi);

/* Console stream on serial1 (vm-console.c). */
int vm_console_open(struct vm_instance *vi, struct vcb_err *err);
int vm_console_send(struct vm_instance *vi, const char *line, struct vcb_err *err);
void vm_console_close(struct vm_instance *vi);
/* Called with vi->lock held for each event parsed from ttyS1. */
void vm_console_note_event_locked(struct vm_instance *vi, const struct vcb_event *ev);

/* ---- stats (vm-stats.c) ------------------------------------------------------ */
/* The qemu process of a local domain: the pid file, checked against
 * /proc/<pid>/cmdline, else a scan of /proc for "guest=<name>,". 0 if none. */
pid_t vm_qemu_pid_find(const char *name);
/* RSS/PSS/USS summed over the local libvirt daemons (libvirtd or
 * virtqemud, virtlogd, virtlockd): the driver's daemons_mem; -1 for a
 * remote URI, whose daemons' /proc libvirt does not show. */
int vm_daemons_mem(const struct vcb_backend_opts *opts, struct vcb_proc_mem *out,
                   struct vcb_err *err);
/* Where a remote domain's memory figures come from, as results' notes say
 * it (a local one's: this host's /proc, the harness's default). */
#define VM_MEM_SOURCE_REMOTE "virDomainMemoryStats rss (remote host: no PSS, smaps or cgroup)"
/* Fill rss, balloon_actual, guest_available and guest_unused of out from
 * virDomainMemoryStats' records (KiB); a record not given leaves its
 * field alone. */
void vm_memstats_apply(const virDomainMemoryStatStruct *st, int n, struct vcb_stats *out);
int vm_stats_collect(struct vm_instance *vi, struct vcb_stats *out, struct vcb_err *err);
/* Guest "used" bytes from a vcb-init result line; false if it is not one
 * (vm-meminfo.c). */
bool vm_meminfo_result_used(const char *json, uint64_t *used);
/* What the host recorded of a domain's CPU use (vm-cpu.c): its cgroups'
 * throttling (local domains) and its vCPUs' run time; a field that cannot
 * be read is left alone. */
void vm_cpu_stats(struct vm_instance *vi, struct vcb_stats *out);

/* ---- the host behind a URI, read over libvirt (vm-node-*.c) ---------------- */
/* "9.0.0" from libvirt's packed major * 1e6 + minor * 1e3 + micro. */
void vm_version_str(unsigned long v, char *buf, size_t len);
/* The host CPU's model and vendor in a capabilities document
 * (/capabilities/host/cpu/model, …/vendor); false when it has none. */
bool vm_caps_host_cpu(const char *caps, char *model, char *vendor, size_t len);
/* The first <entry name='name'> of section (system, processor, …) in a
 * sysinfo document (SMBIOS); false when it has none. */
bool vm_sysinfo_entry(const char *sysinfo, const char *section, const char *name, char *buf,
                      size_t len);
/* What each call gave, as read (why: "" when it worked, else the reason):
 * the raw values vm_node_facts_json turns into results' vm_host. */
#define VM_WHY_MAX 200
struct vm_node_raw {
    const char *uri;
    bool remote;
    char hostname[256], hostname_why[VM_WHY_MAX];
    virNodeInfo info;
    char info_why[VM_WHY_MAX];
    const char *caps; /* XML, not owned; NULL with caps_why */
    char caps_why[VM_WHY_MAX];
    const char *sysinfo; /* XML, not owned; NULL with sysinfo_why */
    char sysinfo_why[VM_WHY_MAX];
    struct vm_node_memstats {
        uint64_t total, free, buffers, cached; /* bytes */
    } mem;
    char mem_why[VM_WHY_MAX];
    unsigned long lib_version, hv_version;
    char version_why[VM_WHY_MAX];
};
/* Read every fact over conn; what fails is kept with its reason. The XML
 * in raw is malloc'd (vm_node_raw_free). */
void vm_node_raw_read(virConnectPtr conn, const char *uri, struct vm_node_raw *raw);
void vm_node_raw_free(struct vm_node_raw *raw);
/* results' host.vm_host: the values, "remote", "uri" and "sources" (each
 * fact's libvirt call, or why it is null). */
json_t *vm_node_facts_json(const struct vm_node_raw *raw);
/* The same for the opts' URI, opened here; a connection that fails gives
 * {"uri", "remote", "error"}. */
json_t *vm_node_facts(const struct vcb_backend_opts *opts);
/* One line of a vm_host object: "vm (remote host, over libvirt at URI):
 * kvm64 (AMD), 2 CPUs at 2445 MHz, 23.5 GiB, libvirt 9.0.0, QEMU 7.2.22". */
void vm_node_facts_text(json_t *facts, char *buf, size_t len);
/* What free + buffers + cached is called where MemAvailable is not passed. */
#define VM_NODE_AVAIL_SOURCE                                                                       \
    "virNodeGetMemoryStats free + buffers + cached (libvirt passes no MemAvailable)"
/* virNodeGetMemoryStats over every cell (vm-node-mem.c). */
int vm_node_memstats_read(virConnectPtr conn, struct vm_node_memstats *out, struct vcb_err *err);
/* The driver's node_mem: for a remote URI, that host's memory over libvirt
 * (one connection kept per process); 0 for a local one. */
int vm_node_mem(const struct vcb_backend_opts *opts, struct vcb_node_mem *out, struct vcb_err *err);

/* ---- what the driver adds beyond instances (vm-backend.c) ------------------ */
void vm_backend_host_facts(const struct vcb_backend_opts *opts, json_t *host);
int vm_backend_cleanup(const struct vcb_cleanup_req *req, struct vcb_err *err);

/* ---- a remote libvirt host: its copies of our files, its console ---------- */
/* A transient dir pool on that host holds the guest's files as volumes
 * named by content (vm-pool.c). */
#define VM_POOL_NAME "vcbench"
#define VM_POOL_DIR  "/var/lib/libvirt/images/vcbench"
#define VM_POOL_PART ".part" /* a volume still being uploaded */
/* A part volume unchanged this long is an upload nobody will finish. */
#define VM_POOL_PART_STALE_S (24 * 3600)
/* What was sent before instances' t0: bytes, time, files sent and found. */
struct vm_upload {
    uint64_t bytes, ns;
    unsigned sent, kept;
};
/* The hex SHA-256 of a file, cached under the state dir by its path and
 * identity (wl_key_identity); a file changed in the last seconds is not
 * cached. */
int vm_file_sha256(const char *path, char hex[65], struct vcb_err *err);
/* "<basename>-<first 16 hex>", the basename's odd characters as '_'. */
void vm_volume_name(const char *path, const char hex[65], char *out, size_t len);
/* The pool's XML (a dir pool VM_POOL_NAME in VM_POOL_DIR). */
int vm_pool_xml(char **out, struct vcb_err *err);
/* The pool on conn's host: found (started if defined but stopped) or made,
 * refreshed, its stale part volumes removed. */
int vm_pool_open(virConnectPtr conn, const char *uri, virStoragePoolPtr *out, struct vcb_err *err);
/* A part volume's name (…VM_POOL_PART). */
bool vm_vol_is_part(const char *name);
/* The seconds of <timestamps><mtime> in a volume's XML; -1: not said. */
int64_t vm_vol_xml_mtime(const char *xml);
/* A part volume unchanged for VM_POOL_PART_STALE_S (false when its age is
 * not known). */
bool vm_vol_part_stale(virStorageVolPtr vol, const char *name);
/* For each of the n local files (NULL: skipped), the path on opts' host of
 * a volume with its content, uploaded unless one is there; o->progress
 * hears of each upload, o->stop_requested stops one. A file staged before
 * in this process with the same identity is not looked up again. */
int vm_pool_stage(const struct vcb_backend_opts *o, const char *const *paths, char (*out)[PATH_MAX],
                  size_t n, struct vcb_err *err);
/* What the calling thread staged since its last call (and reset). */
struct vm_upload vm_pool_tally_take(void);
/* cleanup --volumes (vm-pool-cleanup.c): on req->opts' host, every volume
 * of the pool no running vcb-* domain names and no fresh part volume, then
 * the pool and its directory if nothing was kept; only what went is
 * reported. */
int vm_pool_cleanup(const struct vcb_cleanup_req *req, struct vcb_err *err);
/* path is the whole text of an element or an attribute's value in xml. */
bool vm_xml_names_path(const char *xml, const char *path);
/* What needs this host's own files and cannot reach a remote host: a
 * usage error naming the URI and the option; 0 for a local URI. */
int vm_remote_check(const struct vcb_instance_spec *spec, struct vcb_err *err);
/* The same rule before anything is made (the driver's check_spec): what
 * the instance will need, named as the caller's option or field; create's
 * check above, the backstop, names the spec's scratch file instead. */
int vm_remote_check_needs(const struct vcb_backend_opts *opts, const struct vcb_spec_needs *needs,
                          struct vcb_err *err);
/* The host's TSC rate in kHz from a capabilities XML (<counter name='tsc'
 * frequency='Hz'>); 0 when it does not say. */
uint64_t vm_caps_tsc_khz(const char *caps_xml);
/* "remote|<hostname>|<host uuid from the capabilities>|<libvirt>|<hypervisor version>". */
void vm_remote_id(const char *hostname, const char *caps_xml, unsigned long libvirt_ver,
                  unsigned long hv_ver, char *buf, size_t len);
/* The host at uri as its libvirtd describes it (asked once per process and
 * URI): its identity for the accel cache (vm_remote_id) and its TSC rate
 * (0: not said). */
struct vm_remote_host {
    char id[384];
    uint64_t tsc_khz;
};
int vm_remote_host(const char *uri, struct vm_remote_host *out, struct vcb_err *err);

/* serial0 through a console stream into a local capped file
 * (vm-console-kernel.c). */
struct vm_ktap;
int vm_ktap_open(virConnectPtr conn, virDomainPtr dom, const char *path, uint64_t max,
                 struct vm_ktap **out, struct vcb_err *err);
/* Wait up to timeout_ns for the stream's end (the guest is gone). */
void vm_ktap_wait_end(struct vm_ktap *t, uint64_t timeout_ns);
void vm_ktap_close(struct vm_ktap *t);

#endif
