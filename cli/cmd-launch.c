/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cmd-launch.c — `vcbench launch`: one instance, its events and phases. */
#include <dirent.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "harness.h"
#include "commands.h"
#include "wl-image.h"

struct launch_cfg {
    const char *backend;
    const char *workload;          /* a built-in one; NULL with --image */
    char **args;                   /* its arguments, or the image's command (after --) */
    struct bench_own_workload own; /* --image and its --ready, --metric, --max-image */
    struct vcb_limits limits;
    struct vcb_backend_opts opts;
    uint64_t timeout_ns;          /* create → gone */
    uint64_t stop_after_ns;       /* 0: let the workload end by itself */
    uint64_t log_max;             /* 0: VCB_LOG_MAX_DEFAULT */
    struct bench_scratch scratch; /* --scratch, --scratch-dir: a disk workload's volume */
};

/* docker's convention: the launcher failed, not the workload. */
#define LAUNCH_OWN_ERROR 125

static void launch_usage(FILE *out)
{
    fprintf(out,
            "usage: vcbench launch [options] <workload> [-- workload args]\n"
            "       vcbench launch [options] --image SPEC [-- command args]\n\n"
            "Runs one instance and prints its events with host timestamps and the\n"
            "phase durations.\n\n"
            "  --image SPEC         run an image's own command (the words after -- replace\n"
            "                       its Cmd, as docker run): oci:PATH[:TAG],\n"
            "                       oci-archive:FILE[:TAG], docker-archive:FILE, dir:PATH\n"
            "  --ready KIND         when an image's instance is ready: start (its command\n"
            "                       was exec'd; default), exit (it exited 0), line:REGEX (a\n"
            "                       line of its output matched), tcp:PORT (the port accepts\n"
            "                       inside the instance)\n"
            "  --metric NAME:UNIT=REGEX  a figure the image's command prints: the first group\n"
            "                       of each matching line, as a result (repeatable)\n"
            "  --max-image SIZE     largest unpacked image accepted (default 4GiB)\n"
            "  --backend B          %s (default process)\n"
            "  --cpus N             CPU limit, fractional (container: cpu.max; vm: vCPUs)\n"
            "  --memory SIZE        memory limit (256MiB, 1G; vm: guest RAM)\n"
            "  --pids N             process limit (container); also --pids-limit\n"
            "  --cpuset LIST        CPUs to run on (e.g. 1 or 0-1); also --cpuset-cpus\n"
            "  --net-rate SIZE      bytes per second each way (12.5MB = 100 Mbit/s):\n"
            "                       container on the bridge path (tc tbf on its veth)\n",
            bench_driver_names());
    cli_limits_usage(out);
    fputs("  -c, --connect URI    vm: libvirt URI (default: $LIBVIRT_DEFAULT_URI, else\n"
          "                       qemu:///system); also --vm-uri\n"
          "  --stop-after D       ask the workload to stop D after ready (e.g. 2s)\n"
          "  --timeout D          give up after D (default 120s)\n"
          "  --log-max SIZE       cap of the instance's log (default 4MiB); the rest is\n"
          "                       counted, not kept\n"
          "  --scratch SIZE       a scratch volume for a disk workload (diskio, diskhog):\n"
          "                       a raw file of SIZE, written once, removed at the end\n"
          "  --scratch-dir DIR    where it is made (default " BENCH_SCRATCH_DIR_DEFAULT
          "; not tmpfs)\n\n"
          "SIZE: a number of bytes, optionally with a suffix:\n" CLI_SIZE_SUFFIXES ".\n"
          "Workloads: noop idle cpu membw lat alloc memhog forkbomb netio netflood diskio\n"
          "diskhog ('vcbench image --help').\n\n"
          "Exit status, as docker run: the workload's own (128+N when a signal N\n"
          "killed it); 125 when launch itself fails (bad input, the instance did not\n"
          "start, timed out or ended without an exit status); 130/143 on SIGINT/SIGTERM.\n",
          out);
    cli_backend_opts_usage(out);
}

