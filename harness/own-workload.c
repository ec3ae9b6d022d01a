/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* own-workload.c — a workload from outside (a user's image and command) as
 * the harness runs it: its readiness and metric rules checked here, before
 * anything starts, so a typo is a usage error on the host rather than an
 * instance that never gets ready; vcb-init's arguments built once for
 * every backend (the same bytes, the same command, in every arm). */
#include <errno.h>
#include <string.h>

#include "harness.h"
#include "wl-oci.h"

/* The rules are vcb-init's own (guest-image-args.c): what passes here
 * passes there. */
int bench_own_ready_check(const char *ready, const char *what, struct vcb_err *err)
{
    struct wl_ready r;
    char why[256];
    if (wl_ready_parse(ready, &r, NULL, why, sizeof(why)) < 0)
        return vcb_err_usage(err, "%s: \"%s\": %s", what, ready, why);
    return 0;
}

int bench_own_metric_check(const char *metric, const char *what, struct vcb_err *err)
{
    struct wl_metric m;
    char why[256];
    if (wl_metric_parse(metric, &m, NULL, why, sizeof(why)) < 0)
        return vcb_err_usage(err, "%s: \"%s\": %s", what, metric, why);
    return 0;
}

char **bench_own_args(const struct bench_own_workload *w)
{
    size_t ncmd = w->command ? vcb_strv_len(w->command) : 0;
    size_t max = 2 + 2 * w->nmetrics + 1 + ncmd + 1, n = 0;
    char **v = calloc(max, sizeof *v);
    if (!v)
        return NULL;
    bool ok = true;
    if (w->ready[0]) {
        ok = ok && (v[n++] = strdup("--ready"));
        ok = ok && (v[n++] = strdup(w->ready));
    }
    for (size_t i = 0; ok && i < w->nmetrics; i++) {
        ok = ok && (v[n++] = strdup("--metric"));
        ok = ok && (v[n++] = strdup(w->metric[i]));
    }
    if (ok && w->command) {
        ok = (v[n++] = strdup(WL_IMAGE_CMD_ARG)) != NULL;
        for (size_t i = 0; ok && i < ncmd; i++)
            ok = (v[n++] = strdup(w->command[i])) != NULL;
    }
    if (!ok) {
        vcb_strv_free(v);
        return NULL;
    }
    return v;
}

int bench_own_import(const struct bench_own_workload *w, struct bench_image *out,
                     struct vcb_err *err)
{
    struct wl_oci_image img;
    if (wl_oci_import(w->image, w->max_image, &img, err) < 0)
        return -1;
    if (!img.has_command && !w->command)
        return vcb_err_usage(err,
                             "image %s: it sets no Entrypoint or Cmd, and no command was given "
                             "(after -- on the command line, \"command\" in a suite)",
                             w->image);
    memset(out, 0, sizeof *out);
    if (!(out->args = bench_own_args(w)))
        return vcb_err_sys(err, ENOMEM, "workload %s", w->name);
    snprintf(out->rootfs, sizeof out->rootfs, "%s", img.rootfs);
    snprintf(out->initramfs, sizeof out->initramfs, "%s", img.initramfs);
    snprintf(out->disk, sizeof out->disk, "%s", img.disk);
    snprintf(out->digest, sizeof out->digest, "%s", img.digest);
    out->vm_form = img.vm_form == WL_VM_DISK ? "disk" : "initramfs";
    out->rootfs_bytes = img.rootfs_bytes;
    out->cached = img.cached;
    return 0;
}

void bench_own_spec(const struct bench_image *img, struct vcb_instance_spec *spec)
{
    spec->workload = WL_IMAGE_MODE_ARG;
    spec->init = WL_OWN_INIT;
    spec->own_rootfs = true;
    spec->rootfs = img->rootfs;
    spec->initramfs = img->initramfs;
    spec->disk = img->disk[0] ? img->disk : NULL;
    spec->args = img->args;
}

void bench_image_free(struct bench_image *img)
{
    vcb_strv_free(img->args);
    img->args = NULL;
}

bool bench_workload_serves(const struct bench_ctx *ctx, const char *workload)
{
    const struct bench_own_workload *w = bench_suite_own(ctx->suite, workload);
    return w && strcmp(w->ready, "exit") != 0;
}

const struct bench_own_workload *bench_suite_own(const struct bench_suite *s, const char *name)
{
    for (size_t i = 0; s && i < s->nown; i++)
        if (strcmp(s->own[i].name, name) == 0)
            return &s->own[i];
    return NULL;
}
