/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* peers-oci.c — the OCI bundle crun and runc run: config.json as `crun spec`
 * (or `runc spec`) writes it, adapted so the program, rootfs and mounts are
 * those our launcher uses: /init noop, the image rootfs read-only, no
 * terminal, our environment, a tmpfs /tmp; the /sys/fs/cgroup mount is
 * dropped (the image has no such directory and its root is read-only).
 * The bundle lives in the run dir, so it goes with it. */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>

#include "peers.h"

extern char **environ;

/* `tool spec` in dir; 0 when it wrote config.json. */
static int oci_spec(const char *tool, const char *dir)
{
    char *argv[] = {(char *)tool, "spec", NULL};
    posix_spawn_file_actions_t fa;
    pid_t pid;
    int st = 0;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addchdir_np(&fa, dir);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    int rc = posix_spawnp(&pid, tool, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        return -1;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static void oci_mounts(json_t *cfg)
{
    json_t *mounts = json_object_get(cfg, "mounts"), *m;
    for (size_t i = json_array_size(mounts); i-- > 0;) {
        m = json_array_get(mounts, i);
        const char *dst = json_string_value(json_object_get(m, "destination"));
        if (dst && (!strcmp(dst, "/sys/fs/cgroup") || !strcmp(dst, "/tmp")))
            json_array_remove(mounts, i);
    }
    json_array_append_new(mounts, json_pack("{s:s, s:s, s:s, s:[s,s,s]}", "destination", "/tmp",
                                            "type", "tmpfs", "source", "tmpfs", "options", "nosuid",
                                            "nodev", "mode=1777"));
}

static int oci_adapt(json_t *cfg, const char *rootfs)
{
    json_t *proc = json_object_get(cfg, "process");
    if (!json_is_object(proc))
        return -1;
    json_object_set_new(proc, "terminal", json_false());
    json_object_set_new(proc, "args", json_pack("[s,s]", "/init", "noop"));
    json_object_set_new(proc, "env",
                        json_pack("[s,s,s]", "PATH=/bin:/sbin", "HOME=/", "container=vcbench"));
    json_object_set_new(cfg, "root", json_pack("{s:s, s:b}", "path", rootfs, "readonly", 1));
    json_object_set_new(cfg, "hostname", json_string("vcb-peer"));
    oci_mounts(cfg);
    return 0;
}

int peers_oci_bundle(struct peers_ctx *pc, struct vcb_err *err)
{
    char path[PATH_MAX + 16], tool[PATH_MAX];
    if (vcb_mkdir_p(pc->bundle, 0755, err) < 0)
        return vcb_err_prefix(err, "OCI bundle");
    bool have = (peers_tool_find("crun", tool, sizeof tool) && oci_spec("crun", pc->bundle) == 0) ||
                (peers_tool_find("runc", tool, sizeof tool) && oci_spec("runc", pc->bundle) == 0);
    if (!have)
        return 0; /* neither runtime: both arms are skipped as not installed */
    snprintf(path, sizeof path, "%s/config.json", pc->bundle);
    cleanup_json json_t *cfg = vcb_json_load_file(path, err);
    if (!cfg || oci_adapt(cfg, pc->rootfs) < 0)
        return vcb_err_set(err, 0, "OCI bundle %s: config.json from `spec` is not as expected",
                           pc->bundle);
    return vcb_json_dump_file_atomic(cfg, path, err);
}
