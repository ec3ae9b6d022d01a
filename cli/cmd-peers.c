/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cmd-peers.c — `vcbench peers`: our launcher and VM path against crun,
 * runc, bwrap, unshare, a bare clone, posix_spawn and bare qemu, in one
 * interleaved run; prints the table and the ratios against the targets. */
#include <getopt.h>
#include <string.h>

#include "commands.h"
#include "peers.h"

static void peers_usage(FILE *out)
{
    fprintf(out,
            "usage: vcbench peers [--runs N] [--warmup N] [--vm-runs N] [--mem-runs N]\n"
            "                     [--machines pc,q35,microvm] [--only LIST] [--ksm on|off|host]\n"
            "                     [-o DIR] [-c URI] [backend options] [-q]\n\n"
            "Times the same program (/init noop of the noop image) started by our launcher\n"
            "and by its peers, interleaved (A B C … A B C), and our VM path against bare\n"
            "qemu for each machine type; measures the launcher's and qemu's resident cost;\n"
            "writes DIR/results.json (scenario \"peers\") and prints ratios vs the targets.\n\n"
            "  --runs N        container samples per peer (default 50)\n"
            "  --warmup N      container warm-ups per peer, discarded (default 5)\n"
            "  --vm-runs N     VM samples per peer and machine type (default 5; +1 warm-up)\n"
            "  --mem-runs N    resident-memory samples (default 2); an idle guest's qemu\n"
            "                  PSS is read each second from 1 s after ready until it settles\n"
            "                  (within 1 MiB over 3 s, or over two passes of KSM's scanner\n"
            "                  when it runs; at most 27 s more): both figures kept\n"
            "  --ksm M         KSM during the VM memory rows: host (default: as the host\n"
            "                  has it), on (run 1, use_zero_pages 1) or off (run 0); the\n"
            "                  host's values are put back after those rows, also on Ctrl-C\n"
            "                  or SIGTERM, not after a kill -9 (then see\n"
            "                  /sys/kernel/mm/ksm/run); recorded in the results\n"
            "  --vm-profile P  lean (default) or plain: plain runs the VM arms (ours and\n"
            "                  bare qemu) in the configuration before the lean profile, to\n"
            "                  compare the two\n"
            "  --machines L    VM machine types (default pc,q35,microvm; --machine M: M)\n"
            "  --only L        peers or groups to run (default all):\n"
            "                  %s\n"
            "  -o, --out DIR   where results.json goes (default results/peers-<run-id>)\n"
            "  -c URI          libvirt connection (default: $LIBVIRT_DEFAULT_URI, else\n"
            "                  qemu:///system); also --connect, --vm-uri\n"
            "  -q, --quiet     no progress on stderr; also --no-progress\n\n"
            "A peer not installed is skipped with a line saying so (and a DNF in the\n"
            "results). Ctrl-C stops after the current sample, cleans up and saves what\n"
            "was measured (exit 130). Exit 2 for bad input.\n",
            bench_peers_names());
    cli_backend_opts_usage(out);
}

enum { O_RUNS = 256, O_WARM, O_VMRUNS, O_MEMRUNS, O_MACH, O_ONLY, O_KSM, O_OUT, O_NOPROG };

static const struct option peers_options[] = {{"runs", required_argument, 0, O_RUNS},
                                              {"warmup", required_argument, 0, O_WARM},
                                              {"vm-runs", required_argument, 0, O_VMRUNS},
                                              {"mem-runs", required_argument, 0, O_MEMRUNS},
                                              {"machines", required_argument, 0, O_MACH},
                                              {"only", required_argument, 0, O_ONLY},
                                              {"ksm", required_argument, 0, O_KSM},
                                              {"out", required_argument, 0, O_OUT},
                                              {"no-progress", no_argument, 0, O_NOPROG},
                                              {"quiet", no_argument, 0, 'q'},
                                              {0, 0, 0, 0}};

