/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* peers-select.c — which peers run: the fixed list of container arms (with
 * their command lines), the VM arms per machine type, --only, and whether
 * each peer's tool is installed (a missing one is skipped with a reason). */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include <linux/magic.h>

#include "peers.h"

/* crun and runc refuse this host's hybrid layout: they run in a private mount
 * namespace with the cgroup2 mount hidden. The wrapper's own cost is measured
 * by the "wrapper" arms so the report can subtract it. */
#define OCI_SCRIPT                                                                                 \
    "umount /sys/fs/cgroup/unified 2>/dev/null; exec \"$0\" --root \"$3\" run --bundle \"$1\" "    \
    "\"$2\""
#define WRAP_UMOUNT "umount /sys/fs/cgroup/unified 2>/dev/null; exec \"$0\""

static const char *const peer_names[] = {"launcher",
                                         "vcbench-launch",
                                         "crun",
                                         "runc",
                                         "bwrap",
                                         "unshare",
                                         "clone-floor",
                                         "spawn",
                                         "true",
                                         "vcbench-version",
                                         "vcbench-help",
                                         "wrapper-sh",
                                         "wrapper-umount",
                                         "vm-libvirt",
                                         "qemu",
                                         "containers",
                                         "vms",
                                         "memory",
                                         NULL};

const char *bench_peers_names(void)
{
    return "launcher, vcbench-launch, crun, runc, bwrap, unshare, clone-floor, spawn, true, "
           "vcbench-version, vcbench-help, wrapper-sh, wrapper-umount, vm-libvirt, qemu; "
           "groups: containers, vms, memory";
}

bool peers_tool_find(const char *tool, char *path, size_t len)
{
    const char *env = getenv("PATH");
    char buf[4096];
    struct stat st;
    snprintf(buf, sizeof buf, "%s", env && env[0] ? env : "/usr/sbin:/usr/bin:/sbin:/bin");
    for (char *save = NULL, *dir = strtok_r(buf, ":", &save); dir;
         dir = strtok_r(NULL, ":", &save)) {
        snprintf(path, len, "%s/%s", dir, tool);
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0)
            return true;
    }
    return false;
}

static char **argv_of(const char *const *v)
{
    size_t n = 0;
    while (v[n])
        n++;
    char **out = calloc(n + 1, sizeof *out);
    for (size_t i = 0; out && i < n; i++)
        if (!(out[i] = strdup(v[i]))) {
            vcb_strv_free(out);
            return NULL;
        }
    return out;
}

static struct peers_arm *arm_add(struct peers_ctx *pc, const char *name, const char *tool,
                                 peers_once_fn once, const char *what)
{
    struct peers_arm *a = &pc->ct[pc->nct++];
    memset(a, 0, sizeof *a);
    a->name = name;
    a->tool = tool;
    a->once = once;
    a->what = what;
    a->expect = PEERS_VCB_EXIT;
    a->id_arg = -1;
    return a;
}

/* A command that runs no /init: what it runs, and what its output must hold. */
static void arm_command(struct peers_arm *a, const char *program, const char *expect)
{
    a->program = program;
    a->expect = expect;
}

/* The OCI runtimes, wrapped on a hybrid host, plain on pure v2. Their
 * state (--root) is kept in our run dir: the same filesystem as our own
 * run dir's lock and logs, wherever the host has /run. */
static char **oci_argv(struct peers_ctx *pc, const char *rt, int *id_arg)
{
    char root[PATH_MAX + 32];
    snprintf(root, sizeof root, "%s/oci-state-%s", pc->bctx.run_dir, rt);
    if (pc->cg_hybrid) {
        const char *v[] = {"unshare",  "-m", "--propagation", "private", "sh", "-c",
                           OCI_SCRIPT, rt,   pc->bundle,      "ID",      root, NULL};
        *id_arg = 9;
        return argv_of(v);
    }
    const char *v[] = {rt, "--root", root, "run", "--bundle", pc->bundle, "ID", NULL};
    *id_arg = 6;
    return argv_of(v);
}

/* Our own command, timed as crun is: the binary running now, so the
 * figures are those of this build. */
