/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* oci-digest.c — content digests: only sha256, spelled strictly, since a
 * digest also names a file (blobs/sha256/<hex>) and must not climb out. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "wl-oci-priv.h"
#include "sha256.h"

bool oci_digest_valid(const char *digest)
{
    if (!digest || strncmp(digest, "sha256:", 7) != 0 || strlen(digest) != 7 + 64)
        return false;
    for (const char *p = digest + 7; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return false;
    return true;
}

int oci_digest_check(const char *file, const char *digest, int64_t size, const char *field,
                     struct vcb_err *err)
{
    char hex[65];
    struct stat st;
    if (!oci_digest_valid(digest))
        return vcb_err_usage(err, "%s: '%s' is not a sha256 digest (sha256:<64 hex digits>)", field,
                             digest ? digest : "");
    if (stat(file, &st) < 0)
        return vcb_err_sys(err, errno, "stat %s", file);
    if (size >= 0 && (int64_t)st.st_size != size)
        return vcb_err_usage(err, "%s: size mismatch: %lld bytes, not %lld", field,
                             (long long)st.st_size, (long long)size);
    if (wl_sha256_file(file, hex, err) < 0)
        return -1;
    if (strcmp(hex, digest + 7) != 0)
        return vcb_err_usage(err, "%s: digest mismatch: the bytes hash to sha256:%s, not %s", field,
                             hex, digest);
    return 0;
}
