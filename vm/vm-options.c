/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vm-options.c — the VM backend's command-line options (--vm-uri,
 * --machine, --kernel, --accel, --vm-profile). They live beside the module loader, in
 * vcbench itself, so every command parses them without loading libvirt. */
#include <string.h>

#include "vm-module.h"

static int vm_opt_uri(struct vcb_backend_opts *o, const char *opt, const char *arg,
                      struct vcb_err *err)
{
    (void)opt, (void)err;
    o->vm_uri = arg;
    return 0;
}

static int vm_opt_machine(struct vcb_backend_opts *o, const char *opt, const char *arg,
                          struct vcb_err *err)
{
    (void)opt, (void)err;
    o->machine = arg;
    return 0;
}

static int vm_opt_kernel(struct vcb_backend_opts *o, const char *opt, const char *arg,
                         struct vcb_err *err)
{
    (void)opt, (void)err;
    o->kernel = arg;
    return 0;
}

static int vm_opt_accel(struct vcb_backend_opts *o, const char *opt, const char *arg,
                        struct vcb_err *err)
{
    static const struct {
        const char *name;
        enum vcb_accel accel;
    } names[] = {{"auto", VCB_ACCEL_AUTO}, {"kvm", VCB_ACCEL_KVM}, {"tcg", VCB_ACCEL_TCG}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (!strcmp(arg, names[i].name)) {
            o->accel = names[i].accel;
            return 0;
        }
    }
    return vcb_err_usage(err, "%s: \"%s\" (expected auto, kvm or tcg)", opt, arg);
}

static int vm_opt_profile(struct vcb_backend_opts *o, const char *opt, const char *arg,
                          struct vcb_err *err)
{
    if (!strcmp(arg, "lean") || !strcmp(arg, "plain")) {
        o->vm_profile = arg[0] == 'l' ? VCB_VM_PROFILE_LEAN : VCB_VM_PROFILE_PLAIN;
        return 0;
    }
    return vcb_err_usage(err, "%s: \"%s\" (expected lean or plain)", opt, arg);
}

const struct vcb_driver_opt vm_options[] = {
    {"vm-uri", "URI", "libvirt URI (default: as -c, else $LIBVIRT_DEFAULT_URI)", vm_opt_uri},
    {"machine", "M", "pc|q35|microvm (default: the driver's measured best)", vm_opt_machine},
    {"kernel", "PATH", "guest kernel (default: the one setup unpacked)", vm_opt_kernel},
    {"accel", "A", "auto|kvm|tcg (default auto: KVM if a probe boots)", vm_opt_accel},
    {"vm-profile", "P",
     "lean|plain (default lean: free page reporting, a smaller TCG cache, a guest kernel "
     "that keeps less; plain: none of these)",
     vm_opt_profile},
    {0},
};
