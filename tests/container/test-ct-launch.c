/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-ct-launch — the container driver for real (root, this kernel, this
 * host's cgroups): event order, isolation seen from inside (ct-probe), limits
 * applied and enforced (memhog OOM, forkbomb capped), errors from the child,
 * and nothing left behind after destroy or after the launcher is killed. */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "ct-test.h"

static struct ct_test_env env;

static struct vcb_instance *run(struct vcb_instance_spec *spec, struct ct_test_events *evs)
{
    struct vcb_err err = {0};
    struct vcb_instance *inst = ct_test_run(spec, evs, &err);
    if (!inst)
        fail_msg("%s: %s", spec->name, err.msg);
    return inst;
}

static json_t *result_of(const struct ct_test_events *evs)
{
    json_t *j = ct_test_result(evs);
    assert_non_null(j);
    return j;
}

/* Does any hierarchy still hold a group of this instance? */
static bool cgroup_left(const char *name)
{
    struct vcb_err err = {0};
    struct ct_cg_host *h = ct_cg_host_get(&err);
    char path[PATH_MAX * 2];
    if (h->mode == CT_CG_V2) {
        snprintf(path, sizeof path, "%s/vcbench/%s", h->root, name);
        return vcb_path_exists(path);
    }
    for (int c = 0; c < CT_CTL__COUNT; c++) {
        snprintf(path, sizeof path, "%s/vcbench/%s", h->v1_mnt[c], name);
        if (h->v1_mnt[c][0] && vcb_path_exists(path))
            return true;
    }
    return false;
}

static bool mount_left(const char *needle)
{
    char *text = NULL;
    struct vcb_err err = {0};
    assert_int_equal(vcb_read_file("/proc/self/mountinfo", &text, NULL, &err), 0);
    bool found = strstr(text, needle) != NULL;
    free(text);
    return found;
}

static int count_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    int n = 0;
    while (d && readdir(d))
        n++;
    if (d)
        closedir(d);
    return n;
}

static void test_noop_events_in_order(void **state)
{
    int fds = count_fds();
    static const enum vcb_event_kind order[] = {VCB_EV_CREATE, VCB_EV_STARTED, VCB_EV_INIT,
                                                VCB_EV_READY,  VCB_EV_RESULT,  VCB_EV_EXIT,
                                                VCB_EV_GONE};
    struct vcb_instance_spec spec;
    struct ct_test_events evs = {.n = 0};
    ct_test_spec(&env, &spec, "noop", NULL);
    struct vcb_instance *inst = run(&spec, &evs);
    size_t k = 0;
    for (size_t i = 0; i < evs.n && k < 7; i++) /* in order; stray extra RESULTs allowed */
        if (evs.ev[i].kind == order[k])
            k++;
    assert_int_equal(k, 7);
    assert_int_equal(evs.ev[0].kind, VCB_EV_CREATE);
    assert_int_equal(evs.ev[evs.n - 1].kind, VCB_EV_GONE);
    for (size_t i = 1; i < evs.n; i++)
        assert_true(evs.ev[i].host_ns >= evs.ev[i - 1].host_ns);
    assert_string_equal(evs.ev[evs.n - 1].detail, "exited 0");
    assert_int_equal(ct_test_find(&evs, VCB_EV_EXIT)->status, 0);
    assert_true(cgroup_left(spec.name));
    vcb_instance_destroy(inst);
    assert_false(cgroup_left(spec.name));
    assert_false(mount_left(env.rootfs));
    assert_int_equal(count_fds(), fds); /* nothing leaked */
    ct_test_events_clear(&evs);
}

/* ct-probe inside: isolation facts. */
static json_t *probe(bool userns, enum vcb_seccomp_mode sc, char *name, size_t len)
{
    struct vcb_instance_spec spec;
    struct ct_test_events evs = {.n = 0};
    ct_test_spec(&env, &spec, "ct-probe", NULL);
    spec.opts.userns = userns;
    spec.opts.seccomp = sc;
    snprintf(name, len, "%s", spec.name);
    struct vcb_instance *inst = run(&spec, &evs);
    json_t *j = result_of(&evs);
    assert_string_equal(ct_test_find(&evs, VCB_EV_GONE)->detail, "exited 0");
    vcb_instance_destroy(inst);
    ct_test_events_clear(&evs);
    return j;
}