/* name: the option as spelled ("--pids" or "--pids-limit"), for messages. */
static int launch_opt(int opt, const char *name, const char *arg, struct launch_cfg *c,
                      struct vcb_err *err)
{
    switch (opt) {
    case 'b':
        c->backend = arg;
        return 0;
    case 'c':
        if (vcb_parse_double(arg, "--cpus", &c->limits.cpus, err) < 0)
            return -1;
        return vcb_limit_check_cpus(c->limits.cpus, "--cpus", err);
    case 'm':
        if (vcb_parse_size(arg, "--memory", &c->limits.memory_bytes, err) < 0)
            return -1;
        return vcb_limit_check_memory(c->limits.memory_bytes, "--memory", err);
    case 'p':
        if (vcb_parse_u64(arg, name, &c->limits.pids, err) < 0)
            return -1;
        return vcb_limit_check_pids((double)c->limits.pids, name, err);
    case 's':
        if (strlen(arg) >= sizeof(c->limits.cpuset))
            return vcb_err_usage(err, "%s: \"%s\" is too long", name, arg);
        snprintf(c->limits.cpuset, sizeof(c->limits.cpuset), "%s", arg);
        return vcb_limit_check_cpuset(c->limits.cpuset, name, err);
    case 'N':
        if (vcb_parse_size(arg, "--net-rate", &c->limits.net_rate, err) < 0)
            return -1;
        return vcb_limit_check_net_rate(c->limits.net_rate, "--net-rate", err);
    case 'T':
        return vcb_parse_duration(arg, "--stop-after", &c->stop_after_ns, err);
    case 't':
        return vcb_parse_duration(arg, "--timeout", &c->timeout_ns, err);
    case 'L':
        if (vcb_parse_size(arg, "--log-max", &c->log_max, err) < 0)
            return -1;
        return vcb_logcap_check(c->log_max, "--log-max", err);
    case 'I':
        if (strlen(arg) >= sizeof c->own.image || !arg[0])
            return vcb_err_usage(err, "--image: expected an image SPEC (see --help)");
        snprintf(c->own.image, sizeof c->own.image, "%s", arg);
        return 0;
    case 'R':
        if (strlen(arg) >= sizeof c->own.ready)
            return vcb_err_usage(err, "--ready: \"%s\" is too long", arg);
        snprintf(c->own.ready, sizeof c->own.ready, "%s", arg);
        return bench_own_ready_check(arg, "--ready", err);
    case 'M':
        if (c->own.nmetrics == BENCH_OWN_METRICS_MAX)
            return vcb_err_usage(err, "--metric: at most %d", BENCH_OWN_METRICS_MAX);
        if (strlen(arg) >= sizeof c->own.metric[0])
            return vcb_err_usage(err, "--metric: \"%s\" is too long", arg);
        snprintf(c->own.metric[c->own.nmetrics++], sizeof c->own.metric[0], "%s", arg);
        return bench_own_metric_check(arg, "--metric", err);
    case 'X':
        return vcb_parse_size(arg, "--max-image", &c->own.max_image, err);
    case 'S':
        return vcb_parse_size(arg, "--scratch", &c->scratch.bytes, err);
    case 'D':
        c->scratch.dir = arg;
        return 0;
    }
    return vcb_err_usage(err, "unknown option (see vcbench launch --help)");
}

/* What follows the options: <workload> [-- args], or with --image only
 * [-- command args]. getopt stops at "--", so a command's own options
 * never reach our parser. */
