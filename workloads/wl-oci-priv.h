/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wl-oci-priv.h — the parts of the image importer (wl-oci.h), shared by its
 * files and its tests. Every image is treated as hostile: it runs as root
 * on files users bring. */
#ifndef WL_OCI_PRIV_H
#define WL_OCI_PRIV_H

#include <jansson.h>

#include "wl-oci.h"

struct archive;
struct archive_entry;

/* The version of image.json's layout in a cache entry. */
#define OCI_RECORD_FORMAT "vcbench-oci-image/1"
/* Where an entry keeps the image's files: under a directory only root may
 * enter (0700), since they keep their owners, modes and setuid bits; the
 * cache and each entry are 0711 so that qemu, which libvirt runs as its own
 * user, can open the entry's initramfs.cpio and rootfs.ext4 by name. */
#define OCI_PRIVATE_DIR "fs"
#define OCI_ROOTFS_DIR  OCI_PRIVATE_DIR "/rootfs"
/* Index, manifest, config and docker's manifest.json are read whole: none
 * of a real image comes near this. */
#define OCI_JSON_MAX (8u << 20)

/* ---- oci-spec.c: SPEC as given ------------------------------------------ */
enum oci_kind { OCI_LAYOUT, OCI_ARCHIVE, OCI_DOCKER_ARCHIVE, OCI_DIR };
struct oci_spec {
    enum oci_kind kind;
    char path[PATH_MAX];
    char tag[128]; /* OCI_LAYOUT, OCI_ARCHIVE: "latest" unless given */
};
int oci_spec_parse(const char *spec, struct oci_spec *out, struct vcb_err *err);

/* ---- oci-digest.c: "sha256:<64 hex>" and the check of a file against it -- */
bool oci_digest_valid(const char *digest);
/* The file's sha256 must be digest (and its size size, when not -1): a
 * usage error naming the file and the field that gave the digest. */
int oci_digest_check(const char *file, const char *digest, int64_t size, const char *field,
                     struct vcb_err *err);

/* ---- oci-blobs.c: the files of a layout, in a directory or a tarball ----- */
struct oci_blobs {
    const struct oci_spec *spec;
    char tmp[PATH_MAX]; /* where members of a tarball are extracted to */
};
/* The path of member ("index.json", "blobs/sha256/<hex>", a docker archive's
 * "<hex>.tar"), at most limit bytes; extracted into tmp from a tarball. A
 * missing member is a usage error naming it. */
int oci_blob_path(struct oci_blobs *b, const char *member, uint64_t limit, char out[PATH_MAX],
                  struct vcb_err *err);
/* A JSON member, parsed; a usage error names the member when it is not. */
json_t *oci_blob_json(struct oci_blobs *b, const char *member, struct vcb_err *err);
/* A tarball opened for reading with the filters and formats images use
 * (tar: plain, gzip, zstd), no other. */
struct archive *oci_tar_open(const char *path, struct vcb_err *err);

/* ---- oci-layout.c, oci-docker.c: from the index to the layers ----------- */
struct oci_layer {
    char member[256]; /* the blob's member name */
    char digest[80];  /* what its bytes must hash to */
    int64_t size;     /* -1: not given (docker archive) */
};
struct oci_manifest {
    char digest[80]; /* the cache key */
    char config_member[256];
    json_t *config; /* the image config, parsed */
    struct oci_layer *layers;
    size_t n_layers;
};
void oci_manifest_free(struct oci_manifest *m);
/* index.json → the tag's manifest (linux/<host arch> picked from an index)
 * → its config; every document checked against its digest. */
int oci_layout_resolve(struct oci_blobs *b, const char *tag, struct oci_manifest *m,
                       struct vcb_err *err);
/* manifest.json of `docker save`: one image; its digest is the config's
 * (docker's image id), its layers are checked against rootfs.diff_ids. */
int oci_docker_resolve(struct oci_blobs *b, struct oci_manifest *m, struct vcb_err *err);

/* ---- oci-member.c: the rules every member of a layer must keep ---------- */
/* name: a member's path, "./" and trailing "/" removed into out. Refused
 * (usage error, naming the member): absolute, a ".." component, anything
 * under the reserved directory, a hard link whose target is absolute or has
 * "..", a symbolic link whose relative target climbs above the root. */
int oci_member_check(struct archive_entry *e, char *out, size_t len, struct vcb_err *err);
/* A path (relative, clean) with ".." or absolute parts: refused as above. */
int oci_path_check(const char *path, const char *what, struct vcb_err *err);

/* ---- oci-pathset.c: the paths one layer wrote --------------------------- */
struct oci_pathset {
    char **slot;
    size_t cap, n;
};
int oci_pathset_add(struct oci_pathset *s, const char *path);
bool oci_pathset_has(const struct oci_pathset *s, const char *path);
void oci_pathset_clear(struct oci_pathset *s);

/* ---- oci-unpack.c: members written into a rootfs ------------------------- */
/* Extraction is relative to the rootfs as the working directory (libarchive
 * writes relative to it): import runs before any thread starts. */
