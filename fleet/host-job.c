/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* host-job.c — one host from start to end: its vcbench --version against
 * ours (or --install), the suite run there, results.json fetched into
 * DIR/hosts/<name>/. Whatever goes wrong becomes the host's DNF with its
 * reason, or, when the run there saved results before it was stopped or
 * failed, its incomplete result; the other hosts go on. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "fleet-priv.h"

#define PROGRESS_PREFIX "vcbench: [" /* a `vcbench run` progress line, not on a tty */

static void job_say(struct fleet_job *j, const char *fmt, ...) VCB_PRINTF(2, 3);
static void job_say(struct fleet_job *j, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (!j->opts->progress)
        return;
    pthread_mutex_lock(j->lock);
    j->opts->progress(j->opts->progress_ctx, j->host, line);
    pthread_mutex_unlock(j->lock);
}

/* The host's end short of done: a DNF, or incomplete with its results so far. */
static void job_short(struct fleet_job *j, enum fleet_state state, const char *fmt, ...)
    VCB_PRINTF(3, 4);
static void job_short(struct fleet_job *j, enum fleet_state state, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(j->res->reason, sizeof(j->res->reason), fmt, ap);
    va_end(ap);
    j->res->state = state;
    job_say(j, "%s: %s", state == FLEET_DNF ? "DNF" : "incomplete (its results so far kept)",
            j->res->reason);
}

#define job_dnf(j, ...) job_short(j, FLEET_DNF, __VA_ARGS__)

static bool job_stop_asked(const struct fleet_job *j)
{
    struct pollfd p = {.fd = j->opts->stop_fd, .events = POLLIN};
    return p.fd >= 0 && poll(&p, 1, 0) == 1;
}

static double secs_since(uint64_t t0)
{
    return (double)(vcb_now_ns() - t0) / 1e9;
}

/* Why an ssh session failed, as the host's reason; state: DNF or INCOMPLETE. */
static void job_fail(struct fleet_job *j, enum fleet_state state, const char *what,
                     const struct fleet_proc_end *e)
{
    if (e->stopped)
        job_short(j, state, "stopped while %s (the fleet was interrupted)", what);
    else if (e->status == 255)
        job_short(j, state, "%s: %s", what, e->last[0] ? e->last : "ssh failed (exit 255)");
    else
        job_short(j, state, "%s: exit %d%s%s", what, e->status, e->last[0] ? ": " : "", e->last);
}

/* Relay lines (with --relay) of a remote command, markers aside. */
static void relay_line(void *ctx, const char *line)
{
    struct fleet_job *j = ctx;
    if (j->opts->relay && strncmp(line, FLEET_MARK, strlen(FLEET_MARK)) != 0 && line[0])
        job_say(j, "| %s", line);
}

struct version_watch {
    struct fleet_job *j;
    bool missing; /* the script said there is no such vcbench */
};

static void version_line(void *ctx, const char *line)
{
    struct version_watch *w = ctx;
    if (!strncmp(line, FLEET_MARK "missing ", strlen(FLEET_MARK "missing ")))
        w->missing = true;
    else
        relay_line(w->j, line);
}

/* `vcbench --version` there, in out; 0 read, 1 not there, -1 DNF given. */
static int job_version(struct fleet_job *j, const char *vcbench, char *out, size_t len)
{
    struct version_watch w = {.j = j};
    struct vcb_err err = {0};
    struct fleet_proc_end e;
    const char *args[] = {vcbench};
    cleanup_free char *cmd = fleet_sh_command(fleet_sh_version, args, 1);
    cleanup_close int fd = memfd_create("vcbench-version", MFD_CLOEXEC);
    struct fleet_ssh s = {
        .dest = j->host->dest,
        .command = cmd,
        .proc = {.out_fd = fd, .line = version_line, .ctx = &w, .stop_fd = j->opts->stop_fd}};
    if (!cmd || fd < 0 || fleet_ssh_run(&s, &e, &err) < 0) {
        job_dnf(j, "%s", err.msg[0] ? err.msg : strerror(errno));
        return -1;
    }
    if (e.status == 127 && w.missing)
        return 1;
    if (e.status != 0) {
        job_fail(j, FLEET_DNF, "vcbench --version there", &e);
        return -1;
    }
    fleet_fd_line(fd, out, len);
    return 0;
}

/* Its vcbench (*vcbench, malloc'd): there and ours, or built there by
 * --install. */
