/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-hosts.c — the fleet's hosts file (fleet/hosts.c), parsed as
 * `vcbench fleet --hosts FILE` parses it. Contract checked beyond memory
 * safety: a rejected file is a usage error whose message starts with the
 * file name and leaves the output as it was; an accepted one has hosts
 * whose destination is one word no option or label can be mistaken for,
 * whose names are unique and safe as a directory name, within the label
 * bound. */
#include <string.h>

#include "fleet.h"
#include "fuzz-common.h"

#define FILE_NAME "fuzz.hosts"

static void check_host(const struct fleet_hosts *hs, size_t i)
{
    const struct fleet_host *h = &hs->hosts[i];
    FUZZ_CHECK(h->dest && h->dest[0] && h->dest[0] != '-' && !strchr(h->dest, '='),
               "host %zu: destination '%s'", i, h->dest ? h->dest : "(null)");
    FUZZ_CHECK(!strpbrk(h->dest, " \t\r\n") && h->dest[0] != '#',
               "host %zu: destination is not one word", i);
    FUZZ_CHECK(h->name && h->name[0] && h->name[0] != '.' && !strchr(h->name, '/') &&
                   strlen(h->name) < FLEET_NAME_MAX,
               "host %zu: name '%s' is no safe directory", i, h->name ? h->name : "(null)");
    FUZZ_CHECK(h->n_labels <= FLEET_LABEL_MAX, "host %zu: %zu labels", i, h->n_labels);
    for (size_t l = 0; l < h->n_labels; l++)
        FUZZ_CHECK(h->labels[l].key[0] && h->labels[l].value[0], "host %zu: an empty label", i);
    for (size_t j = 0; j < i; j++)
        FUZZ_CHECK(strcmp(hs->hosts[j].name, h->name) != 0, "hosts %zu and %zu share a name", j, i);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_strndup(data, size);
    struct fleet_hosts hs = {.hosts = (struct fleet_host *)&hs, .n = 77}; /* a sentinel */
    struct vcb_err err = {0};
    if (fleet_hosts_parse(text, FILE_NAME, &hs, &err) < 0) {
        FUZZ_CHECK(err.usage == 1, "rejected without a usage error: %s", err.msg);
        FUZZ_CHECK(!strncmp(err.msg, FILE_NAME, strlen(FILE_NAME)), "'%s' names no file", err.msg);
        FUZZ_CHECK(hs.n == 77 && hs.hosts == (struct fleet_host *)&hs, "output changed on failure");
    } else {
        FUZZ_CHECK(hs.n >= 1, "accepted with no hosts");
        for (size_t i = 0; i < hs.n; i++)
            check_host(&hs, i);
        fleet_hosts_free(&hs);
    }
    free(text);
    return 0;
}
