/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* guest-scratch.h — the scratch volume the disk workloads (diskio, diskhog)
 * write to, as every arm shows it: a raw file of the host, made by the
 * harness for the instance. The process arm names the host file in
 * WL_SCRATCH_ENV; a container (ours or an OCI runtime's) has it
 * bind-mounted on WL_SCRATCH_PATH; a VM has it as a virtio-blk disk whose
 * serial is WL_SCRATCH_SERIAL, which vcb-init links at WL_SCRATCH_PATH.
 * Every image carries WL_SCRATCH_PATH as an empty file (the mount point of
 * a read-only root): an instance given no volume finds 0 bytes there. */
#ifndef WL_GUEST_SCRATCH_H
#define WL_GUEST_SCRATCH_H

#include <stddef.h>
#include <stdint.h>

#include "guest.h"
#include "vcb-driver.h" /* the three names below, which the host uses too */

#define WL_SCRATCH_PATH   VCB_SCRATCH_PATH
#define WL_SCRATCH_ENV    VCB_SCRATCH_ENV
#define WL_SCRATCH_SERIAL VCB_SCRATCH_SERIAL
#define WL_SCRATCH_ALIGN  4096 /* O_DIRECT: buffers, offsets and sizes */

/* Open the scratch volume for O_DIRECT reads and writes: path if given,
 * else $VCB_SCRATCH, else WL_SCRATCH_PATH. *bytes gets its size. A volume
 * that is missing, smaller than min_bytes, on tmpfs (O_DIRECT there is the
 * page cache) or refusing O_DIRECT is a usage failure (exit 2) saying so. */
int wl_scratch_open(const struct wl_prog *p, const char *path, uint64_t min_bytes, uint64_t *bytes);
/* A WL_SCRATCH_ALIGN-aligned buffer of len bytes, filled with a non-zero
 * pattern; exits 1 when memory is short. */
void *wl_scratch_buf(const struct wl_prog *p, size_t len);
/* xorshift64*: offsets without libc's shared random state. */
uint64_t wl_scratch_rand(uint64_t *state);

#endif
