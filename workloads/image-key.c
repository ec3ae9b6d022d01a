/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* image-key.c — an image's content hash without reading its sources when
 * they have not changed since the hash was taken. The memo holds each
 * source's identity as git's index trusts it (device, inode, size, mtime,
 * ctime, all in ns); a launch with a valid cache then costs two stat()s
 * instead of reading and hashing 1.3 MB of static binaries. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "image-key.h"

/* A source changed less than this long ago may change again within the same
 * timestamp tick without its identity moving (git's "racily clean" case):
 * such a hash is not memoised. */
#define RACY_NS (2ULL * 1000000000ULL)

static uint64_t ts_ns(struct timespec t)
{
    return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

int wl_key_identity(const char *const *sources, size_t n, char *out, size_t len, bool *racy)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    size_t used = 0;
    *racy = false;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (stat(sources[i], &st) < 0)
            return -1;
        uint64_t ctime = ts_ns(st.st_ctim);
        if (ctime + RACY_NS > ts_ns(now))
            *racy = true;
        int w = snprintf(out + used, len - used, "%llx %llx %llx %llx %llx %s\n",
                         (unsigned long long)st.st_dev, (unsigned long long)st.st_ino,
                         (unsigned long long)st.st_size, (unsigned long long)ts_ns(st.st_mtim),
                         (unsigned long long)ctime, sources[i]);
        if (w < 0 || (size_t)w >= len - used)
            return -1;
        used += (size_t)w;
    }
    return 0;
}

/* The memo: the identity lines, then "hash <hex>". */
bool wl_key_recall(const char *memo, const char *identity, char hash[65])
{
    char buf[WL_KEY_IDENTITY_MAX + 80];
    FILE *f = fopen(memo, "re");
    if (!f)
        return false;
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    size_t idlen = strlen(identity);
    if (n <= idlen || memcmp(buf, identity, idlen) != 0)
        return false;
    const char *h = buf + idlen;
    if (strncmp(h, "hash ", 5) != 0 || strspn(h + 5, "0123456789abcdef") != 64 || h[69] != '\n')
        return false;
    memcpy(hash, h + 5, 64);
    hash[64] = '\0';
    return true;
}

int wl_key_remember(const char *memo, const char *identity, const char *hash, struct vcb_err *err)
{
    char buf[WL_KEY_IDENTITY_MAX + 80];
    int w = snprintf(buf, sizeof(buf), "%shash %s\n", identity, hash);
    if (w < 0 || (size_t)w >= sizeof(buf))
        return vcb_err_usage(err, "image key memo %s: sources' paths too long", memo);
    return vcb_write_file_atomic(memo, buf, (size_t)w, err);
}