#define jstr(j, k) json_string_value(json_object_get(j, k))
#define jint(j, k) json_integer_value(json_object_get(j, k))

/* Only our mounts: /, /proc (+ masks), /dev (+ pts, nodes), /tmp, /sys. */
static void assert_own_mounts(const char *mounts)
{
    static const char *const ok[] = {"/proc", "/dev", "/tmp", "/sys", NULL};
    char *copy = strdup(mounts), *save = NULL;
    for (char *m = strtok_r(copy, ",", &save); m; m = strtok_r(NULL, ",", &save)) {
        bool fine = strcmp(m, "/") == 0;
        for (int i = 0; ok[i] && !fine; i++)
            fine = strncmp(m, ok[i], strlen(ok[i])) == 0 &&
                   (m[strlen(ok[i])] == '\0' || m[strlen(ok[i])] == '/');
        if (!fine)
            fail_msg("host mount visible inside: %s (all: %s)", m, mounts);
    }
    free(copy);
}

static void check_isolation(json_t *j, const char *name)
{
    assert_int_equal(jint(j, "pid"), 2); /* init is 1, the workload its first child */
    assert_int_equal(jint(j, "ppid"), 1);
    assert_true(jint(j, "nprocs") <= 3);
    assert_string_equal(jstr(j, "hostname"), name);
    assert_string_equal(jstr(j, "net"), "lo");
    /* IFF_LOOPBACK | IFF_UP: up, as crun, bwrap and docker leave it */
    assert_string_equal(jstr(j, "lo_flags"), "0x9");
    assert_string_equal(jstr(j, "cap_eff"), "00000000a80425fb");
    assert_string_equal(jstr(j, "cap_bnd"), "00000000a80425fb");
    assert_string_equal(jstr(j, "no_new_privs"), "1");
    assert_int_equal(jint(j, "root_write_errno"), EROFS);
    assert_int_equal(jint(j, "tmp_write_errno"), 0);
    assert_int_equal(jint(j, "devnull_errno"), 0);
    assert_string_equal(jstr(j, "unmasked"), ""); /* kcore, keys, timer_list, … */
    assert_own_mounts(jstr(j, "mounts"));
}

static void test_probe_isolation(void **state)
{
    char name[VCB_NAME_MAX];
    json_t *j = probe(false, VCB_SECCOMP_DEFAULT, name, sizeof name);
    check_isolation(j, name);
    assert_string_equal(jstr(j, "seccomp"), "2");
    assert_int_equal(jint(j, "mount_errno"), EPERM);
    assert_int_equal(jint(j, "keyctl_errno"), EPERM);
    assert_int_equal(jint(j, "init_module_errno"), EPERM);
    assert_int_equal(jint(j, "unshare_errno"), EPERM);
    assert_string_equal(jstr(j, "uid_map"), "         0          0 4294967295");
    assert_non_null(strstr(jstr(j, "cgroup"), ":/")); /* cgroup namespace: own root */
    assert_null(strstr(jstr(j, "cgroup"), "vcbench"));
    json_decref(j);
}

static void test_probe_seccomp_off(void **state)
{
    char name[VCB_NAME_MAX];
    json_t *j = probe(false, VCB_SECCOMP_OFF, name, sizeof name);
    check_isolation(j, name);
    assert_string_equal(jstr(j, "seccomp"), "0");
    assert_int_not_equal(jint(j, "keyctl_errno"), EPERM); /* only the filter said EPERM */
    json_decref(j);
}

static void test_probe_userns(void **state)
{
    char name[VCB_NAME_MAX];
    if (!vcb_path_exists("/proc/self/ns/user"))
        skip();
    json_t *j = probe(true, VCB_SECCOMP_DEFAULT, name, sizeof name);
    check_isolation(j, name);
    assert_int_equal(jint(j, "uid"), 0);
    assert_string_equal(jstr(j, "uid_map"), "         0     100000      65536");
    json_decref(j);
}

