/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cli-limits.c — the soft and I/O limit options of `vcbench launch`
 * (--cpu-weight, --memory-soft, --memory-low, --io-*), each checked by the
 * rule core/limits.c holds for the option and the suite key alike. */
#include <string.h>

#include "commands.h"

/* getopt_long values of these options, clear of launch's letters and of
 * the backend options (0x1000 on). */
enum {
    CLI_LIM_CPU_WEIGHT = 0x800,
    CLI_LIM_MEMORY_SOFT,
    CLI_LIM_MEMORY_LOW,
    CLI_LIM_IO_RBPS,
    CLI_LIM_IO_WBPS,
    CLI_LIM_IO_RIOPS,
    CLI_LIM_IO_WIOPS,
    CLI_LIM_IO_WEIGHT,
};

const struct option cli_limit_longopts[] = {
    {"cpu-weight", 1, 0, CLI_LIM_CPU_WEIGHT},
    {"memory-soft", 1, 0, CLI_LIM_MEMORY_SOFT},
    {"memory-low", 1, 0, CLI_LIM_MEMORY_LOW},
    {"io-read-bps", 1, 0, CLI_LIM_IO_RBPS},
    {"io-write-bps", 1, 0, CLI_LIM_IO_WBPS},
    {"io-read-iops", 1, 0, CLI_LIM_IO_RIOPS},
    {"io-write-iops", 1, 0, CLI_LIM_IO_WIOPS},
    {"io-weight", 1, 0, CLI_LIM_IO_WEIGHT},
    {0, 0, 0, 0},
};

static int whole(const char *arg, const char *name, uint64_t *out,
                 int (*check)(double, const char *, struct vcb_err *), struct vcb_err *err)
{
    if (vcb_parse_u64(arg, name, out, err) < 0)
        return -1;
    return check((double)*out, name, err);
}

static int bps(const char *arg, const char *name, uint64_t *out, struct vcb_err *err)
{
    if (vcb_parse_size(arg, name, out, err) < 0)
        return -1;
    return vcb_limit_check_io_bps(*out, name, err);
}

int cli_limit_opt(int opt, const char *name, const char *arg, struct vcb_limits *l,
                  struct vcb_err *err)
{
    int rc;
    switch (opt) {
    case CLI_LIM_CPU_WEIGHT:
        rc = whole(arg, name, &l->cpu_weight, vcb_limit_check_cpu_weight, err);
        break;
    case CLI_LIM_MEMORY_SOFT:
        rc = vcb_parse_size(arg, name, &l->memory_soft, err) < 0
                 ? -1
                 : vcb_limit_check_memory_soft(l->memory_soft, name, err);
        break;
    case CLI_LIM_MEMORY_LOW:
        rc = vcb_parse_size(arg, name, &l->memory_low, err) < 0
                 ? -1
                 : vcb_limit_check_memory_soft(l->memory_low, name, err);
        break;
    case CLI_LIM_IO_RBPS:
        rc = bps(arg, name, &l->io.rbps, err);
        break;
    case CLI_LIM_IO_WBPS:
        rc = bps(arg, name, &l->io.wbps, err);
        break;
    case CLI_LIM_IO_RIOPS:
        rc = whole(arg, name, &l->io.riops, vcb_limit_check_io_iops, err);
        break;
    case CLI_LIM_IO_WIOPS:
        rc = whole(arg, name, &l->io.wiops, vcb_limit_check_io_iops, err);
        break;
    case CLI_LIM_IO_WEIGHT:
        rc = whole(arg, name, &l->io.weight, vcb_limit_check_io_weight, err);
        break;
    default:
        return 0;
    }
    return rc < 0 ? -1 : 1;
}

int cli_limits_done(const struct vcb_limits *l, struct vcb_err *err)
{
    static const char *const names[3] = {"--memory", "--memory-soft", "--memory-low"};
    return vcb_limits_check_pairs(l, "", names, err);
}

void cli_limits_usage(FILE *out)
{
    fputs("  --cpu-weight N       soft: CPU share under contention, 1-10000, 100 the\n"
          "                       default (container: cpu.weight, v1 cpu.shares N*1024/100;\n"
          "                       vm: <shares>)\n"
          "  --memory-soft SIZE   soft: held back above this (container v2: memory.high,\n"
          "                       throttled and reclaimed; v1: memory.soft_limit_in_bytes,\n"
          "                       reclaimed only under host pressure; vm: <soft_limit>)\n"
          "  --memory-low SIZE    soft: protected below this (cgroup v2 memory.low only)\n"
          "  --io-read-bps SIZE, --io-write-bps SIZE, --io-read-iops N, --io-write-iops N\n"
          "                       throttles on the disk holding the instance's files\n"
          "  --io-weight N        I/O share, 1-1000 (honoured by the BFQ scheduler only)\n",
          out);
}
