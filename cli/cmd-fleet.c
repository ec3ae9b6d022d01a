/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cmd-fleet.c — `vcbench fleet --hosts FILE --suite S [-o DIR]`: the suite
 * on every host of FILE over the user's ssh, each host's results.json in
 * DIR/hosts/<name>/, DIR/fleet.json, and one report of the hosts side by
 * side in DIR/report. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <string.h>

#include "commands.h"
#include "fleet.h"
#include "harness.h"
#include "reports.h"
#include "suite.h"

#define FLEET_GRACE_NS (30 * VCB_NS_PER_S) /* a stopped remote run's time to save and clean */

static void fleet_usage(FILE *out)
{
    fprintf(out, "usage: vcbench fleet --hosts FILE [--suite S] [-o DIR] [--jobs N]\n"
                 "                     [--remote-vcbench PATH] [--install [--install-dir DIR]\n"
                 "                     [--source DIR]] [--relay] [--force] [-q]\n\n"
                 "Runs one suite on several hosts over OpenSSH, in parallel, and makes one\n"
                 "report of them side by side. Each host needs the same vcbench version as\n"
                 "this one (or --install builds it there); ssh runs as you run it, with your\n"
                 "~/.ssh/config, keys and agent (only BatchMode=yes is added: nobody is\n"
                 "there to type a password). No daemon of vcbench runs anywhere.\n\n"
                 "  --hosts FILE      one SSH destination a line (host, user@host or an alias\n"
                 "                    of ~/.ssh/config), then key=value words: name=NAME (its\n"
                 "                    name in the report; default the destination),\n"
                 "                    vcbench=PATH (vcbench there; default: vcbench in the\n"
                 "                    remote PATH) and labels (gen=zen3 kernel=6.1);\n"
                 "                    '#' starts a comment\n"
                 "  --suite S         a named suite (default: quick), or a suite file here,\n"
                 "                    copied to each host\n"
                 "  -o, --out DIR     where it all goes (default: results/fleet-<id>):\n"
                 "                    hosts/<name>/results.json, fleet.json, report/\n"
                 "  --jobs N          hosts at a time (default: all)\n"
                 "  --remote-vcbench PATH  vcbench on every host (a host's vcbench= wins)\n"
                 "  --install         where vcbench is missing or another version: copy a\n"
                 "                    tarball of this checkout there (git archive of HEAD with\n"
                 "                    its uncommitted changes), run its scripts/setup (root,\n"
                 "                    apt-get) and use the vcbench it builds\n"
                 "  --install-dir DIR where there (default: .cache/vcbench-fleet/<git describe>\n"
                 "                    in the remote home)\n"
                 "  --source DIR      the checkout to send (default: the one this vcbench was\n"
                 "                    built from)\n"
                 "  --relay           also show each remote run's own lines, after its host name\n"
                 "  --force           replace an earlier fleet in DIR\n"
                 "  -q, --quiet       no progress lines\n\n"
                 "Progress: a line per host state change on stderr (connecting, installing,\n"
                 "running with the run's progress, fetching, done, DNF with the reason).\n"
                 "A host that fails (unreachable, another version, no vcbench, the run\n"
                 "failed) is a DNF row in fleet.json and the report, not a failed fleet.\n"
                 "Ctrl-C or SIGTERM stops every host: each remote run is stopped (it ends\n"
                 "when its ssh session's input closes), saves and removes what it made, and\n"
                 "its temporary directory there goes. What a run had saved comes back: that\n"
                 "host is incomplete (its results so far, and why), as is one whose run\n"
                 "failed after it saved some. `vcbench report DIR/fleet.json` makes the\n"
                 "report again.\n"
                 "Exit status: 0 when at least one host finished, 1 when none did, 2 bad\n"
                 "input (the hosts file's FILE:LINE named), 130/143 when stopped by\n"
                 "SIGINT/SIGTERM.\n");
}

enum {
    OPT_HOSTS = 256,
    OPT_SUITE,
    OPT_JOBS,
    OPT_RVCB,
    OPT_INSTALL,
    OPT_IDIR,
    OPT_SRC,
    OPT_RELAY,
    OPT_FORCE
};

struct fleet_cli {
    const char *hosts_file, *out_dir;
    bool force, quiet;
    char out_buf[64], suite_name[64];
    struct fleet_opts o;
};

