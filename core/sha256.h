/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sha256.h — SHA-256 (FIPS 180-4), for content-addressed images and the
 * files a results file names (suite, guest kernel). */
#ifndef WL_SHA256_H
#define WL_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include "vcb.h"

struct wl_sha256 {
    uint32_t h[8];
    uint64_t total;
    uint8_t block[64];
    size_t used;
};

void wl_sha256_init(struct wl_sha256 *s);
void wl_sha256_update(struct wl_sha256 *s, const void *data, size_t len);
void wl_sha256_final(struct wl_sha256 *s, uint8_t out[32]);
/* Lower-case hex of the digest into out[65]. */
void wl_sha256_hex(struct wl_sha256 *s, char out[65]);
/* The hex SHA-256 of a file's bytes. */
int wl_sha256_file(const char *path, char out[65], struct vcb_err *err);

#endif
