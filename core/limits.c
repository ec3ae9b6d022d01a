/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* limits.c — the one limits struct every backend maps to its own knobs. */
#include <ctype.h>
#include <string.h>
#include <stdlib.h>

#include "vcb-driver.h"

bool vcb_limits_any(const struct vcb_limits *l)
{
    return l->cpus > 0 || l->memory_bytes > 0 || l->pids > 0 || l->cpuset[0] || l->cpu_weight ||
           l->memory_soft || l->memory_low || vcb_io_limits_any(&l->io);
}

bool vcb_io_limits_any(const struct vcb_io_limits *io)
{
    return io->rbps || io->wbps || io->riops || io->wiops || io->weight;
}

#define CPU_MAX 4096

/* "0-3,5,7-8" into a bitmap: digits, ascending ranges and commas only. */
static bool cpulist_parse(const char *s, unsigned char set[CPU_MAX / 8])
{
    const char *p = s;
    memset(set, 0, CPU_MAX / 8);
    while (*p) {
        if (!isdigit((unsigned char)*p))
            return false;
        unsigned long lo = strtoul(p, (char **)&p, 10), hi = lo;
        if (*p == '-') {
            p++;
            if (!isdigit((unsigned char)*p))
                return false;
            hi = strtoul(p, (char **)&p, 10);
        }
        if (hi < lo || hi >= CPU_MAX)
            return false;
        for (unsigned long c = lo; c <= hi; c++)
            set[c / 8] |= (unsigned char)(1u << (c % 8));
        if (*p == ',' && p[1])
            p++;
        else if (*p && *p != '\n')
            return false;
        else if (*p)
            break;
    }
    return true;
}

/* The first CPU of want that is not online here, or -1. An unreadable
 * online list checks nothing (the backend then reports what it finds). */
static int cpu_offline(const unsigned char want[CPU_MAX / 8])
{
    unsigned char online[CPU_MAX / 8];
    cleanup_free char *text = NULL;
    if (vcb_read_file("/sys/devices/system/cpu/online", &text, NULL, NULL) < 0 ||
        !cpulist_parse(text, online))
        return -1;
    for (int c = 0; c < CPU_MAX; c++)
        if ((want[c / 8] >> (c % 8) & 1) && !(online[c / 8] >> (c % 8) & 1))
            return c;
    return -1;
}

int vcb_limit_check_cpus(double cpus, const char *what, struct vcb_err *err)
{
    if (!(cpus >= VCB_CPUS_MIN && cpus <= VCB_CPUS_MAX))
        return vcb_err_usage(err,
                             "%s: %g is out of range (expected a number from 0.01 to 4096; "
                             "omit it for no limit)",
                             what, cpus);
    return 0;
}

/* Physical memory of this host in bytes, 0 if unknown. */
static uint64_t host_memory(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    return pages > 0 && size > 0 ? (uint64_t)pages * (uint64_t)size : 0;
}

int vcb_limit_check_memory(uint64_t bytes, const char *what, struct vcb_err *err)
{
    char have[32], host_text[32];
    uint64_t host = host_memory();
    if (bytes < VCB_MEMORY_MIN)
        return vcb_err_usage(err,
                             "%s: %llu bytes is too small (expected at least 4MiB; omit it "
                             "for no limit)",
                             what, (unsigned long long)bytes);
    if (host && bytes > host) {
        vcb_format_size(bytes, have, sizeof(have));
        vcb_format_size(host, host_text, sizeof(host_text));
        return vcb_err_usage(err, "%s: %s is more than this host's memory (expected 4MiB to %s)",
                             what, have, host_text);
    }
    return 0;
}

int vcb_limit_check_pids(double pids, const char *what, struct vcb_err *err)
{
    if (!(pids >= 1 && pids <= VCB_PIDS_MAX))
        return vcb_err_usage(err,
                             "%s: %.0f is out of range (expected a whole number from 1 to "
                             "4194304; omit it for no limit)",
                             what, pids);
    return 0;
}

int vcb_limit_check_cpuset(const char *list, const char *what, struct vcb_err *err)
{
    unsigned char want[CPU_MAX / 8];
    if (!list[0] || !cpulist_parse(list, want))
        return vcb_err_usage(err, "%s: \"%s\" is not a CPU list (expected e.g. 1 or 0-1,3)", what,
                             list);
    int off = cpu_offline(want);
    if (off >= 0)
        return vcb_err_usage(err,
                             "%s: CPU %d is not online on this host (see "
                             "/sys/devices/system/cpu/online)",
                             what, off);
    return 0;
}