static int count_opt(const char *what, unsigned min, unsigned *out, struct vcb_err *err)
{
    uint64_t v;
    if (vcb_parse_u64(optarg, what, &v, err) < 0)
        return -1;
    if (v < min || v > 100000)
        return vcb_err_usage(err, "%s: expected %u to 100000, got '%s'", what, min, optarg);
    *out = (unsigned)v;
    return 0;
}

static int peers_option(int c, struct bench_peers_opts *o, struct vcb_err *err)
{
    switch (c) {
    case O_RUNS:
        return count_opt("--runs", 1, &o->runs, err);
    case O_WARM:
        return count_opt("--warmup", 0, &o->warmup, err);
    case O_VMRUNS:
        return count_opt("--vm-runs", 1, &o->vm_runs, err);
    case O_MEMRUNS:
        return count_opt("--mem-runs", 0, &o->mem_runs, err);
    case O_MACH:
        o->machines = optarg;
        return 0;
    case O_ONLY:
        o->only = optarg;
        return 0;
    case O_KSM:
        if (bench_peers_ksm_parse(optarg, &o->ksm) < 0)
            return vcb_err_usage(err, "--ksm: expected on, off or host, got '%s'", optarg);
        return 0;
    case 'o':
    case O_OUT:
        o->out_dir = optarg;
        return 0;
    case 'q':
    case O_NOPROG:
        o->progress = false;
        return 0;
    default:
        return vcb_err_usage(err, "unknown option (see vcbench peers --help)");
    }
}

static int peers_parse(int argc, char **argv, struct bench_peers_opts *o, struct vcb_err *err)
{
    int c, rc;
    struct cli_opts p;
    if (cli_opts_init(&p, peers_options, err) < 0)
        return -1;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "o:q", p.longopts, NULL)) != -1) {
        if (c == '?')
            return vcb_err_usage(err, "unknown or incomplete option '%s' (see --help)",
                                 argv[optind - 1]);
        if ((rc = cli_backend_opt(c, optarg, &o->bopts, err)) < 0 ||
            (rc == 0 && peers_option(c, o, err) < 0))
            return -1;
    }
    if (optind < argc)
        return vcb_err_usage(err, "unexpected argument '%s' (see --help)", argv[optind]);
    /* --machine, which the other commands take, names the one type to time */
    if (!o->machines && o->bopts.machine)
        o->machines = o->bopts.machine;
    return 0;
}

/* One line per metric: peer, how it was timed, machine, metric, n, median,
 * p5, p95, p99, CI. */
static void print_metric(const char *backend, const char *timed, const char *machine, json_t *m)
{
    json_t *s = json_object_get(m, "summary");
    const char *unit = json_string_value(json_object_get(m, "unit"));
    const char *keys[] = {"median", "p5", "p95", "p99", "ci95_lo", "ci95_hi"};
    char v[6][32];
    for (int i = 0; i < 6; i++) {
        double x = json_number_value(json_object_get(s, keys[i]));
        if (unit && !strcmp(unit, "bytes"))
            vcb_format_size((uint64_t)x, v[i], sizeof v[i]);
        else
            vcb_format_duration((uint64_t)x, v[i], sizeof v[i]);
    }
    printf("%-15s %-13s %-8s %-17s %4lld %10s %10s %10s %10s  [%s, %s]\n", backend, timed, machine,
           json_string_value(json_object_get(m, "name")),
           (long long)json_integer_value(json_object_get(s, "n")), v[0], v[1], v[2], v[3], v[4],
           v[5]);
}

