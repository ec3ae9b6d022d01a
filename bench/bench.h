/* bench.h — the bench module: the driver registry, the process driver (the
 * control arm) and the harness that runs suites through the driver interface. */
#ifndef BENCH_H
#define BENCH_H

#include "vcb-driver.h"

/* ---- driver registry ---- */
/* "process", "container", "vm" (when built). NULL if unknown. */
const struct vcb_driver *bench_driver_find(const char *name);
/* "process, container, vm": the built drivers, for --help and errors. */
const char *bench_driver_names(void);

/* ---- the process driver: plain fork/exec of vcb-init on the image rootfs,
 * no isolation. It applies no limits: asking for one is an error. ---- */
extern const struct vcb_driver bench_process_driver;

/* ---- harness (issue 5) ---- */

#endif
