/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* backends.c — which backends a run drives, with their drivers and limits,
 * and the images their instances boot. A backend that is known but not
 * built is kept, so every scenario records it as DNF with the reason. */
#include <errno.h>
#include <string.h>

#include "harness.h"
#include "wl-image.h"

static int backend_add(struct bench_ctx *ctx, const struct bench_suite *s, const char *name,
                       struct vcb_err *err)
{
    int idx = bench_backend_index(name);
    if (idx < 0)
        return vcb_err_usage(err, "--backends: unknown backend '%s' (expected one of: %s)", name,
                             bench_backend_list(false));
    for (size_t i = 0; i < ctx->nbackends; i++)
        if (strcmp(ctx->backends[i].name, name) == 0)
            return vcb_err_usage(err, "--backends: '%s' is listed twice", name);
    struct bench_backend *be = &ctx->backends[ctx->nbackends++];
    *be = bench_backend_at(idx);
    be->limits = s->limits[idx];
    return 0;
}

int bench_backends_setup(struct bench_ctx *ctx, const struct bench_suite *s, const char *list,
                         struct vcb_err *err)
{
    ctx->nbackends = 0;
    if (!list) {
        for (size_t i = 0; i < s->nbackends; i++)
            if (backend_add(ctx, s, s->backends[i], err) < 0)
                return -1;
        return 0;
    }
    cleanup_free char *copy = strdup(list);
    char *save = NULL;
    if (!copy)
        return vcb_err_sys(err, ENOMEM, "--backends");
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (ctx->nbackends == bench_backend_count() && bench_backend_index(tok) >= 0)
            return vcb_err_usage(err, "--backends: '%s' is listed twice", tok);
        if (backend_add(ctx, s, tok, err) < 0)
            return -1;
    }
    if (ctx->nbackends == 0)
        return vcb_err_usage(err, "--backends: expected a list like %s", bench_backend_list(true));
    return 0;
}

int bench_image_add(struct bench_ctx *ctx, const char *workload, struct vcb_err *err)
{
    struct bench_image_cache *c = &ctx->images;
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->workload[i], workload) == 0)
            return 0;
    if (c->n == sizeof(c->workload) / sizeof(c->workload[0]))
        return vcb_err_set(err, 0, "too many workloads in one suite");
    struct wl_image img;
    bench_progress_note(ctx->progress, "image %s: preparing", workload);
    if (wl_image_build(workload, &img, err) < 0)
        return vcb_err_prefix(err, "image %s", workload);
    snprintf(c->workload[c->n], BENCH_WORKLOAD_MAX, "%s", workload);
    snprintf(c->rootfs[c->n], PATH_MAX, "%s", img.rootfs);
    snprintf(c->initramfs[c->n], PATH_MAX, "%s", img.initramfs);
    c->n++;
    return 0;
}
