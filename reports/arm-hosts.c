/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* arm-hosts.c — which host ran each arm, and where each memory figure was
 * read. With a remote libvirt URI the VM arm runs on another host than the
 * control and the containers: a VM figure beside a container figure then
 * compares two hosts as well as two walls, and a remote guest's memory is
 * what libvirt reports (qemu's RSS), not the PSS read from /proc here. The
 * report says both wherever they apply. */
#include <string.h>

#include "rpt-priv.h"

static const char *vm_host_str(const struct rpt_run *run, const char *key)
{
    return json_string_value(json_object_get(run->host.vm_host, key));
}

bool rpt_vm_remote(const struct rpt_run *run)
{
    return json_is_true(json_object_get(run->host.vm_host, "remote"));
}

bool rpt_arm_hosts_line(const struct rpt_run *run, char *buf, size_t len)
{
    const char *here = run->host.hostname ? run->host.hostname : "?";
    const char *there = vm_host_str(run, "hostname"), *uri = vm_host_str(run, "uri");
    const char *cpu = vm_host_str(run, "cpu_model");
    buf[0] = '\0';
    if (!rpt_vm_remote(run))
        return false;
    snprintf(buf, len,
             "containers and the control ran on %s; VMs on %s, a remote libvirt host (%s%s%s): a "
             "different experiment: a VM figure beside a container figure compares two hosts as "
             "well as two walls%s",
             here, there ? there : "a host that did not say its name",
             uri ? uri : "URI not recorded", cpu ? ", CPU " : "", cpu ? cpu : "",
             there && !strcmp(there, here)
                 ? " (both report the same hostname: perhaps one machine reached over the network)"
                 : "");
    rpt_utf8_trim(buf);
    return true;
}

const char *rpt_vm_where(const struct rpt_run *run, char *buf, size_t len)
{
    const char *there = vm_host_str(run, "hostname");
    buf[0] = '\0';
    if (rpt_vm_remote(run))
        snprintf(buf, len, " on %s (a remote libvirt host)", there ? there : "another host");
    rpt_utf8_trim(buf);
    return buf;
}

bool rpt_vm_host_text(const struct rpt_run *run, char *buf, size_t len)
{
    const char *there = vm_host_str(run, "hostname"), *uri = vm_host_str(run, "uri");
    if (!run->host.vm_host) {
        snprintf(buf, len, "%s", run->host.accel ? "not recorded" : "no VM arm");
        return run->host.accel == NULL; /* a VM arm in a file without the fact */
    }
    if (rpt_vm_remote(run))
        snprintf(buf, len, "%s (remote libvirt host, %s)", there ? there : "?", uri ? uri : "?");
    else
        snprintf(buf, len, "this run's host (%s)", uri ? uri : "?");
    rpt_utf8_trim(buf);
    return true;
}

const char *rpt_mem_source(const struct rpt_entry *e)
{
    return e && e->notes ? json_string_value(json_object_get(e->notes, "memory_source")) : NULL;
}

/* Append "backend" to the group of entries with source src, in order. */
static void group_add(char groups[][256], const char **srcs, size_t *n, const char *src,
                      const char *backend)
{
    size_t g = 0;
    while (g < *n && strcmp(srcs[g], src) != 0)
        g++;
    if (g == *n && *n < 8)
        srcs[(*n)++] = src, groups[g][0] = '\0';
    if (g < 8 && !strstr(groups[g], backend)) {
        size_t o = strlen(groups[g]);
        snprintf(groups[g] + o, 256 - o, "%s%s", o ? ", " : "", backend);
    }
}

bool rpt_mem_sources_mixed(const struct rpt_entry *const *e, size_t n, char *buf, size_t len)
{
    char groups[8][256];
    const char *srcs[8];
    size_t ng = 0, o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++)
        if (rpt_mem_source(e[i]))
            group_add(groups, srcs, &ng, rpt_mem_source(e[i]), e[i]->backend);
    for (size_t g = 0; ng > 1 && g < ng && o < len; g++) {
        int w = snprintf(buf + o, len - o, "%s%s: %s", g ? "; " : "", groups[g], srcs[g]);
        o += w > 0 ? (size_t)w : 0;
    }
    rpt_utf8_trim(buf);
    return ng > 1;
}
