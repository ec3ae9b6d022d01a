/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-guest-parse.c — the guest's own size/duration/number parsers
 * (workloads/guest/guest-parse.c): a workload argument reaches them from a
 * suite or the command line. guest-parse.c says it keeps the host's grammar,
 * so where both accept a string they must agree (the host rounds a
 * fraction, the guest rounds down: one unit apart at most). Where only one
 * accepts, that is a grammar difference, listed in docs/reliability.md, not
 * a crash. */
#include "fuzz-common.h"
#include "guest.h"
#include "vcb.h"

typedef int (*guest_fn)(const char *s, uint64_t *out);
typedef int (*host_fn)(const char *s, const char *what, uint64_t *out, struct vcb_err *err);

static void diff(const char *s, guest_fn g, host_fn h, const char *name)
{
    uint64_t gv = 0, hv = 0;
    struct vcb_err err = {0};
    int grc = g(s, &gv), hrc = h(s, "--fuzz", &hv, &err);
    FUZZ_CHECK(grc == 0 || grc == -1, "%s rc %d", name, grc);
    if (grc == 0 && hrc == 0) {
        uint64_t d = gv > hv ? gv - hv : hv - gv;
        FUZZ_CHECK(d <= 1, "%s(\"%s\"): guest %llu, host %llu", name, s, (unsigned long long)gv,
                   (unsigned long long)hv);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_strndup(data, size);
    diff(s, wl_parse_size, vcb_parse_size, "size");
    diff(s, wl_parse_duration, vcb_parse_duration, "duration");
    diff(s, wl_parse_u64, vcb_parse_u64, "u64");
    free(s);
    return 0;
}
