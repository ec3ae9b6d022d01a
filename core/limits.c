/* limits.c — the one limits struct every backend maps to its own knobs. */
#include <ctype.h>
#include <string.h>

#include "vcb-driver.h"

bool vcb_limits_any(const struct vcb_limits *l)
{
    return l->cpus > 0 || l->memory_bytes > 0 || l->pids > 0 || l->cpuset[0];
}

/* "0-3,5,7-8": digits, ranges and commas only, ranges ascending. */
static bool cpuset_valid(const char *s)
{
    const char *p = s;
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
        if (hi < lo || hi > 4095)
            return false;
        if (*p == ',' && p[1])
            p++;
        else if (*p)
            return false;
    }
    return true;
}

int vcb_limits_check(const struct vcb_limits *l, struct vcb_err *err)
{
    if (l->cpus != 0 && (l->cpus < 0.01 || l->cpus > 4096))
        return vcb_err_usage(err, "--cpus: %g is out of range (expected 0.01 to 4096)", l->cpus);
    if (l->memory_bytes != 0 && l->memory_bytes < 4 * 1024 * 1024)
        return vcb_err_usage(err, "--memory: %llu bytes is too small (expected at least 4MiB)",
                             (unsigned long long)l->memory_bytes);
    if (l->cpuset[0] && !cpuset_valid(l->cpuset))
        return vcb_err_usage(err, "--cpuset: \"%s\" is not a CPU list (expected e.g. 1 or 0-1,3)",
                             l->cpuset);
    return 0;
}
