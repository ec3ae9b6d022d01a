/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* image.c — build the one image of a workload that every backend uses: a
 * rootfs directory and a newc initramfs made from the same list of entries,
 * so they hold the same bytes. Content-addressed and cached. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>

#include "vcb-json.h"
#include "cpio.h"
#include "guest/guest-image.h"
#include "guest/guest-modules.h"
#include "guest/guest-scratch.h"
#include "image-key.h"
#include "sha256.h"
#include "wl-image.h"

#define IMAGE_FORMAT "vcbench-image/2"

struct image_entry {
    char name[64]; /* path inside the image, no leading slash */
    unsigned mode; /* permission bits; data == NULL means a directory */
    char *data;
    size_t len;
};

struct image_content {
    struct image_entry e[24]; /* 7 dirs, init, the workload, up to 12 modules */
    size_t n;
};

static void content_free(struct image_content *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->e[i].data);
    c->n = 0;
}

static void add_dir(struct image_content *c, const char *name)
{
    struct image_entry *e = &c->e[c->n++];
    snprintf(e->name, sizeof(e->name), "%s", name);
    e->mode = 0755;
}

/* An empty file: a mount point in a root that is read-only later. */
static int add_empty(struct image_content *c, const char *name, struct vcb_err *err)
{
    struct image_entry *e = &c->e[c->n];
    if (!(e->data = malloc(1)))
        return vcb_err_sys(err, ENOMEM, "image: %s", name);
    snprintf(e->name, sizeof(e->name), "%s", name);
    e->mode = 0644;
    c->n++;
    return 0;
}

static int add_file(struct image_content *c, const char *name, const char *src, struct vcb_err *err)
{
    struct image_entry *e = &c->e[c->n];
    if (vcb_read_file(src, &e->data, &e->len, err) < 0)
        return vcb_err_prefix(err, "image: guest binary missing (build vcbench first?)");
    snprintf(e->name, sizeof(e->name), "%s", name);
    e->mode = 0755;
    c->n++;
    return 0;
}

/* Where a workload's image comes from: vcb-init, the workload binary and
 * the guest kernel's modules setup unpacked (for a VM's vcb-init to load;
 * none when it did not: the guest then runs without them). */
#define IMAGE_SOURCES_MAX 16
struct image_sources {
    char path[IMAGE_SOURCES_MAX][PATH_MAX];
    char name[IMAGE_SOURCES_MAX][64]; /* where it goes in the image */
    size_t n;
    size_t modules; /* index of the first module */
};

static void sources_add(struct image_sources *src, const char *name, const char *fmt, ...)
    VCB_PRINTF(3, 4);
static void sources_add(struct image_sources *src, const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(src->path[src->n], sizeof(src->path[0]), fmt, ap);
    va_end(ap);
    snprintf(src->name[src->n], sizeof(src->name[0]), "%s", name);
    src->n++;
}

static void sources_find(const char *workload, struct image_sources *src)
{
    static const char *const base[] = {WL_GUEST_MODULES},
                             *const net[] = {WL_GUEST_MODULES, WL_GUEST_NET_MODULES},
                             *const disk[] = {WL_GUEST_MODULES, WL_GUEST_DISK_MODULES};
    /* the network workloads' images carry virtio_net (user-mode networking's
     * NIC), the disk workloads' the block driver of their scratch disk */
    bool is_net = wl_workload_uses_net(workload);
    bool is_disk = wl_workload_uses_scratch(workload);
    const char *const *modules = is_net ? net : is_disk ? disk : base;
    size_t nmodules = is_net    ? sizeof(net) / sizeof(net[0])
                      : is_disk ? sizeof(disk) / sizeof(disk[0])
                                : sizeof(base) / sizeof(base[0]);
    char name[64];
    src->n = 0;
    sources_add(src, "init", "%s/vcb-init", vcb_libexec_dir());
    snprintf(name, sizeof(name), "bin/%s", workload);
    sources_add(src, name, "%s/wl-%s", vcb_libexec_dir(), workload);
    src->modules = src->n;
    for (size_t i = 0; i < nmodules; i++) {
        snprintf(name, sizeof(name), WL_GUEST_MODULE_DIR "/%s.ko", modules[i]);
        sources_add(src, name, "%s/kernel/modules/%s.ko", vcb_state_dir(), modules[i]);
        if (!vcb_path_exists(src->path[src->n - 1]))
            src->n--;
    }
}

