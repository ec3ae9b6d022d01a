/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* backends.c — which backends a run drives, with their drivers and limits,
 * what they are asked before anything is made, and the images their
 * instances boot. A backend that is known but not built is kept, so every
 * scenario records it as DNF with the reason. */
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

int bench_driver_check_needs(const struct vcb_driver *drv, const struct vcb_backend_opts *o,
                             const struct vcb_spec_needs *needs, struct vcb_err *err)
{
    if (!drv || !drv->check_spec || (!needs->scratch && !needs->net))
        return 0;
    return drv->check_spec(o, needs, err);
}

int bench_backends_check_needs(const struct bench_ctx *ctx, const struct vcb_spec_needs *needs,
                               struct vcb_err *err)
{
    for (size_t i = 0; i < ctx->nbackends; i++)
        if (bench_driver_check_needs(ctx->backends[i].drv, &ctx->bopts, needs, err) < 0)
            return -1;
    return 0;
}

const struct bench_image *bench_image_of(const struct bench_ctx *ctx, const char *workload)
{
    for (size_t i = 0; i < ctx->images.n; i++)
        if (strcmp(ctx->images.workload[i], workload) == 0)
            return &ctx->images.img[i];
    return NULL;
}

int bench_image_add(struct bench_ctx *ctx, const char *workload, struct vcb_err *err)
{
    struct bench_image_cache *c = &ctx->images;
    if (bench_image_of(ctx, workload))
        return 0;
    if (c->n == sizeof(c->workload) / sizeof(c->workload[0]))
        return vcb_err_set(err, 0, "too many workloads in one suite");
    struct bench_image *img = &c->img[c->n];
    const struct bench_own_workload *own = bench_suite_own(ctx->suite, workload);
    bench_progress_note(ctx->progress, "image %s: preparing", workload);
    if (own) {
        if (bench_own_import(own, img, err) < 0)
            return vcb_err_prefix(err, "workload %s", workload);
    } else {
        struct wl_image wl;
        if (wl_image_build(workload, &wl, err) < 0)
            return vcb_err_prefix(err, "image %s", workload);
        *img = (struct bench_image){.vm_form = "initramfs", .cached = wl.cached};
        snprintf(img->rootfs, PATH_MAX, "%s", wl.rootfs);
        snprintf(img->initramfs, PATH_MAX, "%s", wl.initramfs);
    }
    snprintf(c->workload[c->n], BENCH_WORKLOAD_MAX, "%s", workload);
    c->n++;
    return 0;
}

void bench_images_free(struct bench_image_cache *c)
{
    for (size_t i = 0; i < c->n; i++)
        bench_image_free(&c->img[i]);
    c->n = 0;
}