/* Read a cgroup file of a running instance on this host. */
static void assert_cg_file(const char *name, enum ct_cg_ctl c, const char *file, const char *want)
{
    struct vcb_err err = {0};
    struct ct_cg_host *h = ct_cg_host_get(&err);
    char path[PATH_MAX * 2], *text = NULL;
    if (h->mode == CT_CG_V2)
        snprintf(path, sizeof path, "%s/vcbench/%s/%s", h->root, name, file);
    else
        snprintf(path, sizeof path, "%s/vcbench/%s/%s", h->v1_mnt[c], name, file);
    if (vcb_read_file(path, &text, NULL, &err) < 0)
        fail_msg("%s", err.msg);
    text[strcspn(text, "\n")] = '\0';
    assert_string_equal(text, want);
    free(text);
}

/* Create and start spec's instance and read its events up to READY. */
static struct vcb_instance *start_to_ready(const struct vcb_instance_spec *spec)
{
    struct vcb_instance *inst = NULL;
    struct vcb_event ev;
    struct vcb_err err = {0};
    assert_int_equal(ct_driver.create(spec, &inst, &err), 0);
    assert_int_equal(ct_driver.start(inst, &err), 0);
    do
        assert_int_equal(vcb_instance_next_event(inst, vcb_now_ns() + 5 * VCB_NS_PER_S, &ev, &err),
                         1);
    while (ev.kind != VCB_EV_READY);
    return inst;
}

static void test_limits_applied(void **state)
{
    struct vcb_instance_spec spec;
    struct vcb_instance *inst = NULL;
    struct vcb_err err = {0};
    struct vcb_stats st;
    ct_test_spec(&env, &spec, "idle", NULL);
    spec.limits =
        (struct vcb_limits){.cpus = 1.5, .memory_bytes = 256ULL << 20, .pids = 128, .cpuset = "1"};
    inst = start_to_ready(&spec);
    if (ct_cg_host_get(&err)->mode == CT_CG_V2) {
        assert_cg_file(spec.name, 0, "memory.max", "268435456");
        assert_cg_file(spec.name, 0, "cpu.max", "150000 100000");
        assert_cg_file(spec.name, 0, "pids.max", "128");
        assert_cg_file(spec.name, 0, "cpuset.cpus", "1");
    } else {
        assert_cg_file(spec.name, CT_CTL_MEMORY, "memory.limit_in_bytes", "268435456");
        assert_cg_file(spec.name, CT_CTL_CPU, "cpu.cfs_quota_us", "150000");
        assert_cg_file(spec.name, CT_CTL_CPU, "cpu.cfs_period_us", "100000");
        assert_cg_file(spec.name, CT_CTL_PIDS, "pids.max", "128");
        assert_cg_file(spec.name, CT_CTL_CPUSET, "cpuset.cpus", "1");
    }
    assert_int_equal(ct_driver.stats(inst, &st, &err), 0);
    assert_int_equal(st.pids, 2); /* vcb-init and idle */
    assert_true(st.mem_charged > 0 && st.mem_charged != VCB_STAT_UNSET);
    assert_true(st.rss > 0 && st.pss > 0 && st.uss > 0);
    assert_int_equal(st.helper_pss, 0);
    assert_int_equal(st.oom_kills, 0);
    assert_int_equal(ct_driver.stop(inst, &err), 0);
    struct ct_test_events evs = {.n = 0};
    assert_int_equal(ct_test_collect(inst, 5 * VCB_NS_PER_S, &evs, &err), 0);
    assert_non_null(ct_test_find(&evs, VCB_EV_EXIT));
    ct_test_events_clear(&evs);
    vcb_instance_destroy(inst);
    assert_false(cgroup_left(spec.name));
}

/* No limit asked: only the groups the stats need are made, and the stats
 * the memory scenario reads are all there (pids counted without a pids
 * group on v1); the cpu time is known once the instance is gone (without a
 * cpuacct group on v1: from its init's rusage). */
