/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* oci-spec.c — SPEC as the command line gives it: scheme, path, tag. */
#include <string.h>

#include "wl-oci-priv.h"

static const struct {
    const char *prefix;
    enum oci_kind kind;
    bool tagged;
} oci_schemes[] = {
    {"oci:", OCI_LAYOUT, true},
    {"oci-archive:", OCI_ARCHIVE, true},
    {"docker-archive:", OCI_DOCKER_ARCHIVE, false},
    {"dir:", OCI_DIR, false},
};

/* A tag is what follows the last ':' when it holds no '/' (a path may hold
 * ':' itself: "oci:./a:b/c" is the directory "./a:b/c"). */
static void spec_split_tag(struct oci_spec *out)
{
    char *colon = strrchr(out->path, ':');
    if (colon && !strchr(colon, '/') && colon[1]) {
        snprintf(out->tag, sizeof(out->tag), "%s", colon + 1);
        *colon = '\0';
    }
}

int oci_spec_parse(const char *spec, struct oci_spec *out, struct vcb_err *err)
{
    memset(out, 0, sizeof(*out));
    for (size_t i = 0; spec && i < sizeof(oci_schemes) / sizeof(oci_schemes[0]); i++) {
        size_t n = strlen(oci_schemes[i].prefix);
        if (strncmp(spec, oci_schemes[i].prefix, n) != 0)
            continue;
        if (snprintf(out->path, sizeof(out->path), "%s", spec + n) >= (int)sizeof(out->path))
            return vcb_err_usage(err, "image %s: path too long", spec);
        out->kind = oci_schemes[i].kind;
        snprintf(out->tag, sizeof(out->tag), "latest");
        if (oci_schemes[i].tagged)
            spec_split_tag(out);
        if (!out->path[0])
            return vcb_err_usage(err, "image %s: no path after '%s'", spec, oci_schemes[i].prefix);
        return 0;
    }
    return vcb_err_usage(err,
                         "image '%s': expected oci:PATH[:TAG], oci-archive:FILE[:TAG], "
                         "docker-archive:FILE or dir:PATH",
                         spec ? spec : "");
}
