/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* check-peers.c — what `vcbench peers` must have written:
 *   peers-check FILE complete|incomplete RUNS VM_RUNS EXPECT MISSING [RATIOS]
 * Every entry follows docs/results-schema.md (scenario "peers"; n matches the
 * samples); run.complete is as expected.
 * EXPECT: peers (comma list) that must have RUNS samples (VM_RUNS for
 * vm-libvirt and qemu, per machine type) with sane medians and no DNF;
 * MISSING: peers that must be there as a DNF saying "not installed".
 * Every VM entry under TCG must be labelled emulated with the reason.
 * Every timing entry says how it was timed (notes.timed: "in-process" for
 * launcher, clone-floor and vm-libvirt, else "whole command"), and every
 * ratio pairs like with like (its "of" and "vs" timed alike) unless its
 * pairing says it does not.
 * RATIOS: "name=target" (target "-": none), comma-separated: each must be
 * there with a finite value, a CI lo <= hi, that target, and hit = value <=
 * target. Every VM memory entry with samples has its settled PSS, its PSS
 * at +1 s and the time it took to settle, alike in number and sane, the KSM
 * state it ran under, and (vm-libvirt) the 100 MiB target line whose value
 * is its settled median. With crun measured, exactly one crun ratio carries the 0.5
 * target: the one with the hybrid host's wrapper subtracted when crun ran
 * wrapped, else the plain one. */
#include <math.h>
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

