/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* run-facts.c — what a run was told that changes its numbers (run.options,
 * the suite's hash, the command line; and the VM acceleration and the VM
 * arm's host it found), as text, and where two runs differ in it: the
 * report and `compare` show those differences next to any comparison of
 * the numbers. */
#include <string.h>

#include "rpt-priv.h"

enum fact_src { FACT_ACCEL, FACT_OPTION, FACT_SUITE, FACT_CMDLINE, FACT_VM_HOST };

static const struct {
    const char *what;
    enum fact_src src;
    const char *key; /* FACT_OPTION: the key under run.options */
} facts[] = {
    {"VM acceleration", FACT_ACCEL, NULL},
    {"VM machine type", FACT_OPTION, "machine"},
    {"--accel asked", FACT_OPTION, "accel"},
    {"libvirt URI", FACT_OPTION, "vm_uri"},
    {"VM arm's host", FACT_VM_HOST, NULL},
    {"guest kernel", FACT_OPTION, "guest_kernel"},
    {"guest kernel SHA-256", FACT_OPTION, "guest_kernel_sha256"},
    {"guest kernel command line", FACT_OPTION, "guest_cmdline"},
    {"container user namespace (--userns)", FACT_OPTION, "userns"},
    {"container seccomp", FACT_OPTION, "seccomp"},
    {"container network path (--net)", FACT_OPTION, "container_net"},
    {"suite file SHA-256", FACT_SUITE, NULL},
    {"command line", FACT_CMDLINE, NULL},
};
#define N_FACTS (sizeof(facts) / sizeof(facts[0]))

static void json_text(json_t *v, char *buf, size_t len)
{
    if (json_is_string(v))
        snprintf(buf, len, "%s", json_string_value(v));
    else if (json_is_boolean(v))
        snprintf(buf, len, "%s", json_is_true(v) ? "yes" : "no");
    else
        snprintf(buf, len, "none"); /* null: not applicable (no VM arm) */
}

static void words_text(json_t *words, char *buf, size_t len)
{
    size_t i, o = 0;
    json_t *w;
    buf[0] = '\0';
    json_array_foreach(words, i, w)
    {
        int n = snprintf(buf + o, len - o, "%s%s", i ? " " : "", json_string_value(w));
        if (n < 0 || (size_t)n >= len - o)
            break;
        o += (size_t)n;
    }
    rpt_utf8_trim(buf);
}

/* false when the run did not record it (a file older than 1.1). */
static bool fact_text(const struct rpt_run *r, size_t i, char *buf, size_t len)
{
    switch (facts[i].src) {
    case FACT_ACCEL:
        snprintf(buf, len, "%s",
                 !r->host.accel                      ? "no VM arm"
                 : strcmp(r->host.accel, "tcg") == 0 ? "emulated (TCG)"
                                                     : "KVM");
        return true;
    case FACT_OPTION:
        if (!r->options)
            return false;
        json_text(json_object_get(r->options, facts[i].key), buf, len);
        return true;
    case FACT_SUITE:
        snprintf(buf, len, "%s", r->suite_sha256 ? r->suite_sha256 : "");
        return r->suite_sha256 != NULL;
    case FACT_CMDLINE:
        words_text(r->command_line, buf, len);
        return r->command_line != NULL;
    case FACT_VM_HOST:
        return rpt_vm_host_text(r, buf, len);
    }
    return false;
}

bool rpt_run_fact(const struct rpt_run *r, size_t i, const char **what, char *buf, size_t len)
{
    if (i >= N_FACTS)
        return false;
    *what = facts[i].what;
    if (!fact_text(r, i, buf, len))
        snprintf(buf, len, "not recorded");
    return true;
}

size_t rpt_run_diffs(const struct rpt_run *a, const struct rpt_run *b, struct rpt_run_diff *out,
                     size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < N_FACTS && n < max; i++) {
        struct rpt_run_diff *d = &out[n];
        bool ka = fact_text(a, i, d->base, sizeof(d->base)),
             kb = fact_text(b, i, d->new_, sizeof(d->new_));
        if (!ka && !kb)
            continue;
        if (!ka || !kb) { /* one side older: say so once per fact */
            snprintf(ka ? d->new_ : d->base, sizeof(d->base), "not recorded");
        } else if (strcmp(d->base, d->new_) == 0) {
            continue;
        }
        d->what = facts[i].what;
        n++;
    }
    return n;
}