static void test_stats_without_limits(void **state)
{
    struct vcb_instance_spec spec;
    struct vcb_instance *inst = NULL;
    struct vcb_err err = {0};
    struct vcb_stats st;
    ct_test_spec(&env, &spec, "idle", NULL);
    inst = start_to_ready(&spec);
    assert_int_equal(ct_driver.stats(inst, &st, &err), 0);
    assert_int_equal(st.pids, 2); /* vcb-init and idle */
    assert_true(st.mem_charged > 0 && st.mem_charged != VCB_STAT_UNSET);
    assert_true(st.cg.anon != VCB_STAT_UNSET && st.cg.kernel != VCB_STAT_UNSET);
    assert_true(st.rss > 0 && st.pss > 0 && st.uss > 0);
    assert_int_equal(st.oom_kills, 0);
    const struct ct_cg_host *h = ct_cg_host_get(&err);
    for (int c = CT_CTL_CPU; h->mode != CT_CG_V2 && c <= CT_CTL_PIDS; c++) {
        char path[PATH_MAX + 128];
        if (!h->v1_mnt[c][0] || strcmp(h->v1_mnt[c], h->v1_mnt[CT_CTL_MEMORY]) == 0)
            continue;
        snprintf(path, sizeof path, "%s/vcbench/%s", h->v1_mnt[c], spec.name);
        assert_false(vcb_path_exists(path)); /* cpu, cpuacct, pids: only for a limit */
    }
    assert_int_equal(ct_driver.stop(inst, &err), 0);
    struct ct_test_events evs = {.n = 0};
    assert_int_equal(ct_test_collect(inst, 5 * VCB_NS_PER_S, &evs, &err), 0);
    ct_test_events_clear(&evs);
    assert_int_equal(ct_driver.stats(inst, &st, &err), 0);
    assert_true(st.cpu_ns > 0 && st.cpu_ns != VCB_STAT_UNSET);
    vcb_instance_destroy(inst);
    assert_false(cgroup_left(spec.name));
}

static void on_usr1(int sig)
{
    (void)sig;
}

/* The mask of `pid` (SigBlk of /proc/<pid>/status). */
static uint64_t proc_sigblk(pid_t pid)
{
    char path[64];
    cleanup_free char *text = NULL;
    struct vcb_err err = {0};
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    if (vcb_read_file(path, &text, NULL, &err) < 0)
        fail_msg("%s", err.msg);
    const char *p = strstr(text, "SigBlk:");
    assert_non_null(p);
    return strtoull(p + 7, NULL, 16);
}

#define SIGBIT(s) (1ULL << ((s)-1))

/* The child blocks every signal until its exec (it runs on our memory):
 * the caller's mask comes back for the caller at once, and for the
 * container's init as a fork would have passed it on. */
static void test_signal_state_kept(void **state)
{
    struct vcb_instance_spec spec;
    struct vcb_instance *inst = NULL;
    struct vcb_err err = {0};
    sigset_t usr2, before, after;
    struct sigaction sa = {.sa_handler = on_usr1}, old_sa;
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    assert_int_equal(pthread_sigmask(SIG_BLOCK, &usr2, &before), 0);
    assert_int_equal(sigaction(SIGUSR1, &sa, &old_sa), 0);
    ct_test_spec(&env, &spec, "idle", NULL);
    inst = start_to_ready(&spec);
    assert_int_equal(pthread_sigmask(SIG_SETMASK, NULL, &after), 0);
    assert_int_equal(sigismember(&after, SIGUSR2), 1);
    assert_int_equal(sigismember(&after, SIGWINCH), 0);
    assert_int_equal(sigismember(&after, SIGTERM), sigismember(&before, SIGTERM));
    uint64_t blk = proc_sigblk(((struct ct_instance *)inst)->child.pid);
    assert_true(blk & SIGBIT(SIGUSR2));   /* inherited, as across fork and exec */
    assert_false(blk & SIGBIT(SIGWINCH)); /* not left blocked by the clone */
    assert_false(blk & SIGBIT(SIGQUIT));
    assert_true(blk & SIGBIT(SIGTERM)); /* vcb-init's signalfd */
    assert_int_equal(ct_driver.stop(inst, &err), 0);
    struct ct_test_events evs = {.n = 0};
    assert_int_equal(ct_test_collect(inst, 5 * VCB_NS_PER_S, &evs, &err), 0);
    ct_test_events_clear(&evs);
    vcb_instance_destroy(inst);
    sigaction(SIGUSR1, &old_sa, NULL);
    pthread_sigmask(SIG_SETMASK, &before, NULL);
}

