/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wl-idle — an idle instance for memory and density runs: ready, then sleep
 * until SIGTERM or --duration; the result says how long it slept. */
#include <unistd.h>

#include "guest.h"

static const struct wl_prog prog = {
    "idle", "idle [--duration D]\n  --duration D  sleep this long (default: until SIGTERM)"};

int main(int argc, char **argv)
{
    uint64_t duration = WL_FOREVER;
    const char *v;
    wl_handle_help(&prog, argc, argv);
    for (int i = 1; i < argc; i++) {
        if (wl_opt(&prog, argc, argv, &i, "--duration", &v))
            duration = wl_opt_duration(&prog, "--duration", v);
        else
            wl_usage_fail(&prog, "unexpected argument '%s'", argv[i]);
    }
    wl_stop_signals_block();
    uint64_t t0 = wl_now_ns();
    wl_emit_ready();
    bool stopped = wl_wait_stop(wl_deadline_after(duration));
    struct wl_json j;
    wl_json_begin(&j, NULL, prog.name);
    wl_json_u64(&j, "slept_ns", wl_now_ns() - t0);
    wl_json_bool(&j, "stopped", stopped);
    wl_json_emit(&j, STDOUT_FILENO);
    return 0;
}
