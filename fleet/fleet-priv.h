/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fleet-priv.h — the fleet module's parts: a local process run with its
 * stdin fed and its stderr read line by line (proc.c), ssh on top of it
 * (ssh.c), the shell words and scripts sent there (remote-sh.c), the
 * install (install.c) and one host's job (host-job.c). Open to the module
 * and its tests only. */
#ifndef FLEET_PRIV_H
#define FLEET_PRIV_H

#include "fleet.h"

/* ---- proc.c: one local process (ssh, git, tar) ------------------------------------ */
struct fleet_proc {
    char *const *argv; /* argv[0] looked up in PATH */
    const char *in;    /* written to its stdin (NULL: nothing) */
    size_t in_len;
    /* Keep its stdin open once `in` is written, until it exits or a stop
     * is asked: a remote command that ends when its stdin closes then ends
     * with us (ssh passes the EOF on; a killed ssh closes the channel). */
    bool hold_stdin;
    int out_fd;                                /* its stdout (-1: /dev/null) */
    void (*line)(void *ctx, const char *line); /* each line of its stderr */
    void *ctx;
    int stop_fd;       /* readable: stop (-1: none) */
    uint64_t grace_ns; /* after a stop, with hold_stdin: its time to end on its own */
};

struct fleet_proc_end {
    int status;     /* exit status, 128+N when killed by signal N */
    bool stopped;   /* a stop was asked while it ran */
    bool killed;    /* we killed it (stop without hold_stdin, or grace over) */
    char last[512]; /* its last stderr line, the scripts' markers aside */
};

/* Run p to its end. -1 only when it could not be started or watched. */
int fleet_proc_run(const struct fleet_proc *p, struct fleet_proc_end *end, struct vcb_err *err);
/* The first line of what a process wrote to the file fd (a memfd), in buf;
 * -1 when it could not be read (buf then ""). */
int fleet_fd_line(int fd, char *buf, size_t len);

/* ---- remote-sh.c: words for a remote POSIX shell --------------------------------- */
/* s in single quotes for sh ('\'' for a quote), appended to buf; false when
 * it does not fit. */
bool fleet_sh_quote(const char *s, char *buf, size_t len);
/* The remote command line that runs script with sh and args as $1…: what
 * ssh hands to the remote user's login shell, which must be POSIX-like
 * (sh, bash, dash, zsh, ksh): csh and tcsh refuse a quoted word that
 * spans lines. malloc'd, NULL when out of memory. */
char *fleet_sh_command(const char *script, const char *const *args, size_t n);
/* The scripts: $1 is the vcbench to run ("~/" expanded there). */
extern const char fleet_sh_version[]; /* prints its --version, or says it is not there (127) */
/* $2 the suite (a name, or "-": $3 bytes of a suite file on stdin first);
 * the run ends when stdin closes; results.json on stdout between the lines
 * "@fleet fetch" and "@fleet fetched" on stderr, also after a stopped or
 * failed run that saved one; the run's exit status; its temp dir removed on
 * every way out. */
extern const char fleet_sh_run[];
extern const char fleet_sh_unpack[]; /* $1 the install dir: a tar.gz on stdin unpacked there */
extern const char fleet_sh_build[];  /* $1 the install dir: scripts/setup there, ends with stdin */
#define FLEET_MARK "@fleet "         /* the scripts' own stderr lines start so */

/* ---- ssh.c: a remote command through the user's ssh ------------------------------- */
struct fleet_ssh {
    const char *dest;
    const char *command;    /* fleet_sh_command's */
    struct fleet_proc proc; /* argv is filled by fleet_ssh_run */
};
int fleet_ssh_run(struct fleet_ssh *s, struct fleet_proc_end *end, struct vcb_err *err);

/* ---- install.c: --install ---------------------------------------------------------- */
/* A tar.gz of the source tree: `git archive` of HEAD with the uncommitted
 * changes of tracked files (git stash create), so it holds what this binary
 * was built from, plus .vcb-describe (its git describe, which a tree without
 * .git cannot compute); else the tree itself (build dirs and .git left out). */
int fleet_tarball(const char *src, const char *describe, char **data, size_t *len,
                  struct vcb_err *err);
/* The install dir there: --install-dir, else .cache/vcbench-fleet/<describe>;
 * malloc'd, NULL when out of memory. */
char *fleet_install_dir(const struct fleet_opts *o);

/* ---- host-job.c: one host, start to end ------------------------------------------- */
struct fleet_job {
    const struct fleet_host *host;
    const struct fleet_opts *opts;
    struct fleet_host_result *res;
    const char *tarball; /* --install: fleet_tarball's, shared (NULL: none) */
    size_t tarball_len;
    void *lock; /* pthread_mutex_t *: one progress call at a time */
};
void fleet_job_run(struct fleet_job *j);

#endif
