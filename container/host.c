/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* host.c — what the CLI asks of the container backend outside an instance:
 * host facts, doctor checks, and cleanup of leftovers named vcb-<run-id>-<n>. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>

#include "container-priv.h"

static const char *const ct_ns_names[] = {"pid", "mnt",    "uts",  "ipc",
                                          "net", "cgroup", "user", NULL};

/* Usable controllers as one space-separated list. */
static void ct_controllers(const struct ct_cg_host *h, char *buf, size_t len)
{
    buf[0] = '\0';
    if (h->mode == CT_CG_V2) {
        snprintf(buf, len, "%s", h->v2_controllers);
        return;
    }
    for (int c = 0; c < CT_CTL__COUNT; c++)
        if (h->v1_mnt[c][0])
            snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", buf[0] ? " " : "",
                     ct_cg_ctl_name(c));
}

static bool ct_ns_supported(const char *ns)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/self/ns/%s", ns);
    return vcb_path_exists(path);
}

static bool ct_userns_usable(uint64_t *max)
{
    struct vcb_err ignored = {0};
    *max = 0;
    return ct_ns_supported("user") &&
           vcb_read_u64_file("/proc/sys/user/max_user_namespaces", max, &ignored) == 0 && *max > 0;
}

static json_t *ct_words_array(const char *words)
{
    json_t *a = json_array();
    char w[64];
    for (const char *p = words; a && *p;) {
        size_t n = strcspn(p, " \n");
        if (n > 0 && n < sizeof w) {
            snprintf(w, sizeof w, "%.*s", (int)n, p);
            json_array_append_new(a, json_string(w));
        }
        p += n + strspn(p + n, " \n");
    }
    return a;
}

int ct_host_facts(json_t *facts, struct vcb_err *err)
{
    struct ct_cg_host *h = ct_cg_host_get(err);
    char ctls[256], nss[128] = "";
    uint64_t max;
    if (!h)
        return -1;
    ct_controllers(h, ctls, sizeof ctls);
    for (int i = 0; ct_ns_names[i]; i++)
        if (ct_ns_supported(ct_ns_names[i]))
            snprintf(nss + strlen(nss), sizeof nss - strlen(nss), "%s ", ct_ns_names[i]);
    if (json_object_set_new(facts, "cgroup_mode", json_string(ct_cg_mode_name(h->mode))) < 0 ||
        json_object_set_new(facts, "cgroup_controllers", ct_words_array(ctls)) < 0 ||
        json_object_set_new(facts, "namespaces", ct_words_array(nss)) < 0 ||
        json_object_set_new(facts, "userns", json_boolean(ct_userns_usable(&max))) < 0)
        return vcb_err_set(err, ENOMEM, "host facts: container");
    return 0;
}

/* severity: "fail" (containers cannot run) or "degraded" (only an option is lost). */
static int ct_check_as(json_t *arr, const char *check, bool ok, const char *value, const char *hint,
                       const char *severity)
{
    json_t *o = json_pack("{s:s, s:b, s:s, s:s, s:s}", "check", check, "ok", ok, "value", value,
                          "hint", ok ? "" : hint, "severity", severity);
    return o ? json_array_append_new(arr, o) : -1;
}

static int ct_check(json_t *arr, const char *check, bool ok, const char *value, const char *hint)
{
    return ct_check_as(arr, check, ok, value, hint, "fail");
}

static int ct_doctor_cgroups(json_t *arr, struct ct_cg_host *h)
{
    static const char *const needed[] = {"memory", "cpu", "pids", "cpuset", NULL};
    char ctls[256], value[320], check[32];
    ct_controllers(h, ctls, sizeof ctls);
    snprintf(value, sizeof value, "%s (%scontrollers: %s)", ct_cg_mode_name(h->mode),
             h->mode == CT_CG_V2 ? "" : "v1 ", ctls);
    if (ct_check(arr, "cgroups", true, value, "") < 0)
        return -1;
    for (int i = 0; needed[i]; i++) {
        bool ok = false;
        for (const char *p = ctls; (p = strstr(p, needed[i])); p++)
            ok = ok || ((p == ctls || p[-1] == ' ') &&
                        (p[strlen(needed[i])] == ' ' || p[strlen(needed[i])] == '\0'));
        snprintf(check, sizeof check, "cgroup-%s", needed[i]);
        if (ct_check(arr, check, ok, ok ? "available" : "missing",
                     h->mode == CT_CG_V2 ? "enable it in the root's cgroup.subtree_control"
                                         : "mount its v1 hierarchy under /sys/fs/cgroup") < 0)
            return -1;
    }
    return 0;
}