static void print_table(json_t *doc)
{
    json_t *e, *m, *d;
    size_t i, k;
    bool tcg = false;
    printf("%-15s %-13s %-8s %-17s %4s %10s %10s %10s %10s  %s\n", "peer", "timed", "machine",
           "metric", "n", "median", "p5", "p95", "p99", "95% CI of median");
    json_array_foreach(json_object_get(doc, "results"), i, e)
    {
        const char *be = json_string_value(json_object_get(e, "backend"));
        json_t *params = json_object_get(e, "params");
        const char *mach = json_string_value(json_object_get(params, "machine"));
        const char *timed =
            json_string_value(json_object_get(json_object_get(e, "notes"), "timed"));
        char col[32];
        bool emu = json_is_true(json_object_get(e, "emulated"));
        tcg = tcg || emu;
        snprintf(col, sizeof col, "%s%s", mach ? mach : "-", emu ? "*" : "");
        json_array_foreach(json_object_get(e, "metrics"), k, m)
        {
            print_metric(be, timed ? timed : "-", col, m);
        }
        json_int_t unsettled =
            json_integer_value(json_object_get(json_object_get(e, "notes"), "settle_at_bound"));
        if (unsettled)
            printf("%-15s %-8s %lld sample(s) still changing at the bound: pss is the last "
                   "reading\n",
                   be, col, (long long)unsettled);
        json_array_foreach(json_object_get(e, "dnf"), k, d)
        {
            printf("%-15s %-8s skipped/DNF: %s\n", be, col,
                   json_string_value(json_object_get(d, "reason")));
        }
    }
    if (tcg)
        printf("* emulated (TCG): %s\n",
               json_string_value(json_object_get(json_object_get(doc, "host"), "accel_reason")));
}

static void print_ratio(json_t *r)
{
    json_t *t = json_object_get(r, "target"), *lo = json_object_get(r, "ci95_lo");
    const char *unit = json_string_value(json_object_get(r, "unit"));
    printf("  %-48s %7.3f%s%s", json_string_value(json_object_get(r, "name")),
           json_number_value(json_object_get(r, "value")), unit ? " " : "", unit ? unit : "");
    if (json_is_number(lo))
        printf("  [%.3f, %.3f]", json_number_value(lo),
               json_number_value(json_object_get(r, "ci95_hi")));
    if (json_is_number(t))
        printf("  target <= %.2f%s%s: %s", json_number_value(t), unit ? " " : "", unit ? unit : "",
               json_is_true(json_object_get(r, "hit")) ? "HIT" : "MISS");
    putchar('\n');
}

static bool same_pairing(json_t *a, json_t *b)
{
    const char *x = json_string_value(json_object_get(a, "pairing"));
    const char *y = json_string_value(json_object_get(b, "pairing"));
    return x && y ? !strcmp(x, y) : x == y;
}

/* The ratios grouped by what they pair (whole commands, in-process, …), in
 * the order their groups first come. */
static void print_ratios(json_t *ratios)
{
    json_t *r, *q;
    size_t i, k;
    printf("\nratios:\n");
    json_array_foreach(ratios, i, r)
    {
        bool seen = false;
        for (k = 0; k < i && !seen; k++)
            seen = same_pairing(json_array_get(ratios, k), r);
        if (seen)
            continue;
        const char *group = json_string_value(json_object_get(r, "pairing"));
        printf(" %s:\n", group ? group : "other");
        json_array_foreach(ratios, k, q)
        {
            if (same_pairing(q, r))
                print_ratio(q);
        }
    }
}

int cmd_peers(int argc, char **argv)
{
    struct vcb_err err = {0};
    struct bench_peers_opts o = {
        .runs = 50, .warmup = 5, .vm_runs = 5, .mem_runs = 2, .progress = true};
    struct bench_peers_result res = {0};
    if (cli_wants_help(argc, argv)) {
        peers_usage(stdout);
        return 0;
    }
    if (peers_parse(argc, argv, &o, &err) < 0 || bench_peers_run(&o, &res, &err) < 0) {
        if (res.results_path[0])
            fprintf(stderr, "vcbench peers: results so far in %s\n", res.results_path);
        bench_peers_result_free(&res);
        return cli_fail("peers", &err);
    }
    print_table(res.doc);
    print_ratios(res.ratios);
    printf("\nresults: %s%s\n", res.results_path,
           res.stop_signal ? " (stopped early: incomplete)" : "");
    bench_peers_result_free(&res);
    return res.stop_signal ? 128 + res.stop_signal : 0;
}