static int launch_positional(int argc, char **argv, struct launch_cfg *c, struct vcb_err *err)
{
    bool image = c->own.image[0] != '\0';
    bool dashes = optind > 0 && optind <= argc && !strcmp(argv[optind - 1], "--");
    if (!image && (c->own.ready[0] || c->own.nmetrics || c->own.max_image))
        return vcb_err_usage(err, "--ready, --metric and --max-image go with --image");
    if (image) {
        if (optind < argc && !dashes)
            return vcb_err_usage(err,
                                 "--image runs the image's own command: '%s' is neither an "
                                 "option nor after -- (vcbench launch --image SPEC -- "
                                 "command args)",
                                 argv[optind]);
        snprintf(c->own.name, sizeof c->own.name, "image");
        c->own.command = optind < argc ? argv + optind : NULL;
        return 0;
    }
    if (optind >= argc)
        return vcb_err_usage(err, "which workload? (see vcbench launch --help)");
    c->workload = argv[optind++];
    if (optind < argc && strcmp(argv[optind], "--") == 0)
        optind++;
    c->args = argv + optind;
    return 0;
}

/* A volume only for a workload that writes to one; the size and the
 * directory checked before anything is made. */
static int launch_scratch_check(const struct launch_cfg *c, struct vcb_err *err)
{
    if (!c->scratch.bytes && !c->scratch.dir)
        return 0;
    if (!c->scratch.bytes)
        return vcb_err_usage(err, "--scratch-dir goes with --scratch SIZE");
    if (!wl_workload_uses_scratch(c->workload))
        return vcb_err_usage(err,
                             "--scratch: workload '%s' writes to no scratch volume "
                             "(expected diskio or diskhog)",
                             c->workload ? c->workload : "--image");
    return bench_scratch_check(&c->scratch, "--scratch", "--scratch-dir", err);
}

/* What the instance will need of this host, put to its backend before
 * anything is made (a remote VM host sees no scratch file or network of
 * this host). */
static int launch_needs_check(const struct launch_cfg *c, struct vcb_err *err)
{
    struct vcb_spec_needs needs = {
        .scratch = c->scratch.bytes ? "--scratch" : NULL,
        .net = c->workload && bench_net_workload(c->workload) ? c->workload : NULL,
    };
    return bench_driver_check_needs(bench_driver_find(c->backend), &c->opts, &needs, err);
}

static int launch_parse(int argc, char **argv, struct launch_cfg *c, struct vcb_err *err)
{
    static const struct option longopts[] = {
        {"backend", 1, 0, 'b'},     {"cpus", 1, 0, 'c'},       {"memory", 1, 0, 'm'},
        {"pids", 1, 0, 'p'},        {"cpuset", 1, 0, 's'},     {"stop-after", 1, 0, 'T'},
        {"timeout", 1, 0, 't'},     {"pids-limit", 1, 0, 'p'}, {"cpuset-cpus", 1, 0, 's'},
        {"log-max", 1, 0, 'L'},     {"image", 1, 0, 'I'},      {"ready", 1, 0, 'R'},
        {"metric", 1, 0, 'M'},      {"max-image", 1, 0, 'X'},  {"scratch", 1, 0, 'S'},
        {"scratch-dir", 1, 0, 'D'}, {"net-rate", 1, 0, 'N'},   {0, 0, 0, 0},
    };
    struct option own[sizeof longopts / sizeof longopts[0] + 16];
    size_t n = 0;
    for (size_t i = 0; longopts[i].name; i++)
        own[n++] = longopts[i];
    for (size_t i = 0; cli_limit_longopts[i].name && n + 1 < sizeof own / sizeof own[0]; i++)
        own[n++] = cli_limit_longopts[i];
    own[n] = (struct option){0};
    char name[32];
    int li, rc;
    struct cli_opts p;
    *c = (struct launch_cfg){.backend = "process", .timeout_ns = 120 * VCB_NS_PER_S};
    int opt;
    if (cli_opts_init(&p, own, err) < 0)
        return -1;
    optind = 0; /* 0: a full reset, also of a short-option cluster in progress */
    opterr = 0;
    /* leading ':' makes a missing value ':' rather than '?' */
    while ((li = -1, opt = getopt_long(argc, argv, ":", p.longopts, &li)) != -1) {
        if (opt == ':')
            return vcb_err_usage(err, "%s: expected a value (see vcbench launch --help)",
                                 argv[optind - 1]);
        if (opt == '?' && optopt)
            return vcb_err_usage(err, "unknown option '-%c' (see vcbench launch --help)", optopt);
        if (opt == '?')
            return vcb_err_usage(err, "unknown option '%s' (see vcbench launch --help)",
                                 argv[optind - 1]);
        if ((rc = cli_backend_opt(opt, optarg, &c->opts, err)) != 0) {
            if (rc < 0)
                return -1;
            continue;
        }
        snprintf(name, sizeof name, "--%s", li >= 0 ? p.longopts[li].name : "?");
        if ((rc = cli_limit_opt(opt, name, optarg, &c->limits, err)) != 0) {
            if (rc < 0)
                return -1;
            continue;
        }
        if (launch_opt(opt, name, optarg, c, err) < 0)
            return -1;
    }
    if (cli_limits_done(&c->limits, err) < 0)
        return -1;
    if (launch_positional(argc, argv, c, err) < 0 || launch_scratch_check(c, err) < 0)
        return -1;
    if (bench_backend_index(c->backend) < 0)
        return vcb_err_usage(err, "--backend: unknown backend '%s' (expected one of: %s)",
                             c->backend, bench_backend_list(false));
    return launch_needs_check(c, err);
}

