/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cli-opts.c — the backend options (--userns, --accel, …), one parser built
 * from the drivers' option tables, so that every command that starts or
 * checks instances takes the same ones, spelled and checked the same way. */
#include <string.h>

#include "bench.h"
#include "commands.h"

/* getopt_long's value for backend option k of the flattened tables. */
#define CLI_BOPT_BASE 0x1000

/* Backend option k, counted over every built backend's table in the
 * registry's order (a module's without loading it); *backend gets its
 * registry index. NULL past the last. */
static const struct vcb_driver_opt *backend_opt(size_t k, size_t *backend)
{
    for (size_t i = 0; i < bench_backend_count(); i++) {
        for (const struct vcb_driver_opt *o = bench_backend_options(i); o && o->name; o++) {
            if (k-- == 0) {
                if (backend)
                    *backend = i;
                return o;
            }
        }
    }
    return NULL;
}

int cli_opts_init(struct cli_opts *p, const struct option *own, struct vcb_err *err)
{
    size_t n = 0;
    for (; own && own[n].name; n++) {
        if (n + 1 >= CLI_OPTS_MAX)
            return vcb_err_set(err, 0, "too many options");
        p->longopts[n] = own[n];
    }
    const struct vcb_driver_opt *o;
    for (size_t k = 0; (o = backend_opt(k, NULL)); k++, n++) {
        if (n + 1 >= CLI_OPTS_MAX)
            return vcb_err_set(err, 0, "too many options");
        p->longopts[n] = (struct option){o->name, o->arg ? required_argument : no_argument, NULL,
                                         CLI_BOPT_BASE + (int)k};
    }
    p->longopts[n] = (struct option){0};
    return 0;
}

int cli_backend_opt(int opt, const char *arg, struct vcb_backend_opts *b, struct vcb_err *err)
{
    const struct vcb_driver_opt *o =
        opt >= CLI_BOPT_BASE ? backend_opt((size_t)(opt - CLI_BOPT_BASE), NULL) : NULL;
    char name[64];
    if (!o)
        return 0;
    snprintf(name, sizeof name, "--%s", o->name);
    return o->apply(b, name, arg, err) < 0 ? -1 : 1;
}

void cli_backend_opts_usage(FILE *out)
{
    size_t backend;
    const struct vcb_driver_opt *o;
    char spelled[64];
    fprintf(out, "\nbackend options (every command that drives or checks backends takes them):\n");
    for (size_t k = 0; (o = backend_opt(k, &backend)); k++) {
        snprintf(spelled, sizeof spelled, "--%s%s%s", o->name, o->arg ? " " : "",
                 o->arg ? o->arg : "");
        fprintf(out, "  %-18s %s: %s\n", spelled, bench_backend_name(backend), o->help);
    }
}

int cli_parse_flags(int argc, char **argv, const struct option *own, const char *what,
                    struct vcb_backend_opts *b, struct vcb_err *err)
{
    struct cli_opts p;
    int opt;
    if (cli_opts_init(&p, own, err) < 0)
        return -1;
    optind = 0;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "+", p.longopts, NULL)) != -1) {
        if (opt == '?')
            return vcb_err_usage(err, "%s '%s' (see --help)", what, argv[optind - 1]);
        if (opt != 0 && cli_backend_opt(opt, optarg, b, err) < 0)
            return -1;
    }
    if (optind < argc)
        return vcb_err_usage(err, "%s '%s' (see --help)", what, argv[optind]);
    return 0;
}
