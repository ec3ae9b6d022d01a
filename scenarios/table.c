/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* table.c — the scenarios a suite may name: one line each in SCENARIOS.
 * A scenario file defines bench_<name>_ops; nothing else lists them. */
#include <string.h>

#include "scenario.h"

#define SCENARIOS(X) X(boot) X(memory) X(density) X(isolation)

#define SCENARIO_DECLARE(n) extern const struct bench_scenario_ops bench_##n##_ops;
#define SCENARIO_ENTRY(n)   &bench_##n##_ops,
SCENARIOS(SCENARIO_DECLARE)
const struct bench_scenario_ops *const bench_scenarios[] = {SCENARIOS(SCENARIO_ENTRY) NULL};

const struct bench_scenario_ops *bench_scenario_find(const char *name)
{
    for (size_t i = 0; bench_scenarios[i]; i++)
        if (strcmp(bench_scenarios[i]->name, name) == 0)
            return bench_scenarios[i];
    return NULL;
}

const char *bench_scenario_names(void)
{
    static char names[256];
    if (!names[0])
        for (size_t i = 0; bench_scenarios[i]; i++)
            snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s", i ? ", " : "",
                     bench_scenarios[i]->name);
    return names;
}
