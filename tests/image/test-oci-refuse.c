/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-oci-refuse.c — every hostile or broken image is refused as a usage
 * error naming the image, the layer and the member (or the file and the
 * field), with nothing left in the cache; and the sound forms other tools
 * write are read: layouts written by hand (oci-hostile.py), imported by
 * the importer itself (the module vcbench loads holds the same code). */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "wl-oci-priv.h"
#include "vcb-json.h"

#include "../lib/test-sh.h"

static char root[64];

static int setup(void **state)
{
    snprintf(root, sizeof(root), "/tmp/vcb-oci-refuse.XXXXXX");
    if (!mkdtemp(root))
        return -1;
    char st[128];
    snprintf(st, sizeof(st), "%s/state", root);
    setenv("VCB_STATE_DIR", st, 1);
    return 0;
}

static int teardown(void **state)
{
    return sh("rm -rf %s", root);
}

/* Entries in the cache dir, staging dirs included. */
static int cache_entries(void)
{
    char dir[128];
    snprintf(dir, sizeof(dir), "%s/state/images/oci", root);
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    if (d)
        closedir(d);
    return n;
}

/* The layout of case name at <root>/<name>; the digest of its last layer. */
static void make_layout(const char *name, char digest[80])
{
    char out[128];
    snprintf(out, sizeof(out), "%s/%s.digest", root, name);
    assert_int_equal(sh("mkdir -p %s/host-%s && python3 %s %s/%s %s %s/host-%s > %s", root, name,
                        OCI_HOSTILE, root, name, name, root, name, out),
                     0);
    FILE *f = fopen(out, "r");
    assert_non_null(f);
    assert_non_null(fgets(digest, 80, f));
    digest[strcspn(digest, "\n")] = '\0';
    fclose(f);
}

/* Import case name (spec suffix, max bytes): refused, and says each word. */
static void refused(const char *id, const char *suffix, uint64_t max, const char *const *words)
{
    char digest[80], spec[256], name[64];
    struct vcb_err err = {0};
    struct wl_oci_image img;
    snprintf(name, sizeof(name), "%s", id);
    for (char *p = name; *p; p++)
        *p = *p == '_' ? '-' : *p;
    make_layout(name, digest);
    snprintf(spec, sizeof(spec), "oci:%s/%s%s", root, name, suffix);
    assert_int_equal(oci_import(spec, max, &img, &err), -1);
    print_message("%s: %s\n", name, err.msg);
    assert_int_equal(err.usage, 1);
    assert_non_null(strstr(err.msg, spec));
    for (; *words; words++)
        assert_non_null(strstr(err.msg, strcmp(*words, "@layer") == 0 ? digest : *words));
    assert_int_equal(cache_entries(), 0);
}

