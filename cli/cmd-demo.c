/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cmd-demo.c — `vcbench demo`: the narrated classroom run. The bench
 * library runs the steps and narrates through callbacks; this file owns the
 * terminal (text, waits for Enter) and makes the report at the end. */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <string.h>

#include "commands.h"
#include "demo.h"
#include "reports.h"

struct demo_cli {
    bool pause; /* wait for Enter between steps */
};

static void demo_usage(FILE *out)
{
    fprintf(out,
            "usage: vcbench demo [--no-pause] [-o DIR] [--backends LIST] [-c URI]\n"
            "                    [backend options]\n\n"
            "A narrated classroom demo (a few minutes; under 3 on a 2-core host with\n"
            "VMs under TCG): the same program started as a plain process, a container\n"
            "and a VM with its start-up phases shown live; what an idle instance of\n"
            "each costs in memory; then a noisy neighbour (memhog, then a CPU loop)\n"
            "beside a victim with no limits, in a container and in a VM, and who was\n"
            "hurt. It ends by writing results.json and a report, and prints the\n"
            "report's path last.\n\n"
            "options:\n"
            "  --no-pause        do not wait for Enter between steps (it never waits\n"
            "                    when stdin is not a terminal)\n"
            "  -o, --out DIR     where results.json and report/ go\n"
            "                    (default: results/demo-<run-id>)\n"
            "  --backends LIST   which of %s (default: all)\n"
            "  -c, --connect URI libvirt URI for the VMs (default: $LIBVIRT_DEFAULT_URI,\n"
            "                    else qemu:///system)\n"
            "  -h, --help        this text\n\n"
            "Ctrl-C stops it at any point; every instance is destroyed and what was\n"
            "measured so far stays in results.json (marked incomplete).\n"
            "Exit status: 0 done, 1 failed, 2 bad input, 130/143 stopped by a signal.\n",
            bench_driver_names());
    cli_backend_opts_usage(out);
}

static int demo_parse(int argc, char **argv, struct demo_cli *c, struct bench_demo_opts *o,
                      struct vcb_err *err)
{
    static const struct option longopts[] = {{"no-pause", no_argument, NULL, 'n'},
                                             {"out", required_argument, NULL, 'o'},
                                             {"backends", required_argument, NULL, 'b'},
                                             {NULL, 0, NULL, 0}};
    int opt, rc;
    struct cli_opts p;
    if (cli_opts_init(&p, longopts, err) < 0)
        return -1;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "o:", p.longopts, NULL)) != -1) {
        if ((rc = cli_backend_opt(opt, optarg, &o->bopts, err)) < 0)
            return -1;
        if (rc > 0)
            continue;
        if (opt == 'n')
            c->pause = false;
        else if (opt == 'o')
            o->out_dir = optarg;
        else if (opt == 'b')
            o->backends = optarg;
        else if (optopt)
            return vcb_err_usage(err, "option '%s' needs a value (see vcbench demo --help)",
                                 argv[optind - 1]);
        else
            return vcb_err_usage(err, "unknown option '%s' (see vcbench demo --help)",
                                 argv[optind - 1]);
    }
    if (optind < argc)
        return vcb_err_usage(err, "unexpected argument '%s' (see vcbench demo --help)",
                             argv[optind]);
    if (o->out_dir && !o->out_dir[0])
        return vcb_err_usage(err, "--out: expected a directory");
    return 0;
}

static void demo_print(void *ctx, const char *text)
{
    (void)ctx;
    fputs(text, stdout);
    fflush(stdout);
}

/* Wait for a line on stdin, or for Ctrl-C (stop_fd). EOF: stop waiting. */
static int demo_wait_enter(void *ctx, int stop_fd)
{
    struct demo_cli *c = ctx;
    struct pollfd p[2] = {{.fd = STDIN_FILENO, .events = POLLIN},
                          {.fd = stop_fd, .events = POLLIN}};
    char buf[256];
    for (;;) {
        if (poll(p, stop_fd >= 0 ? 2 : 1, -1) < 0 && errno != EINTR)
            return 0;
        if (p[1].revents)
            return -1;
        if (!p[0].revents)
            continue;
        ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
        if (n <= 0) { /* stdin closed: go on without waiting */
            c->pause = false;
            return 0;
        }
        if (memchr(buf, '\n', (size_t)n))
            return 0;
    }
}

static void report_progress(void *ctx, const char *line)
{
    (void)ctx;
    printf("  %s\n", line);
    fflush(stdout);
}

/* Step 5's second half: the report, from the results file only. */
static int demo_report(const struct bench_demo_result *res, struct vcb_err *err)
{
    char dir[PATH_MAX + 8];
    snprintf(dir, sizeof(dir), "%s/report", res->out_dir);
    cleanup_rpt_run struct rpt_run *run = NULL;
    struct rpt_opts ro = {.out_dir = dir, .progress = report_progress};
    if (rpt_load(res->results_path, &run, err) < 0)
        return vcb_err_prefix(err, "report");
    if (rpt_report_write(&run, 1, &ro, err) < 0)
        return vcb_err_prefix(err, "report");
    printf("\nReport: %s/report.html\n", dir);
    return 0;
}

int cmd_demo(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        demo_usage(stdout);
        return 0;
    }
    struct vcb_err err = {0};
    struct demo_cli cli = {.pause = true};
    struct bench_demo_opts opts = {.say = demo_print, .ctx = &cli};
    struct bench_demo_result res;
    if (demo_parse(argc, argv, &cli, &opts, &err) < 0)
        return cli_fail("demo", &err);
    if (cli.pause && isatty(STDIN_FILENO))
        opts.pause = demo_wait_enter;
    if (bench_demo_run(&opts, &res, &err) < 0)
        return cli_fail("demo", &err);
    if (res.stop_signal)
        return 128 + res.stop_signal;
    if (demo_report(&res, &err) < 0)
        return cli_fail("demo", &err);
    return 0;
}
