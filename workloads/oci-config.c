/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* oci-config.c — the image config: its platform checked against the host,
 * and the parts vcb-init needs (Entrypoint, Cmd, Env, WorkingDir, User)
 * written as the plain files of guest-image.h, so the static vcb-init
 * reads no JSON. */
#include <errno.h>
#include <string.h>
#include <sys/utsname.h>

#include "vcb-json.h"
#include "guest/guest-image.h"
#include "wl-oci-priv.h"

const char *oci_host_arch(void)
{
    static const struct {
        const char *machine, *oci;
    } names[] = {{"x86_64", "amd64"}, {"aarch64", "arm64"}, {"i686", "386"},
                 {"i386", "386"},     {"armv7l", "arm"},    {"ppc64le", "ppc64le"}};
    static char arch[65];
    struct utsname u;
    if (arch[0])
        return arch;
    if (uname(&u) < 0)
        return "unknown";
    snprintf(arch, sizeof(arch), "%s", u.machine);
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(u.machine, names[i].machine) == 0)
            snprintf(arch, sizeof(arch), "%s", names[i].oci);
    return arch;
}

int oci_config_platform(json_t *config, const char *file, struct vcb_err *err)
{
    const char *os = json_string_value(json_object_get(config, "os"));
    const char *arch = json_string_value(json_object_get(config, "architecture"));
    if (!json_is_object(config))
        return vcb_err_usage(err, "config %s: expected an object", file);
    if (os && strcmp(os, "linux") != 0)
        return vcb_err_usage(err, "config %s os: the image is for %s, this host runs linux", file,
                             os);
    if (!arch)
        return vcb_err_usage(err, "config %s architecture: missing (this host is %s)", file,
                             oci_host_arch());
    if (strcmp(arch, oci_host_arch()) != 0)
        return vcb_err_usage(err, "config %s architecture: the image is for %s, this host is %s",
                             file, arch, oci_host_arch());
    return 0;
}

/* words (an array of strings, or null) as one file, each NUL-terminated;
 * no file when there are none. */
static int write_words(const char *rootfs, const char *file, json_t *words, const char *field,
                       struct vcb_err *err)
{
    char path[PATH_MAX];
    json_t *w;
    size_t i, len = 0;
    if (json_is_null(words) || !words || json_array_size(words) == 0)
        return 0;
    if (!json_is_array(words))
        return vcb_err_usage(err, "config %s: expected an array of strings, got %s", field,
                             vcb_json_type_name(words));
    json_array_foreach(words, i, w)
    {
        if (!json_is_string(w))
            return vcb_err_usage(err, "config %s[%zu]: expected a string", field, i);
        len += json_string_length(w) + 1;
    }
    cleanup_free char *buf = malloc(len);
    if (!buf)
        return vcb_err_sys(err, ENOMEM, "config %s", field);
    len = 0;
    json_array_foreach(words, i, w)
    {
        memcpy(buf + len, json_string_value(w), json_string_length(w) + 1);
        len += json_string_length(w) + 1;
    }
    snprintf(path, sizeof(path), "%s%s", rootfs, file);
    return vcb_write_file(path, buf, len, err);
}

static int write_text(const char *rootfs, const char *file, const char *text, struct vcb_err *err)
{
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s%s", rootfs, file);
    return vcb_write_file(path, text, strlen(text), err);
}

static int write_user(const char *rootfs, const char *user, json_t *rec, struct vcb_err *err)
{
    unsigned uid = 0, gid = 0;
    char resolved[32];
    if (!user || !user[0])
        return 0;
    if (oci_user_resolve(rootfs, user, &uid, &gid, err) < 0)
        return -1;
    snprintf(resolved, sizeof(resolved), "%u:%u", uid, gid);
    json_object_set_new(rec, "user", json_pack("{s:s, s:s}", "given", user, "resolved", resolved));
    return write_text(rootfs, WL_OWN_USER, resolved, err);
}

static int write_workdir(const char *rootfs, json_t *dir, json_t *rec, struct vcb_err *err)
{
    char abs[PATH_MAX];
    const char *d = json_string_value(dir);
    if (dir && !json_is_string(dir) && !json_is_null(dir))
        return vcb_err_usage(err, "config WorkingDir: expected a string");
    if (!d || !d[0])
        return 0;
    snprintf(abs, sizeof(abs), "%s%s", d[0] == '/' ? "" : "/", d); /* relative to /, as docker */
    json_object_set_new(rec, "workdir", json_string(abs));
    return write_text(rootfs, WL_OWN_WORKDIR, abs, err);
}

int oci_config_write(const char *rootfs, json_t *config, json_t *rec, bool *has_command,
                     struct vcb_err *err)
{
    json_t *c = json_object_get(config, "config");
    json_t *entry = json_object_get(c, "Entrypoint"), *cmd = json_object_get(c, "Cmd");
    json_t *user = json_object_get(c, "User");
    if (c && !json_is_object(c) && !json_is_null(c))
        return vcb_err_usage(err, "config: expected an object");
    if (user && !json_is_string(user) && !json_is_null(user))
        return vcb_err_usage(err, "config User: expected a string");
    if (write_words(rootfs, WL_OWN_ENTRYPOINT, entry, "Entrypoint", err) < 0 ||
        write_words(rootfs, WL_OWN_CMD, cmd, "Cmd", err) < 0 ||
        write_words(rootfs, WL_OWN_ENV, json_object_get(c, "Env"), "Env", err) < 0 ||
        write_workdir(rootfs, json_object_get(c, "WorkingDir"), rec, err) < 0 ||
        write_user(rootfs, json_string_value(user), rec, err) < 0)
        return -1;
    json_object_set(rec, "entrypoint", entry && json_is_array(entry) ? entry : json_null());
    json_object_set(rec, "cmd", cmd && json_is_array(cmd) ? cmd : json_null());
    json_t *env = json_object_get(c, "Env");
    json_object_set(rec, "env", env && json_is_array(env) ? env : json_null());
    *has_command = json_array_size(entry) > 0 || json_array_size(cmd) > 0;
    return 0;
}
