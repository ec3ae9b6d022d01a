/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* version.c — the release version, and the tree it was built from as
 * `git describe --always --dirty` said at build time (vcb-version.h). */
#include "vcb-version.h"
#include "vcb.h"

const char *vcb_version(void)
{
    return VCB_VERSION;
}

const char *vcb_git_hash(void)
{
    return VCB_GIT_DESCRIBE;
}