static int job_check(struct fleet_job *j, char **vcbench)
{
    const struct fleet_opts *o = j->opts;
    char *ver = j->res->remote_version;
    *vcbench = strdup(j->host->vcbench    ? j->host->vcbench
                      : o->remote_vcbench ? o->remote_vcbench
                                          : "vcbench");
    if (!*vcbench) {
        job_dnf(j, "%s", strerror(ENOMEM));
        return -1;
    }
    j->res->state = FLEET_CONNECTING;
    if (strcmp(j->host->dest, j->host->name))
        job_say(j, "connecting to %s", j->host->dest);
    else
        job_say(j, "connecting");
    int r = job_version(j, *vcbench, ver, sizeof(j->res->remote_version));
    if (r < 0 || (r == 0 && !strcmp(ver, o->version)))
        return r;
    if (j->tarball) {
        cleanup_free char *dir = fleet_install_dir(o);
        free(*vcbench);
        if (!dir || asprintf(vcbench, "%s/build/bin/vcbench", dir) < 0) {
            *vcbench = NULL;
            job_dnf(j, "install: %s", strerror(ENOMEM));
            return -1;
        }
        return 1; /* install, unless that one is ours already */
    }
    if (r == 1)
        job_dnf(j,
                "no vcbench at '%s' there (give vcbench=PATH in the hosts file, "
                "--remote-vcbench PATH, or --install)",
                *vcbench);
    else
        job_dnf(j,
                "vcbench there is '%s', here '%s' (the same version is needed; --install "
                "builds this one there)",
                ver, o->version);
    return -1;
}

/* Copy the tarball over, unpack and build it there with scripts/setup. */
static int job_install(struct fleet_job *j, const char *vcbench)
{
    const struct fleet_opts *o = j->opts;
    char *ver = j->res->remote_version;
    cleanup_free char *dir = fleet_install_dir(o);
    if (!dir) {
        job_dnf(j, "install: %s", strerror(ENOMEM));
        return -1;
    }
    int r = job_version(j, vcbench, ver, sizeof(j->res->remote_version));
    if (r < 0 || (r == 0 && !strcmp(ver, o->version)))
        return r; /* r == 0: built there by an earlier --install */
    j->res->state = FLEET_INSTALLING;
    j->res->installed = true;
    job_say(j, "installing: %zu KiB of source to %s, then scripts/setup there",
            j->tarball_len / 1024, dir);
    const char *args[] = {dir};
    struct vcb_err err = {0};
    struct fleet_proc_end e;
    const char *const scripts[] = {fleet_sh_unpack, fleet_sh_build};
    for (size_t i = 0; i < 2; i++) {
        cleanup_free char *cmd = fleet_sh_command(scripts[i], args, 1);
        struct fleet_ssh s = {.dest = j->host->dest,
                              .command = cmd,
                              .proc = {.in = i == 0 ? j->tarball : NULL,
                                       .in_len = i == 0 ? j->tarball_len : 0,
                                       .hold_stdin = i == 1,
                                       .out_fd = -1,
                                       .line = relay_line,
                                       .ctx = j,
                                       .stop_fd = o->stop_fd,
                                       .grace_ns = o->grace_ns}};
        if (!cmd || fleet_ssh_run(&s, &e, &err) < 0) {
            job_dnf(j, "install: %s", err.msg[0] ? err.msg : "out of memory");
            return -1;
        }
        if (e.status != 0 || e.stopped) {
            job_fail(j, FLEET_DNF,
                     i == 0 ? "install: unpack the source there" : "install: scripts/setup there",
                     &e);
            return -1;
        }
    }
    if (job_version(j, vcbench, ver, sizeof(j->res->remote_version)) != 0) {
        if (j->res->state != FLEET_DNF)
            job_dnf(j, "install: no %s after scripts/setup", vcbench);
        return -1;
    }
    if (strcmp(ver, o->version) != 0) {
        job_dnf(j, "install: vcbench built there is '%s', here '%s'", ver, o->version);
        return -1;
    }
    return 0;
}

static const char *suite_name(const struct fleet_opts *o)
{
    return o->suite_name ? o->suite_name : o->suite;
}

struct run_watch {
    struct fleet_job *j;
    uint64_t t_run, t_fetch;
    bool fetched; /* the script there sent all of results.json */
};

/* The run's stderr: its progress lines become states, the fetch markers too. */
static void run_line(void *ctx, const char *line)
{
    struct run_watch *w = ctx;
    struct fleet_job *j = w->j;
    if (!strcmp(line, FLEET_MARK "fetch")) {
        j->res->t.run = secs_since(w->t_run);
        w->t_fetch = vcb_now_ns();
        j->res->state = FLEET_FETCHING;
        job_say(j, "fetching results.json");
    } else if (!strcmp(line, FLEET_MARK "fetched")) {
        w->fetched = true;
    } else if (!strncmp(line, PROGRESS_PREFIX, strlen(PROGRESS_PREFIX))) {
        job_say(j, "running %s: %s", suite_name(j->opts), line + strlen("vcbench: "));
    } else {
        relay_line(j, line);
    }
}

/* What a host's result adds to DIR, at its longest. */
#define HOST_RESULT_TAIL_MAX (strlen("/hosts/") + FLEET_NAME_MAX - 1 + strlen("/results.json.part"))

int fleet_out_dir_check(const char *dir, struct vcb_err *err)
{
    if (strlen(dir) + HOST_RESULT_TAIL_MAX >= FLEET_PATH_MAX)
        return vcb_err_usage(err,
                             "-o %.64s…: expected a path of at most %zu characters (each host's "
                             "results go in DIR/hosts/<name>/)",
                             dir, FLEET_PATH_MAX - 1 - HOST_RESULT_TAIL_MAX);
    return 0;
}