/* The device allowlist is not optional: without its mechanism no container starts. */
static int ct_doctor_devices(json_t *arr, struct ct_cg_host *h)
{
    struct vcb_err err = {0};
    char value[VCB_ERR_MSG_MAX + 32];
    bool ok;
    if (h->mode == CT_CG_V2) {
        ok = ct_dev_v2_program_fd(&err) >= 0;
        snprintf(value, sizeof value, "%s", ok ? "BPF_CGROUP_DEVICE program" : err.msg);
    } else {
        ok = h->v1_mnt[CT_CTL_DEVICES][0] != '\0';
        snprintf(value, sizeof value, "%s", ok ? "v1 devices controller" : "missing");
    }
    return ct_check(arr, "device-allowlist", ok, value,
                    h->mode == CT_CG_V2 ? "a kernel with CONFIG_CGROUP_BPF"
                                        : "mount the v1 devices hierarchy under /sys/fs/cgroup");
}

static int ct_doctor_kernel(json_t *arr)
{
    char nss[128] = "", value[VCB_ERR_MSG_MAX + 32];
    bool all = true;
    uint64_t max;
    struct vcb_err serr = {0};
    const struct sock_fprog *prog = NULL;
    for (int i = 0; ct_ns_names[i]; i++) {
        bool ok = ct_ns_supported(ct_ns_names[i]);
        all = all && (ok || strcmp(ct_ns_names[i], "user") == 0);
        snprintf(nss + strlen(nss), sizeof nss - strlen(nss), "%s%s%s", nss[0] ? " " : "",
                 ct_ns_names[i], ok ? "" : "(missing)");
    }
    bool userns = ct_userns_usable(&max);
    if (userns)
        snprintf(value, sizeof value, "yes (max %llu)", (unsigned long long)max);
    else
        snprintf(value, sizeof value, "no");
    if (ct_check(arr, "namespaces", all, nss, "a kernel with pid mnt uts ipc net cgroup") < 0 ||
        ct_check_as(arr, "userns", userns, value,
                    "set user.max_user_namespaces > 0 (needed only for --userns)", "degraded") < 0)
        return -1;
    bool sc = prctl(PR_GET_SECCOMP, 0, 0, 0, 0) >= 0 && ct_seccomp_program(&prog, &serr) == 0;
    if (sc)
        snprintf(value, sizeof value, "filter (%u BPF instructions)", prog->len);
    else
        snprintf(value, sizeof value, "%s", serr.msg[0] ? serr.msg : "no seccomp in this kernel");
    return ct_check(arr, "seccomp", sc, value, "a kernel with CONFIG_SECCOMP_FILTER");
}

/* Whether --io-weight means anything on the disk the images live on: only
 * a weight-aware scheduler (BFQ) shares by weight; said, never assumed. */
static int ct_doctor_io_weight(json_t *arr)
{
    struct vcb_err err = {0};
    struct vcb_blockdev d;
    char value[VCB_ERR_MSG_MAX + 160], hint[128] = "";
    const char *dir = vcb_path_exists(vcb_state_dir()) ? vcb_state_dir() : "/";
    bool ok = vcb_blockdev_of_path(dir, &d, &err) == 0 && strcmp(d.sched, "bfq") == 0;
    if (err.msg[0])
        snprintf(value, sizeof value, "not known: %s", err.msg);
    else
        snprintf(value, sizeof value, "%s (%u:%u, holding %s): scheduler %s %s", d.name, d.major,
                 d.minor, dir, d.sched,
                 ok ? "honours I/O weights" : "ignores I/O weights: --io-weight is refused");
    if (!err.msg[0] && !ok)
        snprintf(hint, sizeof hint,
                 "echo bfq > /sys/block/%s/queue/scheduler (needed only for "
                 "--io-weight)",
                 d.name);
    return ct_check_as(arr, "io-weight", ok, value, hint, "degraded");
}

int ct_doctor_checks(json_t *checks_array, struct vcb_err *err)
{
    struct vcb_err cgerr = {0};
    struct ct_cg_host *h = ct_cg_host_get(&cgerr);
    int rc = h ? (ct_doctor_cgroups(checks_array, h) < 0 ? -1 : ct_doctor_devices(checks_array, h))
               : ct_check(checks_array, "cgroups", false, cgerr.msg,
                          "mount cgroup2 on /sys/fs/cgroup (or v1 hierarchies)");
    if (rc < 0 || ct_doctor_kernel(checks_array) < 0 || ct_doctor_io_weight(checks_array) < 0)
        return vcb_err_set(err, ENOMEM, "doctor: container checks");
    return 0;
}
