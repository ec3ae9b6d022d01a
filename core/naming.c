/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* naming.c — run ids and instance names (vcb-<run-id>-<n>), which every
 * host resource carries so that `vcbench cleanup` can find leftovers. */
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>

#include "vcb.h"

void vcb_run_id_new(char out[VCB_RUN_ID_LEN + 1])
{
    uint32_t r = 0;
    if (getrandom(&r, sizeof(r), 0) != sizeof(r))
        r = (uint32_t)(vcb_now_ns() ^ ((uint64_t)getpid() << 16));
    snprintf(out, VCB_RUN_ID_LEN + 1, "%08x", r);
}

void vcb_instance_name(const char *run_id, unsigned n, char out[VCB_NAME_MAX])
{
    snprintf(out, VCB_NAME_MAX, "vcb-%s-%u", run_id, n);
}

int vcb_instance_name_parse(const char *name, char run_id[VCB_RUN_ID_LEN + 1], unsigned *n)
{
    if (strncmp(name, "vcb-", 4) != 0 || strlen(name) < 4 + VCB_RUN_ID_LEN + 2)
        return -1;
    const char *id = name + 4;
    for (int i = 0; i < VCB_RUN_ID_LEN; i++)
        if (!strchr("0123456789abcdef", id[i]) || !id[i])
            return -1;
    if (id[VCB_RUN_ID_LEN] != '-')
        return -1;
    const char *num = id + VCB_RUN_ID_LEN + 1;
    char *end;
    unsigned long v = strtoul(num, &end, 10);
    if (end == num || *end || v > 1000000)
        return -1;
    memcpy(run_id, id, VCB_RUN_ID_LEN);
    run_id[VCB_RUN_ID_LEN] = '\0';
    if (n)
        *n = (unsigned)v;
    return 0;
}