int vcb_limit_check_cpu_weight(double weight, const char *what, struct vcb_err *err)
{
    if (!(weight >= 1 && weight <= VCB_CPU_WEIGHT_MAX && weight == (double)(uint64_t)weight))
        return vcb_err_usage(err,
                             "%s: %g is out of range (expected a whole number from 1 to 10000, "
                             "cpu.weight's scale where 100 is the default; omit it for none)",
                             what, weight);
    return 0;
}

uint64_t vcb_cpu_weight_to_shares(uint64_t weight)
{
    return weight * 1024 / 100;
}

int vcb_limit_check_memory_soft(uint64_t bytes, const char *what, struct vcb_err *err)
{
    return vcb_limit_check_memory(bytes, what, err);
}

int vcb_limit_check_io_bps(uint64_t bps, const char *what, struct vcb_err *err)
{
    if (bps < VCB_IO_BPS_MIN)
        return vcb_err_usage(err,
                             "%s: %llu bytes/s is too small (expected at least 4KiB per "
                             "second; omit it for no limit)",
                             what, (unsigned long long)bps);
    return 0;
}

int vcb_limit_check_io_iops(double iops, const char *what, struct vcb_err *err)
{
    if (!(iops >= 1 && iops <= 1e9 && iops == (double)(uint64_t)iops))
        return vcb_err_usage(err,
                             "%s: %g is out of range (expected a whole number of operations "
                             "per second, at least 1; omit it for no limit)",
                             what, iops);
    return 0;
}

int vcb_limit_check_io_weight(double weight, const char *what, struct vcb_err *err)
{
    if (!(weight >= 1 && weight <= VCB_IO_WEIGHT_MAX && weight == (double)(uint64_t)weight))
        return vcb_err_usage(err,
                             "%s: %g is out of range (expected a whole number from 1 to 1000, "
                             "where 100 is the default; omit it for none)",
                             what, weight);
    return 0;
}

int vcb_limits_check_pairs(const struct vcb_limits *l, const char *where,
                           const char *const names[3], struct vcb_err *err)
{
    if (l->memory_bytes && l->memory_soft > l->memory_bytes)
        return vcb_err_usage(err,
                             "%s%s: above %s limits nothing (expected a soft limit below the "
                             "hard one)",
                             where, names[1], names[0]);
    if (l->memory_low && l->memory_soft && l->memory_low >= l->memory_soft)
        return vcb_err_usage(err, "%s%s: expected a protection below %s", where, names[2],
                             names[1]);
    if (l->memory_low && l->memory_bytes && l->memory_low >= l->memory_bytes)
        return vcb_err_usage(err, "%s%s: expected a protection below %s", where, names[2],
                             names[0]);
    return 0;
}

static int limits_check_soft(const struct vcb_limits *l, struct vcb_err *err)
{
    static const char *const names[3] = {"--memory", "--memory-soft", "--memory-low"};
    if (l->cpu_weight && vcb_limit_check_cpu_weight((double)l->cpu_weight, "--cpu-weight", err) < 0)
        return -1;
    if (l->memory_soft && vcb_limit_check_memory_soft(l->memory_soft, "--memory-soft", err) < 0)
        return -1;
    if (l->memory_low && vcb_limit_check_memory_soft(l->memory_low, "--memory-low", err) < 0)
        return -1;
    return vcb_limits_check_pairs(l, "", names, err);
}

static int limits_check_io(const struct vcb_io_limits *io, struct vcb_err *err)
{
    if (io->rbps && vcb_limit_check_io_bps(io->rbps, "--io-read-bps", err) < 0)
        return -1;
    if (io->wbps && vcb_limit_check_io_bps(io->wbps, "--io-write-bps", err) < 0)
        return -1;
    if (io->riops && vcb_limit_check_io_iops((double)io->riops, "--io-read-iops", err) < 0)
        return -1;
    if (io->wiops && vcb_limit_check_io_iops((double)io->wiops, "--io-write-iops", err) < 0)
        return -1;
    if (io->weight && vcb_limit_check_io_weight((double)io->weight, "--io-weight", err) < 0)
        return -1;
    return 0;
}

int vcb_limits_check(const struct vcb_limits *l, struct vcb_err *err)
{
    if (l->cpus != 0 && vcb_limit_check_cpus(l->cpus, "--cpus", err) < 0)
        return -1;
    if (l->memory_bytes != 0 && vcb_limit_check_memory(l->memory_bytes, "--memory", err) < 0)
        return -1;
    if (l->pids != 0 && vcb_limit_check_pids((double)l->pids, "--pids", err) < 0)
        return -1;
    if (l->cpuset[0] && vcb_limit_check_cpuset(l->cpuset, "--cpuset", err) < 0)
        return -1;
    return limits_check_soft(l, err) < 0 ? -1 : limits_check_io(&l->io, err);
}
