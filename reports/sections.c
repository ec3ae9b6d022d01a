/* SPDX-License-Identifier: LGPL-2.1-or-later */
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

static bool is_peers(const struct rpt_entry *e)
{
    return strcmp(e->scenario, "peers") == 0;
}

/* Anything a newer runner writes that no section knows still gets a table. */
static bool is_other(const struct rpt_entry *e)
{
    return !rpt_is_boot_serial(e) && !rpt_is_boot_concurrent(e) && !is_memory(e) &&
           !is_density(e) && !is_isolation(e) && !is_peers(e);
}

const struct rpt_section rpt_sections[] = {
    {"boot",
     "Boot latency",
     rpt_is_boot_serial,
     {"boot-ecdf", "boot-pctl", "boot-phases", NULL},
     "Each backend started the same workload image many times, one instance at a time, the "
     "backends in a freshly shuffled order each round. Boot "
     "latency runs from the create call to the workload's \"ready\" line, stamped with the "
     "host's monotonic clock when the line arrives; the guest's own clock only splits the "
     "phases (create to started: the runtime or libvirt and qemu; started to init: exec for a "
     "process or container, and for a VM, split as Kata's launch_times does, to kernel — what "
     "passed before the guest kernel's clock started: qemu, firmware, the kernel's own "
     "unpacking — and in kernel, the guest's uptime when vcb-init ran; init to ready: the "
     "workload; ready to gone: the quit). The ECDF shows every boot; "
     "the bars show the median with its 95% confidence interval and the 99th percentile. The "
     "plain process is the control: what is left once isolation is taken away.",
     false,
     NULL,
     NULL,
     false},
    {"concurrent",
     "Concurrent boot",
     rpt_is_boot_concurrent,
     {"concurrent-ecdf", "concurrent-latency", "concurrent-all-ready", "concurrent-rate", NULL},
     "For each N of the suite, N launcher threads were released together at a barrier, each "
     "creating and starting one instance and then reading that instance's own channel, so "
     "every line is stamped when it arrives (a VM's by libvirt's event thread), not when the "
     "harness gets round to it. Latency is per instance, from its create call to its ready "
     "line: every sample in the ECDF (one curve per N), the median with its 95% CI against N. "
     "All ready is, per round, the time from the first create call to the last ready line; "
     "the rate is N divided by it. A flat latency line means the backend scales on this "
     "host; a rising one shows where instances start to queue.",
     false,
     NULL,
     NULL,
     false},
    {"memory",
     "Host memory per instance",
     is_memory,
     {"memory", NULL},
     "The headline is the density scenario's figure: the slope of host memory in use against "
     "idle instances running, fitted by least squares, with its 95% CI; one whose CI includes "
     "0, or that is negative, is not a cost and is shown as not resolved. The breakdown "
     "explains it: one instance of the workload (idle, or allocating a fixed amount) was "
     "started and left at rest before measuring. Host cost is the proportional set size (PSS) "
     "of its host processes plus the kernel memory charged for it: its cgroup's for a "
     "container (on cgroup v1 the launching thread steps into the instance's memory cgroup for "
     "the clone, so the task, its kernel stack and its namespaces are charged there; on v2 they "
     "stay with vcbench's cgroup, shown as kernel memory charged elsewhere), the cgroup libvirt "
     "put qemu in for a VM, and for the plain process, which has no cgroup, an estimate from "
     "/proc (page tables and kernel stacks). Workload use is what the workload itself holds "
     "(for a VM, what the guest reports in use); overhead is the rest. For a VM, qemu's PSS "
     "splits into the guest RAM mapping and the VMM itself. The image's page cache is shared "
     "by every instance and counted apart.",
     false,
     rpt_mem_html,
     rpt_mem_md,
     false},
    {"density",
     "Density",
     is_density,
     {"density", NULL},
     "Idle instances were started step by step, up to the suite's cap for the backend or its "
     "MemAvailable floor, then destroyed step by step, while the host's MemAvailable was read "
     "(per-CPU counters folded in first) once it had settled after each step; host memory in "
     "use is the drop from the start. The line drawn is the way up; the dashed one is the fit: "
     "least squares of memory in use on instances and on time, so that the host's own drift, "
     "which goes on while the instances go, is not taken for their cost. Its slope, with a 95% "
     "CI (widened where the host moved in steps), is what one more instance costs. The "
     "per-step drops are kept too, but memory freed by other work lands in a step's window; "
     "when one instance is below the host's noise, several are started per step.",
     false,
     NULL,
     NULL,
     false},
    {"isolation",
     "Isolation under a noisy neighbour",
     is_isolation,
     {"isolation", NULL},
     "A victim workload ran alone for its baseline score and next to an aggressor (a CPU, "
     "memory-bandwidth, memory or fork hog) in a second instance of the same backend, the "
     "solo and aggressor samples of all backends shuffled round by round. Degradation is the "
     "victim's slowdown against its baseline: median with 95% CI. Hatched bars ran with no "
     "limits: the control that shows what limits buy. DNF marks a victim that did not "
     "finish. The aggressor's fate is written above its bar, as the host recorded it: "
     "throttled (its cgroup's cpu.stat counted throttled periods, or a VM's vCPUs were busy "
     "all along), oom-killed (a kernel counted the OOM kill: the cgroup's, or the guest's "
     "own), killed (SIGKILL with no OOM count), pids-capped, mem-capped, or ran. Its own "
     "score (aggressor_score) and how much its quota held it back (aggressor_throttled, "
     "aggressor_vcpu_busy) are in the table.",
     false,
     NULL,
     NULL,
     false},
    {"disk",
     "Disk I/O under a noisy neighbour",
     rpt_is_disk,
     {"disk-throughput", "disk-latency", NULL},
     "The diskio victim ran alone and next to each aggressor, in the isolation scenario's "
     "shuffled rounds, on a raw scratch volume of its own in every arm: a file on the host for a "
     "process, the same kind of file bind-mounted into a container, a virtio-blk disk backed by "
     "one for a VM (cache=none, io=native). It opens the volume with O_DIRECT, so the page "
     "cache, the host's or a guest's, is kept out of every figure, and splits its time in four "
     "equal phases: sequential writes, then reads, of 1 MiB blocks (MB/s), then random reads, "
     "then writes, of 4 KiB blocks (IOPS, with the 50th and 99th percentile latency of one "
     "request). Each figure is the median over the samples with its 95% CI, solo and beside "
     "each aggressor; the path column and the lines under the plots say how each arm saw its "
     "volume and with which cache. VM figures marked emulated (TCG) ran without KVM.",
     true,
     rpt_disk_html,
     rpt_disk_md,
     true},
    {"network",
     "Network I/O under a noisy neighbour",
     rpt_is_net,
     {"network", NULL},
     "The netio victim ran alone and next to each aggressor, in the isolation scenario's "
     "shuffled rounds, against a peer the host started beside it: a TCP stream for the first "
     "half of its time (MB/s), then one-byte TCP request/response transactions (per second, "
     "with the 50th and 99th percentile of one round trip). Every packet stays on loopback or "
     "in the run's own namespaces: host loopback for a plain process, a veth pair and bridge in "
     "the run's network namespace for a container (or pasta, user-mode, with --net user), passt "
     "(user-mode) for a VM; nothing leaves the host. The path column and the lines under the "
     "plot name each arm's path. Each figure is the median over the samples with its 95% CI, "
     "solo and beside each aggressor. VM figures marked emulated (TCG) ran without KVM.",
     true,
     rpt_net_html,
     rpt_net_md,
     true},
    {"peers",
     "The testbed's own speed against its peers",
     is_peers,
     {"peers-start", "peers-vm", NULL},
     "vcbench peers ran every peer once per round, interleaved (A B C … A B C) after discarded "
     "warm-up rounds, so a host that drifts shifts every peer alike. Every container peer "
     "started the same program (/init noop: ready, exit) in the same rootfs. A whole command "
     "(crun, runc, bwrap, unshare, vcbench launch, vcbench --version and --help, /bin/true) is "
     "timed from just before posix_spawn to waitpid's return on the monotonic clock, its own "
     "start-up included; in-process rows (our launcher, from the create call to destroy() "
     "returned, and clone-floor) start no command. Each row says which, and each ratio pairs "
     "like with like under its heading; the one that does not (the launcher against unshare, "
     "as its target is set) says so. A sample counts only if the program reported its exit. "
     "clone-floor, a bare clone into new namespaces with chroot and exec, is the least any "
     "container start does; /bin/true the least any command does; spawn is no isolation at "
     "all. On a hybrid cgroup host crun and runc only run inside an unshare + sh + umount "
     "wrapper, which the wrapper arms time alone so it can be subtracted, round by round; "
     "the ratio with it subtracted carries the target. The VM peers boot the same kernel and "
     "initramfs "
     "through our libvirt driver and as bare qemu with libvirt's own command line, to the "
     "guest's ready line and to the end. Bars are medians, whiskers p5–p95 for containers and "
     "the 95% CI of the median for VMs; each ratio is one of medians, judged against its "
     "target.",
     true,
     rpt_peers_html_ratios,
     rpt_peers_md_ratios,
     false},
    {"other",
     "Other results",
     is_other,
     {NULL},
     "Results of scenarios this version of the report does not plot, shown as recorded.",
     true,
     NULL,
     NULL,
     false},
};
const size_t rpt_n_sections = sizeof(rpt_sections) / sizeof(rpt_sections[0]);
