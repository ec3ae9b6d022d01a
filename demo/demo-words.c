/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* demo-words.c — what every step of the demo says with: the narration
 * itself, the arms' labels and kinds, and the figures read back from the
 * entries the runner added. */
#include <string.h>

#include "demo-priv.h"
#include "demo-text.h"

void demo_say(struct demo *d, const char *fmt, ...)
{
    char buf[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (d->opts->say)
        d->opts->say(d->opts->ctx, buf);
}

const char *demo_label(const struct demo *d, size_t b, json_t *entry, char *buf, size_t len)
{
    bool emulated = entry && json_is_true(json_object_get(entry, "emulated"));
    snprintf(buf, len, "%s%s", d->ctx->backends[b].name, emulated ? " (emulated, TCG)" : "");
    return buf;
}

int demo_kind(const struct demo *d, size_t b)
{
    const struct vcb_driver *drv = d->ctx->backends[b].drv;
    return drv ? (int)drv->kind : -1;
}

size_t demo_find_kind(const struct demo *d, enum vcb_arm_kind kind)
{
    size_t b = 0;
    while (b < d->ctx->nbackends && demo_kind(d, b) != (int)kind)
        b++;
    return b;
}

/* The driver's reason may already start with the label; say it once. */
void demo_note_emulated(struct demo *d, const struct bench_inst *bi)
{
    static const char prefix[] = "emulated (TCG): ";
    if (!bi->emulated || d->said_emulated)
        return;
    const char *why = bi->emulated_reason;
    while (strncmp(why, prefix, sizeof(prefix) - 1) == 0)
        why += sizeof(prefix) - 1;
    d->said_emulated = true;
    demo_say(d, DT_FIRST_TCG, bi->be->name, why);
}

bool demo_metric(json_t *entry, const char *name, double *median, size_t *n)
{
    json_t *m;
    size_t i;
    json_array_foreach(json_object_get(entry, "metrics"), i, m)
    {
        const char *mn = json_string_value(json_object_get(m, "name"));
        json_t *sum = json_object_get(m, "summary");
        if (!mn || strcmp(mn, name) != 0 || !json_is_number(json_object_get(sum, "median")))
            continue;
        *median = json_number_value(json_object_get(sum, "median"));
        if (n)
            *n = (size_t)json_integer_value(json_object_get(sum, "n"));
        return true;
    }
    return false;
}

const char *demo_note_string(json_t *entry, const char *key)
{
    return json_string_value(json_object_get(json_object_get(entry, "notes"), key));
}

bool demo_say_dnf(struct demo *d, size_t b, json_t *entry)
{
    char label[64];
    json_t *dnf = json_array_get(json_object_get(entry, "dnf"), 0);
    if (entry && json_array_size(json_object_get(entry, "metrics")))
        return false;
    const char *why = json_string_value(json_object_get(dnf, "reason"));
    demo_label(d, b, entry, label, sizeof(label));
    if (!d->ctx->backends[b].drv)
        demo_say(d, DT_SKIPPED, label, d->ctx->backends[b].why);
    else
        demo_say(d, DT_ROW_FAILED, label, why ? why : "nothing measured");
    return true;
}
