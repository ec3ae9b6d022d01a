/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* registry.c — the instance drivers this build has, by name. */
#include <string.h>

#include "bench.h"
#include "container.h"
#ifdef VCB_WITH_VM
#include "vm.h"
#endif

static const struct vcb_driver *const drivers[] = {
    &bench_process_driver,
    &ct_driver,
#ifdef VCB_WITH_VM
    &vm_driver,
#endif
};

const struct vcb_driver *bench_driver_find(const char *name)
{
    for (size_t i = 0; name && i < sizeof(drivers) / sizeof(drivers[0]); i++)
        if (strcmp(drivers[i]->name, name) == 0)
            return drivers[i];
    return NULL;
}

const char *bench_driver_names(void)
{
#ifdef VCB_WITH_VM
    return "process, container, vm";
#else
    return "process, container";
#endif
}