/* The entries of a workload's image, in the order they are written. */
static int content_load(const struct image_sources *src, struct image_content *c,
                        struct vcb_err *err)
{
    static const char *const dirs[] = {"bin", "dev", "proc", "sys", "tmp"};
    for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
        add_dir(c, dirs[i]);
    /* every arm finds the scratch volume there (guest-scratch.h) */
    add_dir(c, WL_OWN_DIR + 1);
    if (add_empty(c, WL_SCRATCH_PATH + 1, err) < 0)
        return -1;
    for (size_t i = 0; i < src->n; i++) {
        if (i == src->modules) {
            add_dir(c, "lib");
            add_dir(c, WL_GUEST_MODULE_DIR);
        }
        if (add_file(c, src->name[i], src->path[i], err) < 0)
            return -1;
    }
    return 0;
}

static void content_hash(const char *workload, const struct image_content *c, char out[65])
{
    struct wl_sha256 s;
    wl_sha256_init(&s);
    wl_sha256_update(&s, IMAGE_FORMAT, sizeof(IMAGE_FORMAT));
    wl_sha256_update(&s, workload, strlen(workload) + 1);
    for (size_t i = 0; i < c->n; i++) {
        uint64_t len = c->e[i].len;
        wl_sha256_update(&s, c->e[i].name, strlen(c->e[i].name) + 1);
        wl_sha256_update(&s, &c->e[i].mode, sizeof(c->e[i].mode));
        wl_sha256_update(&s, &len, sizeof(len));
        if (c->e[i].data)
            wl_sha256_update(&s, c->e[i].data, c->e[i].len);
    }
    wl_sha256_hex(&s, out);
}

static int write_rootfs(const char *dir, const struct image_content *c, struct vcb_err *err)
{
    char path[PATH_MAX];
    if (vcb_mkdir_p(dir, 0755, err) < 0)
        return -1;
    for (size_t i = 0; i < c->n; i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, c->e[i].name);
        if (!c->e[i].data) {
            if (mkdir(path, c->e[i].mode) < 0)
                return vcb_err_sys(err, errno, "image: mkdir %s", path);
        } else if (vcb_write_file(path, c->e[i].data, c->e[i].len, err) < 0 ||
                   chmod(path, c->e[i].mode) < 0) {
            return vcb_err_prefix(err, "image: rootfs");
        }
    }
    return 0;
}

static int write_initramfs(const char *path, const struct image_content *c, uint64_t *bytes,
                           struct vcb_err *err)
{
    struct wl_cpio cpio;
    if (wl_cpio_open(&cpio, path, err) < 0)
        return -1;
    for (size_t i = 0; i < c->n; i++) {
        const struct image_entry *e = &c->e[i];
        int rc = e->data ? wl_cpio_add_file(&cpio, e->name, e->mode, e->data, e->len, err)
                         : wl_cpio_add_dir(&cpio, e->name, e->mode, err);
        if (rc < 0) {
            wl_cpio_abort(&cpio);
            return -1;
        }
    }
    *bytes = cpio.bytes;
    return wl_cpio_finish(&cpio, err);
}

static void image_paths(struct wl_image *img, const char *dir)
{
    snprintf(img->dir, sizeof(img->dir), "%s", dir);
    snprintf(img->rootfs, sizeof(img->rootfs), "%s/rootfs", dir);
    snprintf(img->initramfs, sizeof(img->initramfs), "%s/initramfs.cpio", dir);
}

static int write_manifest(const struct wl_image *img, const char *dir, struct vcb_err *err)
{
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/image.json", dir);
    cleanup_json json_t *j =
        json_pack("{s:s, s:s, s:s, s:I}", "format", IMAGE_FORMAT, "workload", img->workload, "hash",
                  img->hash, "initramfs_bytes", (json_int_t)img->initramfs_bytes);
    return vcb_json_dump_file_atomic(j, path, err);
}

/* Write everything into a temp dir, then rename it into place: a failed or
 * concurrent build never leaves a half-made image under the final name. */
static int image_create(struct wl_image *img, const struct image_content *c, struct vcb_err *err)
{
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof(tmp), "%s/images/.tmp-%s-%d", vcb_state_dir(), img->workload,
             (int)getpid());
    struct wl_image t = *img;
    image_paths(&t, tmp);
    vcb_rm_rf(tmp, NULL);
    int rc = write_rootfs(t.rootfs, c, err);
    if (rc == 0)
        rc = write_initramfs(t.initramfs, c, &img->initramfs_bytes, err);
    if (rc == 0)
        rc = write_manifest(img, tmp, err);
    if (rc == 0 && rename(tmp, img->dir) < 0 && errno != ENOTEMPTY && errno != EEXIST)
        rc = vcb_err_sys(err, errno, "image: rename %s to %s", tmp, img->dir);
    vcb_rm_rf(tmp, NULL); /* gone after a rename; removes a loser of a race */
    return rc;
}