static int fleet_option(int c, struct fleet_cli *f, struct vcb_err *err)
{
    uint64_t n;
    switch (c) {
    case OPT_HOSTS:
        f->hosts_file = optarg;
        return 0;
    case OPT_SUITE:
        f->o.suite = optarg;
        return 0;
    case 'o':
        f->out_dir = optarg;
        return 0;
    case OPT_RVCB:
        f->o.remote_vcbench = optarg;
        return 0;
    case OPT_INSTALL: /* --source, before or after, wins */
        f->o.install_src = f->o.install_src ? f->o.install_src : VCB_SOURCE_DIR;
        return 0;
    case OPT_IDIR:
        f->o.install_dir = optarg;
        return 0;
    case OPT_SRC:
        f->o.install_src = optarg;
        return 0;
    case OPT_RELAY:
        f->o.relay = true;
        return 0;
    case OPT_FORCE:
        f->force = true;
        return 0;
    case 'q':
        f->quiet = true;
        return 0;
    case OPT_JOBS:
        if (vcb_parse_u64(optarg, "--jobs", &n, err) < 0)
            return -1;
        if (n == 0 || n > 1024)
            return vcb_err_usage(err, "--jobs %s: expected 1 to 1024 hosts at a time", optarg);
        f->o.jobs = (unsigned)n;
        return 0;
    default:
        return vcb_err_usage(err, "unknown option (see --help)");
    }
}

static int fleet_parse(int argc, char **argv, struct fleet_cli *f, struct vcb_err *err)
{
    static const struct option opts[] = {{"hosts", required_argument, 0, OPT_HOSTS},
                                         {"suite", required_argument, 0, OPT_SUITE},
                                         {"out", required_argument, 0, 'o'},
                                         {"jobs", required_argument, 0, OPT_JOBS},
                                         {"remote-vcbench", required_argument, 0, OPT_RVCB},
                                         {"install", no_argument, 0, OPT_INSTALL},
                                         {"install-dir", required_argument, 0, OPT_IDIR},
                                         {"source", required_argument, 0, OPT_SRC},
                                         {"relay", no_argument, 0, OPT_RELAY},
                                         {"force", no_argument, 0, OPT_FORCE},
                                         {"quiet", no_argument, 0, 'q'},
                                         {0, 0, 0, 0}};
    int c;
    bool install = false, src = false;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "o:q", opts, NULL)) != -1) {
        if (c == '?' || c == ':')
            return vcb_err_usage(err, "unknown or incomplete option '%s' (see --help)",
                                 argv[optind - 1]);
        install |= c == OPT_INSTALL;
        src |= c == OPT_SRC;
        if (fleet_option(c, f, err) < 0)
            return -1;
    }
    if (optind < argc)
        return vcb_err_usage(err, "unexpected argument '%s' (see --help)", argv[optind]);
    if (!f->hosts_file)
        return vcb_err_usage(err, "--hosts FILE: expected the file of hosts (see --help)");
    if ((src || f->o.install_dir) && !install)
        return vcb_err_usage(err, "--source and --install-dir: expected with --install");
    return 0; /* --source DIR is checked as its tarball is made */
}

/* A suite file is checked here and sent; a name is one every vcbench of
 * this version knows. */
static int fleet_suite(struct fleet_cli *f, char **text, struct vcb_err *err)
{
    char path[4096];
    struct bench_suite s = {0};
    size_t len;
    if (bench_suite_resolve(f->o.suite, path, sizeof(path), err) < 0 ||
        bench_suite_load(path, &s, err) < 0)
        return -1;
    snprintf(f->suite_name, sizeof(f->suite_name), "%s", s.name);
    f->o.suite_name = f->suite_name;
    bench_suite_free(&s);
    if (!bench_suite_is_file(f->o.suite))
        return 0;
    if (vcb_read_file(path, text, &len, err) < 0)
        return -1;
    f->o.suite_text = *text;
    return 0;
}

/* DIR: new, empty, or an earlier fleet's with --force. */
static int fleet_out_dir(struct fleet_cli *f, struct vcb_err *err)
{
    char rec[4096];
    if (!f->out_dir) {
        char id[VCB_RUN_ID_LEN + 1];
        vcb_run_id_new(id);
        snprintf(f->out_buf, sizeof(f->out_buf), "results/fleet-%s", id);
        f->out_dir = f->out_buf;
    }
    if (fleet_out_dir_check(f->out_dir, err) < 0)
        return -1;
    snprintf(rec, sizeof(rec), "%s/fleet.json", f->out_dir);
    if (rmdir(f->out_dir) < 0 && vcb_path_exists(f->out_dir)) {
        if (!vcb_path_exists(rec))
            return vcb_err_usage(err,
                                 "-o %s: exists and holds no earlier fleet (no fleet.json): "
                                 "choose another directory",
                                 f->out_dir);
        if (!f->force)
            return vcb_err_usage(err, "-o %s: holds an earlier fleet: --force replaces it",
                                 f->out_dir);
        if (vcb_rm_rf(f->out_dir, err) < 0)
            return -1;
    }
    f->o.out_dir = f->out_dir;
    return vcb_mkdir_p(f->out_dir, 0755, err);
}

static void fleet_progress(void *ctx, const struct fleet_host *h, const char *line)
{
    fprintf(stderr, "%s: %s\n", h->name, line);
}

