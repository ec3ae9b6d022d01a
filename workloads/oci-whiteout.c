/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* oci-whiteout.c — a layer's deletions (".wh.NAME", ".wh..wh..opq") and the
 * check that no member goes through a symbolic link an earlier member or
 * layer made. Paths are relative to the rootfs, the working directory. */
#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "wl-oci-priv.h"

#define WH_PREFIX ".wh."
#define WH_OPAQUE ".wh..wh..opq"

int oci_parents_check(const char *path, const char *member, struct vcb_err *err)
{
    char prefix[PATH_MAX];
    struct stat st;
    for (const char *slash = strchr(path, '/'); slash; slash = strchr(slash + 1, '/')) {
        snprintf(prefix, sizeof(prefix), "%.*s", (int)(slash - path), path);
        if (lstat(prefix, &st) < 0) {
            if (errno == ENOENT)
                return 0; /* the rest is made as directories */
            return vcb_err_sys(err, errno, "member '%s': %s", member, prefix);
        }
        if (S_ISLNK(st.st_mode))
            return vcb_err_usage(err, "member '%s': would write through the symbolic link '%s'",
                                 member, prefix);
    }
    return 0;
}

/* Remove what lower layers put in dir: whatever this layer did not write. */
static int whiteout_opaque(struct oci_unpack *u, const char *dir, struct vcb_err *err)
{
    DIR *d = opendir(dir[0] ? dir : ".");
    if (!d)
        return errno == ENOENT || errno == ENOTDIR ? 0 : vcb_err_sys(err, errno, "opendir %s", dir);
    int rc = 0;
    struct dirent *e;
    char path[PATH_MAX];
    while (rc == 0 && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(path, sizeof(path), "%s%s%s", dir, dir[0] ? "/" : "", e->d_name);
        if (!oci_pathset_has(&u->seen, path))
            rc = vcb_rm_rf(path, err);
    }
    closedir(d);
    return rc;
}

int oci_whiteout_apply(struct oci_unpack *u, const char *path, struct vcb_err *err)
{
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    char dir[PATH_MAX], victim[PATH_MAX];
    if (strncmp(base, WH_PREFIX, strlen(WH_PREFIX)) != 0)
        return 0;
    if (oci_parents_check(path, path, err) < 0)
        return -1;
    snprintf(dir, sizeof(dir), "%.*s", (int)(base - path), path); /* with its '/' */
    if (strcmp(base, WH_OPAQUE) == 0) {
        if (dir[0])
            dir[strlen(dir) - 1] = '\0';
        return whiteout_opaque(u, dir, err) < 0 ? -1 : 1;
    }
    const char *name = base + strlen(WH_PREFIX);
    if (!name[0] || !strcmp(name, ".") || !strcmp(name, ".."))
        return vcb_err_usage(err, "member '%s': a whiteout of '%s'", path, name);
    snprintf(victim, sizeof(victim), "%s%s", dir, name);
    return vcb_rm_rf(victim, err) < 0 ? -1 : 1;
}
