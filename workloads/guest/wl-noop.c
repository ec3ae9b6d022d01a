/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wl-noop — the boot-latency probe: ready, an empty result, exit at once. */
#include <unistd.h>

#include "guest.h"

static const struct wl_prog prog = {"noop", "noop\n  ready, result, exit at once"};

int main(int argc, char **argv)
{
    wl_handle_help(&prog, argc, argv);
    if (argc > 1)
        wl_usage_fail(&prog, "unexpected argument '%s'", argv[1]);
    wl_emit_ready();
    struct wl_json j;
    wl_json_begin(&j, NULL, prog.name);
    wl_json_emit(&j, STDOUT_FILENO);
    return 0;
}
