/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cpio.h — a writer for the newc cpio format the kernel unpacks as an
 * initramfs. Output is deterministic: uid/gid 0, mtime 0, sequential inodes. */
#ifndef WL_CPIO_H
#define WL_CPIO_H

#include "vcb.h"

struct wl_cpio {
    FILE *f;
    const char *path;
    uint32_t next_ino;
    uint64_t bytes;
};

int wl_cpio_open(struct wl_cpio *c, const char *path, struct vcb_err *err);
int wl_cpio_add_dir(struct wl_cpio *c, const char *name, unsigned mode, struct vcb_err *err);
int wl_cpio_add_file(struct wl_cpio *c, const char *name, unsigned mode, const void *data,
                     size_t len, struct vcb_err *err);
/* Writes the trailer and closes; the file is complete only after this. */
int wl_cpio_finish(struct wl_cpio *c, struct vcb_err *err);
/* Close without finishing (error paths). */
void wl_cpio_abort(struct wl_cpio *c);

#endif
