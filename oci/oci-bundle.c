/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* oci-bundle.c — the bundle's config.json, written by vcbench from the spec
 * (not from `RUNTIME spec`, whose defaults differ between runtimes and
 * versions): the same program, environment and rootfs as our launcher's,
 * the runtimes' own default mounts, masked and read-only paths and
 * capabilities, the limits as linux.resources, and a cgroupsPath that
 * names the instance. No seccomp profile: the runtimes ship none, so this
 * arm's seccomp is "none (runtime default)". The bundle sits in the run
 * dir, so it goes with the run. */
#include <errno.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "oci-priv.h"

#define CFS_PERIOD_US 100000

static json_t *strings(const char *const *v)
{
    json_t *a = json_array();
    for (size_t i = 0; a && v[i]; i++)
        json_array_append_new(a, json_string(v[i]));
    return a;
}

static json_t *process(const struct vcb_instance_spec *spec)
{
    static const char *const env[] = {"PATH=/bin:/sbin", "HOME=/", "container=vcbench", NULL};
    /* The container engines' default set (docker, podman), the one our own
     * launcher keeps: like with like. vcb-init needs SETUID and SETGID to
     * run an image's command as its User; none is ambient, so a command
     * run as another user keeps none. */
    static const char *const caps[] = {"CAP_CHOWN",
                                       "CAP_DAC_OVERRIDE",
                                       "CAP_FSETID",
                                       "CAP_FOWNER",
                                       "CAP_MKNOD",
                                       "CAP_NET_RAW",
                                       "CAP_SETGID",
                                       "CAP_SETUID",
                                       "CAP_SETFCAP",
                                       "CAP_SETPCAP",
                                       "CAP_NET_BIND_SERVICE",
                                       "CAP_SYS_CHROOT",
                                       "CAP_KILL",
                                       "CAP_AUDIT_WRITE",
                                       NULL};
    static const char *const none[] = {NULL};
    json_t *args = json_array();
    json_array_append_new(args, json_string(spec->init ? spec->init : "/init"));
    json_array_append_new(args, json_string(spec->workload));
    for (size_t i = 0; spec->args && spec->args[i]; i++)
        json_array_append_new(args, json_string(spec->args[i]));
    return json_pack("{s:b, s:{s:i, s:i}, s:o, s:o, s:s, s:{s:o, s:o, s:o, s:o}, s:[{s:s, s:i, "
                     "s:i}], s:b}",
                     "terminal", 0, "user", "uid", 0, "gid", 0, "args", args, "env", strings(env),
                     "cwd", "/", "capabilities", "bounding", strings(caps), "effective",
                     strings(caps), "permitted", strings(caps), "ambient", strings(none), "rlimits",
                     "type", "RLIMIT_NOFILE", "hard", 1024, "soft", 1024, "noNewPrivileges", 1);
}

static json_t *mount(const char *dst, const char *type, const char *const *options)
{
    return json_pack("{s:s, s:s, s:s, s:o}", "destination", dst, "type", type, "source", type,
                     "options", strings(options));
}

/* The scratch volume's host file on the image's empty mount point. */
static json_t *scratch_mount(const char *file)
{
    return json_pack("{s:s, s:s, s:s, s:[s, s]}", "destination", VCB_SCRATCH_PATH, "type", "bind",
                     "source", file, "options", "bind", "rw");
}

static json_t *mounts(const char *scratch)
{
    json_t *m = json_array();
    json_array_append_new(m, mount("/proc", "proc", (const char *const[]){NULL}));
    json_array_append_new(
        m, mount("/dev", "tmpfs",
                 (const char *const[]){"nosuid", "strictatime", "mode=755", "size=65536k", NULL}));
    json_t *pts = mount("/dev/pts", "devpts",
                        (const char *const[]){"nosuid", "noexec", "newinstance", "ptmxmode=0666",
                                              "mode=0620", "gid=5", NULL});
    json_array_append_new(m, pts);
    json_array_append_new(m, mount("/dev/shm", "tmpfs",
                                   (const char *const[]){"nosuid", "noexec", "nodev", "mode=1777",
                                                         "size=65536k", NULL}));
    json_array_append_new(m, mount("/dev/mqueue", "mqueue",
                                   (const char *const[]){"nosuid", "noexec", "nodev", NULL}));
    json_array_append_new(
        m, mount("/sys", "sysfs", (const char *const[]){"nosuid", "noexec", "nodev", "ro", NULL}));
    json_array_append_new(
        m, mount("/tmp", "tmpfs", (const char *const[]){"nosuid", "nodev", "mode=1777", NULL}));
    if (scratch)
        json_array_append_new(m, scratch_mount(scratch));
    return m;
}

