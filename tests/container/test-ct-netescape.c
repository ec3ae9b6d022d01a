/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-ct-netescape — the network walls, from inside: a container on the
 * bridge path (a veth into the run's own namespace) and on the user path
 * (pasta, whose outside is that namespace too) tries to connect to the
 * host's own addresses, where this test listens; neither may get through.
 * The same attacker run on the host reaches the listener, so the check can
 * fail. Nothing is ever sent off this machine: the targets are the host's
 * own addresses. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ct-test.h"
#include "harness.h"
#include "vcb-tool.h"

#define MAX_TARGETS 8

static struct ct_test_env env;
static int listener = -1;
static char targets[MAX_TARGETS][64], netns[64];
static char *target_args[MAX_TARGETS + 1];

/* A listener on every host address, and the targets: its port on each
 * IPv4 address of the host's own namespace, loopback included. */
static int listen_everywhere(void)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_ANY)};
    socklen_t len = sizeof sa;
    struct ifaddrs *ifs = NULL;
    size_t n = 0;
    listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (listener < 0 || bind(listener, (struct sockaddr *)&sa, sizeof sa) < 0 ||
        listen(listener, 16) < 0 || getsockname(listener, (struct sockaddr *)&sa, &len) < 0 ||
        getifaddrs(&ifs) < 0)
        return -1;
    for (struct ifaddrs *i = ifs; i && n < MAX_TARGETS; i = i->ifa_next) {
        char a[INET_ADDRSTRLEN];
        if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET || !(i->ifa_flags & IFF_UP))
            continue;
        inet_ntop(AF_INET, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, a, sizeof a);
        snprintf(targets[n], sizeof targets[n], "%s:%u", a, ntohs(sa.sin_port));
        target_args[n] = targets[n];
        n++;
    }
    freeifaddrs(ifs);
    target_args[n] = NULL;
    return n ? 0 : -1;
}

/* Connections waiting on the listener, taken and counted. */
static unsigned accepted(void)
{
    unsigned n = 0;
    struct pollfd p = {.fd = listener, .events = POLLIN};
    while (poll(&p, 1, 100) == 1) {
        int fd = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0)
            break;
        close(fd);
        n++;
    }
    return n;
}

/* The attacker on the given path; returns how many targets it reached. */
static unsigned attack_from_container(enum vcb_net_path path)
{
    struct vcb_instance_spec spec;
    struct ct_test_events evs = {0};
    struct vcb_err err = {0};
    ct_test_spec(&env, &spec, "netescape", target_args);
    spec.net = (struct vcb_net_spec){.path = path, .run_netns = netns, .index = env.next};
    snprintf(spec.net.addr, sizeof spec.net.addr, "10.213.0.%u", 10 + env.next);
    struct vcb_instance *inst = ct_test_run(&spec, &evs, &err);
    if (!inst)
        fail_msg("%s", err.msg);
    json_t *j = ct_test_result(&evs);
    assert_non_null(j);
    json_int_t tried = json_integer_value(json_object_get(j, "tried"));
    json_int_t reached = json_integer_value(json_object_get(j, "reached"));
    printf("# %s path: tried %lld, reached %lld, last error: %s\n",
           path == VCB_NET_USER ? "user" : "bridge", (long long)tried, (long long)reached,
           json_string_value(json_object_get(j, "last_error")));
    assert_true(tried >= 2); /* loopback and at least one other address */
    json_decref(j);
    ct_test_events_clear(&evs);
    vcb_instance_destroy(inst);
    return (unsigned)reached;
}

/* The control: the same attacker on the host reaches the listener. */
static void test_host_reaches_listener(void **state)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, STDOUT_FILENO);
        execv(CT_NETESCAPE, (char *[]){"netescape", targets[0], targets[1], NULL});
        _exit(127);
    }
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    assert_true(accepted() >= 1);
}

static void test_bridge_path_walled(void **state)
{
    assert_int_equal(attack_from_container(VCB_NET_BRIDGE), 0);
    assert_int_equal(accepted(), 0);
}

static void test_user_path_walled(void **state)
{
    if (!vcb_tool_in_path("pasta"))
        skip();
    assert_int_equal(attack_from_container(VCB_NET_USER), 0);
    assert_int_equal(accepted(), 0);
}

int main(void)
{
    char why[256], bin[PATH_MAX + 16];
    struct vcb_err err = {0};
    if (geteuid() != 0 || !vcb_tool_in_path("ip"))
        return printf("skipped: needs root and ip (iproute2)\n"), 77;
    if (listen_everywhere() < 0 || !targets[1][0])
        return printf("skipped: no IPv4 address besides loopback to aim at\n"), 77;
    if (ct_test_env_make(&env, why, sizeof why) != 0)
        return printf("skipped: %s\n", why), 77;
    snprintf(bin, sizeof bin, "%s/bin/netescape", env.rootfs);
    bench_netns_name(env.run_id, netns, sizeof netns);
    if (vcb_copy_file(CT_NETESCAPE, bin, 0755, &err) < 0 ||
        bench_netns_make(env.run_id, &err) < 0) {
        printf("skipped: %s\n", err.msg);
        ct_test_env_remove(&env);
        bench_netns_remove(env.run_id);
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_host_reaches_listener),
        cmocka_unit_test(test_bridge_path_walled),
        cmocka_unit_test(test_user_path_walled),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    bench_netns_remove(env.run_id);
    ct_test_env_remove(&env);
    return rc;
}
