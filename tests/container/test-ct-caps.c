/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-ct-caps — the capability set: the default mask is Docker's/crun's 14
 * (CapEff 00000000a80425fb), and applying it in a child leaves exactly that in
 * the effective, permitted and bounding sets, nothing inheritable or ambient. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/wait.h>
#include <linux/capability.h>

#include <cmocka.h>

#include "container-priv.h"

static void test_default_mask(void **state)
{
    uint64_t m = ct_caps_default();
    assert_int_equal(m, 0xa80425fbULL);
    assert_int_equal(__builtin_popcountll(m), 14);
    assert_true(m & (1ULL << CAP_NET_BIND_SERVICE));
    assert_false(m & (1ULL << CAP_SYS_ADMIN));
    assert_false(m & (1ULL << CAP_SYS_MODULE));
    assert_false(m & (1ULL << CAP_SYS_PTRACE));
    assert_false(m & (1ULL << CAP_NET_ADMIN));
}

/* The hex value of "Key:" in /proc/self/status. */
static unsigned long long status_hex(const char *key)
{
    char line[256];
    unsigned long long v = ~0ULL;
    FILE *f = fopen("/proc/self/status", "r");
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, key, strlen(key)) == 0)
            sscanf(line + strlen(key), ":\t%llx", &v);
    if (f)
        fclose(f);
    return v;
}

static int child_check(void)
{
    struct vcb_err err = {0};
    uint64_t m = ct_caps_default();
    if (ct_caps_apply(m, &err) < 0)
        return 1;
    if (status_hex("CapEff") != m || status_hex("CapPrm") != m || status_hex("CapBnd") != m)
        return 2;
    if (status_hex("CapInh") != 0 || status_hex("CapAmb") != 0)
        return 3;
    return 0;
}

static void test_apply_in_child(void **state)
{
    if (geteuid() != 0 || status_hex("CapEff") != status_hex("CapBnd"))
        skip(); /* needs a full root capability set to start from */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(child_check());
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_mask),
        cmocka_unit_test(test_apply_in_child),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
