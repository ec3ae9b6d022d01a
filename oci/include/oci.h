/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* oci.h — OCI runtimes as a backend family: `oci:RUNTIME` runs an instance
 * with any OCI runtime binary (crun, runc, runsc, youki, …) through
 * `RUNTIME create` + `start` on a bundle vcbench writes itself. One driver
 * serves the whole family; it learns its member from spec->backend. */
#ifndef OCI_H
#define OCI_H

#include "vcb-driver.h"
#include "vcb-json.h"

/* The family's driver, name "oci". As a registry line it does what
 * concerns every member at once (doctor, cleanup of every runtime's state
 * root); each member ("oci:crun") is a copy named after it. */
extern const struct vcb_driver oci_driver;

/* Whether RUNTIME (what follows "oci:") may name a runtime: a plain word
 * (looked up in PATH) or an absolute path, of letters, digits and ._+-. */
bool oci_member_ok(const char *runtime);

/* Add a member's facts to results.json's "host": under "oci_runtimes", the
 * backend name → {"path", "version"} (or "error" when it cannot run). */
void oci_member_facts(const char *backend, const struct vcb_backend_opts *opts, json_t *host);

#endif