struct launch_times {
    uint64_t t[VCB_EV__COUNT];
};

static void print_event(const struct vcb_event *ev, uint64_t t0)
{
    char rel[32];
    vcb_format_duration(ev->host_ns - t0, rel, sizeof(rel));
    printf("  +%-11s %-8s", rel, vcb_event_kind_name(ev->kind));
    if (ev->kind == VCB_EV_INIT)
        printf(" guest uptime %.3f s", ev->guest_ns / 1e9);
    else if (ev->kind == VCB_EV_RESULT)
        printf(" %s", ev->text);
    else if (ev->kind == VCB_EV_EXIT && ev->oom_kills)
        printf(" status %d, %llu OOM kill(s) counted by the guest kernel", ev->status,
               (unsigned long long)ev->oom_kills);
    else if (ev->kind == VCB_EV_EXIT)
        printf(" status %d", ev->status);
    else if (ev->kind == VCB_EV_GONE)
        printf(" %s", ev->detail);
    putchar('\n');
    fflush(stdout);
}

static void print_phase(const struct launch_times *lt, enum vcb_event_kind a, enum vcb_event_kind b,
                        const char *label)
{
    char d[32];
    if (!lt->t[a] || !lt->t[b] || lt->t[b] < lt->t[a])
        return;
    vcb_format_duration(lt->t[b] - lt->t[a], d, sizeof(d));
    printf("  %-16s %s\n", label, d);
}

static void print_phases(const struct launch_times *lt, const struct vcb_instance *inst)
{
    printf("phases%s:\n", inst->emulated ? " (emulated, TCG)" : "");
    print_phase(lt, VCB_EV_CREATE, VCB_EV_STARTED, "create→started");
    print_phase(lt, VCB_EV_STARTED, VCB_EV_INIT, "started→init");
    print_phase(lt, VCB_EV_INIT, VCB_EV_READY, "init→ready");
    print_phase(lt, VCB_EV_CREATE, VCB_EV_READY, "create→ready");
    print_phase(lt, VCB_EV_READY, VCB_EV_GONE, "ready→gone");
    print_phase(lt, VCB_EV_CREATE, VCB_EV_GONE, "create→gone");
}

