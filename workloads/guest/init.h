/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* init.h — internals of vcb-init shared between init.c (spawn, relay, event
 * loop) and init-sys.c (mounts, console, channel, /proc readers). */
#ifndef WL_INIT_H
#define WL_INIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "guest.h"

/* "vcb-init: <message>" on the log (stderr: the kernel console in a VM). */
#define init_log(...) wl_line_fd(2, "vcb-init: " __VA_ARGS__)

/* PID 1 only: mount /proc, /sys, /dev, /tmp where missing. */
void init_mount_basics(void);
/* Make sure fds 0-2 are open so later fds never land there: /dev/console
 * for PID 1 (a VM whose kernel could not open it), else /dev/null. */
void init_fix_stdio(bool pid1);
/* "vcb.vm=1" is a word of /proc/cmdline. */
bool init_is_vm(void);
/* The kernel command line holds this word ("vcb.balloon=1"). */
bool init_cmdline_has(const char *want);
/* A VM's PID 1: load the image's kernel modules (init-modules.c). */
void init_load_modules(void);
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

#endif
