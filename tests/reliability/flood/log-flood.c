/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* log-flood — a test workload (static, never installed) that floods its
 * log: it gets ready, writes --bytes (default 64MiB) to stderr and a few
 * thousand stray (non-protocol) lines to stdout, then ends like noop. The
 * reliability tests put it in place of noop in a private image store, so a
 * real `vcbench run` drives it on every backend. */
#include <string.h>
#include <unistd.h>

#include "guest.h"

static const struct wl_prog prog = {
    "log-flood", "log-flood [--bytes SIZE]\n  --bytes SIZE  what to write to stderr (64MiB)"};

int main(int argc, char **argv)
{
    uint64_t bytes = 64ULL << 20;
    const char *v;
    static char block[65536];
    wl_handle_help(&prog, argc, argv);
    for (int i = 1; i < argc; i++) {
        if (wl_opt(&prog, argc, argv, &i, "--bytes", &v))
            bytes = wl_opt_size(&prog, "--bytes", v);
        else
            wl_usage_fail(&prog, "unexpected argument '%s'", argv[i]);
    }
    memset(block, 'x', sizeof(block));
    for (size_t i = 63; i < sizeof(block); i += 64)
        block[i] = '\n';
    wl_emit_ready();
    for (int i = 0; i < 2000; i++)
        wl_line_fd(STDOUT_FILENO, "stray stdout line %d", i);
    for (uint64_t left = bytes; left > 0;) {
        size_t n = left < sizeof(block) ? (size_t)left : sizeof(block);
        if (wl_write_all(STDERR_FILENO, block, n) < 0)
            return 1;
        left -= n;
    }
    struct wl_json j;
    wl_json_begin(&j, NULL, "noop");
    wl_json_u64(&j, "flooded_bytes", bytes);
    wl_json_emit(&j, STDOUT_FILENO);
    return 0;
}
