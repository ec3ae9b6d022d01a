/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fleet.h — `vcbench fleet`: one suite on several hosts over OpenSSH (the
 * user's ssh, config, keys and agent as they are; no daemon of ours), each
 * host's results.json fetched back, and a record of the whole fleet
 * (fleet.json) that a report is made from. The library never prints: state
 * changes and the remote runs' lines reach the caller through a callback. */
#ifndef FLEET_H
#define FLEET_H

#include "vcb-json.h"
#include "vcb.h"

#define FLEET_SCHEMA    "vcbench-fleet/1"
#define FLEET_NAME_MAX  64
#define FLEET_LABEL_MAX 16
#define FLEET_PATH_MAX  4096 /* a local path the fleet writes, its NUL included */

/* ---- the hosts file (hosts.c) -------------------------------------------------
 * One SSH destination a line (anything ssh accepts: an alias of
 * ~/.ssh/config, user@host, host), then key=value words: name= (the host's
 * name in the report; default the destination), vcbench= (where vcbench is
 * there; default "vcbench" in the remote PATH) and labels (gen=zen3). '#'
 * starts a comment; blank lines are skipped. */
struct fleet_label {
    char *key, *value;
};

struct fleet_host {
    char *dest;    /* the SSH destination */
    char *name;    /* unique in the file */
    char *vcbench; /* NULL: the fleet's --remote-vcbench, else "vcbench" */
    struct fleet_label labels[FLEET_LABEL_MAX];
    size_t n_labels;
    unsigned line; /* where it was written */
};

struct fleet_hosts {
    struct fleet_host *hosts;
    size_t n;
};

/* Parse a hosts file's text; file names it in errors, which are usage
 * errors "FILE:LINE: <what was expected>". out is untouched on failure. */
int fleet_hosts_parse(const char *text, const char *file, struct fleet_hosts *out,
                      struct vcb_err *err);
int fleet_hosts_load(const char *path, struct fleet_hosts *out, struct vcb_err *err);
void fleet_hosts_free(struct fleet_hosts *h);

/* ---- one fleet run (fleet.c, host-job.c) ---------------------------------------- */
enum fleet_state {
    FLEET_WAITING,    /* not started (--jobs) */
    FLEET_CONNECTING, /* asking its vcbench --version */
    FLEET_INSTALLING, /* --install: the tarball copied over, built there */
    FLEET_RUNNING,    /* the suite runs there */
    FLEET_FETCHING,   /* results.json comes back */
    FLEET_DONE,
    FLEET_INCOMPLETE, /* stopped or failed after it saved results: those kept, see reason */
    FLEET_DNF,        /* did not finish, nothing kept: see reason */
};
const char *fleet_state_name(enum fleet_state s);

/* Seconds spent in each phase (0: not reached). */
struct fleet_timings {
    double check, install, run, fetch, total;
};

struct fleet_host_result {
    enum fleet_state state; /* DONE, INCOMPLETE or DNF once the fleet returns */
    char reason[512];       /* INCOMPLETE, DNF: why */
    char remote_version[128];
    char results[FLEET_PATH_MAX]; /* DONE, INCOMPLETE: the local results.json */
    bool installed;               /* --install built vcbench there */
    char started[32];             /* ISO 8601 UTC */
    struct fleet_timings t;
};

struct fleet_opts {
    const char *suite;          /* a suite's name, or a local file (suite_text holds it) */
    const char *suite_text;     /* NULL: suite is a name the remote vcbench knows */
    const char *suite_name;     /* its "name", for people (NULL: suite) */
    const char *out_dir;        /* the host results land in out_dir/hosts/<name>/ */
    const char *remote_vcbench; /* NULL: "vcbench" (a host's vcbench= wins) */
    const char *version;        /* ours, as `vcbench --version` prints it */
    unsigned jobs;              /* hosts at a time; 0: all */
    int stop_fd;                /* readable once a stop is asked (-1: none) */
    uint64_t grace_ns;          /* a stopped remote run's time to wind down */
    /* --install: a tarball of this checkout (NULL: no install). */
    const char *install_src; /* the source tree */
    const char *install_dir; /* there; NULL: .cache/vcbench-fleet/<git describe> */
    /* Each state change ("connecting", "running quick: [ 40%] boot process
     * 2/5", "DNF: …") and, with relay, each line the remote wrote; called
     * from the hosts' threads, one call at a time. */
    void (*progress)(void *ctx, const struct fleet_host *h, const char *line);
    void *progress_ctx;
    bool relay;
};

/* Run the suite on every host, in parallel; one host failing is a DNF in
 * its result, never a failure of the fleet. -1 only when the fleet could
 * not start at all (the out dir, threads). res: one per host, in order. */
int fleet_run(const struct fleet_hosts *hosts, const struct fleet_opts *opts,
              struct fleet_host_result *res, struct vcb_err *err);
/* out_dir short enough for every host's DIR/hosts/<name>/results.json (a
 * usage error naming -o when not). */
int fleet_out_dir_check(const char *dir, struct vcb_err *err);
/* A host's results dropped: file (its results.json, or the .part being
 * fetched) removed, the host's directory too when that empties it, and
 * r->results cleared. The caller makes the host a DNF and says why. */
void fleet_result_drop(struct fleet_host_result *r, const char *file);

/* ---- the record (record.c) -------------------------------------------------------
 * fleet.json: the suite, the times, and each host's destination, labels,
 * state, reason, timings and results path (relative to the record's
 * directory). stopped_by: "SIGINT", "SIGTERM" or NULL. */
int fleet_record_write(const char *path, const struct fleet_hosts *hosts,
                       const struct fleet_host_result *res, const struct fleet_opts *opts,
                       const char *started, const char *stopped_by, struct vcb_err *err);
/* "2026-11-28T18:34:14Z" for now. */
void fleet_iso_now(char *buf, size_t len);

#endif
