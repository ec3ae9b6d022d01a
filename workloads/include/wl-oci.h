/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wl-oci.h — images from outside: an OCI image layout, an OCI or docker
 * archive, or a plain root filesystem directory, unpacked once into the
 * same shape as a built-in workload's image (a rootfs every arm uses, and
 * what a VM boots from), with vcb-init and the image config's parts added
 * under the directory no image may have (guest/guest-image.h).
 *
 * SPEC, as the command line and suites give it:
 *   oci:PATH[:TAG]          an OCI image layout directory (TAG: "latest")
 *   oci-archive:FILE[:TAG]  the same as a tarball
 *   docker-archive:FILE     what `docker save` / `podman save` write
 *   dir:PATH                a root filesystem directory
 * Unpacked images are content-addressed by manifest digest (dir: by a
 * digest of the tree) and cached under <state>/images/oci/<algo>-<hex>/
 * {rootfs/, initramfs.cpio or rootfs.ext4, image.json}. */
#ifndef WL_OCI_H
#define WL_OCI_H

#include <limits.h>

#include "../guest/guest-image.h" /* where vcb-init sits, how it is started */
#include "vcb.h"

/* The default of --max-image: the unpacked size an image may have. */
#define WL_OCI_MAX_DEFAULT (4ULL << 30)

/* How a VM boots the image: the whole rootfs as its initramfs while it is
 * small, else a read-only ext4 disk (virtio-blk) with vcb-init in a small
 * initramfs that mounts it. */
enum wl_vm_form { WL_VM_INITRAMFS, WL_VM_DISK };
#define WL_OCI_INITRAMFS_MAX (64ULL << 20)

struct wl_oci_image {
    char spec[PATH_MAX + 32]; /* as given */
    char digest[80];          /* "sha256:<hex>": the manifest's (dir: the tree's) */
    char dir[PATH_MAX];       /* the cache entry */
    char rootfs[PATH_MAX];
    enum wl_vm_form vm_form;
    char initramfs[PATH_MAX]; /* the VM's initramfs: the whole image, or the boot part */
    char disk[PATH_MAX];      /* WL_VM_DISK: the ext4 image; else "" */
    uint64_t rootfs_bytes;    /* unpacked size of the image's files */
    bool has_command;         /* an Entrypoint or a Cmd is set */
    bool cached;              /* it was already unpacked */
};

/* Unpack (or find cached) the image SPEC names. Bad input (an unknown
 * scheme, a missing or corrupt layout, a tag that is not there, a digest
 * mismatch, a layer with an absolute or ".." path, a link pointing out of
 * the rootfs, another architecture, more than max_bytes unpacked) is a
 * usage error (err->usage) naming the image, the file and what was wrong;
 * nothing half-unpacked stays behind. max_bytes 0 = WL_OCI_MAX_DEFAULT. */
int wl_oci_import(const char *spec, uint64_t max_bytes, struct wl_oci_image *out,
                  struct vcb_err *err);
/* Call fn for every unpacked image in the cache. */
int wl_oci_list(int (*fn)(const struct wl_oci_image *img, void *ctx), void *ctx,
                struct vcb_err *err);
/* Remove the cached image whose digest is, or starts with, what (at least
 * 12 hex digits, with or without "sha256:"); an unknown or ambiguous one is
 * a usage error. */
int wl_oci_remove(const char *what, struct vcb_err *err);

#endif
