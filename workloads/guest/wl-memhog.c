/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wl-memhog — grow memory step by step (touching every page) until the
 * ceiling or until allocation fails, reporting progress each step. Under a
 * memory limit the OOM killer may end it: the host side reports that. The
 * ceiling is capped at 4GiB whatever the arguments, so a run on the host
 * (process mode) can never take the whole machine. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "guest.h"

#define MEMHOG_HARD_CEILING (4ULL << 30)

static const struct wl_prog prog = {
    "memhog", "memhog [--step BYTES] [--ceiling BYTES] [--interval D]\n"
              "  --step BYTES     grow by this much per step (default 16MiB)\n"
              "  --ceiling BYTES  stop there (default 1GiB, never above 4GiB)\n"
              "  --interval D     pause between steps (default 50ms)"};

struct memhog_opts {
    uint64_t step, ceiling, interval;
};

static struct memhog_opts parse_args(int argc, char **argv)
{
    struct memhog_opts o = {16ULL << 20, 1ULL << 30, 50 * WL_NS_PER_MS};
    const char *v;
    wl_handle_help(&prog, argc, argv);
    for (int i = 1; i < argc; i++) {
        if (wl_opt(&prog, argc, argv, &i, "--step", &v))
            o.step = wl_opt_size(&prog, "--step", v);
        else if (wl_opt(&prog, argc, argv, &i, "--ceiling", &v))
            o.ceiling = wl_opt_size(&prog, "--ceiling", v);
        else if (wl_opt(&prog, argc, argv, &i, "--interval", &v))
            o.interval = wl_opt_duration(&prog, "--interval", v);
        else
            wl_usage_fail(&prog, "unexpected argument '%s'", argv[i]);
    }
    if (o.step == 0 || o.ceiling == 0)
        wl_usage_fail(&prog, "--step and --ceiling must be > 0");
    if (o.ceiling > MEMHOG_HARD_CEILING) {
        fprintf(stderr, "memhog: --ceiling capped at 4GiB\n");
        o.ceiling = MEMHOG_HARD_CEILING;
    }
    return o;
}

/* Map and touch one step; -1 (errno set) when the kernel refuses. */
static int grow(uint64_t bytes)
{
    char *p = mmap(NULL, (size_t)bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return -1;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    for (size_t off = 0; off < bytes; off += page)
        p[off] = 1;
    return 0; /* never unmapped: holding it is the point */
}

static void emit_progress(uint64_t held)
{
    wl_line_fd(STDOUT_FILENO,
               "@vcb result {\"workload\":\"memhog\",\"progress\":true,\"held_bytes\":%llu}",
               (unsigned long long)held);
}

int main(int argc, char **argv)
{
    struct memhog_opts o = parse_args(argc, argv);
    wl_stop_signals_block();
    wl_emit_ready();
    uint64_t held = 0;
    const char *reason = "ceiling";
    int err = 0;
    while (held < o.ceiling) {
        uint64_t step = o.ceiling - held < o.step ? o.ceiling - held : o.step;
        if (grow(step) < 0) {
            err = errno;
            reason = "alloc-failed";
            break;
        }
        held += step;
        emit_progress(held);
        if (held < o.ceiling && wl_wait_stop(wl_deadline_after(o.interval))) {
            reason = "stopped";
            break;
        }
    }
    struct wl_json j;
    wl_json_begin(&j, NULL, prog.name);
    wl_json_u64(&j, "held_bytes", held);
    wl_json_u64(&j, "ceiling_bytes", o.ceiling);
    wl_json_str(&j, "reason", reason);
    if (err)
        wl_json_str(&j, "error", strerror(err));
    wl_json_emit(&j, STDOUT_FILENO);
    return 0;
}
