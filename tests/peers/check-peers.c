/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* check-peers.c — what `vcbench peers` must have written:
 *   peers-check FILE complete|incomplete RUNS VM_RUNS EXPECT MISSING
 * Every entry follows docs/results-schema.md (scenario "peers"; n matches the
 * samples); run.complete is as expected.
 * EXPECT: peers (comma list) that must have RUNS samples (VM_RUNS for
 * vm-libvirt and qemu, per machine type) with sane medians and no DNF;
 * MISSING: peers that must be there as a DNF saying "not installed".
 * Every VM entry under TCG must be labelled emulated with the reason. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../lib/results-json.h"

static int failures;

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "peers results: ");                                                    \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

static bool is_vm(const char *peer)
{
    return !strcmp(peer, "vm-libvirt") || !strcmp(peer, "qemu");
}

/* n samples, summary.n == n, median within [lo, hi] ns. */
static void check_metric(json_t *e, const char *peer, const char *name, long long n, double lo,
                         double hi)
{
    json_t *m = results_metric(e, name), *s = json_object_get(m, "summary");
    CHECK(m, "%s: no %s metric", peer, name);
    if (!m)
        return;
    long long sn = json_integer_value(json_object_get(s, "n"));
    double med = json_number_value(json_object_get(s, "median"));
    CHECK(sn == n && (long long)json_array_size(json_object_get(m, "samples")) == n,
          "%s: %s has %lld samples, expected %lld", peer, name, sn, n);
    CHECK(med >= lo && med <= hi, "%s: %s median %.0f ns not within [%.0f, %.0f]", peer, name, med,
          lo, hi);
}

/* The timing entries of a peer (program /init noop; "measure" absent). */
static int check_expected(json_t *doc, const char *peer, long long runs, long long vm_runs)
{
    json_t *e;
    size_t i;
    int found = 0;
    json_array_foreach(json_object_get(doc, "results"), i, e)
    {
        json_t *p = json_object_get(e, "params");
        if (strcmp(json_string_value(json_object_get(e, "backend")), peer) ||
            json_object_get(p, "measure"))
            continue;
        found++;
        CHECK(!strcmp(json_string_value(json_object_get(p, "program")), "/init noop") &&
                  json_is_string(json_object_get(p, "rootfs")),
              "%s: params.program/rootfs wrong", peer);
        CHECK(json_array_size(json_object_get(e, "dnf")) == 0, "%s: has a DNF: %s", peer,
              json_string_value(
                  json_object_get(json_array_get(json_object_get(e, "dnf"), 0), "reason")));
        if (is_vm(peer)) {
            check_metric(e, peer, "create_to_ready", vm_runs, 1e7, 3e11);
            check_metric(e, peer, "create_to_gone", vm_runs, 1e7, 3e11);
            if (json_is_true(json_object_get(e, "emulated")))
                CHECK(!strncmp(json_string_value(
                                   json_object_get(json_object_get(e, "notes"), "emulated_reason")),
                               "emulated (TCG)", 14),
                      "%s: emulated without the reason", peer);
        } else {
            check_metric(e, peer, "start_to_exit", runs, 1e3, 1e10);
        }
    }
    return found;
}

static void check_missing(json_t *doc, const char *peer)
{
    json_t *e;
    size_t i;
    bool ok = false;
    json_array_foreach(json_object_get(doc, "results"), i, e)
    {
        if (strcmp(json_string_value(json_object_get(e, "backend")), peer))
            continue;
        const char *why = json_string_value(
            json_object_get(json_array_get(json_object_get(e, "dnf"), 0), "reason"));
        ok = why && strstr(why, "not installed") &&
             json_array_size(json_object_get(e, "metrics")) == 0;
    }
    CHECK(ok, "%s: no entry with a 'not installed' DNF and no metrics", peer);
}

/* The generic shape of every entry and of the run object. */
static void check_shape(json_t *doc, bool complete)
{
    json_t *run = json_object_get(doc, "run"), *e, *m;
    size_t i, k;
    CHECK(json_is_boolean(json_object_get(run, "complete")) &&
              json_is_true(json_object_get(run, "complete")) == complete,
          "run.complete is not %s", complete ? "true" : "false");
    CHECK(json_is_object(json_object_get(doc, "host")), "host missing");
    json_array_foreach(json_object_get(doc, "results"), i, e)
    {
        CHECK(!strcmp(json_string_value(json_object_get(e, "scenario")), "peers"),
              "results[%zu]: scenario is not peers", i);
        CHECK(json_is_string(json_object_get(e, "backend")) &&
                  json_is_object(json_object_get(e, "params")) &&
                  json_is_boolean(json_object_get(e, "emulated")) &&
                  json_is_array(json_object_get(e, "dnf")) &&
                  json_is_object(json_object_get(e, "notes")),
              "results[%zu]: keys missing", i);
        json_array_foreach(json_object_get(e, "metrics"), k, m)
        {
            json_t *s = json_object_get(m, "summary");
            CHECK(json_is_string(json_object_get(m, "unit")) &&
                      (size_t)json_integer_value(json_object_get(s, "n")) ==
                          json_array_size(json_object_get(m, "samples")) &&
                      json_is_number(json_object_get(s, "p99")) &&
                      json_is_number(json_object_get(s, "ci95_lo")),
                  "results[%zu].metrics[%zu]: bad summary", i, k);
        }
    }
}

static void each(const char *list, void (*fn)(json_t *, const char *, long long, long long),
                 json_t *doc, long long runs, long long vm_runs)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", list);
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
        fn(doc, t, runs, vm_runs);
}

static void expect_fn(json_t *doc, const char *peer, long long runs, long long vm_runs)
{
    CHECK(check_expected(doc, peer, runs, vm_runs) > 0, "%s: no entry", peer);
}

static void missing_fn(json_t *doc, const char *peer, long long runs, long long vm_runs)
{
    (void)runs, (void)vm_runs;
    check_missing(doc, peer);
}

int main(int argc, char **argv)
{
    if (argc != 7) {
        fprintf(stderr,
                "usage: peers-check FILE complete|incomplete RUNS VM_RUNS EXPECT MISSING\n");
        return 2;
    }
    json_error_t je;
    json_t *doc = json_load_file(argv[1], 0, &je);
    if (!doc) {
        fprintf(stderr, "%s: %s\n", argv[1], je.text);
        return 1;
    }
    CHECK(!strncmp(json_string_value(json_object_get(doc, "schema")), "vcbench-results/1.", 18),
          "schema is not vcbench-results/1.x");
    check_shape(doc, !strcmp(argv[2], "complete"));
    each(argv[5], expect_fn, doc, atoll(argv[3]), atoll(argv[4]));
    each(argv[6], missing_fn, doc, 0, 0);
    json_decref(doc);
    return failures ? 1 : 0;
}