/* DIR/hosts/<name>/results.json in res->results, its directory made. */
static int host_dir(struct fleet_job *j)
{
    struct fleet_host_result *r = j->res;
    struct vcb_err err = {0};
    int n = snprintf(r->results, sizeof(r->results), "%s/hosts/%s/results.json", j->opts->out_dir,
                     j->host->name);
    if (n < 0 || (size_t)n >= sizeof(r->results)) { /* fleet_out_dir_check keeps it short */
        r->results[0] = '\0';
        job_dnf(j, "-o %s: too long a path for hosts/%s/results.json", j->opts->out_dir,
                j->host->name);
        return -1;
    }
    char *slash = strrchr(r->results, '/');
    *slash = '\0';
    n = vcb_mkdir_p(r->results, 0755, &err);
    *slash = '/';
    if (n < 0) {
        r->results[0] = '\0';
        job_dnf(j, "%s", err.msg);
    }
    return n;
}

void fleet_result_drop(struct fleet_host_result *r, const char *file)
{
    cleanup_free char *dir = strdup(file);
    char *slash = dir ? strrchr(dir, '/') : NULL;
    unlink(file);
    if (slash) {
        *slash = '\0';
        rmdir(dir); /* nothing half-made: the host dir goes when it holds nothing */
    }
    r->results[0] = '\0';
}

/* The suite there; its results.json comes back on the same session, also
 * when the run was stopped or failed after it saved some: then the host is
 * incomplete, with those results and the reason. */
static void job_run(struct fleet_job *j, const char *vcbench)
{
    const struct fleet_opts *o = j->opts;
    char len[32];
    cleanup_free char *part = NULL;
    if (host_dir(j) < 0)
        return;
    snprintf(len, sizeof(len), "%zu", o->suite_text ? strlen(o->suite_text) : (size_t)0);
    const char *args[] = {vcbench, o->suite_text ? "-" : o->suite, len};
    cleanup_free char *cmd = fleet_sh_command(fleet_sh_run, args, 3);
    cleanup_close int fd = -1;
    if (asprintf(&part, "%s.part", j->res->results) < 0)
        part = NULL;
    else
        fd = open(part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    struct run_watch w = {.j = j, .t_run = vcb_now_ns()};
    struct fleet_ssh s = {.dest = j->host->dest,
                          .command = cmd,
                          .proc = {.in = o->suite_text,
                                   .in_len = o->suite_text ? strlen(o->suite_text) : 0,
                                   .hold_stdin = true,
                                   .out_fd = fd,
                                   .line = run_line,
                                   .ctx = &w,
                                   .stop_fd = o->stop_fd,
                                   .grace_ns = o->grace_ns}};
    struct vcb_err err = {0};
    struct fleet_proc_end e;
    j->res->state = FLEET_RUNNING;
    job_say(j, "running %s", suite_name(o));
    if (!cmd || fd < 0 || fleet_ssh_run(&s, &e, &err) < 0) {
        job_dnf(j, "%s", err.msg[0] ? err.msg : strerror(errno ? errno : ENOMEM));
    } else if (e.status != 0) {
        /* all of it came when the script said so and ssh ended on its own */
        bool kept = w.fetched && !e.killed && e.status != 255;
        job_fail(j, kept ? FLEET_INCOMPLETE : FLEET_DNF, "vcbench run there", &e);
    }
    if (w.t_fetch)
        j->res->t.fetch = secs_since(w.t_fetch);
    else
        j->res->t.run = secs_since(w.t_run);
    if (j->res->state != FLEET_DNF && rename(part, j->res->results) < 0)
        job_dnf(j, "rename %s: %s", part, strerror(errno));
    if (j->res->state == FLEET_DNF)
        fleet_result_drop(j->res, part ? part : j->res->results);
}

void fleet_job_run(struct fleet_job *j)
{
    cleanup_free char *vcbench = NULL;
    uint64_t t0 = vcb_now_ns(), t;
    fleet_iso_now(j->res->started, sizeof(j->res->started));
    int r = job_stop_asked(j) ? -2 : job_check(j, &vcbench);
    j->res->t.check = secs_since(t0);
    t = vcb_now_ns();
    if (r == 1 && job_stop_asked(j))
        r = -2;
    if (r == 1) {
        r = job_install(j, vcbench);
        j->res->t.install = secs_since(t);
    }
    if (r == 0 && job_stop_asked(j))
        r = -2;
    if (r == -2)
        job_dnf(j, "stopped before it ran (the fleet was interrupted)");
    if (r == 0)
        job_run(j, vcbench);
    j->res->t.total = secs_since(t0);
    if (j->res->state != FLEET_DNF && j->res->state != FLEET_INCOMPLETE) {
        j->res->state = FLEET_DONE;
        job_say(j, "done in %.0f s", j->res->t.total);
    }
}
