/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* oci-doctor.c — what `vcbench doctor` and results.json say of the OCI
 * runtimes: for each well-known runtime found, its path, version and
 * whether a container can be created and deleted here (a bundle whose
 * rootfs is an empty directory: create sets up namespaces and cgroups and
 * stops before the exec); for each oci:* arm a run uses, the runtime's
 * path and version. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "oci-priv.h"

/* The runtimes doctor looks for; any other works too, named. */
static const char *const known[] = {"crun", "runc", "runsc", "youki", "kata-runtime", NULL};

/* Create and delete a container with an empty rootfs: the runtime works on
 * this host (cgroup layout, namespaces) when create gets that far. */
static int try_create(const struct oci_runtime *rt, uint64_t *ns, struct vcb_err *err)
{
    char dir[] = "/tmp/vcbench-oci-doctor.XXXXXX", rootfs[64], init[80];
    if (!mkdtemp(dir))
        return vcb_err_sys(err, errno, "make a temporary bundle");
    snprintf(rootfs, sizeof(rootfs), "%s/rootfs", dir);
    snprintf(init, sizeof(init), "%s/init", rootfs);
    const char *dirs[] = {"proc", "sys", "dev", "tmp"};
    int rc = vcb_mkdir_p(rootfs, 0755, err);
    for (size_t i = 0; rc == 0 && i < 4; i++) {
        char p[96];
        snprintf(p, sizeof(p), "%s/%s", rootfs, dirs[i]);
        rc = vcb_mkdir_p(p, 0755, err);
    }
    /* a file to exec (never run: the container is deleted before start) */
    if (rc == 0)
        rc = vcb_copy_file(rt->path, init, 0755, err);
    struct vcb_instance_spec spec = {.run_dir = dir, .workload = "noop", .rootfs = rootfs};
    snprintf(spec.name, sizeof(spec.name), "vcbench-doctor-%d", (int)getpid());
    char bundle[PATH_MAX], pid_file[PATH_MAX + 8], log[PATH_MAX + 16];
    if (rc == 0)
        rc = oci_bundle_write(&spec, bundle, sizeof(bundle), err);
    snprintf(pid_file, sizeof(pid_file), "%s/pid", bundle);
    snprintf(log, sizeof(log), "%s/runtime.log", bundle);
    /* Not captured: the container's init would hold the pipe until deleted.
     * The runtime's message is the last line of its log. */
    cleanup_close int null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
    struct oci_cmd cmd = {.stdout_fd = null_fd, .stderr_fd = null_fd, .log = log};
    if (rc == 0 && null_fd < 0)
        rc = vcb_err_sys(err, errno, "open /dev/null");
    const char *const args[] = {"create", "--bundle", bundle, "--pid-file",
                                pid_file, spec.name,  NULL};
    if (rc == 0)
        rc = oci_runtime_run(rt, args, &cmd, err);
    *ns = cmd.ns;
    struct vcb_err ignored = {0};
    (void)oci_runtime_delete(rt, spec.name, &ignored);
    (void)oci_cg_remove(spec.name, NULL, NULL);
    (void)vcb_rm_rf(dir, &ignored);
    return rc;
}

static void check_runtime(const char *name, json_t *checks)
{
    char backend[64], check[80], version[256] = "", value[PATH_MAX + 400];
    struct oci_runtime rt;
    struct vcb_err err = {0};
    uint64_t ns = 0;
    snprintf(backend, sizeof(backend), OCI_PREFIX "%s", name);
    snprintf(check, sizeof(check), "%s backend", backend);
    if (oci_runtime_find(backend, &rt, &err) < 0)
        return; /* not installed: nothing to say of it */
    bool ok = oci_runtime_version(&rt, version, sizeof(version), &err) == 0 &&
              try_create(&rt, &ns, &err) == 0;
    if (ok)
        snprintf(value, sizeof(value), "%s (%s): create + delete work (create %.1f ms)", rt.path,
                 version, (double)ns / 1e6);
    else
        snprintf(value, sizeof(value), "%s: %s", rt.path, err.msg);
    json_array_append_new(checks,
                          json_pack("{s:s, s:b, s:s, s:s}", "check", check, "ok", ok, "value",
                                    value, "hint", ok ? "" : "see the runtime's message"));
}

int oci_doctor(const struct vcb_backend_opts *opts, json_t *checks, struct vcb_err *err)
{
    (void)opts;
    (void)err;
    for (size_t i = 0; known[i]; i++)
        check_runtime(known[i], checks);
    return 0;
}

void oci_member_facts(const char *backend, const struct vcb_backend_opts *opts, json_t *host)
{
    (void)opts;
    struct oci_runtime rt;
    struct vcb_err err = {0};
    char version[256];
    json_t *all = json_object_get(host, "oci_runtimes");
    if (!all) {
        all = json_object();
        json_object_set_new(host, "oci_runtimes", all);
    }
    json_t *one;
    if (oci_runtime_find(backend, &rt, &err) < 0 ||
        oci_runtime_version(&rt, version, sizeof(version), &err) < 0)
        one = json_pack("{s:s}", "error", err.msg);
    else
        one = json_pack("{s:s, s:s, s:s, s:s, s:b}", "path", rt.path, "version", version,
                        "state_root", rt.root, "seccomp", "none (runtime default)",
                        "without_cgroup2_mount", rt.hybrid);
    json_object_set_new(all, backend, one);
}
