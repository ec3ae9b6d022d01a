/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wl-alloc — allocate SIZE bytes and write every page, timing the touch;
 * then hold the memory for --hold or until SIGTERM, so the host can measure
 * what one instance holding SIZE costs. Order: ready, result, hold, exit. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "guest.h"

static const struct wl_prog prog = {
    "alloc", "alloc SIZE [--hold D]\n"
             "  SIZE        bytes to allocate and touch (e.g. 256MiB, 1G)\n"
             "  --hold D    keep the memory this long (default 0; SIGTERM ends it)"};

struct alloc_opts {
    uint64_t size, hold;
};

static struct alloc_opts parse_args(int argc, char **argv)
{
    struct alloc_opts o = {0, 0};
    const char *v, *size = NULL;
    wl_handle_help(&prog, argc, argv);
    for (int i = 1; i < argc; i++) {
        if (wl_opt(&prog, argc, argv, &i, "--hold", &v))
            o.hold = wl_opt_duration(&prog, "--hold", v);
        else if (argv[i][0] != '-' && !size)
            size = argv[i];
        else
            wl_usage_fail(&prog, "unexpected argument '%s'", argv[i]);
    }
    if (!size)
        wl_usage_fail(&prog, "SIZE is required");
    o.size = wl_opt_size(&prog, "SIZE", size);
    if (o.size == 0 || o.size > SIZE_MAX / 2)
        wl_usage_fail(&prog, "SIZE must be > 0 and addressable");
    return o;
}

static void touch_pages(volatile char *p, size_t size)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    for (size_t off = 0; off < size; off += page)
        p[off] = (char)off;
    p[size - 1] = 1;
}

int main(int argc, char **argv)
{
    struct alloc_opts o = parse_args(argc, argv);
    wl_stop_signals_block();
    char *mem = malloc((size_t)o.size);
    if (!mem) {
        fprintf(stderr, "alloc: cannot allocate %llu bytes\n", (unsigned long long)o.size);
        return 1;
    }
    uint64_t t0 = wl_now_ns();
    touch_pages(mem, (size_t)o.size);
    uint64_t touch_ns = wl_now_ns() - t0;
    wl_emit_ready();
    struct wl_json j;
    wl_json_begin(&j, NULL, prog.name);
    wl_json_u64(&j, "alloc_bytes", o.size);
    wl_json_u64(&j, "touch_ns", touch_ns);
    wl_json_emit(&j, STDOUT_FILENO);
    wl_wait_stop(wl_deadline_after(o.hold));
    free(mem);
    return 0;
}
