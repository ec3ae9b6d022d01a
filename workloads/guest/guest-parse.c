/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* guest-parse.c — the guest's size and duration parsers are the host's own
 * (core/parse.c, compiled into the static guest library), so a value the
 * host accepts means the same inside every instance. */
#include "guest.h"
#include "vcb.h"

int wl_parse_size(const char *s, uint64_t *out)
{
    return vcb_parse_size(s, "size", out, NULL);
}

int wl_parse_duration(const char *s, uint64_t *out_ns)
{
    return vcb_parse_duration(s, "duration", out_ns, NULL);
}

int wl_parse_u64(const char *s, uint64_t *out)
{
    return vcb_parse_u64(s, "number", out, NULL);
}
