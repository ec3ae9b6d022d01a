/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wl-image.h — workloads and their images. One image per workload serves
 * every backend: a rootfs directory (containers, process) and a newc
 * initramfs (VMs) holding the same bytes:
 *   /init            vcb-init (static), PID 1 everywhere
 *   /bin/<workload>  the workload (static)
 *   /proc /sys /dev /tmp   empty mount points
 * Images are content-addressed (SHA-256 of the inputs) and cached under
 * <state>/images/<workload>-<hash16>/{rootfs/,initramfs.cpio,image.json}. */
#ifndef WL_IMAGE_H
#define WL_IMAGE_H

#include <limits.h>

#include "vcb.h"

/* The workloads vcbench ships; NULL-terminated. */
extern const char *const wl_workload_names[];
bool wl_workload_known(const char *name);
/* One-line description of a workload, for --help. */
const char *wl_workload_summary(const char *name);
/* The workload writes to a scratch volume: an instance of it gets one when
 * the run gives a size (--scratch, a suite's scratch field). */
bool wl_workload_uses_scratch(const char *name);
/* The workloads that talk to a peer over a network path (netio, netflood). */
bool wl_workload_uses_net(const char *name);

struct wl_image {
    char workload[32];
    char hash[65]; /* hex SHA-256 of the inputs */
    char dir[PATH_MAX];
    char rootfs[PATH_MAX];
    char initramfs[PATH_MAX];
    uint64_t initramfs_bytes;
    bool cached; /* it was already there */
};

/* Build (or find cached) the image of a workload. Unknown workload is a
 * usage error. A failed build leaves nothing behind. */
int wl_image_build(const char *workload, struct wl_image *out, struct vcb_err *err);
/* Call fn for every image present under the state dir. */
int wl_image_list(int (*fn)(const struct wl_image *img, void *ctx), void *ctx, struct vcb_err *err);

/* A file's identity as git's index trusts it, for any cache keyed by files
 * (an image's sources, a VM's uploads): one line per source, device, inode,
 * size, mtime, ctime (ns), path. -1 if a source cannot be stat()ed or the
 * lines do not fit. *racy: a source changed so recently that its identity
 * cannot yet be trusted (what is derived from it is not to be kept). */
int wl_key_identity(const char *const *sources, size_t n, char *out, size_t len, bool *racy);

#endif
