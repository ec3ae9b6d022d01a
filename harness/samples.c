/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* samples.c — the growing sample buffers the scenarios fill; their
 * summaries come from core's statistics (vcb-stats.h). */
#include <string.h>

#include "harness.h"

int bench_samples_add(struct bench_samples *s, double x)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        double *v = realloc(s->v, cap * sizeof(double));
        if (!v)
            return -1;
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = x;
    return 0;
}

void bench_samples_free(struct bench_samples *s)
{
    free(s->v);
    memset(s, 0, sizeof(*s));
}
