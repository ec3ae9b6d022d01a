/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vm-xml-io.c — libvirt's block I/O limit elements from the limits: qemu's
 * throttling of one virtual disk (<iotune>) and the host cgroup's weight of
 * the domain (<blkiotune>). Pure text, placed by whoever builds the disk. */
#include <errno.h>
#include <string.h>

#include "vm-priv.h"

/* libvirt refuses a blkiotune weight below this (its v1-era range). */
#define VM_BLKIO_WEIGHT_MIN 100

static int vm_xml_text(FILE *f, char **buf, const char *what, char **out, struct vcb_err *err)
{
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(*buf);
        return vcb_err_sys(err, ENOMEM, "%s XML", what);
    }
    *out = steal_pointer(buf);
    return 0;
}

int vm_xml_iotune(const struct vcb_io_limits *io, char **out, struct vcb_err *err)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    const struct {
        const char *tag;
        uint64_t val;
    } t[] = {{"read_bytes_sec", io->rbps},
             {"write_bytes_sec", io->wbps},
             {"read_iops_sec", io->riops},
             {"write_iops_sec", io->wiops}};
    if (!f)
        return vcb_err_sys(err, errno, "iotune XML");
    bool any = io->rbps || io->wbps || io->riops || io->wiops;
    if (any)
        fputs("      <iotune>\n", f);
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (t[i].val)
            fprintf(f, "        <%s>%llu</%s>\n", t[i].tag, (unsigned long long)t[i].val, t[i].tag);
    if (any)
        fputs("      </iotune>\n", f);
    return vm_xml_text(f, &buf, "iotune", out, err);
}

int vm_xml_blkiotune(const struct vcb_io_limits *io, const struct vcb_blockdev *dev, char **out,
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
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return vcb_err_sys(err, errno, "blkiotune XML");
    if (io->weight)
        fprintf(f, "  <blkiotune>\n    <weight>%llu</weight>\n  </blkiotune>\n",
                (unsigned long long)io->weight);
    return vm_xml_text(f, &buf, "blkiotune", out, err);
}