/* The image of this hash under images/, if its manifest is there. */
static bool image_locate(struct wl_image *img, const char *images)
{
    char dir[PATH_MAX], manifest[PATH_MAX + 16];
    snprintf(dir, sizeof(dir), "%s/%s-%.16s", images, img->workload, img->hash);
    image_paths(img, dir);
    snprintf(manifest, sizeof(manifest), "%s/image.json", dir);
    img->cached = vcb_path_exists(manifest);
    return img->cached;
}

int wl_image_build(const char *workload, struct wl_image *out, struct vcb_err *err)
{
    if (!wl_workload_known(workload))
        return vcb_err_usage(err,
                             "unknown workload '%s' (expected one of: noop idle cpu membw "
                             "lat alloc memhog forkbomb netio netflood diskio diskhog)",
                             workload ? workload : "");
    cleanup_free struct image_sources *src = calloc(1, sizeof(*src)); /* 70 KB */
    if (!src)
        return vcb_err_sys(err, ENOMEM, "image %s", workload);
    sources_find(workload, src);
    const char *sources[IMAGE_SOURCES_MAX];
    for (size_t i = 0; i < src->n; i++)
        sources[i] = src->path[i];
    char images[PATH_MAX], memo[PATH_MAX + 64], identity[WL_KEY_IDENTITY_MAX];
    snprintf(images, sizeof(images), "%s/images", vcb_state_dir());
    snprintf(memo, sizeof(memo), "%s/.key-%s", images, workload);
    bool racy = true;
    bool known = wl_key_identity(sources, src->n, identity, sizeof(identity), &racy) == 0 && !racy;

    struct wl_image img = {0};
    snprintf(img.workload, sizeof(img.workload), "%s", workload);
    int rc = 0;
    if (!known || !wl_key_recall(memo, identity, img.hash) || !image_locate(&img, images)) {
        struct image_content c = {0};
        rc = content_load(src, &c, err);
        if (rc == 0) {
            content_hash(workload, &c, img.hash);
            if (!image_locate(&img, images))
                rc = vcb_mkdir_p(images, 0755, err) < 0 ? -1 : image_create(&img, &c, err);
        }
        content_free(&c);
        /* Only a speed-up: an image made without its memo is hashed again next time. */
        struct vcb_err ignored = {0};
        if (rc == 0 && known)
            (void)wl_key_remember(memo, identity, img.hash, &ignored);
    }
    if (rc < 0)
        return vcb_err_prefix(err, "image %s", workload);
    struct stat st;
    if (img.cached && stat(img.initramfs, &st) == 0)
        img.initramfs_bytes = (uint64_t)st.st_size;
    *out = img;
    return 0;
}

static int image_from_manifest(const char *dir, struct wl_image *img)
{
    char path[PATH_MAX + 16];
    snprintf(path, sizeof(path), "%s/image.json", dir);
    cleanup_json json_t *j = json_load_file(path, 0, NULL);
    const char *wl = NULL, *hash = NULL;
    json_int_t bytes = 0;
    if (!j || json_unpack(j, "{s:s, s:s, s:I}", "workload", &wl, "hash", &hash, "initramfs_bytes",
                          &bytes) < 0)
        return -1;
    memset(img, 0, sizeof(*img));
    snprintf(img->workload, sizeof(img->workload), "%s", wl);
    snprintf(img->hash, sizeof(img->hash), "%s", hash);
    image_paths(img, dir);
    img->initramfs_bytes = (uint64_t)bytes;
    img->cached = true;
    return 0;
}

int wl_image_list(int (*fn)(const struct wl_image *img, void *ctx), void *ctx, struct vcb_err *err)
{
    char images[PATH_MAX];
    snprintf(images, sizeof(images), "%s/images", vcb_state_dir());
    DIR *d = opendir(images);
    if (!d)
        return errno == ENOENT ? 0 : vcb_err_sys(err, errno, "list images in %s", images);
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d))) {
        char dir[PATH_MAX];
        struct wl_image img;
        if (e->d_name[0] == '.' || strcmp(e->d_name, "oci") == 0) /* wl_oci_list's */
            continue;
        snprintf(dir, sizeof(dir), "%s/%s", images, e->d_name);
        if (image_from_manifest(dir, &img) == 0)
            rc = fn(&img, ctx);
    }
    closedir(d);
    return rc;
}