static const char *timed_of(const char *peer)
{
    return !strcmp(peer, "launcher") || !strcmp(peer, "clone-floor") || !strcmp(peer, "vm-libvirt")
               ? "in-process"
               : "whole command";
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

/* A boot's split at the guest's clock adds up: sample by sample, the host
 * time before it plus the guest's own time to init ends before ready. */
static void check_vm_split(json_t *e, const char *peer, long long vm_runs)
{
    check_metric(e, peer, "guest_to_init", vm_runs, 1e6, 3e11);
    json_t *ready = json_object_get(results_metric(e, "create_to_ready"), "samples");
    json_t *before = json_object_get(results_metric(e, "pre_guest_clock"), "samples");
    json_t *guest = json_object_get(results_metric(e, "guest_to_init"), "samples");
    CHECK(json_array_size(before) == (size_t)vm_runs, "%s: pre_guest_clock has %zu samples", peer,
          json_array_size(before));
    for (size_t i = 0;
         i < json_array_size(ready) && i < json_array_size(before) && i < json_array_size(guest);
         i++) {
        double r = json_number_value(json_array_get(ready, i));
        double b = json_number_value(json_array_get(before, i));
        double g = json_number_value(json_array_get(guest, i));
        CHECK(b + g > 0 && b + g <= r,
              "%s: boot %zu: pre_guest_clock %.0f + guest %.0f ns "
              "not within create_to_ready %.0f",
              peer, i, b, g, r);
    }
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
        const char *prog = json_string_value(json_object_get(p, "program"));
        CHECK(prog && (strcmp(prog, "/init noop") || json_is_string(json_object_get(p, "rootfs"))),
              "%s: params.program/rootfs wrong", peer);
        const char *timed =
            json_string_value(json_object_get(json_object_get(e, "notes"), "timed"));
        CHECK(timed && !strcmp(timed, timed_of(peer)), "%s: notes.timed is '%s', expected '%s'",
              peer, timed ? timed : "(none)", timed_of(peer));
        CHECK(json_array_size(json_object_get(e, "dnf")) == 0, "%s: has a DNF: %s", peer,
              json_string_value(
                  json_object_get(json_array_get(json_object_get(e, "dnf"), 0), "reason")));
        if (is_vm(peer)) {
            check_metric(e, peer, "create_to_ready", vm_runs, 1e7, 3e11);
            check_metric(e, peer, "create_to_gone", vm_runs, 1e7, 3e11);
            check_vm_split(e, peer, vm_runs);
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

/* Every ratio of every entry, with the entry's backend. */
static void ratios_foreach(json_t *doc, void (*fn)(json_t *doc, json_t *r, void *arg), void *arg)
{
    json_t *e, *r;
    size_t i, k;
    json_array_foreach(json_object_get(doc, "results"), i, e)
    {
        json_array_foreach(json_object_get(json_object_get(e, "notes"), "ratios"), k, r)
        {
            fn(doc, r, arg);
        }
    }
}

/* notes.timed of the timing entry of peer, NULL if none. */
static const char *timed_entry(json_t *doc, const char *peer)
{
    json_t *e;
    size_t i;
    json_array_foreach(json_object_get(doc, "results"), i, e)
    {
        if (!strcmp(json_string_value(json_object_get(e, "backend")), peer))
            return json_string_value(json_object_get(json_object_get(e, "notes"), "timed"));
    }
    return NULL;
}

static void like_with_like(json_t *doc, json_t *r, void *arg)
{
    (void)arg;
    const char *name = json_string_value(json_object_get(r, "name"));
    const char *of = json_string_value(json_object_get(r, "of"));
    const char *vs = json_string_value(json_object_get(r, "vs"));
    const char *pairing = json_string_value(json_object_get(r, "pairing"));
    CHECK(pairing, "ratio %s: no pairing", name);
    if (!pairing || !strstr(pairing, " vs "))
        return; /* resident memory: no timing on either side */
    CHECK(of && vs, "ratio %s: pairs two timings ('%s') without naming both sides", name, pairing);
    if (!of || !vs)
        return;
    const char *a = timed_entry(doc, of), *b = timed_entry(doc, vs);
    bool vm = !strncmp(pairing, "VM boot", 7);
    bool mixed = vm || !strncmp(pairing, "in-process vs whole command", 27);
    CHECK(a && b && (mixed || !strcmp(a, b)), "ratio %s pairs %s (%s) with %s (%s) under '%s'",
          name, of, a ? a : "?", vs, b ? b : "?", pairing);
    CHECK(vm || (a && !strncmp(pairing, a, strlen(a))),
          "ratio %s: pairing '%s' does not start with how %s was timed", name, pairing, of);
}

struct want_ratio {
    const char *name;
    double target; /* NAN: none */
    int found;
};

static void find_ratio(json_t *doc, json_t *r, void *arg)
{
    (void)doc;
    struct want_ratio *w = arg;
    if (strcmp(json_string_value(json_object_get(r, "name")), w->name))
        return;
    w->found++;
    double v = json_number_value(json_object_get(r, "value"));
    json_t *lo = json_object_get(r, "ci95_lo"), *hi = json_object_get(r, "ci95_hi");
    json_t *t = json_object_get(r, "target"), *hit = json_object_get(r, "hit");
    CHECK(json_is_number(json_object_get(r, "value")) && isfinite(v), "%s: no value", w->name);
    CHECK(json_is_number(lo) && json_is_number(hi) &&
              json_number_value(lo) <= json_number_value(hi),
          "%s: no 95%% CI", w->name);
    if (isnan(w->target)) {
        CHECK(json_is_null(t) && json_is_null(hit), "%s: a target where none is set", w->name);
        return;
    }
    CHECK(json_is_number(t) && fabs(json_number_value(t) - w->target) < 1e-9,
          "%s: target is not %g", w->name, w->target);
    CHECK(json_is_boolean(hit) && json_is_true(hit) == (v <= w->target),
          "%s: hit does not say value %g <= %g", w->name, v, w->target);
}

static void check_ratios(json_t *doc, const char *list)
{
    char buf[2048];
    snprintf(buf, sizeof buf, "%s", list);
    ratios_foreach(doc, like_with_like, NULL);
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        char *eq = strrchr(t, '=');
        CHECK(eq, "RATIOS: '%s' has no =target", t);
        if (!eq)
            continue;
        *eq = '\0';
        struct want_ratio w = {t, strcmp(eq + 1, "-") ? atof(eq + 1) : NAN, 0};
        ratios_foreach(doc, find_ratio, &w);
        CHECK(w.found == 1, "ratio %s: found %d times, expected once", t, w.found);
    }
}

/* crun measured: the 0.5 target on the fair ratio, and on that one alone. */
static void check_crun_target(json_t *doc)
{
    const char *timed = timed_entry(doc, "crun");
    json_t *e;
    size_t i;
    bool wrapped = false, measured = false;
    json_array_foreach(json_object_get(doc, "results"), i, e)
    {
        if (strcmp(json_string_value(json_object_get(e, "backend")), "crun"))
            continue;
        wrapped =
            json_is_true(json_object_get(json_object_get(e, "notes"), "hybrid_cgroup_wrapper"));
        measured = json_array_size(json_object_get(e, "metrics")) > 0;
    }
    if (!timed || !measured || !timed_entry(doc, "vcbench-launch"))
        return;
    struct want_ratio fair = {
        wrapped ? "vcbench-launch / (crun - wrapper-umount)" : "vcbench-launch / crun", 0.5, 0};
    ratios_foreach(doc, find_ratio, &fair);
    CHECK(fair.found == 1, "%s: missing", fair.name);
    if (wrapped) {
        struct want_ratio raw = {"vcbench-launch / crun (wrapped)", NAN, 0};
        ratios_foreach(doc, find_ratio, &raw);
        CHECK(raw.found == 1, "%s: missing", raw.name);
    }
}

#define MIB (1024.0 * 1024.0)

/* The line judging this settled median against PEERS_IDLE_PSS_MIB. */
static void check_idle_target(json_t *e, const char *machine, double pss_median)
{
    char name[96];
    json_t *r;
    size_t i;
    int found = 0;
    snprintf(name, sizeof name, "vm-libvirt idle PSS, settled (%s)", machine);
    json_array_foreach(json_object_get(json_object_get(e, "notes"), "ratios"), i, r)
    {
        if (strcmp(json_string_value(json_object_get(r, "name")), name))
            continue;
        found++;
        double v = json_number_value(json_object_get(r, "value"));
        const char *unit = json_string_value(json_object_get(r, "unit"));
        CHECK(fabs(v - pss_median / MIB) < 1e-6, "%s: value %g is not the median %g MiB", name, v,
              pss_median / MIB);
        CHECK(unit && !strcmp(unit, "MiB"), "%s: unit is not MiB", name);
        CHECK(json_number_value(json_object_get(r, "target")) == 100.0 &&
                  json_is_true(json_object_get(r, "hit")) == (v <= 100.0),
              "%s: not judged against 100 MiB", name);
    }
    CHECK(found == 1, "%s: found %d times, expected once", name, found);
}

/* A VM's idle memory entries: settled PSS, PSS at +1 s, time to settle. */
static void check_vm_mem(json_t *doc)
{
    json_t *e;
    size_t i;
    json_array_foreach(json_object_get(doc, "results"), i, e)
    {
        const char *peer = json_string_value(json_object_get(e, "backend"));
        json_t *p = json_object_get(e, "params"), *notes = json_object_get(e, "notes");
        json_t *pss = json_object_get(results_metric(e, "pss"), "summary");
        if (!is_vm(peer) || !json_object_get(p, "measure") || !pss)
            continue;
        long long n = json_integer_value(json_object_get(pss, "n"));
        json_t *at1 = json_object_get(results_metric(e, "pss_at_1s"), "summary");
        json_t *t = json_object_get(results_metric(e, "pss_settle_time"), "summary");
        CHECK(at1 && t && json_integer_value(json_object_get(at1, "n")) == n &&
                  json_integer_value(json_object_get(t, "n")) == n,
              "%s: pss_at_1s / pss_settle_time missing or not one per settled pss", peer);
        CHECK(json_is_object(json_object_get(json_object_get(notes, "ksm"), "knobs")) &&
                  json_is_string(json_object_get(json_object_get(notes, "ksm"), "mode")),
              "%s: notes.ksm {mode, knobs} missing", peer);
        if (!n)
            continue;
        double med = json_number_value(json_object_get(pss, "median"));
        double tm = json_number_value(json_object_get(t, "median"));
        CHECK(med > 4 * MIB && med < 2048 * MIB, "%s: settled PSS %.0f bytes not sane", peer, med);
        CHECK(tm >= 0.9e9 && tm <= 121e9, "%s: settle time %.0f ns not within 1..120 s", peer, tm);
        if (!strcmp(peer, "vm-libvirt"))
            check_idle_target(e, json_string_value(json_object_get(p, "machine")), med);
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
    if (argc != 7 && argc != 8) {
        fprintf(stderr, "usage: peers-check FILE complete|incomplete RUNS VM_RUNS EXPECT MISSING "
                        "[RATIOS]\n");
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
    check_crun_target(doc);
    check_vm_mem(doc);
    check_ratios(doc, argc == 8 ? argv[7] : "");
    json_decref(doc);
    return failures ? 1 : 0;
}
