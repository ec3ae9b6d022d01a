/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vm-node-xml.c — the few values host facts take from libvirt's XML
 * documents (capabilities, sysinfo). Both are libvirt's own output, so a
 * plain scan for the elements suffices; a value that is not there is
 * reported as missing, never guessed. */
#include <string.h>

#include "vm-priv.h"

/* The first occurrence of s in [p, end), or NULL. */
static const char *find_in(const char *p, const char *end, const char *s)
{
    const char *hit = p && end ? strstr(p, s) : NULL;
    return hit && hit + strlen(s) <= end ? hit : NULL;
}

/* Text up to the next '<', with libvirt's entities undone, into buf. */
static void text_copy(const char *p, const char *end, char *buf, size_t len)
{
    static const struct {
        const char *ent;
        char c;
    } ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
    size_t o = 0;
    while (p < end && *p != '<' && o + 1 < len) {
        char c = *p++;
        for (size_t i = 0; c == '&' && i < sizeof ents / sizeof ents[0]; i++)
            if (!strncmp(p - 1, ents[i].ent, strlen(ents[i].ent))) {
                c = ents[i].c;
                p += strlen(ents[i].ent) - 1;
                break;
            }
        buf[o++] = c;
    }
    buf[o] = '\0';
}

/* The element's whole body: after the '>' of "<tag" (with or without
 * attributes) up to "</tag>"; false when [p, end) has none. */
static bool elem_body(const char *p, const char *end, const char *tag, const char **body,
                      const char **body_end)
{
    char open[40], close[40];
    snprintf(open, sizeof open, "<%s", tag);
    snprintf(close, sizeof close, "</%s>", tag);
    for (const char *o = find_in(p, end, open); o; o = find_in(o + 1, end, open)) {
        char next = o[strlen(open)];
        if (next != '>' && next != ' ')
            continue; /* <cpus> is not <cpu> */
        const char *gt = find_in(o, end, ">");
        const char *c = gt ? find_in(gt, end, close) : NULL;
        if (!c || gt[-1] == '/')
            return false;
        *body = gt + 1;
        *body_end = c;
        return true;
    }
    return false;
}

static bool elem_text(const char *p, const char *end, const char *tag, char *buf, size_t len)
{
    const char *b, *e;
    if (!elem_body(p, end, tag, &b, &e))
        return false;
    text_copy(b, e, buf, len);
    return buf[0] != '\0';
}

bool vm_caps_host_cpu(const char *caps, char *model, char *vendor, size_t len)
{
    const char *end = caps ? caps + strlen(caps) : NULL, *host, *host_end, *cpu, *cpu_end;
    model[0] = vendor[0] = '\0';
    if (!caps || !elem_body(caps, end, "host", &host, &host_end) ||
        !elem_body(host, host_end, "cpu", &cpu, &cpu_end))
        return false;
    elem_text(cpu, cpu_end, "vendor", vendor, len);
    return elem_text(cpu, cpu_end, "model", model, len);
}

bool vm_sysinfo_entry(const char *sysinfo, const char *section, const char *name, char *buf,
                      size_t len)
{
    const char *end = sysinfo ? sysinfo + strlen(sysinfo) : NULL, *sec, *sec_end;
    char want[2][80];
    buf[0] = '\0';
    if (!sysinfo || !elem_body(sysinfo, end, section, &sec, &sec_end))
        return false;
    snprintf(want[0], sizeof want[0], "<entry name='%s'>", name);
    snprintf(want[1], sizeof want[1], "<entry name=\"%s\">", name);
    for (size_t i = 0; i < 2; i++) {
        const char *p = find_in(sec, sec_end, want[i]);
        if (p) {
            text_copy(p + strlen(want[i]), sec_end, buf, len);
            return buf[0] != '\0';
        }
    }
    return false;
}
