/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* oci-pathset.c — a set of paths (open addressing, FNV-1a): what one layer
 * wrote, so an opaque whiteout empties its directory of the lower layers'
 * files only. */
#include <string.h>

#include "wl-oci-priv.h"

static size_t path_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return (size_t)h;
}

static size_t slot_of(char **slot, size_t cap, const char *path)
{
    size_t i = path_hash(path) & (cap - 1);
    while (slot[i] && strcmp(slot[i], path) != 0)
        i = (i + 1) & (cap - 1);
    return i;
}

static int pathset_grow(struct oci_pathset *s)
{
    size_t cap = s->cap ? s->cap * 2 : 256;
    char **slot = calloc(cap, sizeof(*slot));
    if (!slot)
        return -1;
    for (size_t i = 0; i < s->cap; i++)
        if (s->slot[i])
            slot[slot_of(slot, cap, s->slot[i])] = s->slot[i];
    free(s->slot);
    s->slot = slot;
    s->cap = cap;
    return 0;
}

int oci_pathset_add(struct oci_pathset *s, const char *path)
{
    if ((s->n + 1) * 2 > s->cap && pathset_grow(s) < 0)
        return -1;
    size_t i = slot_of(s->slot, s->cap, path);
    if (s->slot[i])
        return 0;
    if (!(s->slot[i] = strdup(path)))
        return -1;
    s->n++;
    return 0;
}

bool oci_pathset_has(const struct oci_pathset *s, const char *path)
{
    return s->cap && s->slot[slot_of(s->slot, s->cap, path)];
}

void oci_pathset_clear(struct oci_pathset *s)
{
    for (size_t i = 0; i < s->cap; i++)
        free(s->slot[i]);
    free(s->slot);
    memset(s, 0, sizeof(*s));
}
