/* sections.c — the report's scenarios, in reading order: which results
 * belong to each, its plots, and one paragraph on how it was measured. */
#include <string.h>

#include "rpt-priv.h"

static bool is_memory(const struct rpt_entry *e)
{
    return strcmp(e->scenario, "memory") == 0;
}

static bool is_density(const struct rpt_entry *e)
{
    return strcmp(e->scenario, "density") == 0;
}

static bool is_isolation(const struct rpt_entry *e)
{
    return strcmp(e->scenario, "isolation") == 0;
}

/* Anything a newer runner writes that no section knows still gets a table. */
static bool is_other(const struct rpt_entry *e)
{
    return !rpt_is_boot_serial(e) && !rpt_is_boot_concurrent(e) && !is_memory(e) &&
           !is_density(e) && !is_isolation(e);
}

const struct rpt_section rpt_sections[] = {
    {"boot",
     "Boot latency",
     rpt_is_boot_serial,
     {"boot-ecdf", "boot-pctl", "boot-phases", NULL},
     "Each backend started the same workload image many times, one after another. Boot "
     "latency runs from the create call to the workload's \"ready\" line, stamped with the "
     "host's monotonic clock when the line arrives; the guest's own clock only splits the "
     "phases (create to started: the runtime or libvirt and qemu; started to init: the kernel "
     "for a VM, exec for the others; init to ready: the workload). The ECDF shows every boot; "
     "the bars show the median with its 95% confidence interval and the 99th percentile. The "
     "plain process is the control: what is left once isolation is taken away."},
    {"concurrent",
     "Concurrent boot",
     rpt_is_boot_concurrent,
     {"concurrent-latency", "concurrent-rate", NULL},
     "N instances were created at once, for each N of the suite. Latency is per instance, "
     "from its create call to its ready line (median with 95% CI); the rate is N divided by "
     "the time until the last instance was ready. A flat latency line means the backend "
     "scales on this host; a rising one shows where instances start to queue."},
    {"memory",
     "Memory per instance",
     is_memory,
     {"memory", NULL},
     "One instance of the workload (idle, or allocating a fixed amount) was started and left "
     "at rest before measuring. Host cost is what the host pays for it: for a container the "
     "memory charged to its cgroup plus the launcher's resident share, for a VM the "
     "proportional set size (PSS) of its qemu process. Workload use is what the workload "
     "itself holds; overhead is the rest: the price of the isolation."},
    {"density",
     "Density",
     is_density,
     {"density", NULL},
     "Idle instances were started one after another while the host's MemAvailable was "
     "read after each; host memory in use is the drop from the start. The slope of each line "
     "is the real cost of one more instance, a cross-check of the memory scenario that "
     "includes what per-instance figures miss (shared pages, kernel structures)."},
    {"isolation",
     "Isolation under a noisy neighbour",
     is_isolation,
     {"isolation", NULL},
     "A victim workload ran alone for its baseline score, then next to an aggressor (a CPU, "
     "memory-bandwidth, memory or fork hog) in a second instance of the same backend. Degradation "
     "is the "
     "victim's slowdown against its baseline: median with 95% CI. Hatched bars ran with no "
     "limits: the control that shows what limits buy. DNF marks a victim that did not "
     "finish; the aggressor's fate (throttled, oom-killed, pids-capped) is written above its "
     "bar."},
    {"other",
     "Other results",
     is_other,
     {NULL},
     "Results of scenarios this version of the report does not plot, shown as recorded."},
};
const size_t rpt_n_sections = sizeof(rpt_sections) / sizeof(rpt_sections[0]);
