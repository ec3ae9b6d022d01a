/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vm-xml-io.c — a domain's block I/O limits as libvirt's <blkiotune>: the
 * host cgroup's throttles (and weight) of the qemu process on the disk
 * holding its scratch volume — the mechanism the container arms get, so
 * the arms are throttled alike. Not <iotune> (qemu's own throttle of one
 * virtual disk): libvirt 9.0 applies it with block_set_io_throttle on a
 * PCI device path, and on microvm's virtio-mmio disk qemu answers "Device
 * '/machine/peripheral/virtio-disk1/virtio-backend' not found". */
#include <errno.h>
#include <string.h>

#include "vm-priv.h"

/* libvirt refuses a blkiotune weight below this (its v1-era range). */
#define VM_BLKIO_WEIGHT_MIN 100

static int vm_blkio_check(const struct vcb_io_limits *io, const struct vcb_blockdev *dev,
                          struct vcb_err *err)
{
    if (io->weight && io->weight < VM_BLKIO_WEIGHT_MIN)
        return vcb_err_usage(err, "vm backend: --io-weight %llu is below libvirt's minimum of 100",
                             (unsigned long long)io->weight);
    if (io->weight && strcmp(dev->sched, "bfq") != 0)
        return vcb_err_set(err, ENOTSUP,
                           "vm backend: --io-weight is not honoured on %s (%u:%u): its I/O "
                           "scheduler is %s, which ignores weights (bfq honours them)",
                           dev->name, dev->major, dev->minor, dev->sched);
    return 0;
}

int vm_xml_blkiotune(const struct vcb_io_limits *io, const struct vcb_blockdev *dev, char **out,
                     struct vcb_err *err)
{
    const struct {
        const char *tag;
        uint64_t val;
    } t[] = {{"read_bytes_sec", io->rbps},
             {"write_bytes_sec", io->wbps},
             {"read_iops_sec", io->riops},
             {"write_iops_sec", io->wiops}};
    if (vm_blkio_check(io, dev, err) < 0)
        return -1;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return vcb_err_sys(err, errno, "blkiotune XML");
    bool throttle = io->rbps || io->wbps || io->riops || io->wiops;
    if (io->weight || throttle)
        fputs("  <blkiotune>\n", f);
    if (io->weight)
        fprintf(f, "    <weight>%llu</weight>\n", (unsigned long long)io->weight);
    if (throttle) /* libvirt names the disk by its node and writes MAJ:MIN */
        fprintf(f, "    <device>\n      <path>/dev/%s</path>\n", dev->name);
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (t[i].val)
            fprintf(f, "      <%s>%llu</%s>\n", t[i].tag, (unsigned long long)t[i].val, t[i].tag);
    if (throttle)
        fputs("    </device>\n", f);
    if (io->weight || throttle)
        fputs("  </blkiotune>\n", f);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return vcb_err_sys(err, ENOMEM, "blkiotune XML");
    }
    *out = buf;
    return 0;
}

int vm_io_plan(const struct vcb_instance_spec *spec, struct vm_xml_config *c, char **blkiotune,
               struct vcb_err *err)
{
    const struct vcb_io_limits *io = &spec->limits.io;
    struct vcb_blockdev dev;
    char node[64];
    if (!vcb_io_limits_any(io))
        return 0;
    if (!spec->scratch)
        return vcb_err_usage(err, "vm backend: --io-* limits throttle the domain's scratch disk, "
                                  "which only a disk workload (diskio, diskhog) has");
    if (vcb_blockdev_of_path(spec->scratch, &dev, err) < 0)
        return -1;
    snprintf(node, sizeof node, "/dev/%s", dev.name);
    if (!vcb_path_exists(node))
        return vcb_err_set(err, ENOENT,
                           "vm backend: I/O limits: %s (%u:%u, holding %s) has no node in /dev "
                           "for libvirt to name it by",
                           node, dev.major, dev.minor, spec->scratch);
    if (vm_xml_blkiotune(io, &dev, blkiotune, err) < 0)
        return -1;
    c->blkiotune = (*blkiotune)[0] ? *blkiotune : NULL;
    return 0;
}
