/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-image.c — SHA-256 vectors, the cpio writer checked by cpio(1), and
 * images: same bytes in rootfs and initramfs, hash stable and sensitive. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "cpio.h"
#include "image-key.h"
#include "sha256.h"
#include "wl-image.h"

#include "../lib/test-sh.h"

static char tmpdir[64];

static void sha_hex(const char *msg, char out[65])
{
    struct wl_sha256 s;
    wl_sha256_init(&s);
    wl_sha256_update(&s, msg, strlen(msg));
    wl_sha256_hex(&s, out);
}

static void test_sha256_vectors(void **state)
{
    char hex[65];
    sha_hex("", hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    sha_hex("abc", hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    sha_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* Our archive, listed and unpacked by GNU cpio, gives back what went in. */
static void test_cpio_roundtrip(void **state)
{
    if (sh("command -v cpio >/dev/null") != 0)
        skip();
    char path[128];
    struct vcb_err err = {0};
    struct wl_cpio c;
    snprintf(path, sizeof(path), "%s/t.cpio", tmpdir);
    assert_int_equal(wl_cpio_open(&c, path, &err), 0);
    assert_int_equal(wl_cpio_add_dir(&c, "bin", 0755, &err), 0);
    assert_int_equal(wl_cpio_add_file(&c, "bin/hello", 0755, "hello\n", 6, &err), 0);
    assert_int_equal(wl_cpio_add_file(&c, "odd", 0644, "abc", 3, &err), 0);
    assert_int_equal(wl_cpio_add_file(&c, "empty", 0600, "", 0, &err), 0);
    assert_int_equal(wl_cpio_finish(&c, &err), 0);
    assert_int_equal(sh("cd %s && cpio -t --quiet < t.cpio > list.txt && "
                        "printf 'bin\\nbin/hello\\nodd\\nempty\\n' | cmp -s - list.txt",
                        tmpdir),
                     0);
    assert_int_equal(sh("mkdir %s/x && cd %s/x && cpio -id --quiet < ../t.cpio && "
                        "printf 'hello\\n' | cmp -s - bin/hello && printf abc | cmp -s - odd && "
                        "test ! -s empty && test -x bin/hello && test \"$(stat -c %%a odd)\" = 644",
                        tmpdir, tmpdir),
                     0);
}

static void write_fake_binaries(const char *libexec, const char *init_text)
{
    struct vcb_err err = {0};
    char p[256];
    assert_int_equal(vcb_mkdir_p(libexec, 0755, &err), 0);
    snprintf(p, sizeof(p), "%s/vcb-init", libexec);
    assert_int_equal(vcb_write_file(p, init_text, strlen(init_text), &err), 0);
    snprintf(p, sizeof(p), "%s/wl-noop", libexec);
    assert_int_equal(vcb_write_file(p, "noop-binary", 11, &err), 0);
}

static void test_image_build(void **state)
{
    char libexec[128], state_dir[128];
    struct vcb_err err = {0};
    snprintf(libexec, sizeof(libexec), "%s/libexec", tmpdir);
    snprintf(state_dir, sizeof(state_dir), "%s/state", tmpdir);
    setenv("VCB_LIBEXEC_DIR", libexec, 1);
    setenv("VCB_STATE_DIR", state_dir, 1);
    write_fake_binaries(libexec, "init-v1");
    struct wl_image a, b, c;
    assert_int_equal(wl_image_build("noop", &a, &err), 0);
    assert_false(a.cached);
    assert_int_equal(wl_image_build("noop", &b, &err), 0);
    assert_true(b.cached);
    assert_string_equal(a.hash, b.hash); /* stable */
    /* rootfs and initramfs hold the same bytes */
    assert_int_equal(sh("mkdir %s/u && cd %s/u && cpio -id --quiet < %s && diff -r %s . >/dev/null",
                        tmpdir, tmpdir, a.initramfs, a.rootfs),
                     0);
    write_fake_binaries(libexec, "init-v2");
    assert_int_equal(wl_image_build("noop", &c, &err), 0);
    assert_false(c.cached);
    assert_string_not_equal(a.hash, c.hash); /* sensitive to content */
    /* bad input: a clear usage error, nothing made */
    assert_int_equal(wl_image_build("nosuch", &c, &err), -1);
    assert_int_equal(err.usage, 1);
    assert_non_null(strstr(err.msg, "unknown workload 'nosuch'"));
    /* a missing binary fails cleanly and leaves no temp dir behind */
    assert_int_equal(wl_image_build("idle", &c, &err), -1);
    assert_int_equal(sh("ls -A %s/images | grep -q tmp", state_dir), 256);
}

/* The memo of an image's hash is trusted only for its sources' exact
 * identity, never for a source changed within the last two seconds. */
static void test_image_key_memo(void **state)
{
    char libexec[128], state_dir[128], memo[256], src[2][256], id[1024], id2[1024], hash[65];
    struct vcb_err err = {0};
    bool racy;
    snprintf(libexec, sizeof(libexec), "%s/keylibexec", tmpdir);
    snprintf(state_dir, sizeof(state_dir), "%s/keystate", tmpdir);
    snprintf(memo, sizeof(memo), "%s/images/.key-noop", state_dir);
    snprintf(src[0], sizeof(src[0]), "%s/vcb-init", libexec);
    snprintf(src[1], sizeof(src[1]), "%s/wl-noop", libexec);
    const char *const sources[] = {src[0], src[1]};
    setenv("VCB_LIBEXEC_DIR", libexec, 1);
    setenv("VCB_STATE_DIR", state_dir, 1);
    write_fake_binaries(libexec, "init-k1");

    /* just written: racy, so a build leaves no memo */
    assert_int_equal(wl_key_identity(sources, 2, id, sizeof(id), &racy), 0);
    assert_true(racy);
    struct wl_image a, b, c;
    assert_int_equal(wl_image_build("noop", &a, &err), 0);
    assert_int_equal(access(memo, F_OK), -1);

    /* settled: the build writes the memo, and the memo is what a build trusts */
    sleep(2);
    assert_int_equal(wl_key_identity(sources, 2, id, sizeof(id), &racy), 0);
    assert_false(racy);
    assert_int_equal(wl_image_build("noop", &b, &err), 0);
    assert_true(b.cached);
    assert_true(wl_key_recall(memo, id, hash));
    assert_string_equal(hash, a.hash);
    write_fake_binaries(libexec, "init-k2"); /* another image to point the memo at */
    assert_int_equal(wl_image_build("noop", &c, &err), 0);
    assert_string_not_equal(c.hash, a.hash);
    sleep(2);
    assert_int_equal(wl_key_remember(memo, id, c.hash, &err), 0); /* stale identity */
    assert_int_equal(wl_key_identity(sources, 2, id2, sizeof(id2), &racy), 0);
    assert_string_not_equal(id, id2); /* a rewrite moves the identity */
    assert_false(wl_key_recall(memo, id2, hash));
    assert_int_equal(wl_key_remember(memo, id2, a.hash, &err), 0);
    assert_true(wl_key_recall(memo, id2, hash));
    assert_int_equal(wl_image_build("noop", &b, &err), 0);
    assert_string_equal(b.hash, a.hash); /* trusted: the sources were not hashed */

    /* a memo cut short or naming no hash is not trusted */
    assert_int_equal(vcb_write_file(memo, id2, strlen(id2), &err), 0);
    assert_false(wl_key_recall(memo, id2, hash));
    assert_int_equal(wl_image_build("noop", &b, &err), 0);
    assert_string_equal(b.hash, c.hash); /* hashed again: the sources' real image */
}

static int setup(void **state)
{
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/vcb-imgtest-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    return vcb_rm_rf(tmpdir, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_vectors),
        cmocka_unit_test(test_cpio_roundtrip),
        cmocka_unit_test(test_image_build),
        cmocka_unit_test(test_image_key_memo),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
