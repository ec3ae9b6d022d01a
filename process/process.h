/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* process.h — the process driver: the control arm. vcb-init runs on the
 * image rootfs as a plain fork/exec with no isolation; it applies no
 * limits, and asking for one is an error. */
#ifndef VCB_PROCESS_H
#define VCB_PROCESS_H

#include "vcb-driver.h"

extern const struct vcb_driver process_driver;

/* Kill the processes of process-backend instances whose run died (of run
 * only_run alone, when not NULL); returns how many. A process belongs to
 * the run named by its VCB_INSTANCE variable; the run is gone when its run
 * dir's lock is free or missing. */
int process_cleanup_orphans(const char *only_run, bool dry_run,
                            void (*removed)(const char *what, void *ctx), void *ctx);

#endif
