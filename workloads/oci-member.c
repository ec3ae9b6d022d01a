/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* oci-member.c — the rules a member of a layer keeps, checked on its name
 * and link target alone (the file system is checked in oci-whiteout.c).
 * libarchive's secure extraction flags refuse the same; these come first
 * so the refusal names the member and says why. */
#include <archive_entry.h>
#include <string.h>

#include "guest/guest-image.h"
#include "wl-oci-priv.h"

/* Walk path's components: 1 when one is "..". */
static bool has_dotdot(const char *path)
{
    for (const char *p = path; *p;) {
        size_t n = strcspn(p, "/");
        if (n == 2 && p[0] == '.' && p[1] == '.')
            return true;
        p += n;
        p += *p == '/';
    }
    return false;
}

/* Under the directory vcbench keeps to itself (guest-image.h). */
static bool is_reserved(const char *path)
{
    const char *own = WL_OWN_DIR + 1;
    size_t n = strlen(own);
    while (path[0] == '.' && path[1] == '/')
        path += 2;
    return strncmp(path, own, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

int oci_path_check(const char *path, const char *what, struct vcb_err *err)
{
    if (path[0] == '/')
        return vcb_err_usage(err, "%s: an absolute path", what);
    if (has_dotdot(path))
        return vcb_err_usage(err, "%s: a '..' component", what);
    return 0;
}

/* Does a relative link target, read from the link's directory, climb above
 * the root? Lexically: a link it passes through was checked when made. */
static bool climbs_out(const char *link, const char *target)
{
    long depth = 0;
    for (const char *p = link; *p; p++) /* the link's directory: its slashes */
        depth += *p == '/';
    for (const char *p = target; *p;) {
        size_t n = strcspn(p, "/");
        if (n == 2 && p[0] == '.' && p[1] == '.') {
            if (--depth < 0)
                return true;
        } else if (n > 0 && !(n == 1 && p[0] == '.')) {
            depth++;
        }
        p += n;
        p += *p == '/';
    }
    return false;
}

static int link_check(struct archive_entry *e, const char *name, struct vcb_err *err)
{
    const char *hard = archive_entry_hardlink(e);
    const char *sym = archive_entry_symlink(e);
    if (hard) {
        if (hard[0] == '/' || has_dotdot(hard))
            return vcb_err_usage(err, "member '%s': a hard link to '%s', outside the rootfs", name,
                                 hard);
        if (is_reserved(hard))
            return vcb_err_usage(err, "member '%s': a hard link into %s, which vcbench keeps", name,
                                 WL_OWN_DIR);
    }
    if (sym && sym[0] != '/' && climbs_out(name, sym))
        return vcb_err_usage(err, "member '%s': a symbolic link to '%s', above the rootfs", name,
                             sym);
    return 0;
}

int oci_member_check(struct archive_entry *e, char *out, size_t len, struct vcb_err *err)
{
    const char *raw = archive_entry_pathname(e);
    char what[PATH_MAX + 16];
    if (!raw)
        return vcb_err_usage(err, "a member without a name");
    snprintf(what, sizeof(what), "member '%s'", raw);
    if (oci_path_check(raw, what, err) < 0)
        return -1;
    while (raw[0] == '.' && raw[1] == '/')
        raw += 2;
    if (snprintf(out, len, "%s", strcmp(raw, ".") == 0 ? "" : raw) >= (int)len)
        return vcb_err_usage(err, "%s: path too long", what);
    for (size_t n = strlen(out); n > 0 && out[n - 1] == '/'; n--)
        out[n - 1] = '\0';
    if (is_reserved(out))
        return vcb_err_usage(err, "%s: under %s, which vcbench keeps to itself", what, WL_OWN_DIR);
    return link_check(e, out, err);
}
