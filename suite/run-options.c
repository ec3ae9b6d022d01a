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

void bench_run_options_record(struct bench_results *r, const struct bench_ctx *ctx,
                              const char *suite_file)
{
    const struct vcb_backend_opts *b = &ctx->bopts;
    json_t *o =
        json_pack("{s:b, s:s, s:s}", "userns", b->userns, "seccomp",
                  b->seccomp == VCB_SECCOMP_OFF ? "off" : "default", "accel", accel_name(b->accel));
    backend_options(o, ctx);
    bench_results_set_run(r, "options", o);
    bench_results_set_run(r, "suite_sha256", file_hash(suite_file));
    bench_results_set_run(r, "command_line", command_line());
}
