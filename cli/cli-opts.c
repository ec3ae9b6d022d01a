/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cli-opts.c — option values that several subcommands take, parsed once so
 * that every command spells and checks them the same way. */
#include <string.h>

#include "commands.h"

int cli_parse_accel(const char *opt, const char *arg, enum vcb_accel *out, struct vcb_err *err)
{
    static const struct {
        const char *name;
        enum vcb_accel accel;
    } names[] = {{"auto", VCB_ACCEL_AUTO}, {"kvm", VCB_ACCEL_KVM}, {"tcg", VCB_ACCEL_TCG}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (arg && !strcmp(arg, names[i].name)) {
            *out = names[i].accel;
            return 0;
        }
    }
    return vcb_err_usage(err, "%s: \"%s\" (expected auto, kvm or tcg)", opt, arg ? arg : "");
}
