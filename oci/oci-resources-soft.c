/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* oci-resources-soft.c — the soft and block I/O limits in an OCI bundle's
 * linux.resources. The spec's fields are v1's (cpu.shares, a memory
 * reservation that runtimes map to memory.low on v2); on a v2 host the
 * exact files go in "unified" instead, so every arm gets the same knob:
 * cpu.weight, memory.high, memory.low. */
#include <errno.h>
#include <string.h>

#include "oci-priv.h"

static void unified_set(json_t *r, const char *file, uint64_t v)
{
    json_t *u = json_object_get(r, "unified");
    char text[32];
    if (!u)
        json_object_set_new(r, "unified", u = json_object());
    snprintf(text, sizeof text, "%llu", (unsigned long long)v);
    json_object_set_new(u, file, json_string(text));
}

/* r's object key, made when missing. */
static json_t *section(json_t *r, const char *key)
{
    json_t *o = json_object_get(r, key);
    if (!o)
        json_object_set_new(r, key, o = json_object());
    return o;
}

static int soft_v1(const struct vcb_limits *l, json_t *r, struct vcb_err *err)
{
    if (l->memory_low)
        return vcb_err_usage(err, "OCI runtime: --memory-low needs cgroup v2's memory.low; this "
                                  "host's memory controller is v1 (its soft limit is "
                                  "--memory-soft)");
    if (l->cpu_weight)
        json_object_set_new(section(r, "cpu"), "shares",
                            json_integer((json_int_t)vcb_cpu_weight_to_shares(l->cpu_weight)));
    if (l->memory_soft) /* v1: memory.soft_limit_in_bytes */
        json_object_set_new(section(r, "memory"), "reservation",
                            json_integer((json_int_t)l->memory_soft));
    return 0;
}

static json_t *throttle(const struct vcb_blockdev *d, uint64_t rate)
{
    return json_pack("[{s:I, s:I, s:I}]", "major", (json_int_t)d->major, "minor",
                     (json_int_t)d->minor, "rate", (json_int_t)rate);
}

/* blockIO on the disk holding io_file; a weight only under BFQ. */
static int block_io(const struct vcb_io_limits *io, const char *io_file, json_t *r,
                    struct vcb_err *err)
{
    struct vcb_blockdev d;
    const struct {
        const char *key;
        uint64_t v;
    } t[] = {{"throttleReadBpsDevice", io->rbps},
             {"throttleWriteBpsDevice", io->wbps},
             {"throttleReadIOPSDevice", io->riops},
             {"throttleWriteIOPSDevice", io->wiops}};
    if (vcb_blockdev_of_path(io_file, &d, err) < 0)
        return vcb_err_prefix(err, "OCI runtime: I/O limits");
    if (io->weight && strcmp(d.sched, "bfq") != 0)
        return vcb_err_set(err, ENOTSUP,
                           "OCI runtime: --io-weight is not honoured on %s (%u:%u): its I/O "
                           "scheduler is %s, which ignores weights (bfq honours them)",
                           d.name, d.major, d.minor, d.sched);
    json_t *b = section(r, "blockIO");
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (t[i].v)
            json_object_set_new(b, t[i].key, throttle(&d, t[i].v));
    if (io->weight)
        json_object_set_new(b, "weightDevice",
                            json_pack("[{s:I, s:I, s:I}]", "major", (json_int_t)d.major, "minor",
                                      (json_int_t)d.minor, "weight", (json_int_t)io->weight));
    return 0;
}

int oci_resources_soft(const struct vcb_limits *l, const char *io_file, json_t *r,
                       struct vcb_err *err)
{
    if (oci_cg_mode() != OCI_CG_V2) {
        if (soft_v1(l, r, err) < 0)
            return -1;
    } else {
        if (l->cpu_weight)
            unified_set(r, "cpu.weight", l->cpu_weight);
        if (l->memory_soft)
            unified_set(r, "memory.high", l->memory_soft);
        if (l->memory_low)
            unified_set(r, "memory.low", l->memory_low);
    }
    return vcb_io_limits_any(&l->io) ? block_io(&l->io, io_file, r, err) : 0;
}
