/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* process.h — the process driver: the control arm. vcb-init runs on the
 * image rootfs as a plain fork/exec with no isolation; it applies no
 * limits, and asking for one is an error. */
#ifndef VCB_PROCESS_H
#define VCB_PROCESS_H

#include "vcb-driver.h"

extern const struct vcb_driver process_driver;

/* The driver's cleanup: kill the processes of process-backend instances
 * whose run died (of req->only_run alone, when set). A process belongs to
 * the run named by its VCB_INSTANCE variable; the run is gone when its run
 * dir's lock is free or missing (its own staleness test: the dir is in the
 * run root the process names, so req->is_stale is not asked). */
int process_cleanup(const struct vcb_cleanup_req *req, struct vcb_err *err);

#endif
