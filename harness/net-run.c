/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* net-run.c — the run's own network namespace, vcb-<run-id>: made the
 * first time an instance needs it (the bridge path's bridge, pasta's
 * "host" side, their peers), removed with the run, by its guard after a
 * kill, or by `vcbench cleanup`. Nothing in it reaches the host's
 * interfaces: it holds lo and br0 only, IPv6 off before either exists (no
 * link-local or autoconf traffic), and its default route leads to br0,
 * which pasta and passt need to pick their template interface. A bridge
 * loses its carrier once its last port goes (a container's veth, removed
 * with it), and passt then refuses it ("External interface not usable"):
 * a veth pair of the namespace's own, one end in br0, keeps it up. */
#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"
#include "vcb-tool.h"

#define NETNS_DIR "/run/netns"

void bench_netns_name(const char *run_id, char *buf, size_t len)
{
    snprintf(buf, len, "vcb-%s", run_id);
}

static int netns_fill(const char *path, struct vcb_err *err)
{
    char *const cmds[][10] = {
        {"sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1",
         "net.ipv6.conf.default.disable_ipv6=1", NULL},
        {"ip", "link", "set", "lo", "up", NULL},
        {"ip", "link", "add", "br0", "type", "bridge", NULL},
        {"ip", "addr", "add", BENCH_NET_BRIDGE_ADDR "/16", "dev", "br0", NULL},
        {"ip", "link", "add", "br0-keep", "type", "veth", "peer", "name", "br0-keep-end", NULL},
        {"ip", "link", "set", "br0-keep", "master", "br0", "up", NULL},
        {"ip", "link", "set", "br0-keep-end", "up", NULL},
        {"ip", "link", "set", "br0", "up", NULL},
        {"ip", "route", "add", "default", "dev", "br0", NULL},
    };
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (vcb_tool_run(path, cmds[i], err) < 0)
            return -1;
    return 0;
}

int bench_netns_make(const char *run_id, struct vcb_err *err)
{
    char name[64], path[128];
    bench_netns_name(run_id, name, sizeof name);
    snprintf(path, sizeof path, NETNS_DIR "/%s", name);
    if (vcb_path_exists(path))
        return 0;
    char *add[] = {"ip", "netns", "add", name, NULL};
    if (vcb_tool_run(NULL, add, err) < 0 || netns_fill(path, err) < 0) {
        bench_netns_remove(run_id);
        return vcb_err_prefix(err, "the run's network namespace %s", name);
    }
    return 0;
}

/* SIGKILL every process whose network namespace is the one at path (a
 * peer or pasta whose run died before it could stop them). */
static void netns_kill_members(const char *path)
{
    struct stat ns, st;
    char p[64];
    DIR *d = opendir("/proc");
    if (stat(path, &ns) < 0 || !d) {
        if (d)
            closedir(d);
        return;
    }
    for (struct dirent *e; (e = readdir(d));) {
        char *end;
        long pid = strtol(e->d_name, &end, 10);
        if (*end || pid <= 1)
            continue;
        snprintf(p, sizeof p, "/proc/%ld/ns/net", pid);
        if (stat(p, &st) == 0 && st.st_ino == ns.st_ino && st.st_dev == ns.st_dev)
            kill((pid_t)pid, SIGKILL);
    }
    closedir(d);
}

static bool netns_remove_named(const char *name)
{
    char path[128];
    snprintf(path, sizeof path, NETNS_DIR "/%s", name);
    if (!vcb_path_exists(path))
        return false;
    netns_kill_members(path);
    char *del[] = {"ip", "netns", "del", (char *)name, NULL};
    return vcb_tool_run(NULL, del, &(struct vcb_err){0}) == 0;
}

bool bench_netns_remove(const char *run_id)
{
    char name[64];
    bench_netns_name(run_id, name, sizeof name);
    return netns_remove_named(name);
}

void bench_netns_cleanup(bool (*is_stale)(const char *run_id, void *ctx),
                         void (*removed)(const char *what, void *ctx), void *ctx)
{
    DIR *d = opendir(NETNS_DIR);
    char what[96];
    for (struct dirent *e; d && (e = readdir(d));) {
        char id[VCB_RUN_ID_LEN + 1];
        size_t len = strlen(e->d_name);
        /* vcb-<run-id>: the run's; vcb-<run-id>-<n>: a container's, named for pasta */
        if (strncmp(e->d_name, "vcb-", 4) != 0 || len < 4 + VCB_RUN_ID_LEN ||
            (len > 4 + VCB_RUN_ID_LEN && e->d_name[4 + VCB_RUN_ID_LEN] != '-'))
            continue;
        snprintf(id, sizeof id, "%s", e->d_name + 4);
        if (!is_stale(id, ctx) || !netns_remove_named(e->d_name))
            continue;
        snprintf(what, sizeof what, "network namespace %s", e->d_name);
        removed(what, ctx);
    }
    if (d)
        closedir(d);
}