#define REFUSED(name, suffix, max, ...)                                                            \
    static void test_##name(void **state)                                                          \
    {                                                                                              \
        static const char *const words[] = {__VA_ARGS__, NULL};                                    \
        refused(#name, suffix, max, words);                                                        \
    }

/* Case names are oci-hostile.py's, with '_' for '-'. */
REFUSED(absolute, "", 0, "@layer", "'/etc/evil'", "absolute")
REFUSED(dotdot, "", 0, "@layer", "'bin/../../evil'", "'..'")
REFUSED(symlink_escape, "", 0, "@layer", "'bin/up'", "'../../etc'", "above the rootfs")
REFUSED(hardlink_escape, "", 0, "@layer", "'bin/passwd'", "'../etc/passwd'")
REFUSED(hardlink_absolute, "", 0, "@layer", "'bin/passwd'", "'/etc/passwd'")
REFUSED(reserved, "", 0, "@layer", "'.vcbench/'", "/.vcbench")
REFUSED(wrong_arch, "", 0, "architecture", "arm64", "amd64")
REFUSED(too_big, "", 64 << 10, "@layer", "'big'", "65536 bytes")
REFUSED(digest_mismatch, "", 0, "@layer", "manifest layers[0].digest", "digest mismatch")
REFUSED(missing_blob, "", 0, "manifest layers[0].digest", "missing")
REFUSED(corrupt_index, "", 0, "index.json", "not valid JSON")
REFUSED(missing_tag, ":nope", 0, "index.json", "no tag 'nope'", "tags there: latest")

/* Layer 1 plants escape -> <host dir>; layer 2 writes escape/pwned. */
static void test_through_symlink(void **state)
{
    static const char *const words[] = {"@layer", "'escape/pwned'", "symbolic link 'escape'", NULL};
    char pwned[128];
    refused("through-symlink", "", 0, words);
    snprintf(pwned, sizeof(pwned), "%s/host-through-symlink/pwned", root);
    assert_false(vcb_path_exists(pwned));
}

/* The positive cases leave the cache empty again for the refusals, which
 * check that nothing at all is there. */
static void cache_clear(void)
{
    assert_int_equal(sh("rm -rf %s/state/images/oci", root), 0);
}

/* Case name imported: its printed digest out. */
static void imported(const char *name, char digest[80], struct wl_oci_image *img)
{
    char spec[256];
    struct vcb_err err = {0};
    make_layout(name, digest);
    snprintf(spec, sizeof(spec), "oci:%s/%s", root, name);
    assert_int_equal(oci_import(spec, 0, img, &err), 0);
}

/* From an image index of arm64 and amd64, this host's. */
static void test_platform_picked(void **state)
{
    char digest[80], path[PATH_MAX + 16];
    struct wl_oci_image img;
    imported("platforms", digest, &img);
    assert_string_equal(img.digest, digest);
    snprintf(path, sizeof(path), "%s/arch", img.rootfs);
    char *text = NULL;
    size_t len;
    struct vcb_err err = {0};
    assert_int_equal(vcb_read_file(path, &text, &len, &err), 0);
    assert_memory_equal(text, "amd64", 5);
    free(text);
    cache_clear();
}

/* Docker v2 media types, zstd and uncompressed layers: the layer there. */
static void test_layer_forms(void **state)
{
    static const char *const forms[] = {"docker-types", "plain", "zstd"};
    for (size_t i = 0; i < 3; i++) {
        char digest[80], path[PATH_MAX + 16];
        struct wl_oci_image img;
        if (strcmp(forms[i], "zstd") == 0 && sh("command -v zstd >/dev/null") != 0)
            continue; /* no zstd(1) to write one */
        imported(forms[i], digest, &img);
        snprintf(path, sizeof(path), "%s/image.json", img.dir);
        cleanup_json json_t *rec = json_load_file(path, 0, NULL);
        json_t *layer = json_array_get(json_object_get(rec, "layers"), 0);
        assert_string_equal(json_string_value(json_object_get(layer, "digest")), digest);
        snprintf(path, sizeof(path), "%s/bin/sh", img.rootfs);
        assert_true(vcb_path_exists(path));
    }
    cache_clear();
}

/* Device nodes and fifos are never made, and counted. */
static void test_devices_skipped(void **state)
{
    char digest[80], spec[256], path[PATH_MAX + 32];
    struct vcb_err err = {0};
    struct wl_oci_image img;
    make_layout("devices", digest);
    snprintf(spec, sizeof(spec), "oci:%s/devices", root);
    assert_int_equal(oci_import(spec, 0, &img, &err), 0);
    snprintf(path, sizeof(path), "%s/dev/null", img.rootfs);
    assert_false(vcb_path_exists(path));
    snprintf(path, sizeof(path), "%s/fifo", img.rootfs);
    assert_false(vcb_path_exists(path));
    snprintf(path, sizeof(path), "%s/image.json", img.dir);
    cleanup_json json_t *rec = json_load_file(path, 0, NULL);
    assert_int_equal(json_integer_value(json_object_get(rec, "skipped_device_nodes")), 2);
    assert_int_equal(wl_oci_remove(img.digest, &err), 0);
    assert_int_equal(cache_entries(), 0);
}

static void test_spec_parse(void **state)
{
    struct oci_spec sp;
    struct vcb_err err = {0};
    assert_int_equal(oci_spec_parse("oci:/a/b", &sp, &err), 0);
    assert_string_equal(sp.path, "/a/b");
    assert_string_equal(sp.tag, "latest");
    assert_int_equal(oci_spec_parse("oci-archive:x.tar:v1", &sp, &err), 0);
    assert_int_equal(sp.kind, OCI_ARCHIVE);
    assert_string_equal(sp.path, "x.tar");
    assert_string_equal(sp.tag, "v1");
    assert_int_equal(oci_spec_parse("oci:./a:b/c", &sp, &err), 0); /* ':' in a directory */
    assert_string_equal(sp.path, "./a:b/c");
    assert_int_equal(oci_spec_parse("docker-archive:s:x.tar", &sp, &err), 0);
    assert_string_equal(sp.path, "s:x.tar");
    assert_int_equal(oci_spec_parse("docker://busybox", &sp, &err), -1);
    assert_int_equal(err.usage, 1);
    assert_non_null(strstr(err.msg, "docker://busybox"));
    assert_int_equal(oci_spec_parse("dir:", &sp, &err), -1);
}

/* User as the image's own files say, numbers taken as they are; an
 * absolute link to /etc/passwd resolves inside the rootfs, not on the host. */
static void test_user_resolve(void **state)
{
    char rootfs[128];
    unsigned uid = 0, gid = 0;
    struct vcb_err err = {0};
    snprintf(rootfs, sizeof(rootfs), "%s/users", root);
    assert_int_equal(
        sh("mkdir -p %s/etc %s/real && ln -s /real/passwd %s/etc/passwd && "
           "printf 'root:x:0:0::/:/bin/sh\napp:x:1234:2345::/:/bin/sh\n' > %s/real/passwd && "
           "printf 'apps:x:2345:\nother:x:77:\n' > %s/etc/group",
           rootfs, rootfs, rootfs, rootfs, rootfs),
        0);
    assert_int_equal(oci_user_resolve(rootfs, "app", &uid, &gid, &err), 0);
    assert_true(uid == 1234 && gid == 2345);
    assert_int_equal(oci_user_resolve(rootfs, "1234", &uid, &gid, &err), 0);
    assert_true(uid == 1234 && gid == 2345);
    assert_int_equal(oci_user_resolve(rootfs, "99", &uid, &gid, &err), 0);
    assert_true(uid == 99 && gid == 0);
    assert_int_equal(oci_user_resolve(rootfs, "app:other", &uid, &gid, &err), 0);
    assert_true(uid == 1234 && gid == 77);
    assert_int_equal(oci_user_resolve(rootfs, "5:6", &uid, &gid, &err), 0);
    assert_true(uid == 5 && gid == 6);
    assert_int_equal(oci_user_resolve(rootfs, "nobody", &uid, &gid, &err), -1);
    assert_int_equal(err.usage, 1);
    assert_non_null(strstr(err.msg, "no user 'nobody'"));
    assert_int_equal(oci_user_resolve(rootfs, "app:wheel", &uid, &gid, &err), -1);
    assert_non_null(strstr(err.msg, "no group 'wheel'"));
}

static void test_remove_needs_digits(void **state)
{
    struct vcb_err err = {0};
    assert_int_equal(wl_oci_remove("abc", &err), -1);
    assert_int_equal(err.usage, 1);
    assert_int_equal(wl_oci_remove("sha256:0123456789ab", &err), -1);
    assert_int_equal(err.usage, 1);
    assert_non_null(strstr(err.msg, "no imported image"));
}

int main(void)
{
    if (geteuid() != 0 || sh("command -v python3 >/dev/null") != 0) {
        printf("skip: needs root (owners kept) and python3 (the layouts)\n");
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spec_parse),
        cmocka_unit_test(test_absolute),
        cmocka_unit_test(test_dotdot),
        cmocka_unit_test(test_symlink_escape),
        cmocka_unit_test(test_through_symlink),
        cmocka_unit_test(test_hardlink_escape),
        cmocka_unit_test(test_hardlink_absolute),
        cmocka_unit_test(test_reserved),
        cmocka_unit_test(test_wrong_arch),
        cmocka_unit_test(test_too_big),
        cmocka_unit_test(test_digest_mismatch),
        cmocka_unit_test(test_missing_blob),
        cmocka_unit_test(test_corrupt_index),
        cmocka_unit_test(test_missing_tag),
        cmocka_unit_test(test_devices_skipped),
        cmocka_unit_test(test_platform_picked),
        cmocka_unit_test(test_layer_forms),
        cmocka_unit_test(test_user_resolve),
        cmocka_unit_test(test_remove_needs_digits),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