/* Pump events until GONE, a timeout or Ctrl-C; returns the exit code. */
static int launch_watch(struct vcb_instance *inst, const struct launch_cfg *c,
                        struct launch_times *lt, struct vcb_err *err)
{
    int exit_status = -1;
    uint64_t t0 = 0, stop_at = 0, give_up = vcb_now_ns() + c->timeout_ns;
    bool stopping = false;
    for (;;) {
        if (bench_stop_signal() || vcb_now_ns() >= give_up) {
            vcb_err_set(err, 0, "%s: %s before the instance ended", inst->name,
                        bench_stop_signal() ? "interrupted" : "timed out");
            return -1;
        }
        if (stop_at && !stopping && vcb_now_ns() >= stop_at) {
            stopping = true;
            if (inst->driver->stop(inst, err) < 0)
                return -1;
        }
        struct vcb_event ev = {0};
        int r = vcb_instance_next_event(inst, vcb_now_ns() + 100 * VCB_NS_PER_MS, &ev, err);
        if (r < 0)
            return -1;
        if (r == 0)
            continue;
        if (ev.kind == VCB_EV_CREATE)
            t0 = ev.host_ns;
        if (!lt->t[ev.kind])
            lt->t[ev.kind] = ev.host_ns;
        print_event(&ev, t0);
        if (ev.kind == VCB_EV_READY && c->stop_after_ns)
            stop_at = ev.host_ns + c->stop_after_ns;
        if (ev.kind == VCB_EV_EXIT)
            exit_status = ev.status;
        bool gone = ev.kind == VCB_EV_GONE;
        /* No exit status from vcb-init: a signal (the OOM killer's too) is
         * the workload's end, as docker reports it; anything else is ours. */
        if (gone && exit_status < 0 && ev.status >= 0 && WIFSIGNALED(ev.status))
            exit_status = 128 + WTERMSIG(ev.status);
        else if (gone && exit_status < 0)
            vcb_err_set(err, 0, "%s ended without an exit status (%s)", inst->name, ev.detail);
        vcb_event_clear(&ev);
        if (gone)
            return exit_status >= 0 ? exit_status : -1;
    }
}

/* Say what the instance's log could not keep (over its cap, or refused by
 * the disk): never a silently shortened log. */
static void print_log(const struct vcb_instance *inst)
{
    uint64_t written, dropped;
    int error;
    char kept[32], lost[32], cap[32];
    vcb_logcap_stats(&inst->log, &written, &dropped, &error);
    if (!dropped && !error)
        return;
    vcb_format_size(written, kept, sizeof(kept));
    vcb_format_size(dropped, lost, sizeof(lost));
    vcb_format_size(inst->log.max, cap, sizeof(cap));
    printf("log: %s kept, %s dropped (cap %s%s%s)\n", kept, lost, cap, error ? "; " : "",
           error ? strerror(error) : "");
}

/* The volume, made before create (it is not part of any timed phase). */
static int launch_scratch(const struct launch_cfg *c, const struct bench_session *s,
                          const struct vcb_driver *drv, struct vcb_instance_spec *spec, char *path,
                          size_t len, struct vcb_err *err)
{
    if (bench_scratch_make(&c->scratch, s->run_dir, s->run_id, spec->name, path, len, err) < 0)
        return -1;
    spec->scratch = path;
    cleanup_json json_t *facts = bench_scratch_facts(drv->kind, c->scratch.bytes);
    printf("scratch: %s, %.1f MiB, cache %s, page cache %s\n",
           json_string_value(json_object_get(facts, "form")), c->scratch.bytes / 1048576.0,
           json_string_value(json_object_get(facts, "cache")),
           json_string_value(json_object_get(facts, "page_cache")));
    return 0;
}

/* What a driver does before t0 that takes a while, as it happens. */
static void launch_progress(void *ctx, const char *line)
{
    (void)ctx;
    fprintf(stderr, "vcbench: %s\n", line);
}

/* What the instance's host had to be sent first (a remote VM host). */
static void print_upload(const struct vcb_instance *inst)
{
    if (!inst->upload_files)
        return;
    char sent[32];
    vcb_format_size(inst->upload_bytes, sent, sizeof(sent));
    printf("upload: %u files on the instance's host, %s sent in %.2f s (before create)\n",
           inst->upload_files, sent, (double)inst->upload_ns / 1e9);
}

