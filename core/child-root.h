/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* child-root.h — a spawned child entering a root filesystem of its own
 * (struct vcb_child_spawn.root), split so the child side runs only
 * async-signal-safe system calls: the paths are made before the fork. */
#ifndef VCB_CHILD_ROOT_H
#define VCB_CHILD_ROOT_H

#include <limits.h>

struct child_root {
    const char *root;
    char proc[PATH_MAX], sys[PATH_MAX], dev[PATH_MAX], tmp[PATH_MAX];
};

/* Before the fork: the mount points under root; -1 (errno) when a path is
 * too long or root is not a directory holding them. */
int child_root_prepare(const char *root, struct child_root *r);
/* In the child: a private mount namespace, the host's /proc, /sys and /dev
 * bound in, a fresh /tmp, chroot. -1 with errno on the first failure. */
int child_root_enter(const struct child_root *r);

#endif
