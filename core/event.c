/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* event.c — event names, the per-instance event queue and stats defaults. */
#include <errno.h>
#include <string.h>

#include "vcb-driver.h"

const char *vcb_event_kind_name(enum vcb_event_kind k)
{
    static const char *const names[VCB_EV__COUNT] = {"create", "started", "init", "ready",
                                                     "result", "exit",    "gone"};
    return (unsigned)k < VCB_EV__COUNT ? names[k] : "?";
}

void vcb_event_clear(struct vcb_event *ev)
{
    free(ev->text);
    memset(ev, 0, sizeof(*ev));
}

void vcb_stats_init(struct vcb_stats *s)
{
    memset(s, 0xff, sizeof(*s)); /* every field VCB_STAT_UNSET */
    s->mem_source = NULL;
    s->mem_remote = false;
}

int vcb_evq_push(struct vcb_evq *q, const struct vcb_event *ev)
{
    if (q->head > 0 && q->head == q->len) {
        q->head = q->len = 0; /* drained: reuse from the start */
    }
    if (q->len == q->cap) {
        size_t cap = q->cap ? q->cap * 2 : 8;
        struct vcb_event *items = realloc(q->items, cap * sizeof(*items));
        if (!items)
            return -1;
        q->items = items;
        q->cap = cap;
    }
    q->items[q->len++] = *ev;
    return 0;
}

bool vcb_evq_pop(struct vcb_evq *q, struct vcb_event *out)
{
    if (q->head == q->len)
        return false;
    *out = q->items[q->head++];
    return true;
}

void vcb_evq_free(struct vcb_evq *q)
{
    for (size_t i = q->head; i < q->len; i++)
        free(q->items[i].text);
    free(q->items);
    memset(q, 0, sizeof(*q));
}