static void vcbench_arms(struct peers_ctx *pc)
{
    struct peers_arm *a;
    a = arm_add(pc, "vcbench-launch", NULL, peers_once_external,
                "vcbench launch --backend container noop, the whole command: posix_spawn -> "
                "waitpid (start-up, image check, the launcher, teardown, exit)");
    a->argv =
        argv_of((const char *const[]){pc->self, "launch", "--backend", "container", "noop", NULL});
    a->expect = "exit status 0\n"; /* its event line for the workload's exit */
    a->ours = true;
    a = arm_add(pc, "vcbench-version", NULL, peers_once_external,
                "vcbench --version, the whole command: a command's start-up and exit");
    a->argv = argv_of((const char *const[]){pc->self, "--version", NULL});
    arm_command(a, "vcbench --version", "vcbench ");
    a->ours = true;
    a = arm_add(pc, "vcbench-help", NULL, peers_once_external,
                "vcbench --help, the whole command: a command's start-up and exit");
    a->argv = argv_of((const char *const[]){pc->self, "--help", NULL});
    arm_command(a, "vcbench --help", "usage: vcbench");
    a->ours = true;
}

static int ct_arms(struct peers_ctx *pc)
{
    struct peers_arm *a;
    a = arm_add(pc, "launcher", NULL, peers_once_launcher,
                "our launcher in-process through ct_driver: create call -> destroy returned "
                "(cgroups, seccomp, pivot_root on)");
    a->in_process = a->ours = true;
    vcbench_arms(pc);
    a = arm_add(pc, "crun", "crun", peers_once_external, "crun run of an OCI bundle");
    a->argv = oci_argv(pc, "crun", &a->id_arg);
    a = arm_add(pc, "runc", "runc", peers_once_external, "runc run of an OCI bundle");
    a->argv = oci_argv(pc, "runc", &a->id_arg);
    a = arm_add(pc, "bwrap", "bwrap", peers_once_external, "bwrap --unshare-all");
    a->argv = argv_of((const char *const[]){"bwrap", "--unshare-all", "--die-with-parent",
                                            "--ro-bind", pc->rootfs, "/", "--proc", "/proc",
                                            "--dev", "/dev", "/init", "noop", NULL});
    a = arm_add(pc, "unshare", "unshare", peers_once_external, "unshare -fpmiun --mount-proc -R");
    a->argv = argv_of((const char *const[]){"unshare", "-fpmiun", "--mount-proc", "-R", pc->rootfs,
                                            "/init", "noop", NULL});
    a = arm_add(pc, "clone-floor", NULL, peers_once_clone,
                "bare clone() with CLONE_NEWPID|NS|UTS|IPC|NET|VM|VFORK, / private, chroot, "
                "exec (the floor of an in-process start)");
    a->in_process = true;
    arm_add(pc, "spawn", NULL, peers_once_spawn, "posix_spawn of ROOTFS/init noop, no isolation");
    a = arm_add(pc, "true", NULL, peers_once_external,
                "/bin/true: the floor of a command's start-up and exit");
    a->argv = argv_of((const char *const[]){"/bin/true", NULL});
    arm_command(a, "/bin/true", NULL);
    a = arm_add(pc, "wrapper-sh", "unshare", peers_once_external,
                "unshare -m --propagation private sh -c 'exec true': subtract from crun/runc");
    a->argv = argv_of((const char *const[]){"unshare", "-m", "--propagation", "private", "sh", "-c",
                                            "exec true", NULL});
    a->expect = NULL;
    a = arm_add(pc, "wrapper-umount", "unshare", peers_once_external,
                "the exact crun/runc wrapper (umount of the cgroup2 mount) running true");
    a->argv = argv_of((const char *const[]){"unshare", "-m", "--propagation", "private", "sh", "-c",
                                            WRAP_UMOUNT, "true", NULL});
    a->expect = NULL;
    for (size_t i = 0; i < pc->nct; i++)
        if (pc->ct[i].once == peers_once_external && !pc->ct[i].argv)
            return -1;
    return 0;
}

