/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* run-options.c — what a run was told that changes its numbers, recorded
 * under run in results.json so that two runs that differ in it are never
 * read as if they did not: the container and VM options in effect, the
 * suite file's hash and the command line as typed. */
#include <string.h>

#include "harness.h"
#include "sha256.h"

static json_t *file_hash(const char *path)
{
    char hex[65];
    struct vcb_err err = {0};
    return path && wl_sha256_file(path, hex, &err) == 0 ? json_string(hex) : json_null();
}

/* /proc/self/cmdline: the words as the shell passed them. */
static json_t *command_line(void)
{
    cleanup_free char *buf = NULL;
    size_t len = 0;
    struct vcb_err err = {0};
    json_t *words = json_array();
    if (vcb_read_file("/proc/self/cmdline", &buf, &len, &err) < 0)
        return words;
    for (size_t i = 0; i < len; i += strlen(buf + i) + 1)
        json_array_append_new(words, json_string(buf + i));
    return words;
}

static const char *accel_name(enum vcb_accel a)
{
    return a == VCB_ACCEL_KVM ? "kvm" : a == VCB_ACCEL_TCG ? "tcg" : "auto";
}

/* The options of the backends the run uses that have their own (the VM's:
 * machine, URI, guest kernel and command line); the schema's keys are null
 * where no such backend runs. */
static void backend_options(json_t *o, const struct bench_ctx *ctx)
{
    static const char *const keys[] = {"machine", "vm_uri", "guest_kernel", "guest_cmdline",
                                       "guest_kernel_sha256"};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        json_object_set_new(o, keys[i], json_null());
    for (size_t i = 0; i < ctx->nbackends; i++) {
        const struct vcb_driver *d = ctx->backends[i].drv;
        struct vcb_err err = {0};
        if (d && d->run_options && d->run_options(&ctx->bopts, o, &err) == 0 &&
            json_is_string(json_object_get(o, "guest_kernel")))
            json_object_set_new(o, "guest_kernel_sha256",
                                file_hash(json_string_value(json_object_get(o, "guest_kernel"))));
    }
}

/* How an arm of this kind boots an image from outside. */
static const char *image_form(enum vcb_arm_kind kind, const struct bench_image *img)
{
    switch (kind) {
    case VCB_ARM_CONTROL:
        return "rootfs, chrooted";
    case VCB_ARM_CONTAINER:
        return "rootfs, read-only";
    case VCB_ARM_VM:
        return strcmp(img->vm_form, "disk") ? "initramfs" : "disk, read-only (virtio-blk)";
    }
    return "?";
}

/* The images from outside the suite runs: which one (its digest), its
 * command as vcb-init runs it, and the form each arm boots it in. */
static json_t *images_record(const struct bench_ctx *ctx)
{
    json_t *all = json_object();
    for (size_t i = 0; ctx->suite && i < ctx->suite->nown; i++) {
        const struct bench_own_workload *w = &ctx->suite->own[i];
        const struct bench_image *img = bench_image_of(ctx, w->name);
        if (!img)
            continue;
        json_t *forms = json_object(), *args = json_array();
        for (size_t b = 0; b < ctx->nbackends; b++) {
            int idx = bench_backend_index(ctx->backends[b].name);
            if (idx >= 0)
                json_object_set_new(forms, ctx->backends[b].name,
                                    json_string(image_form(bench_backend_kind((size_t)idx), img)));
        }
        for (char **a = img->args; a && *a; a++)
            json_array_append_new(args, json_string(*a));
        json_object_set_new(all, w->name,
                            json_pack("{s:s, s:s, s:I, s:o, s:o}", "image", w->image, "digest",
                                      img->digest, "rootfs_bytes", (json_int_t)img->rootfs_bytes,
                                      "init_args", args, "forms", forms));
    }
    return all;
}

void bench_run_options_record(struct bench_results *r, const struct bench_ctx *ctx,
                              const char *suite_file)
{
    const struct vcb_backend_opts *b = &ctx->bopts;
    json_t *o =
        json_pack("{s:b, s:s, s:s, s:s}", "userns", b->userns, "seccomp",
                  b->seccomp == VCB_SECCOMP_OFF ? "off" : "default", "accel", accel_name(b->accel),
                  "container_net", b->ct_net == VCB_NET_USER ? "user" : "bridge");
    backend_options(o, ctx);
    bench_results_set_run(r, "options", o);
    bench_results_set_run(r, "suite_sha256", file_hash(suite_file));
    bench_results_set_run(r, "command_line", command_line());
    bench_results_set_run(r, "images", images_record(ctx));
}
