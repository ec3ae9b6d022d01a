/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* oci-staging.c — an image is filled in a staging dir beside the cache's
 * entries and renamed into place whole.
 *
 * A staging dir is made as .new-*, locked (flock), then renamed to
 * .staging-*: every .staging-* has had its lock from birth, so one whose
 * lock can be taken belongs to an import that died, and the next import
 * removes it. A .new-* outlives its import only if that died between two
 * calls; it is removed once older than an hour. An entry made with another
 * build's vcb-init or modules is stale: found as missing, and replaced. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "vcb-json.h"
#include "wl-oci-priv.h"

#define STALE_NEW_S 3600

static void staging_reap(const char *root)
{
    DIR *d = opendir(root);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        char path[PATH_MAX];
        struct stat st;
        bool staging = strncmp(e->d_name, ".staging-", 9) == 0;
        bool retired = strncmp(e->d_name, ".stale-", 7) == 0; /* its removal was cut short */
        if (!staging && !retired && strncmp(e->d_name, ".new-", 5) != 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", root, e->d_name);
        cleanup_close int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0 || fstat(fd, &st) < 0)
            continue;
        bool dead = retired || (staging ? flock(fd, LOCK_EX | LOCK_NB) == 0
                                        : time(NULL) - st.st_mtime > STALE_NEW_S);
        if (dead)
            (void)vcb_rm_rf(path, NULL);
    }
    if (d)
        closedir(d);
}

int oci_staging_new(struct oci_staging *s, struct vcb_err *err)
{
    char root[PATH_MAX], fresh[PATH_MAX + 16];
    s->lock = -1;
    if (oci_cache_root(root, err) < 0)
        return -1;
    staging_reap(root);
    snprintf(fresh, sizeof(fresh), "%s/.new-XXXXXX", root);
    if (!mkdtemp(fresh))
        return vcb_err_sys(err, errno, "mkdir %s", fresh);
    char private[PATH_MAX + 32];
    snprintf(private, sizeof(private), "%s/" OCI_PRIVATE_DIR, fresh);
    if (chmod(fresh, 0711) < 0 || mkdir(private, 0700) < 0) { /* see wl-oci-priv.h */
        int e = errno;
        (void)vcb_rm_rf(fresh, NULL);
        return vcb_err_sys(err, e, "staging dir %s", fresh);
    }
    s->lock = open(fresh, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    snprintf(s->dir, sizeof(s->dir), "%s/.staging-%s", root, strrchr(fresh, '-') + 1);
    if (s->lock < 0 || flock(s->lock, LOCK_EX) < 0 || rename(fresh, s->dir) < 0) {
        int e = errno;
        (void)vcb_rm_rf(fresh, NULL);
        oci_staging_drop(s);
        return vcb_err_sys(err, e, "staging dir %s", s->dir);
    }
    return 0;
}

void oci_staging_drop(struct oci_staging *s)
{
    if (s->dir[0])
        (void)vcb_rm_rf(s->dir, NULL); /* gone already after a commit */
    if (s->lock >= 0)
        close(s->lock);
    s->lock = -1;
    s->dir[0] = '\0';
}

/* The entry was made with this build's vcb-init and modules. */
static bool entry_current(const char *dir)
{
    char path[PATH_MAX + 16], stamp[65];
    snprintf(path, sizeof(path), "%s/image.json", dir);
    cleanup_json json_t *j = json_load_file(path, 0, NULL);
    const char *had = json_string_value(json_object_get(j, "own_stamp"));
    oci_own_stamp(stamp);
    return had && strcmp(had, stamp) == 0;
}

bool oci_cache_find(const char *digest, struct wl_oci_image *img)
{
    char root[PATH_MAX], dir[PATH_MAX];
    struct vcb_err ignored = {0};
    if (oci_cache_root(root, &ignored) < 0)
        return false;
    oci_entry_dir(root, digest, dir);
    return entry_current(dir) && oci_entry_load(dir, img) == 0;
}

int oci_entry_retire(const char *dir, struct vcb_err *err)
{
    char old[PATH_MAX + 32];
    if (entry_current(dir))
        return 1;
    /* out of the way in one step, then removed: a run that still uses it
     * keeps the files it has open */
    snprintf(old, sizeof(old), "%.*s.stale-%d", (int)(strrchr(dir, '/') - dir + 1), dir,
             (int)getpid());
    if (rename(dir, old) < 0)
        return errno == ENOENT ? 0 : vcb_err_sys(err, errno, "rename %s to %s", dir, old);
    (void)vcb_rm_rf(old, NULL);
    return 0;
}

int oci_cache_commit(struct oci_staging *s, json_t *rec, struct wl_oci_image *img,
                     struct vcb_err *err)
{
    char path[PATH_MAX + 16], root[PATH_MAX], final[PATH_MAX];
    snprintf(path, sizeof(path), "%s/image.json", s->dir);
    if (vcb_json_dump_file_atomic(rec, path, err) < 0)
        return -1;
    snprintf(root, sizeof(root), "%.*s", (int)(strrchr(s->dir, '/') - s->dir), s->dir);
    oci_entry_dir(root, img->digest, final);
    if (oci_entry_retire(final, err) < 0)
        return -1;
    bool won = rename(s->dir, final) == 0;
    if (won)
        s->dir[0] = '\0';
    else if (errno != ENOTEMPTY && errno != EEXIST)
        return vcb_err_sys(err, errno, "rename %s to %s", s->dir, final);
    /* Lost: another import of the same image finished first; use its entry. */
    if (oci_entry_load(final, img) < 0)
        return vcb_err_set(err, 0, "%s: no readable image.json", final);
    img->cached = !won;
    return 0;
}