static void test_memhog_oom_killed(void **state)
{
    struct vcb_instance_spec spec, ispec;
    struct vcb_instance *idle = NULL;
    struct ct_test_events evs = {.n = 0};
    struct vcb_err err = {0};
    struct vcb_event ev;
    struct vcb_stats st;
    char *args[] = {"--ceiling", "1GiB", "--interval", "1ms", NULL};
    /* a neighbour that must go on */
    ct_test_spec(&env, &ispec, "idle", NULL);
    assert_int_equal(ct_driver.create(&ispec, &idle, &err), 0);
    assert_int_equal(ct_driver.start(idle, &err), 0);
    ct_test_spec(&env, &spec, "memhog", args);
    spec.limits.memory_bytes = 128ULL << 20;
    struct vcb_instance *inst = run(&spec, &evs);
    const struct vcb_event *gone = ct_test_find(&evs, VCB_EV_GONE);
    assert_non_null(strstr(gone->detail, "killed by OOM"));
    assert_int_equal(ct_driver.stats(inst, &st, &err), 0);
    assert_true(st.oom_kills >= 1);
    assert_true(st.mem_peak <= (128ULL << 20) + (1 << 20));
    assert_true(st.mem_peak >= (100ULL << 20));
    vcb_instance_destroy(inst);
    ct_test_events_clear(&evs);
    /* the neighbour is still there: no GONE queued */
    while (vcb_instance_next_event(idle, 0, &ev, &err) == 1) {
        assert_int_not_equal(ev.kind, VCB_EV_GONE);
        vcb_event_clear(&ev);
    }
    vcb_instance_destroy(idle);
}

static void test_forkbomb_capped(void **state)
{
    struct vcb_instance_spec spec;
    struct ct_test_events evs = {.n = 0};
    char *args[] = {"--ceiling", "1000", NULL};
    ct_test_spec(&env, &spec, "forkbomb", args);
    spec.limits.pids = 64;
    struct vcb_instance *inst = run(&spec, &evs);
    json_t *j = result_of(&evs);
    /* 64 = init + forkbomb + 62 children (a child still exiting may hold a slot) */
    json_int_t forked = json_integer_value(json_object_get(j, "forked"));
    if (forked < 56 || forked > 62)
        fail_msg("forked %lld children under pids.max 64 (expected 62)", (long long)forked);
    assert_true(json_is_true(json_object_get(j, "refused")));
    assert_int_equal(json_integer_value(json_object_get(j, "errno")), EAGAIN);
    json_decref(j);
    vcb_instance_destroy(inst);
    ct_test_events_clear(&evs);
}

/* ops/s of the cpu workload for 1 s on CPU 0, with a cpu limit or none;
 * *cpu_ns gets the cgroup's CPU time. */
static double cpu_rate(double cpus, uint64_t *cpu_ns)
{
    struct vcb_instance_spec spec;
    struct ct_test_events evs = {.n = 0};
    struct vcb_stats st;
    struct vcb_err err = {0};
    char *args[] = {"--duration", "1s", NULL};
    ct_test_spec(&env, &spec, "cpu", args);
    spec.limits.cpus = cpus;
    snprintf(spec.limits.cpuset, sizeof spec.limits.cpuset, "0");
    struct vcb_instance *inst = run(&spec, &evs);
    json_t *j = result_of(&evs);
    double rate = json_real_value(json_object_get(j, "ops_per_s"));
    assert_int_equal(ct_driver.stats(inst, &st, &err), 0);
    *cpu_ns = st.cpu_ns;
    json_decref(j);
    vcb_instance_destroy(inst);
    ct_test_events_clear(&evs);
    return rate;
}

/* cpu.max / cfs quota shows in throughput: a quarter CPU gets a quarter of
 * the CPU time over the run, and runs visibly slower than an unlimited one
 * (compared only when the unlimited run got most of CPU 0: this host is
 * shared, and a busy CPU would slow the reference, not the quota). */
