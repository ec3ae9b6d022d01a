/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* container.h — the container backend: our own launcher (namespaces, cgroups
 * v2 and v1, capabilities, seccomp) behind the common driver interface, plus
 * the host checks and the leftover cleanup the CLI needs. */
#ifndef CONTAINER_H
#define CONTAINER_H

#include "vcb-driver.h"
#include "vcb-json.h"

/* The driver, name "container". */
extern const struct vcb_driver ct_driver;

/* Host facts for doctor and results: adds "cgroup_mode" ("v2"|"hybrid"|"v1"),
 * "cgroup_controllers" (array of usable ones), "namespaces" (array of
 * supported ones) and "userns" (bool) to the object. */
int ct_host_facts(json_t *facts, struct vcb_err *err);

/* doctor: append check objects {"check","ok","value","hint"} for cgroups,
 * each controller needed, namespaces, user namespaces and seccomp. */
int ct_doctor_checks(json_t *checks_array, struct vcb_err *err);

/* Remove every cgroup (every hierarchy) and mount named vcb-<run-id>-* for
 * which is_stale(run_id, ctx) is true, killing the processes left in them
 * first; removed("cgroup /sys/fs/cgroup/memory/vcbench/vcb-1a2b3c4d-1", ctx)
 * is called for each thing removed. */
int ct_cleanup(bool (*is_stale)(const char *run_id, void *ctx),
               void (*removed)(const char *what, void *ctx), void *ctx, struct vcb_err *err);

#endif