/* Memory and swap together as much as memory alone, where the kernel
 * accounts swap: no swap escape, as in our launcher. */
static bool swap_accounted(void)
{
    return access(oci_cg_mode() == OCI_CG_V2 ? "/sys/fs/cgroup/vcbench-oci/memory.swap.max"
                                             : "/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes",
                  F_OK) == 0;
}

static json_t *resources(const struct vcb_limits *l)
{
    json_t *r = json_pack("{s:[{s:b, s:s}]}", "devices", "allow", 0, "access", "rwm");
    if (l->memory_bytes) {
        json_t *mem = json_pack("{s:I}", "limit", (json_int_t)l->memory_bytes);
        if (swap_accounted())
            json_object_set_new(mem, "swap", json_integer((json_int_t)l->memory_bytes));
        json_object_set_new(r, "memory", mem);
    }
    if (l->cpus > 0 || l->cpuset[0]) {
        json_t *cpu = json_object();
        if (l->cpus > 0) {
            json_object_set_new(cpu, "quota",
                                json_integer((json_int_t)llround(l->cpus * CFS_PERIOD_US)));
            json_object_set_new(cpu, "period", json_integer(CFS_PERIOD_US));
        }
        if (l->cpuset[0])
            json_object_set_new(cpu, "cpus", json_string(l->cpuset));
        json_object_set_new(r, "cpu", cpu);
    }
    if (l->pids)
        json_object_set_new(r, "pids", json_pack("{s:I}", "limit", (json_int_t)l->pids));
    return r;
}

static json_t *linux_section(const struct vcb_instance_spec *spec, json_t *res)
{
    static const char *const masked[] = {"/proc/acpi",
                                         "/proc/asound",
                                         "/proc/kcore",
                                         "/proc/keys",
                                         "/proc/latency_stats",
                                         "/proc/timer_list",
                                         "/proc/timer_stats",
                                         "/proc/sched_debug",
                                         "/sys/firmware",
                                         "/proc/scsi",
                                         NULL};
    static const char *const readonly[] = {
        "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL};
    char cg[VCB_NAME_MAX + 32];
    oci_cg_path(spec->name, cg, sizeof(cg));
    json_t *ns = json_pack("[{s:s}, {s:s}, {s:s}, {s:s}, {s:s}]", "type", "pid", "type", "network",
                           "type", "ipc", "type", "uts", "type", "mount");
    if (oci_cg_mode() == OCI_CG_V2) /* a cgroup namespace over v1 is not what runtimes expect */
        json_array_append_new(ns, json_pack("{s:s}", "type", "cgroup"));
    return json_pack("{s:o, s:s, s:o, s:o, s:o}", "resources", res, "cgroupsPath", cg, "namespaces",
                     ns, "maskedPaths", strings(masked), "readonlyPaths", strings(readonly));
}

int oci_bundle_write(const struct vcb_instance_spec *spec, char *dir, size_t len,
                     struct vcb_err *err)
{
    if (!spec->run_dir)
        return vcb_err_set(err, EINVAL, "OCI bundle: no run dir to keep it in");
    if ((size_t)snprintf(dir, len, "%s/%s.oci", spec->run_dir, spec->name) >= len)
        return vcb_err_set(err, ENAMETOOLONG, "OCI bundle: run dir path too long");
    json_t *res = resources(&spec->limits);
    /* the disk of the root, as the launcher's I/O limits (a scratch volume
     * is the file to name here where the instance has one) */
    if (res && oci_resources_soft(&spec->limits, spec->scratch ? spec->scratch : spec->rootfs, res,
                                  err) < 0) {
        json_decref(res);
        return -1;
    }
    cleanup_json json_t *cfg =
        json_pack("{s:s, s:o, s:{s:s, s:b}, s:s, s:o, s:o}", "ociVersion", "1.0.2", "process",
                  process(spec), "root", "path", spec->rootfs, "readonly", 1, "hostname",
                  spec->name, "mounts", mounts(spec->scratch), "linux", linux_section(spec, res));
    char path[PATH_MAX + 16];
    if (!cfg)
        return vcb_err_set(err, ENOMEM, "OCI bundle: config.json");
    snprintf(path, sizeof(path), "%s/config.json", dir);
    if (vcb_mkdir_p(dir, 0700, err) < 0 || vcb_json_dump_file_atomic(cfg, path, err) < 0)
        return vcb_err_prefix(err, "OCI bundle");
    return 0;
}