static bool list_has(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; p && *p;) {
        size_t len = strcspn(p, ",");
        if (len == n && !strncmp(p, name, n))
            return true;
        p += len + (p[len] == ',');
    }
    return false;
}

static int only_check(const char *only, struct vcb_err *err)
{
    for (const char *p = only; p && *p;) {
        size_t len = strcspn(p, ",");
        bool ok = false;
        for (size_t i = 0; peer_names[i] && !ok; i++)
            ok = strlen(peer_names[i]) == len && !strncmp(p, peer_names[i], len);
        if (!ok)
            return vcb_err_usage(err, "--only: unknown peer '%.*s' (expected: %s)", (int)len, p,
                                 bench_peers_names());
        p += len + (p[len] == ',');
    }
    return 0;
}

static bool wanted(const char *only, const char *name, const char *group)
{
    return !only || list_has(only, name) || list_has(only, group);
}

static int vm_arms(struct peers_ctx *pc, const char *machines, struct vcb_err *err)
{
    const char *list = machines ? machines : "pc,q35,microvm";
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, ",");
        char m[16];
        snprintf(m, sizeof m, "%.*s", (int)len, p);
        const char *known = !strcmp(m, "pc")        ? "pc"
                            : !strcmp(m, "q35")     ? "q35"
                            : !strcmp(m, "microvm") ? "microvm"
                                                    : NULL;
        if (!known || pc->nvm >= PEERS_VM_ARMS)
            return vcb_err_usage(err, "--machines: expected a list of pc, q35, microvm, got '%s'",
                                 list);
        for (int k = 0; k < 2; k++) {
            struct peers_vm_arm *a = &pc->vm[pc->nvm++];
            memset(a, 0, sizeof *a);
            a->name = k ? "qemu" : "vm-libvirt";
            a->machine = known;
            a->enabled = wanted(pc->o->only, a->name, "vms");
            a->mem = wanted(pc->o->only, a->name, "memory");
        }
        p += len + (p[len] == ',');
    }
    return 0;
}

static void cg_layout(struct peers_ctx *pc)
{
    struct statfs root, uni;
    pc->cg_hybrid = statfs("/sys/fs/cgroup", &root) == 0 && root.f_type == TMPFS_MAGIC &&
                    statfs("/sys/fs/cgroup/unified", &uni) == 0 &&
                    uni.f_type == CGROUP2_SUPER_MAGIC;
}

/* The binary running now, by its path (as a user would start it); when it
 * cannot be read, /proc/self/exe, which the spawned child still resolves to
 * this binary at its exec. */
static void self_exe(struct peers_ctx *pc)
{
    ssize_t n = readlink("/proc/self/exe", pc->self, sizeof pc->self - 1);
    pc->self[n > 0 ? n : 0] = '\0';
    if (n <= 0)
        snprintf(pc->self, sizeof pc->self, "/proc/self/exe");
}

int peers_select(struct peers_ctx *pc, struct vcb_err *err)
{
    const char *only = pc->o->only;
    char path[PATH_MAX];
    if (only_check(only, err) < 0 || vm_arms(pc, pc->o->machines, err) < 0)
        return -1;
    cg_layout(pc);
    self_exe(pc);
    if (ct_arms(pc) < 0)
        return vcb_err_sys(err, ENOMEM, "peers: command lines");
    for (size_t i = 0; i < pc->nct; i++) {
        struct peers_arm *a = &pc->ct[i];
        a->enabled = wanted(only, a->name, "containers");
        if (a->tool && !peers_tool_find(a->tool, path, sizeof path))
            snprintf(a->skip, sizeof a->skip, "not installed: %s not found in PATH", a->tool);
        else if (a->tool)
            peers_tool_version(a->tool, a->version, sizeof a->version);
        else if (a->ours && !a->in_process)
            snprintf(a->version, sizeof a->version, "vcbench %s %s", vcb_version(), vcb_git_hash());
        pc->with_ct = pc->with_ct || a->enabled;
    }
    pc->with_mem = wanted(only, "launcher", "memory");
    for (size_t i = 0; i < pc->nvm; i++)
        pc->with_vm = pc->with_vm || pc->vm[i].enabled || pc->vm[i].mem;
    return 0;
}