/* A host whose results.json the report cannot read did not finish either. */
static void fleet_check_results(const struct fleet_hosts *hs, struct fleet_host_result *res)
{
    for (size_t i = 0; i < hs->n; i++) {
        struct vcb_err err = {0};
        cleanup_rpt_run struct rpt_run *run = NULL;
        struct fleet_host_result *r = &res[i];
        if (r->state == FLEET_DNF || rpt_load(r->results, &run, &err) == 0)
            continue;
        char why[sizeof(r->reason)];
        snprintf(why, sizeof(why), "%s", r->reason); /* an incomplete host's: kept in front */
        snprintf(r->reason, sizeof(r->reason), "%s%sits results.json: %s", why, why[0] ? "; " : "",
                 err.msg);
        r->state = FLEET_DNF;
        fleet_result_drop(r, r->results);
    }
}

static int fleet_report(const struct fleet_cli *f, const char *record, bool quiet,
                        struct vcb_err *err)
{
    char dir[4096];
    struct rpt_fleet *fl = NULL;
    snprintf(dir, sizeof(dir), "%s/report", f->out_dir);
    struct rpt_opts ro = {.out_dir = dir};
    if (rpt_fleet_load(record, &fl, err) < 0)
        return -1;
    if (!quiet)
        fprintf(stderr, "vcbench fleet: the report of %zu hosts\n", rpt_fleet_n_runs(fl));
    int r = rpt_fleet_report_write(fl, &ro, err);
    rpt_fleet_free(fl);
    if (r == 0)
        printf("%s/report.html\n", dir);
    return r;
}

/* No host was started: the DIR made for them goes. */
static int fleet_abandon(const struct fleet_cli *f, const struct vcb_err *err)
{
    struct vcb_err ignored = {0};
    vcb_rm_rf(f->out_dir, &ignored);
    return cli_fail("fleet", err);
}

/* Run it, write fleet.json, make the report; the exit status. */
static int fleet_go(struct fleet_cli *f, const struct fleet_hosts *hs, struct vcb_err *err)
{
    char started[32], record[4096];
    size_t done = 0, incomplete = 0;
    cleanup_free struct fleet_host_result *res = calloc(hs->n, sizeof(*res));
    fleet_iso_now(started, sizeof(started));
    if (!res)
        vcb_err_sys(err, ENOMEM, "fleet: %zu hosts", hs->n);
    if (!res || bench_signals_install(err) < 0)
        return fleet_abandon(f, err);
    signal(SIGPIPE, SIG_IGN); /* a host's ssh gone: its pipe says EPIPE, not a signal */
    f->o.stop_fd = bench_stop_fd();
    int r = fleet_run(hs, &f->o, res, err);
    bench_signals_restore();
    int sig = bench_stop_signal();
    if (r < 0)
        return fleet_abandon(f, err);
    fleet_check_results(hs, res);
    snprintf(record, sizeof(record), "%s/fleet.json", f->out_dir);
    if (fleet_record_write(record, hs, res, &f->o, started,
                           sig ? (sig == SIGINT ? "SIGINT" : "SIGTERM") : NULL, err) < 0)
        return cli_fail("fleet", err);
    for (size_t i = 0; i < hs->n; i++) {
        done += res[i].state == FLEET_DONE;
        incomplete += res[i].state == FLEET_INCOMPLETE;
    }
    fprintf(stderr, "vcbench fleet: %zu of %zu hosts done, %zu incomplete, %zu DNF; %s\n", done,
            hs->n, incomplete, hs->n - done - incomplete, record);
    if (done + incomplete && fleet_report(f, record, f->quiet, err) < 0)
        return cli_fail("fleet", err);
    return sig ? 128 + sig : done ? 0 : 1;
}

int cmd_fleet(int argc, char **argv)
{
    struct vcb_err err = {0};
    char ours[256];
    struct fleet_cli f = {.o = {.suite = "quick", .stop_fd = -1, .grace_ns = FLEET_GRACE_NS}};
    struct fleet_hosts hs = {0};
    cleanup_free char *suite_text = NULL;
    if (cli_wants_help(argc, argv)) {
        fleet_usage(stdout);
        return 0;
    }
    snprintf(ours, sizeof(ours), "vcbench %s %s", vcb_version(), vcb_git_hash());
    f.o.version = ours;
    if (fleet_parse(argc, argv, &f, &err) < 0 || fleet_hosts_load(f.hosts_file, &hs, &err) < 0 ||
        fleet_suite(&f, &suite_text, &err) < 0 || fleet_out_dir(&f, &err) < 0) {
        fleet_hosts_free(&hs);
        return cli_fail("fleet", &err);
    }
    if (!f.quiet)
        f.o.progress = fleet_progress;
    int rc = fleet_go(&f, &hs, &err);
    fleet_hosts_free(&hs);
    return rc;
}
