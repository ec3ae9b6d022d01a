/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-net-run.c — the run's network namespace keeps its bridge's carrier
 * once the last container's veth is gone: passt (a VM's user-mode network,
 * started there) refuses a bridge without one ("External interface not
 * usable"), which a run reaches whenever its containers finish before a
 * VM starts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "vcb-tool.h"

static char run_id[VCB_RUN_ID_LEN + 1], path[128];

/* br0's flags, as `ip -o link show` prints them. */
static void br0_flags(char *out, size_t len)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "ip -n vcb-%s -o link show br0", run_id);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    out[0] = '\0';
    assert_non_null(fgets(out, (int)len, p));
    pclose(p);
}

static void test_carrier_kept_after_last_port(void **state)
{
    struct vcb_err err = {0};
    char flags[512];
    char *add[] = {"ip", "link", "add", "t0", "type", "veth", "peer", "name", "t1", NULL};
    char *master[] = {"ip", "link", "set", "t0", "master", "br0", "up", NULL};
    char *up[] = {"ip", "link", "set", "t1", "up", NULL};
    char *del[] = {"ip", "link", "del", "t0", NULL};
    if (bench_netns_make(run_id, &err) < 0)
        fail_msg("%s", err.msg);
    /* a container's veth comes and goes, as it does in a run */
    assert_int_equal(vcb_tool_run(path, add, &err), 0);
    assert_int_equal(vcb_tool_run(path, master, &err), 0);
    assert_int_equal(vcb_tool_run(path, up, &err), 0);
    assert_int_equal(vcb_tool_run(path, del, &err), 0);
    usleep(200 * 1000); /* the bridge updates its carrier from a work item */
    br0_flags(flags, sizeof flags);
    assert_null(strstr(flags, "NO-CARRIER"));
    assert_non_null(strstr(flags, "LOWER_UP"));
}

int main(void)
{
    if (geteuid() != 0 || !vcb_tool_in_path("ip"))
        return printf("skipped: needs root and ip (iproute2)\n"), 77;
    vcb_run_id_new(run_id);
    snprintf(path, sizeof path, "/run/netns/vcb-%s", run_id);
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_carrier_kept_after_last_port)};
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    bench_netns_remove(run_id);
    return rc;
}
