/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* paths.c — where vcbench keeps state, run dirs and its guest binaries. */
#include <limits.h>
#include <libgen.h>
#include <string.h>
#include <sys/statfs.h>
#include <linux/magic.h>

#include "vcb.h"

static const char *env_or(const char *name, const char *fallback)
{
    const char *v = getenv(name);
    return v && *v ? v : fallback;
}

const char *vcb_state_dir(void)
{
    return env_or("VCB_STATE_DIR", "/var/lib/vcbench");
}

const char *vcb_run_root(void)
{
    return env_or("VCB_RUN_DIR", "/run/vcbench");
}

static const char *fs_name(long magic)
{
    switch (magic) {
    case TMPFS_MAGIC:
        return "tmpfs";
    case RAMFS_MAGIC:
        return "ramfs";
    case EXT4_SUPER_MAGIC: /* ext2, ext3 and ext4 alike */
        return "ext4";
    case XFS_SUPER_MAGIC:
        return "xfs";
    case BTRFS_SUPER_MAGIC:
        return "btrfs";
    case OVERLAYFS_SUPER_MAGIC:
        return "overlayfs";
    default:
        return NULL;
    }
}

void vcb_run_root_fs(char *out, size_t len)
{
    char path[PATH_MAX];
    struct statfs fs;
    snprintf(path, sizeof(path), "%s", vcb_run_root());
    while (statfs(path, &fs) < 0) {
        char *slash = strrchr(path, '/');
        if (!slash || slash == path) {
            snprintf(out, len, "unknown");
            return;
        }
        *slash = '\0';
    }
    const char *name = fs_name((long)fs.f_type);
    if (name)
        snprintf(out, len, "%s", name);
    else
        snprintf(out, len, "0x%lx", (unsigned long)fs.f_type);
}

/* First of <exe dir>/../libexec/vcbench (installed) and <exe dir>/../libexec
 * (build tree) that holds vcb-init. */
static void find_libexec(char *out, size_t len)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n <= 0) {
        snprintf(out, len, "/usr/local/libexec/vcbench");
        return;
    }
    exe[n] = '\0';
    const char *dir = dirname(exe);
    static const char *const candidates[] = {"../libexec/vcbench", "../libexec"};
    for (size_t i = 0; i < 2; i++) {
        char probe[PATH_MAX + 32];
        snprintf(out, len, "%s/%s", dir, candidates[i]);
        snprintf(probe, sizeof(probe), "%s/vcb-init", out);
        if (vcb_path_exists(probe))
            return;
    }
    snprintf(out, len, "%s/../libexec/vcbench", dir);
}

const char *vcb_libexec_dir(void)
{
    static char dir[PATH_MAX];
    const char *env = getenv("VCB_LIBEXEC_DIR");
    if (env && *env)
        return env;
    if (!dir[0])
        find_libexec(dir, sizeof(dir));
    return dir;
}

void vcb_module_path(const char *file, char *out, size_t len)
{
    const char *env = getenv("VCB_MODULE_DIR");
    char exe[PATH_MAX];
    if (env && *env) {
        snprintf(out, len, "%s/%s", env, file);
        return;
    }
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n <= 0) {
        snprintf(out, len, "/usr/local/lib/vcbench/%s", file);
        return;
    }
    exe[n] = '\0';
    snprintf(out, len, "%s/../lib/vcbench/%s", dirname(exe), file);
}
