/* limits.c — the one limits struct every backend maps to its own knobs. */
#include <ctype.h>
#include <string.h>
#include <stdlib.h>

#include "vcb-driver.h"

bool vcb_limits_any(const struct vcb_limits *l)
{
    return l->cpus > 0 || l->memory_bytes > 0 || l->pids > 0 || l->cpuset[0];
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

int vcb_limits_check(const struct vcb_limits *l, struct vcb_err *err)
{
    if (l->cpus != 0 && (l->cpus < 0.01 || l->cpus > 4096))
        return vcb_err_usage(err, "--cpus: %g is out of range (expected 0.01 to 4096)", l->cpus);
    if (l->memory_bytes != 0 && l->memory_bytes < 4 * 1024 * 1024)
        return vcb_err_usage(err, "--memory: %llu bytes is too small (expected at least 4MiB)",
                             (unsigned long long)l->memory_bytes);
    unsigned char want[CPU_MAX / 8];
    if (l->cpuset[0] && !cpulist_parse(l->cpuset, want))
        return vcb_err_usage(err, "--cpuset: \"%s\" is not a CPU list (expected e.g. 1 or 0-1,3)",
                             l->cpuset);
    int off = l->cpuset[0] ? cpu_offline(want) : -1;
    if (off >= 0)
        return vcb_err_usage(err,
                             "--cpuset: CPU %d is not online on this host (see "
                             "/sys/devices/system/cpu/online)",
                             off);
    return 0;
}
