/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hosts.c — the hosts file: one SSH destination a line, then key=value
 * words (name=, vcbench=, labels), '#' comments, blank lines. Strict: a
 * line that is anything else is a usage error naming FILE:LINE and what
 * was expected, before any host is contacted. */
#include <errno.h>
#include <string.h>

#include "fleet.h"

#define HOSTS_WORDS_MAX (FLEET_LABEL_MAX + 3)

void fleet_hosts_free(struct fleet_hosts *h)
{
    for (size_t i = 0; h && i < h->n; i++) {
        struct fleet_host *x = &h->hosts[i];
        free(x->dest);
        free(x->name);
        free(x->vcbench);
        for (size_t l = 0; l < x->n_labels; l++) {
            free(x->labels[l].key);
            free(x->labels[l].value);
        }
    }
    if (h) {
        free(h->hosts);
        h->hosts = NULL;
        h->n = 0;
    }
}

/* A host's name becomes a directory (DIR/hosts/<name>) and a report label. */
static bool name_ok(const char *s)
{
    if (!s[0] || s[0] == '.' || strlen(s) >= FLEET_NAME_MAX)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              strchr("._-@+:", *s)))
            return false;
    return true;
}

static bool key_ok(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= '0' && s[i] <= '9') || strchr("._-", s[i])))
            return false;
    return true;
}

/* Split at blanks, up to the first word that starts a comment. */
static size_t split_words(char *line, char **w, size_t max, bool *too_many)
{
    size_t n = 0;
    *too_many = false;
    for (char *p = line;;) {
        p += strspn(p, " \t\r");
        if (!*p || *p == '#')
            return n;
        if (n == max) {
            *too_many = true;
            return n;
        }
        w[n++] = p;
        p += strcspn(p, " \t\r");
        if (*p)
            *p++ = '\0';
    }
}

static bool has_ctl(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return true;
    return false;
}

static int host_word(struct fleet_host *h, const char *word, const char *where, struct vcb_err *err)
{
    const char *eq = strchr(word, '=');
    if (!eq || !key_ok(word, (size_t)(eq - word)) || !eq[1])
        return vcb_err_usage(err,
                             "%s: '%s': expected key=value (a label such as gen=zen3, "
                             "name=NAME or vcbench=PATH)",
                             where, word);
    size_t klen = (size_t)(eq - word);
    char **slot = NULL;
    if (klen == 4 && !strncmp(word, "name", 4))
        slot = &h->name;
    else if (klen == 7 && !strncmp(word, "vcbench", 7))
        slot = &h->vcbench;
    if (slot && *slot)
        return vcb_err_usage(err, "%s: %.*s= given twice", where, (int)klen, word);
    if (slot)
        return (*slot = strdup(eq + 1)) ? 0 : vcb_err_sys(err, ENOMEM, "%s", where);
    for (size_t i = 0; i < h->n_labels; i++)
        if (strlen(h->labels[i].key) == klen && !strncmp(h->labels[i].key, word, klen))
            return vcb_err_usage(err, "%s: label %.*s given twice", where, (int)klen, word);
    if (h->n_labels == FLEET_LABEL_MAX)
        return vcb_err_usage(err, "%s: expected at most %d labels", where, FLEET_LABEL_MAX);
    struct fleet_label *l = &h->labels[h->n_labels];
    if (!(l->key = strndup(word, klen)) || !(l->value = strdup(eq + 1))) {
        free(l->key);
        return vcb_err_sys(err, ENOMEM, "%s", where);
    }
    h->n_labels++;
    return 0;
}

/* One host line, words already split; the host is filled or left to free. */
static int host_line(struct fleet_host *h, char **w, size_t n, const char *where,
                     struct vcb_err *err)
{
    if (strchr(w[0], '=') || w[0][0] == '-' || has_ctl(w[0]))
        return vcb_err_usage(err,
                             "%s: '%s': expected an SSH destination first (host, user@host "
                             "or an alias of ~/.ssh/config), then key=value words",
                             where, w[0]);
    if (!(h->dest = strdup(w[0])))
        return vcb_err_sys(err, ENOMEM, "%s", where);
    for (size_t i = 1; i < n; i++) {
        if (has_ctl(w[i]))
            return vcb_err_usage(err, "%s: '%s': expected printable key=value", where, w[i]);
        if (host_word(h, w[i], where, err) < 0)
            return -1;
    }
    if (h->name && !name_ok(h->name))
        return vcb_err_usage(err,
                             "%s: name=%s: expected letters, digits and . _ - @ + : "
                             "(not first: .), under %d characters",
                             where, h->name, FLEET_NAME_MAX);
    if (!h->name && !name_ok(h->dest))
        return vcb_err_usage(err,
                             "%s: destination '%s' cannot name the host (a directory of "
                             "the results): add name=NAME",
                             where, h->dest);
    if (!h->name && !(h->name = strdup(h->dest)))
        return vcb_err_sys(err, ENOMEM, "%s", where);
    return 0;
}

static int hosts_add(struct fleet_hosts *hs, char **w, size_t n, const char *file, unsigned line,
                     struct vcb_err *err)
{
    char where[512];
    snprintf(where, sizeof(where), "%s:%u", file, line);
    struct fleet_host *grown = realloc(hs->hosts, (hs->n + 1) * sizeof(*grown));
    if (!grown)
        return vcb_err_sys(err, ENOMEM, "%s", where);
    hs->hosts = grown;
    struct fleet_host *h = memset(&hs->hosts[hs->n++], 0, sizeof(*h));
    h->line = line;
    if (host_line(h, w, n, where, err) < 0)
        return -1;
    for (size_t i = 0; i + 1 < hs->n; i++)
        if (!strcmp(hs->hosts[i].name, h->name))
            return vcb_err_usage(err,
                                 "%s: host name '%s' already names the host of line %u "
                                 "(expected a unique name=)",
                                 where, h->name, hs->hosts[i].line);
    return 0;
}

int fleet_hosts_parse(const char *text, const char *file, struct fleet_hosts *out,
                      struct vcb_err *err)
{
    struct fleet_hosts hs = {0};
    cleanup_free char *copy = strdup(text);
    if (!copy)
        return vcb_err_sys(err, ENOMEM, "%s", file);
    unsigned line = 0;
    for (char *save = NULL, *p = copy; p; p = save) {
        save = strchr(p, '\n');
        if (save)
            *save++ = '\0';
        line++;
        char *w[HOSTS_WORDS_MAX];
        bool too_many;
        size_t n = split_words(p, w, HOSTS_WORDS_MAX, &too_many);
        if (too_many) {
            fleet_hosts_free(&hs);
            return vcb_err_usage(err, "%s:%u: expected at most %d labels", file, line,
                                 FLEET_LABEL_MAX);
        }
        if (n > 0 && hosts_add(&hs, w, n, file, line, err) < 0) {
            fleet_hosts_free(&hs);
            return -1;
        }
    }
    if (hs.n == 0)
        return vcb_err_usage(err, "%s: no hosts (expected one SSH destination a line)", file);
    *out = hs;
    return 0;
}

int fleet_hosts_load(const char *path, struct fleet_hosts *out, struct vcb_err *err)
{
    cleanup_free char *text = NULL;
    size_t len;
    if (vcb_read_file(path, &text, &len, err) < 0) {
        err->usage = 1; /* a hosts file the user named and we cannot read */
        return vcb_err_prefix(err, "--hosts");
    }
    if (memchr(text, '\0', len))
        return vcb_err_usage(err, "%s: expected a text file (it holds a NUL byte)", path);
    return fleet_hosts_parse(text, path, out, err);
}