struct oci_unpack {
    const char *image; /* SPEC, for messages */
    const char *what;  /* "layer sha256:…" or "directory", for messages */
    uint64_t max_bytes;
    uint64_t bytes;   /* unpacked so far, 512 a member at least */
    unsigned skipped; /* device nodes and fifos, not created */
    struct oci_pathset seen;
    struct archive *disk;
    int saved_cwd;
};
int oci_unpack_open(struct oci_unpack *u, const char *image, const char *rootfs, uint64_t max_bytes,
                    struct vcb_err *err);
/* Apply one layer blob (tar, gzip or zstd): whiteouts honoured. */
int oci_unpack_layer(struct oci_unpack *u, const char *blob, const char *what, struct vcb_err *err);
/* Write one member read from in (a layer, or a directory walked). */
int oci_unpack_entry(struct oci_unpack *u, struct archive *in, struct archive_entry *e,
                     struct vcb_err *err);
/* Back to the working directory open found. */
void oci_unpack_close(struct oci_unpack *u);

/* ---- oci-whiteout.c ------------------------------------------------------ */
/* 1 when path is a whiteout (".wh.NAME" removed NAME, ".wh..wh..opq" emptied
 * its directory of what lower layers put there), 0 when it is not, -1. */
int oci_whiteout_apply(struct oci_unpack *u, const char *path, struct vcb_err *err);
/* A parent directory of path (relative to the working directory) that is a
 * symbolic link: writing there would write through it. */
int oci_parents_check(const char *path, const char *member, struct vcb_err *err);

/* ---- oci-tree.c: a directory as an image --------------------------------- */
/* sha256 over a walk in strcmp order: path, type, mode, uid, gid, link
 * target, file bytes (device nodes, fifos and sockets left out, as they are
 * never copied). */
int oci_tree_digest(const char *dir, char out[80], struct vcb_err *err);
/* Bytes of the files and links under dir, a hard-linked file once. */
int oci_tree_bytes(const char *dir, uint64_t *out, struct vcb_err *err);
/* Copy src into the unpack's rootfs, member by member, under its rules. */
int oci_tree_copy(struct oci_unpack *u, const char *src, struct vcb_err *err);

/* ---- oci-config.c, oci-user.c: the image config ------------------------- */
/* "amd64" for this host (uname), or the machine name as uname gives it. */
const char *oci_host_arch(void);
/* Refuse a config for another OS or architecture, naming both. */
int oci_config_platform(json_t *config, const char *file, struct vcb_err *err);
/* Write entrypoint, cmd, env, workdir, user under rootfs/.vcbench and their
 * record into rec (image.json's "config"). */
int oci_config_write(const char *rootfs, json_t *config, json_t *rec, bool *has_command,
                     struct vcb_err *err);
/* User "name|uid[:group|gid]" to numbers from rootfs's /etc/passwd and
 * /etc/group, read without leaving the rootfs. */
int oci_user_resolve(const char *rootfs, const char *user, unsigned *uid, unsigned *gid,
                     struct vcb_err *err);

/* ---- oci-own.c: what vcbench adds to every rootfs ----------------------- */
int oci_own_add(const char *rootfs, struct vcb_err *err);
/* A digest of what oci_own_add copies in (vcb-init, the modules): an entry
 * made with other ones is stale, and unpacked again. */
int oci_own_stamp(char out[65]);

/* ---- oci-vmimage.c: what a VM boots -------------------------------------- */
/* dir/initramfs.cpio of the whole rootfs, or dir/rootfs.ext4 and a small
 * initramfs of /.vcbench; the paths and form into img. */
int oci_vmimage_make(const char *dir, struct wl_oci_image *img, struct vcb_err *err);
/* A newc cpio of rootfs/sub ("" the whole tree), owners and modes kept. */
int oci_cpio_write(const char *rootfs, const char *sub, const char *out, struct vcb_err *err);

/* ---- oci-import.c: wl_oci_import's work, in the module (oci-module.h) ---- */
int oci_import(const char *spec, uint64_t max_bytes, struct wl_oci_image *out, struct vcb_err *err);

/* ---- oci-cache.c: <state>/images/oci ------------------------------------- */
/* The cache directory, made 0700 root. */
int oci_cache_root(char out[PATH_MAX], struct vcb_err *err);
/* <root>/<algo>-<hex> of a digest. */
void oci_entry_dir(const char *root, const char *digest, char out[PATH_MAX]);
/* A cache entry as its image.json describes it. */
int oci_entry_load(const char *dir, struct wl_oci_image *img);
/* The cached entry of digest into img, when it is there. */
bool oci_cache_find(const char *digest, struct wl_oci_image *img);
/* An entry made with another vcb-init or other modules is moved away and
 * removed: 0 when dir is free now, 1 when it is current (kept), -1 on error. */
int oci_entry_retire(const char *dir, struct vcb_err *err);

/* ---- oci-staging.c: an entry being filled -------------------------------- */
struct oci_staging {
    char dir[PATH_MAX];
    int lock; /* flock held on dir while it is being filled */
};
/* A new locked staging dir; stale ones whose import died are removed. */
int oci_staging_new(struct oci_staging *s, struct vcb_err *err);
void oci_staging_drop(struct oci_staging *s);
/* Write rec as image.json, then rename staging into place. */
int oci_cache_commit(struct oci_staging *s, json_t *rec, struct wl_oci_image *img,
                     struct vcb_err *err);

#endif
