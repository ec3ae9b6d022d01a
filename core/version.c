/* version.c — version and git hash baked in at build time. */
#include "vcb.h"

const char *vcb_version(void)
{
    return VCB_VERSION;
}

const char *vcb_git_hash(void)
{
    return VCB_GIT_HASH;
}
