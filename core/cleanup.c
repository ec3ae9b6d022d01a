/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cleanup.c — destructors for __attribute__((cleanup)); all accept NULL. */
#include <errno.h>
#include <string.h>

#include "vcb.h"

void vcb_freep(void *p)
{
    free(*(void **)p);
}

void vcb_closep(int *fd)
{
    if (*fd >= 0) {
        int saved = errno;
        close(*fd);
        errno = saved;
        *fd = -1; /* safe to call again, e.g. from a destroy path */
    }
}

void vcb_fclosep(FILE **f)
{
    if (*f)
        fclose(*f);
}

void vcb_strv_free(char **v)
{
    if (!v)
        return;
    for (char **p = v; *p; p++)
        free(*p);
    free(v);
}

size_t vcb_strv_len(char *const *v)
{
    size_t n = 0;
    while (v && v[n])
        n++;
    return n;
}