static void test_cpu_quota_throughput(void **state)
{
    uint64_t full_ns, quarter_ns;
    double full = cpu_rate(0, &full_ns);
    double quarter = cpu_rate(0.25, &quarter_ns);
    double share = (double)quarter_ns / (1000.0 * VCB_NS_PER_MS);
    double full_share = (double)full_ns / (1000.0 * VCB_NS_PER_MS);
    print_message("cpu share: limited %.3f unlimited %.3f; ops/s ratio %.3f\n", share, full_share,
                  quarter / full);
    if (share > 0.31 || share < 0.05)
        fail_msg("CPU share at 0.25 cpus = %.3f of the run (expected <= 0.25)", share);
    if (full_share >= 0.8 && quarter / full > 0.45)
        fail_msg("ops/s at 0.25 cpus / unlimited = %.3f (expected ~0.25)", quarter / full);
}

/* A child error reaches start() as a message. */
static void test_child_error_reported(void **state)
{
    struct vcb_instance_spec spec;
    struct vcb_instance *inst = NULL;
    struct vcb_err err = {0};
    char path[PATH_MAX + 16];
    ct_test_spec(&env, &spec, "noop", NULL);
    snprintf(path, sizeof path, "%s/proc", env.rootfs);
    assert_int_equal(rmdir(path), 0);
    assert_int_equal(ct_driver.create(&spec, &inst, &err), 0);
    int rc = ct_driver.start(inst, &err);
    mkdir(path, 0755);
    assert_int_equal(rc, -1);
    assert_non_null(strstr(err.msg, spec.name));
    assert_non_null(strstr(err.msg, "mount proc on /proc: No such file or directory"));
    vcb_instance_destroy(inst);
    assert_false(cgroup_left(spec.name));
}

static bool stale_run(const char *run_id, void *ctx)
{
    return strcmp(run_id, ctx) == 0;
}

static void count_removed(const char *what, void *ctx)
{
    (void)what;
    (void)ctx;
}

/* SIGKILL the launcher: the container dies with it (PDEATHSIG) and cleanup
 * removes the cgroups left behind; no mount was ever on the host. */
static void test_launcher_killed_then_cleanup(void **state)
{
    struct vcb_instance_spec spec;
    struct vcb_err err = {0};
    int p[2];
    pid_t inner = 0;
    ct_test_spec(&env, &spec, "idle", NULL);
    assert_int_equal(pipe(p), 0);
    pid_t launcher = fork();
    if (launcher == 0) {
        struct vcb_instance *inst = NULL;
        if (ct_driver.create(&spec, &inst, &err) < 0 || ct_driver.start(inst, &err) < 0)
            _exit(1);
        pid_t pid = ((struct ct_instance *)inst)->child.pid;
        if (write(p[1], &pid, sizeof pid) != sizeof pid)
            _exit(1);
        pause();
    }
    close(p[1]);
    assert_int_equal(read(p[0], &inner, sizeof inner), sizeof inner);
    close(p[0]);
    kill(launcher, SIGKILL);
    waitpid(launcher, NULL, 0);
    char proc[32];
    snprintf(proc, sizeof proc, "/proc/%d", (int)inner);
    for (int i = 0; i < 2000 && vcb_path_exists(proc); i++)
        vcb_sleep_ns(VCB_NS_PER_MS);
    assert_false(vcb_path_exists(proc));
    assert_true(cgroup_left(spec.name));
    assert_int_equal(ct_cleanup(stale_run, count_removed, env.run_id, &err), 0);
    assert_false(cgroup_left(spec.name));
    assert_false(mount_left(spec.name));
}

static void count_one(const char *what, void *ctx)
{
    (*(int *)ctx)++;
}

static bool stale_fixed(const char *run_id, void *ctx)
{
    return strcmp(run_id, "0badc0de") == 0;
}

/* Put pid into a group named name in every hierarchy we use (as a crashed
 * run would have left it); returns how many groups were made. */
