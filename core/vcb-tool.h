/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vcb-tool.h — host tools and helper processes the network paths need
 * (ip, tc, pasta, the traffic peer), run without a shell, optionally
 * inside a network namespace the run made. Host side only. */
#ifndef VCB_TOOL_H
#define VCB_TOOL_H

#include <sys/types.h>

#include "vcb.h"

/* Run argv (argv[0] looked up in PATH) to its end, in the network
 * namespace at netns (a path such as /run/netns/NAME or /proc/PID/ns/net;
 * NULL: ours). Its stdout is dropped; a failure names the command and
 * keeps the start of what it wrote on stderr. */
int vcb_tool_run(const char *netns, char *const argv[], struct vcb_err *err);
/* Start argv as our child in netns (NULL: ours), killed when this thread
 * dies (PDEATHSIG), stdin /dev/null, stdout to out_fd (-1: /dev/null),
 * stderr to err_fd (-1: /dev/null). Returns its pid. */
pid_t vcb_tool_spawn(const char *netns, char *const argv[], int out_fd, int err_fd,
                     struct vcb_err *err);
/* SIGKILL *pid and reap it; *pid = 0. Nothing when *pid <= 0. */
void vcb_tool_kill(pid_t *pid);
/* The last line of a helper's log (passt's, pasta's) worth showing, in
 * buf; "" when there is none. */
void vcb_tool_log_last(const char *path, char *buf, size_t len);
/* Wait until a helper we spawned (passt, pasta) wrote its pid file,
 * which both do once set up: -1 when it exits first (reaped, *pid = 0;
 * the error ends with its log's last line) or timeout_ns passes. */
int vcb_tool_wait_pidfile(pid_t *pid, const char *pidfile, const char *log, uint64_t timeout_ns,
                          struct vcb_err *err);
/* Whether name is an executable file in PATH. */
bool vcb_tool_in_path(const char *name);

#endif
