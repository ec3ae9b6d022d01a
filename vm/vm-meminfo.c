/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vm-meminfo.c — reading the guest's own "used" figure from the result line
 * vcb-init sends over the console; the console and the stats both ask. */
#include <jansson.h>
#include <string.h>

#include "vm-priv.h"

bool vm_meminfo_result_used(const char *json, uint64_t *used)
{
    json_t *j = json_loads(json, 0, NULL);
    json_t *from = json_object_get(j, "from");
    json_t *u = json_object_get(j, "mem_used_bytes");
    bool ok = json_is_string(from) && !strcmp(json_string_value(from), "vcb-init") &&
              json_is_integer(u) && json_integer_value(u) >= 0;
    if (ok)
        *used = (uint64_t)json_integer_value(u);
    json_decref(j);
    return ok;
}