static int plant_group(const char *name, pid_t pid)
{
    struct vcb_err err = {0};
    struct ct_cg_host *h = ct_cg_host_get(&err);
    char dir[PATH_MAX * 2], file[PATH_MAX * 3], val[32];
    int made = 0;
    snprintf(val, sizeof val, "%d", (int)pid);
    for (int c = 0; c < (h->mode == CT_CG_V2 ? 1 : CT_CTL__COUNT); c++) {
        const char *hier = h->mode == CT_CG_V2 ? h->root : h->v1_mnt[c];
        snprintf(dir, sizeof dir, "%s/vcbench/%s", hier, name);
        if (!hier[0] || mkdir(dir, 0755) < 0)
            continue; /* co-mounted: made already */
        snprintf(file, sizeof file, "%s/cgroup.procs", dir);
        if (c == CT_CTL_CPUSET) { /* a v1 cpuset group needs cpus and mems first */
            char *v = NULL;
            snprintf(file, sizeof file, "%s/vcbench/cpuset.cpus", hier);
            vcb_read_file(file, &v, NULL, &err);
            snprintf(file, sizeof file, "%s/cpuset.cpus", dir);
            vcb_write_file(file, v, strlen(v), &err);
            free(v);
            snprintf(file, sizeof file, "%s/vcbench/cpuset.mems", hier);
            vcb_read_file(file, &v, NULL, &err);
            snprintf(file, sizeof file, "%s/cpuset.mems", dir);
            vcb_write_file(file, v, strlen(v), &err);
            free(v);
            snprintf(file, sizeof file, "%s/cgroup.procs", dir);
        }
        assert_int_equal(vcb_write_file(file, val, strlen(val), &err), 0);
        made++;
    }
    return made;
}

/* Leftover groups with live processes: cleanup kills them and removes the
 * groups in every hierarchy; a live run's groups are not touched. */
static void test_cleanup_kills_leftovers(void **state)
{
    int removed = 0, status;
    struct vcb_err err = {0};
    pid_t pid = fork();
    if (pid == 0) {
        pause();
        _exit(0);
    }
    int made = plant_group("vcb-0badc0de-1", pid);
    assert_true(made >= 1);
    assert_true(cgroup_left("vcb-0badc0de-1"));
    assert_int_equal(ct_cleanup(stale_fixed, count_one, &removed, &err), 0);
    assert_int_equal(removed, made);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    assert_false(cgroup_left("vcb-0badc0de-1"));
}

static void test_host_facts(void **state)
{
    struct vcb_err err = {0};
    json_t *facts = json_object(), *checks = json_array();
    assert_int_equal(ct_host_facts(facts, &err), 0);
    const char *mode = json_string_value(json_object_get(facts, "cgroup_mode"));
    assert_non_null(mode);
    assert_string_equal(mode, ct_cg_mode_name(ct_cg_host_get(&err)->mode));
    assert_true(json_array_size(json_object_get(facts, "cgroup_controllers")) >= 3);
    assert_true(json_array_size(json_object_get(facts, "namespaces")) >= 6);
    assert_true(json_is_boolean(json_object_get(facts, "userns")));
    assert_int_equal(ct_doctor_checks(checks, &err), 0);
    assert_true(json_array_size(checks) >= 7);
    json_t *first = json_array_get(checks, 0);
    assert_string_equal(json_string_value(json_object_get(first, "check")), "cgroups");
    assert_true(json_is_true(json_object_get(first, "ok")));
    json_decref(facts);
    json_decref(checks);
}

int main(void)
{
    char why[512];
    struct vcb_err err = {0};
    if (geteuid() != 0) {
        printf("skipped: needs root (namespaces, cgroups)\n");
        return 77;
    }
    if (!ct_cg_host_get(&err)) {
        printf("skipped: %s\n", err.msg);
        return 77;
    }
    if (ct_test_env_make(&env, why, sizeof why) != 0) {
        printf("skipped: %s\n", why);
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_noop_events_in_order),
        cmocka_unit_test(test_probe_isolation),
        cmocka_unit_test(test_probe_seccomp_off),
        cmocka_unit_test(test_probe_userns),
        cmocka_unit_test(test_limits_applied),
        cmocka_unit_test(test_stats_without_limits),
        cmocka_unit_test(test_signal_state_kept),
        cmocka_unit_test(test_memhog_oom_killed),
        cmocka_unit_test(test_forkbomb_capped),
        cmocka_unit_test(test_cpu_quota_throughput),
        cmocka_unit_test(test_child_error_reported),
        cmocka_unit_test(test_launcher_killed_then_cleanup),
        cmocka_unit_test(test_cleanup_kills_leftovers),
        cmocka_unit_test(test_host_facts),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    ct_test_env_remove(&env);
    return rc;
}
