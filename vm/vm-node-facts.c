/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vm-node-facts.c — the facts of the host that runs the guests, read over
 * the libvirt connection itself, so a remote URI describes the remote host
 * and not the machine vcbench was typed on. Each fact names the call it
 * came from; one that libvirt cannot give is null with the reason. */
#include <string.h>

#include "vm-priv.h"

void vm_version_str(unsigned long v, char *buf, size_t len)
{
    snprintf(buf, len, "%lu.%lu.%lu", v / 1000000, (v / 1000) % 1000, v % 1000);
}

static void why_virt(char *why, const char *call)
{
    struct vcb_err e = {0};
    vm_err_virt(&e, "%s failed", call);
    snprintf(why, VM_WHY_MAX, "%s", e.msg);
}

void vm_node_raw_read(virConnectPtr conn, const char *uri, struct vm_node_raw *raw)
{
    struct vcb_err e = {0};
    memset(raw, 0, sizeof(*raw));
    raw->uri = uri;
    raw->remote = !vm_uri_is_local(uri);
    char *host = virConnectGetHostname(conn);
    if (host)
        snprintf(raw->hostname, sizeof raw->hostname, "%s", host);
    else
        why_virt(raw->hostname_why, "virConnectGetHostname");
    free(host);
    if (virNodeGetInfo(conn, &raw->info) < 0)
        why_virt(raw->info_why, "virNodeGetInfo");
    if (!(raw->caps = virConnectGetCapabilities(conn)))
        why_virt(raw->caps_why, "virConnectGetCapabilities");
    if (!(raw->sysinfo = virConnectGetSysinfo(conn, 0)))
        why_virt(raw->sysinfo_why, "virConnectGetSysinfo");
    if (vm_node_memstats_read(conn, &raw->mem, &e) < 0)
        snprintf(raw->mem_why, sizeof raw->mem_why, "%s", e.msg);
    if (virConnectGetLibVersion(conn, &raw->lib_version) < 0 ||
        virConnectGetVersion(conn, &raw->hv_version) < 0)
        why_virt(raw->version_why, "virConnectGetLibVersion/virConnectGetVersion");
}

void vm_node_raw_free(struct vm_node_raw *raw)
{
    free((char *)raw->caps);
    free((char *)raw->sysinfo);
    raw->caps = raw->sysinfo = NULL;
}

/* key = v with its source, or null with why: v NULL, or a call that
 * failed (a non-empty why; v is then dropped). */
static void fact(json_t *o, json_t *src, const char *key, json_t *v, const char *source,
                 const char *why)
{
    bool ok = v && (!why || !why[0]);
    json_object_set_new(o, key, ok ? v : json_null());
    json_object_set_new(src, key, json_string(ok ? source : why && why[0] ? why : "not given"));
    if (!ok)
        json_decref(v);
}

static void facts_info(const struct vm_node_raw *r, json_t *o, json_t *src)
{
    const virNodeInfo *i = &r->info;
    const char *w = r->info_why, *s = "virNodeGetInfo";
    fact(o, src, "arch", json_string(i->model), s, w);
    fact(o, src, "cores", json_integer(i->cpus), s, w);
    fact(o, src, "sockets", json_integer(i->sockets), s, w);
    fact(o, src, "cores_per_socket", json_integer(i->cores), s, w);
    fact(o, src, "threads_per_core", json_integer(i->threads), s, w);
    fact(o, src, "numa_cells", json_integer(i->nodes), s, w);
    fact(o, src, "cpu_mhz", json_integer(i->mhz), s, w);
    fact(o, src, "node_info_memory_bytes", json_integer((json_int_t)i->memory * 1024),
         "virNodeGetInfo (the NUMA cells' memory)", w);
}

/* Why a value of an XML document is missing: the call failed, or the
 * document has no such element. */
static const char *xml_why(bool have, const char *doc, const char *call_why, const char *missing)
{
    return have ? "" : doc ? missing : call_why;
}

/* libvirt's name of the host CPU model, and the SMBIOS processor and system
 * names where the host has SMBIOS. */
