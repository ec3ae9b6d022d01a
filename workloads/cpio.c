/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cpio.c — newc ("070701") cpio writer for initramfs images. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "cpio.h"

static int cpio_write(struct wl_cpio *c, const void *data, size_t len, struct vcb_err *err)
{
    if (len && fwrite(data, 1, len, c->f) != len)
        return vcb_err_sys(err, errno ? errno : EIO, "write %s", c->path);
    c->bytes += len;
    return 0;
}

static int cpio_pad4(struct wl_cpio *c, struct vcb_err *err)
{
    static const char zeros[4];
    size_t pad = (4 - c->bytes % 4) % 4;
    return cpio_write(c, zeros, pad, err);
}

/* One entry: 110-byte header, NUL-terminated name, padding, data, padding. */
static int cpio_entry(struct wl_cpio *c, const char *name, unsigned mode, const void *data,
                      size_t len, struct vcb_err *err)
{
    char hdr[111];
    size_t namesize = strlen(name) + 1;
    if (len > 0xffffffffu)
        return vcb_err_set(err, EFBIG, "%s: %s is too large for cpio", c->path, name);
    unsigned nlink = S_ISDIR(mode) ? 2 : 1;
    snprintf(hdr, sizeof(hdr), "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
             c->next_ino++, mode, 0u, 0u, nlink, 0u, (unsigned)len, 0u, 0u, 0u, 0u,
             (unsigned)namesize, 0u);
    if (cpio_write(c, hdr, 110, err) < 0 || cpio_write(c, name, namesize, err) < 0 ||
        cpio_pad4(c, err) < 0 || cpio_write(c, data, len, err) < 0 || cpio_pad4(c, err) < 0)
        return -1;
    return 0;
}

int wl_cpio_open(struct wl_cpio *c, const char *path, struct vcb_err *err)
{
    memset(c, 0, sizeof(*c));
    c->path = path;
    c->next_ino = 1;
    c->f = fopen(path, "wbe");
    if (!c->f)
        return vcb_err_sys(err, errno, "create %s", path);
    return 0;
}

int wl_cpio_add_dir(struct wl_cpio *c, const char *name, unsigned mode, struct vcb_err *err)
{
    return cpio_entry(c, name, S_IFDIR | (mode & 07777), NULL, 0, err);
}

int wl_cpio_add_file(struct wl_cpio *c, const char *name, unsigned mode, const void *data,
                     size_t len, struct vcb_err *err)
{
    return cpio_entry(c, name, S_IFREG | (mode & 07777), data, len, err);
}

int wl_cpio_finish(struct wl_cpio *c, struct vcb_err *err)
{
    c->next_ino = 0;
    int rc = cpio_entry(c, "TRAILER!!!", 0, NULL, 0, err);
    if (fclose(c->f) != 0 && rc == 0)
        rc = vcb_err_sys(err, errno, "close %s", c->path);
    c->f = NULL;
    return rc;
}

void wl_cpio_abort(struct wl_cpio *c)
{
    if (c->f)
        fclose(c->f);
    c->f = NULL;
}
