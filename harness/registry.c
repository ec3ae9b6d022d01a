/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* registry.c — the instance drivers this build has, by name. */
#include <string.h>

#include "harness.h"
#include "process.h"
#include "container.h"
#ifdef VCB_WITH_VM
#include "vm.h"
#endif

const char *const bench_backend_known[BENCH_BACKEND_MAX] = {"process", "container", "vm"};

int bench_backend_index(const char *name)
{
    for (int i = 0; i < BENCH_BACKEND_MAX; i++)
        if (strcmp(name, bench_backend_known[i]) == 0)
            return i;
    return -1;
}

static const struct vcb_driver *const drivers[] = {
    &process_driver,
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
