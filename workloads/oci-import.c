/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* oci-import.c — the work of wl_oci_import: an image from outside, resolved, checked,
 * unpacked layer by layer into a staging dir, given vcb-init and its
 * config files, made bootable for a VM, recorded and renamed into the
 * cache. Any failure removes the staging dir: nothing half-unpacked. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "vcb-json.h"
#include "wl-oci-priv.h"

struct import {
    const char *spec;
    const struct oci_spec *sp;
    uint64_t max_bytes;
    struct oci_staging *st;
    struct wl_oci_image *img;
    json_t *rec; /* image.json */
};

static json_t *record_new(const struct import *im)
{
    char when[32];
    time_t now = time(NULL);
    struct tm tm;
    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
    return json_pack("{s:s, s:s, s:s, s:s, s:[]}", "format", OCI_RECORD_FORMAT, "spec", im->spec,
                     "digest", im->img->digest, "unpacked_at", when, "layers");
}

/* Everything after the files: vcbench's own, the config's, the VM's form,
 * the record; then the rename into place. */
static int import_finish(struct import *im, json_t *config, unsigned skipped, struct vcb_err *err)
{
    struct wl_oci_image *img = im->img;
    json_t *cfg = json_object();
    json_object_set_new(im->rec, "config", cfg);
    if (oci_own_add(img->rootfs, err) < 0 ||
        oci_config_write(img->rootfs, config, cfg, &img->has_command, err) < 0 ||
        oci_tree_bytes(img->rootfs, &img->rootfs_bytes, err) < 0 ||
        oci_vmimage_make(im->st->dir, img, err) < 0)
        return -1;
    char stamp[65];
    oci_own_stamp(stamp);
    cleanup_json json_t *facts =
        json_pack("{s:s, s:I, s:i, s:s, s:b, s:s}", "arch", oci_host_arch(), "rootfs_bytes",
                  (json_int_t)img->rootfs_bytes, "skipped_device_nodes", (int)skipped, "vm_form",
                  img->vm_form == WL_VM_DISK ? "disk" : "initramfs", "has_command",
                  img->has_command, "own_stamp", stamp);
    json_object_update(im->rec, facts);
    return oci_cache_commit(im->st, im->rec, img, err);
}

/* The layers in order, each blob checked against its digest first. */
static int import_layers(struct import *im, struct oci_blobs *b, const struct oci_manifest *m,
                         struct oci_unpack *u, struct vcb_err *err)
{
    json_t *layers = json_object_get(im->rec, "layers");
    for (size_t i = 0; i < m->n_layers; i++) {
        const struct oci_layer *l = &m->layers[i];
        char path[PATH_MAX], field[320], what[96];
        if (im->sp->kind == OCI_DOCKER_ARCHIVE)
            snprintf(field, sizeof(field), "%s (%s rootfs.diff_ids[%zu])", l->member,
                     m->config_member, i);
        else
            snprintf(field, sizeof(field), "%s (manifest layers[%zu].digest)", l->member, i);
        snprintf(what, sizeof(what), "layer %s", l->digest);
        if (oci_blob_path(b, l->member, im->max_bytes, path, err) < 0)
            return vcb_err_prefix(err, "%s", field);
        if (oci_digest_check(path, l->digest, l->size, field, err) < 0 ||
            oci_unpack_layer(u, path, what, err) < 0)
            return -1;
        struct stat st;
        json_int_t size = l->size >= 0 ? l->size : stat(path, &st) == 0 ? st.st_size : 0;
        json_array_append_new(layers, json_pack("{s:s, s:I}", "digest", l->digest, "size", size));
        if (im->sp->kind != OCI_LAYOUT)
            unlink(path); /* extracted from the tarball: done with */
    }
    return 0;
}

static int import_image(struct import *im, struct vcb_err *err)
{
    struct oci_blobs b = {.spec = im->sp};
    struct oci_manifest m = {0};
    struct oci_unpack u;
    snprintf(b.tmp, sizeof(b.tmp), "%s/blobs", im->st->dir);
    if (mkdir(b.tmp, 0700) < 0)
        return vcb_err_sys(err, errno, "mkdir %s", b.tmp);
    int rc = im->sp->kind == OCI_DOCKER_ARCHIVE ? oci_docker_resolve(&b, &m, err)
                                                : oci_layout_resolve(&b, im->sp->tag, &m, err);
    if (rc < 0)
        return -1;
    snprintf(im->img->digest, sizeof(im->img->digest), "%s", m.digest);
    rc = oci_config_platform(m.config, m.config_member, err);
    if (rc < 0 || oci_cache_find(m.digest, im->img)) {
        oci_manifest_free(&m);
        return rc;
    }
    im->rec = record_new(im);
    rc = oci_unpack_open(&u, im->spec, im->img->rootfs, im->max_bytes, err);
    if (rc == 0) {
        rc = import_layers(im, &b, &m, &u, err);
        oci_unpack_close(&u);
    }
    if (rc == 0 && vcb_rm_rf(b.tmp, err) == 0)
        rc = import_finish(im, m.config, u.skipped, err);
    oci_manifest_free(&m);
    return rc;
}

/* dir:PATH: the tree's digest names it; the copy must hash the same, or
 * the tree changed while it was copied. */
static int import_dir(struct import *im, struct vcb_err *err)
{
    char copied[80];
    struct oci_unpack u;
    if (oci_tree_digest(im->sp->path, im->img->digest, err) < 0)
        return -1;
    if (oci_cache_find(im->img->digest, im->img))
        return 0;
    im->rec = record_new(im);
    int rc = oci_unpack_open(&u, im->spec, im->img->rootfs, im->max_bytes, err);
    if (rc == 0) {
        rc = oci_tree_copy(&u, im->sp->path, err);
        oci_unpack_close(&u);
    }
    if (rc == 0 && oci_tree_digest(im->img->rootfs, copied, err) == 0 &&
        strcmp(copied, im->img->digest) != 0)
        rc = vcb_err_usage(err, "%s changed while it was copied", im->sp->path);
    return rc < 0 ? -1 : import_finish(im, NULL, u.skipped, err);
}

int oci_import(const char *spec, uint64_t max_bytes, struct wl_oci_image *out, struct vcb_err *err)
{
    struct oci_spec sp;
    struct oci_staging st;
    struct wl_oci_image img = {0};
    char abs[PATH_MAX];
    if (oci_spec_parse(spec, &sp, err) < 0)
        return -1;
    if (!realpath(sp.path, abs))
        return vcb_err_usage(err, "image %s: %s: %s", spec, sp.path, strerror(errno));
    snprintf(sp.path, sizeof(sp.path), "%s", abs); /* the unpack changes directory */
    if (oci_staging_new(&st, err) < 0)
        return vcb_err_prefix(err, "image %s", spec);
    snprintf(img.rootfs, sizeof(img.rootfs), "%s/" OCI_ROOTFS_DIR, st.dir);
    struct import im = {.spec = spec,
                        .sp = &sp,
                        .st = &st,
                        .img = &img,
                        .max_bytes = max_bytes ? max_bytes : WL_OCI_MAX_DEFAULT};
    int rc = sp.kind == OCI_DIR ? import_dir(&im, err) : import_image(&im, err);
    json_decref(im.rec);
    oci_staging_drop(&st);
    if (rc < 0)
        return vcb_err_prefix(err, "image %s", spec);
    snprintf(img.spec, sizeof(img.spec), "%s", spec);
    *out = img;
    return 0;
}