static void facts_cpu(const struct vm_node_raw *r, json_t *o, json_t *src)
{
    char model[128], vendor[128], name[256], maker[128] = "", product[128] = "";
    bool have = vm_caps_host_cpu(r->caps, model, vendor, sizeof model);
    const char *why =
        xml_why(have, r->caps, r->caps_why, "virConnectGetCapabilities: no host/cpu/model");
    fact(o, src, "cpu_model", json_string(model), "virConnectGetCapabilities host/cpu/model", why);
    fact(o, src, "cpu_vendor", vendor[0] ? json_string(vendor) : NULL,
         "virConnectGetCapabilities host/cpu/vendor", why);
    have = vm_sysinfo_entry(r->sysinfo, "processor", "version", name, sizeof name);
    why = xml_why(have, r->sysinfo, r->sysinfo_why, "virConnectGetSysinfo: no processor version");
    fact(o, src, "cpu_name", json_string(name), "virConnectGetSysinfo processor/version (SMBIOS)",
         why);
    have = vm_sysinfo_entry(r->sysinfo, "system", "manufacturer", maker, sizeof maker) &&
           vm_sysinfo_entry(r->sysinfo, "system", "product", product, sizeof product);
    why = xml_why(have, r->sysinfo, r->sysinfo_why,
                  "virConnectGetSysinfo: no system manufacturer and product");
    fact(o, src, "system", json_sprintf("%s %s", maker, product),
         "virConnectGetSysinfo system/manufacturer, product (SMBIOS)", why);
}

static void facts_mem_versions(const struct vm_node_raw *r, json_t *o, json_t *src)
{
    const struct vm_node_memstats *m = &r->mem;
    char lib[32], hv[32];
    fact(o, src, "mem_total_bytes", json_integer((json_int_t)m->total),
         "virNodeGetMemoryStats total", r->mem_why);
    fact(o, src, "mem_free_bytes", json_integer((json_int_t)m->free), "virNodeGetMemoryStats free",
         r->mem_why);
    fact(o, src, "mem_available_bytes",
         json_integer((json_int_t)(m->free + m->buffers + m->cached)), VM_NODE_AVAIL_SOURCE,
         r->mem_why);
    vm_version_str(r->lib_version, lib, sizeof lib);
    vm_version_str(r->hv_version, hv, sizeof hv);
    fact(o, src, "libvirt_version", json_string(lib), "virConnectGetLibVersion (the daemon's)",
         r->version_why);
    fact(o, src, "hypervisor_version", json_string(hv), "virConnectGetVersion (qemu)",
         r->version_why);
}

json_t *vm_node_facts_json(const struct vm_node_raw *r)
{
    json_t *o = json_object(), *src = json_object();
    if (!o || !src) {
        json_decref(o);
        json_decref(src);
        return NULL;
    }
    json_object_set_new(o, "uri", json_string(r->uri));
    json_object_set_new(o, "remote", json_boolean(r->remote));
    fact(o, src, "hostname", json_string(r->hostname), "virConnectGetHostname", r->hostname_why);
    facts_cpu(r, o, src);
    facts_info(r, o, src);
    facts_mem_versions(r, o, src);
    json_object_set_new(o, "sources", src);
    return o;
}

static const char *str_or(json_t *o, const char *key, const char *dflt)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : dflt;
}

void vm_node_facts_text(json_t *f, char *buf, size_t len)
{
    char mem[32] = "?";
    json_t *total = json_object_get(f, "mem_total_bytes");
    if (json_is_integer(total))
        vcb_format_size((uint64_t)json_integer_value(total), mem, sizeof mem);
    snprintf(buf, len,
             "%s (%s, over libvirt at %s): %s (%s), %lld CPUs at %lld MHz, %s, libvirt %s, "
             "QEMU %s",
             str_or(f, "hostname", "?"),
             json_is_true(json_object_get(f, "remote")) ? "remote host" : "this host",
             str_or(f, "uri", "?"), str_or(f, "cpu_model", "?"), str_or(f, "cpu_vendor", "?"),
             json_integer_value(json_object_get(f, "cores")),
             json_integer_value(json_object_get(f, "cpu_mhz")), mem,
             str_or(f, "libvirt_version", "?"), str_or(f, "hypervisor_version", "?"));
}

json_t *vm_node_facts(const struct vcb_backend_opts *opts)
{
    const char *uri = vm_uri(opts);
    cleanup_vconn virConnectPtr conn = NULL;
    struct vcb_err err = {0};
    if (vm_conn_open(uri, &conn, &err) < 0)
        return json_pack("{s:s, s:b, s:s}", "uri", uri, "remote", !vm_uri_is_local(uri), "error",
                         err.msg);
    struct vm_node_raw raw;
    vm_node_raw_read(conn, uri, &raw);
    json_t *o = vm_node_facts_json(&raw);
    vm_node_raw_free(&raw);
    return o;
}
