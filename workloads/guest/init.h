/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* init.h — internals of vcb-init shared between init.c (spawn, relay, event
 * loop), init-sys.c (mounts, console, channel, /proc readers), init-image.c
 * (an image's own command) and init-ready.c (its readiness and metrics). */
#ifndef WL_INIT_H
#define WL_INIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "guest.h"

/* "vcb-init: <message>" on the log (stderr: the kernel console in a VM). */
#define init_log(...) wl_line_fd(2, "vcb-init: " __VA_ARGS__)

#define INIT_LINE_MAX 8192

struct init_linebuf {
    char buf[INIT_LINE_MAX];
    size_t len;
    bool overflow; /* dropping the rest of a too-long line */
};

struct init;
struct init_watch; /* init-ready.h */
typedef void (*init_line_fn)(struct init *in, char *line);

struct init {
    bool pid1, vm;
    int chan_out;             /* protocol lines go here */
    int chan_in;              /* VM: host commands come from here; -1 elsewhere */
    int out_pipe;             /* the workload's stdout; -1 at EOF */
    int err_pipe;             /* an image's command: its stderr; -1 elsewhere and at EOF */
    int sig_fd;               /* SIGCHLD, SIGTERM, SIGINT */
    pid_t child;              /* the workload; 0 once reaped */
    int status;               /* its exit status once reaped */
    bool oom_known;           /* VM: the kernel's oom_kill count was read at start */
    uint64_t oom_before;      /* and what it was */
    init_line_fn on_line;     /* each line the workload prints */
    struct init_watch *watch; /* an image's command: readiness, metrics; else NULL */
    struct init_linebuf wl_lines, err_lines, chan_lines;
};

/* Run in the forked child: exec the workload; on failure write why to
 * status_fd (init_exec_failed). Never returns. */
typedef void (*init_exec_fn)(void *ctx, int status_fd);

/* Fork the workload with its stdout (and, with capture_stderr, its stderr)
 * on pipes to vcb-init and wait for its exec: 0 when it runs, -1 when it
 * could not start (logged; a forked child exits 127 and is reaped as usual). */
int init_spawn(struct init *in, init_exec_fn exec_fn, void *ctx, bool capture_stderr);
/* In the child: send the reason to vcb-init through status_fd, exit 127. */
_Noreturn void init_exec_failed(int status_fd, const char *fmt, ...) WL_PRINTF(2, 3);
/* "@vcb ready" on the channel (in a VM with the meminfo that goes with it). */
void init_emit_ready(struct init *in);
/* line plus '\n' to fd with one write. */
void init_write_line(int fd, const char *line);

/* PID 1 only: mount /proc, /sys, /dev, /tmp where missing. */
void init_mount_basics(void);
/* Make sure fds 0-2 are open so later fds never land there: /dev/console
 * for PID 1 (a VM whose kernel could not open it), else /dev/null. */
void init_fix_stdio(bool pid1);
/* "vcb.vm=1" is a word of /proc/cmdline. */
bool init_is_vm(void);
/* The kernel command line holds this word ("vcb.balloon=1"). */
bool init_cmdline_has(const char *want);
/* The rest of the first word starting with key ("vcb.net="), into out. */
bool init_cmdline_value(const char *key, char *out, size_t len);
/* Load one module of dir (init-modules.c): 1 loaded or there, 0 not in
 * the image, -1 refused (logged). */
int init_load_module(const char *dir, const char *name);
/* A VM's PID 1 with vcb.net=ADDR/PREFIX (a network workload on user-mode networking):
 * virtio_net loaded from dir, eth0 addressed and up (init-net.c). */
void init_net_up(const char *dir);
/* A VM's PID 1: load the image's kernel modules from dir (init-modules.c):
 * the virtio core and transports, then the balloon (the lean profile) and
 * the block driver (an image on a root disk), as asked. */
void init_load_modules(const char *dir, bool balloon, bool disk);
/* A VM's PID 1, an image too big for an initramfs: make its disk the root
 * (init-rootdisk.c); -1 (logged) when it cannot. */
int init_root_disk(void);
/* A VM's PID 1 given a scratch disk (vcb.scratch=1): link its node at the
 * path the disk workloads open (init-scratch.c); a missing disk is logged. */
void init_scratch_link(void);
/* A VM's PID 1: bring the loopback interface up unless the kernel did. */
void init_loopback_up(void);
/* Open the VM channel /dev/ttyS1 raw at 115200; -1 when it cannot. */
int init_open_channel(void);
/* MemTotal and MemAvailable from /proc/meminfo, in bytes. */
int init_meminfo(uint64_t *total, uint64_t *avail);
/* The kernel's OOM kills so far: /proc/vmstat oom_kill. */
int init_oom_kills(uint64_t *out);
/* <directory of /proc/self/exe>/bin/<name>; -1 for an unusable name. */
int init_workload_path(const char *name, char *out, size_t len);
/* The pids whose parent is this process (at most max), from /proc. */
size_t init_children(pid_t *out, size_t max);

/* An image's own command (init-image.c): read `--image` options and the
 * image config, then start the command. Each returns 0, or the status to
 * finish with (2 usage, 127 cannot start), having logged why. */
int init_image_prepare(struct init *in, int argc, char **argv);
int init_image_start(struct init *in);

#endif
