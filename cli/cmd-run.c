/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cmd-run.c — `vcbench run`: run a benchmark suite and write results.json. */
#include <getopt.h>
#include <signal.h>
#include <string.h>

#include "commands.h"
#include "scenario.h"
#include "suite.h"

static void run_usage(FILE *out)
{
    fprintf(out,
            "usage: vcbench run [--suite quick|default|full|FILE.json]\n"
            "                   [--backends %s] [-o DIR] [-c URI]\n"
            "                   [backend options] [--log-max SIZE] [--force] [-q]\n\n"
            "Runs the suite's scenarios (%s) on every\n"
            "backend, interleaved, and writes DIR/results.json after each scenario\n"
            "(schema vcbench-results/1.1; DIR defaults to results/<run-id>).\n\n"
            "  --suite S       a named suite (default: quick) or a suite file\n"
            "  --backends L    backends to drive, comma-separated (default: the suite's)\n"
            "  -o, --out DIR   where results.json and the instance logs go; refused if\n"
            "                  it holds an earlier run's results, unless --force\n"
            "  --force         replace the results and logs an earlier run left in DIR\n"
            "  --log-max SIZE  cap of each instance's log (default: the suite's\n"
            "                  log_max, else 4MiB); what overflows is counted in\n"
            "                  results.json, not kept\n"
            "  -c URI          libvirt connection (default: $LIBVIRT_DEFAULT_URI, else\n"
            "                  qemu:///system); also --connect, --vm-uri\n"
            "  -q, --quiet     no progress output on stderr; also --no-progress\n\n"
            "Ctrl-C stops cleanly: instances destroyed, results so far saved with\n"
            "run.complete = false (exit 130; 143 for SIGTERM). Exit 2 for bad input.\n",
            bench_backend_list(true), bench_scenario_names());
    cli_backend_opts_usage(out);
}

enum { OPT_SUITE = 256, OPT_BACKENDS, OPT_OUT, OPT_NOPROG, OPT_LOGMAX, OPT_FORCE };

static const struct option run_options[] = {{"suite", required_argument, 0, OPT_SUITE},
                                            {"backends", required_argument, 0, OPT_BACKENDS},
                                            {"out", required_argument, 0, OPT_OUT},
                                            {"no-progress", no_argument, 0, OPT_NOPROG},
                                            {"log-max", required_argument, 0, OPT_LOGMAX},
                                            {"force", no_argument, 0, OPT_FORCE},
                                            {"quiet", no_argument, 0, 'q'},
                                            {0, 0, 0, 0}};

static int run_option(int c, struct bench_run_opts *o, struct vcb_err *err)
{
    switch (c) {
    case OPT_SUITE:
        o->suite = optarg;
        return 0;
    case OPT_BACKENDS:
        o->backends = optarg;
        return 0;
    case 'o':
    case OPT_OUT:
        o->out_dir = optarg;
        return 0;
    case 'q':
    case OPT_NOPROG:
        o->progress = false;
        return 0;
    case OPT_FORCE:
        o->force = true;
        return 0;
    case OPT_LOGMAX:
        if (vcb_parse_size(optarg, "--log-max", &o->log_max, err) < 0)
            return -1;
        return vcb_logcap_check(o->log_max, "--log-max", err);
    default:
        return vcb_err_usage(err, "unknown option (see vcbench run --help)");
    }
}

static int run_parse(int argc, char **argv, struct bench_run_opts *o, struct vcb_err *err)
{
    int c, rc;
    struct cli_opts p;
    if (cli_opts_init(&p, run_options, err) < 0)
        return -1;
    optind = 0; /* GNU: full reset, argv[0] is "run" */
    opterr = 0;
    while ((c = getopt_long(argc, argv, "o:q", p.longopts, NULL)) != -1) {
        if (c == '?')
            return vcb_err_usage(err, "unknown or incomplete option '%s' (see --help)",
                                 argv[optind - 1]);
        if ((rc = cli_backend_opt(c, optarg, &o->bopts, err)) < 0 ||
            (rc == 0 && run_option(c, o, err) < 0))
            return -1;
    }
    if (optind < argc)
        return vcb_err_usage(err, "unexpected argument '%s' (see --help)", argv[optind]);
    return 0;
}

int cmd_run(int argc, char **argv)
{
    struct vcb_err err = {0};
    struct bench_run_opts o = {.suite = "quick", .progress = true};
    struct bench_run_result res = {0};
    if (cli_wants_help(argc, argv)) {
        run_usage(stdout);
        return 0;
    }
    if (run_parse(argc, argv, &o, &err) < 0 || bench_run(&o, &res, &err) < 0) {
        if (res.replaced[0] && res.results_path[0])
            fprintf(stderr, "vcbench run: --force: replaced %s\n", res.replaced);
        if (res.results_path[0])
            fprintf(stderr, "vcbench run: %s in %s\n",
                    res.complete ? "complete results" : "results so far", res.results_path);
        return cli_fail("run", &err);
    }
    if (res.replaced[0])
        fprintf(stderr, "vcbench run: --force: replaced %s\n", res.replaced);
    printf("%s\n", res.results_path);
    fprintf(stderr, "vcbench run: %s: %u results, %u DNF, run %s%s\n", res.results_path,
            res.entries, res.dnf, res.run_id,
            res.stop_signal ? " (stopped early: incomplete)" : "");
    return res.stop_signal ? 128 + res.stop_signal : 0;
}