static int launch_run(const struct launch_cfg *c, const struct bench_session *s,
                      struct vcb_err *err)
{
    const struct vcb_driver *drv = bench_driver_find(c->backend);
    if (!drv) /* known, but not built or its module not loadable */
        return vcb_err_set(err, 0, "%s", bench_backend_at(bench_backend_index(c->backend)).why);
    struct vcb_instance_spec spec = {
        .run_dir = s->run_dir,
        .backend = c->backend,
        .workload = c->workload,
        .args = c->args,
        .log_max = c->log_max,
        .limits = c->limits,
        .opts = c->opts,
    };
    spec.opts.progress = launch_progress;
    spec.opts.stop_requested = bench_stop_signal; /* a long upload ends on Ctrl-C */
    vcb_instance_name(s->run_id, 1, spec.name);
    struct wl_image img;
    __attribute__((cleanup(bench_image_free))) struct bench_image own = {0};
    if (c->own.image[0]) {
        if (bench_own_import(&c->own, &own, err) < 0)
            return -1;
        bench_own_spec(&own, &spec);
        printf("launch %s as %s (%s), image %.19s, %.1f MiB%s\n", c->own.image, spec.name,
               drv->name, own.digest, own.rootfs_bytes / 1048576.0,
               own.cached ? "" : ", unpacked now");
    } else {
        if (wl_image_build(c->workload, &img, err) < 0)
            return -1;
        spec.rootfs = img.rootfs;
        spec.initramfs = img.initramfs;
        printf("launch %s as %s (%s), image %.16s\n", c->workload, spec.name, drv->name, img.hash);
    }
    __attribute__((cleanup(bench_net_release))) struct bench_net net = {0};
    if (!c->own.image[0] && bench_net_workload(c->workload)) {
        if (bench_net_setup(s->run_id, 1, drv->kind, &spec, &net, err) < 0)
            return -1;
        printf("network: %s, peer %s\n", net.label, net.peer.addr);
    }
    char scratch[PATH_MAX] = "";
    if (c->scratch.bytes && launch_scratch(c, s, drv, &spec, scratch, sizeof scratch, err) < 0)
        return -1;
    cleanup_instance struct vcb_instance *inst = NULL;
    if (drv->create(&spec, &inst, err) < 0)
        return -1;
    print_upload(inst);
    if (inst->emulated)
        printf("note: %s\n", inst->emulated_reason);
    if (drv->start(inst, err) < 0)
        return -1;
    struct launch_times lt = {0};
    int rc = launch_watch(inst, c, &lt, err);
    print_phases(&lt, inst);
    print_log(inst);
    return rc;
}

/* A run dir with nothing but its lock has no logs worth keeping (a
 * failure before any instance wrote one: an unreachable libvirt host). */
static bool run_dir_has_logs(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    bool found = false;
    while (d && !found && (e = readdir(d)))
        found = strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strcmp(e->d_name, "lock");
    if (d)
        closedir(d);
    return found || !d;
}

/* Every failure of launch's own is 125, bad input included. */
static int launch_fail(const struct vcb_err *err)
{
    (void)cli_fail("launch", err);
    return LAUNCH_OWN_ERROR;
}

int cmd_launch(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        launch_usage(stdout);
        return 0;
    }
    struct vcb_err err = {0};
    struct launch_cfg cfg;
    if (launch_parse(argc, argv, &cfg, &err) < 0)
        return launch_fail(&err);
    /* the session's lock tells `vcbench cleanup` this launch is alive; a
     * signal asks the watch loop to stop (the instance dies with us) */
    struct bench_session s;
    bench_session_init(&s, false);
    if (bench_session_begin(&s, &err) < 0) {
        bench_session_close(&s, false);
        return launch_fail(&err);
    }
    int rc = launch_run(&cfg, &s, &err);
    if (rc < 0 && !err.usage) {
        int sig = bench_stop_signal();
        bool keep = run_dir_has_logs(s.run_dir);
        bench_session_close(&s, keep);
        if (keep)
            fprintf(stderr, "vcbench launch: %s (logs kept in %s)\n", err.msg, s.run_dir);
        else
            (void)cli_fail("launch", &err);
        return sig ? 128 + sig : LAUNCH_OWN_ERROR;
    }
    bench_session_close(&s, false);
    return rc < 0 ? launch_fail(&err) : rc;
}
