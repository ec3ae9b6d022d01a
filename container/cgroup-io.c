/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cgroup-io.c — block I/O limits of one disk: v2 io.max and a weight, v1
 * blkio.throttle.* and blkio.bfq.weight_device. A weight only means
 * something under a scheduler that shares by weight (BFQ), or v2's iocost
 * when it is enabled for the disk; elsewhere it is refused, not ignored. */
#include <errno.h>
#include <string.h>

#include "container-priv.h"

#define V2 0

/* Does the v2 root enable iocost (io.cost.qos "MAJ:MIN enable=1 …") for dev? */
static bool v2_iocost_on(const struct ct_cgroup *cg, const struct vcb_blockdev *dev)
{
    char path[PATH_MAX], want[64];
    cleanup_free char *text = NULL;
    struct vcb_err ignored = {0};
    if (ct_pathf(path, sizeof path, "%s/io.cost.qos", cg->host->root) < 0 ||
        vcb_read_file(path, &text, NULL, &ignored) < 0)
        return false;
    snprintf(want, sizeof want, "%u:%u enable=1", dev->major, dev->minor);
    return strstr(text, want) != NULL;
}

static int io_weight_refused(const struct ct_cgroup *cg, const struct vcb_blockdev *dev,
                             struct vcb_err *err)
{
    return vcb_err_set(err, ENOTSUP,
                       "cgroup %s: --io-weight is not honoured on %s (%u:%u): its I/O "
                       "scheduler is %s, which ignores weights (bfq honours them: echo bfq > "
                       "/sys/block/%s/queue/scheduler)",
                       cg->name, dev->name, dev->major, dev->minor, dev->sched, dev->name);
}

int ct_cg_v2_io(struct ct_cgroup *cg, const struct vcb_io_limits *io,
                const struct vcb_blockdev *dev, struct vcb_err *err)
{
    char v[192];
    bool bfq = !strcmp(dev->sched, "bfq");
    if (io->weight && !bfq && !v2_iocost_on(cg, dev))
        return io_weight_refused(cg, dev, err); /* before any write: all or nothing */
    int n = snprintf(v, sizeof v, "%u:%u", dev->major, dev->minor);
    const struct {
        const char *key;
        uint64_t val;
    } t[] = {{"rbps", io->rbps}, {"wbps", io->wbps}, {"riops", io->riops}, {"wiops", io->wiops}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (t[i].val)
            n += snprintf(v + n, sizeof v - (size_t)n, " %s=%llu", t[i].key,
                          (unsigned long long)t[i].val);
    if (strchr(v, '=') && ct_cg_write(cg, cg->dfd[V2], "io.max", v, err) < 0)
        return -1;
    if (!io->weight)
        return 0;
    snprintf(v, sizeof v, "%u:%u %llu", dev->major, dev->minor, (unsigned long long)io->weight);
    return ct_cg_write(cg, cg->dfd[V2], bfq ? "io.bfq.weight" : "io.weight", v, err);
}

int ct_cg_v1_io(struct ct_cgroup *cg, const struct vcb_io_limits *io,
                const struct vcb_blockdev *dev, struct vcb_err *err)
{
    const struct {
        const char *file;
        uint64_t val;
    } t[] = {{"blkio.throttle.read_bps_device", io->rbps},
             {"blkio.throttle.write_bps_device", io->wbps},
             {"blkio.throttle.read_iops_device", io->riops},
             {"blkio.throttle.write_iops_device", io->wiops},
             {"blkio.bfq.weight_device", io->weight}};
    int fd = cg->dfd[CT_CTL_BLKIO];
    if (io->weight && strcmp(dev->sched, "bfq") != 0)
        return io_weight_refused(cg, dev, err);
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char v[64];
        snprintf(v, sizeof v, "%u:%u %llu", dev->major, dev->minor, (unsigned long long)t[i].val);
        if (t[i].val && ct_cg_write(cg, fd, t[i].file, v, err) < 0)
            return -1;
    }
    return 0;
}

int ct_cgroup_io_apply(struct ct_cgroup *cg, const struct vcb_io_limits *io, const char *host_file,
                       struct vcb_err *err)
{
    struct vcb_blockdev dev;
    if (!host_file)
        return vcb_err_set(err, EINVAL, "cgroup %s: I/O limits need the file whose disk they limit",
                           cg->name);
    if (vcb_blockdev_of_path(host_file, &dev, err) < 0)
        return vcb_err_prefix(err, "cgroup %s: I/O limits", cg->name);
    return cg->host->ops->io(cg, io, &dev, err);
}
