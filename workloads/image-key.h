/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* image-key.h — memo of an image's content hash, keyed by its sources'
 * identity, so a valid cache is found without hashing the sources. */
#ifndef WL_IMAGE_KEY_H
#define WL_IMAGE_KEY_H

#include "vcb.h"
#include "wl-image.h" /* wl_key_identity */

/* What an identity and its memo may hold: longer ones are not memoised. */
#define WL_KEY_IDENTITY_MAX 6144

/* The hash memo holds for exactly this identity: true with hash filled. */
bool wl_key_recall(const char *memo, const char *identity, char hash[65]);
/* Write the memo (atomically: a reader sees the old one or the new one). */
int wl_key_remember(const char *memo, const char *identity, const char *hash, struct vcb_err *err);

#endif
