/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-vm-events.c — an instance's event queue without a libvirtd: the
 * lifecycle callback turns STOPPED into one GONE (stamped at the guest's
 * SHUTDOWN, named by libvirt's detail), console events after GONE are
 * dropped, GONE waits for the console stream to end (or a grace timer),
 * a lost libvirt connection ends the instance at once, and the event fd
 * polls readable while events wait. */
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "vm-priv.h"

static struct vm_instance *fake_instance(void)
{
    struct vcb_err err = {0};
    struct vm_instance *vi = calloc(1, sizeof *vi);
    assert_non_null(vi);
    vi->refs = 1;
    vi->efd = vi->lifecycle_id = vi->grace_timer = -1;
    pthread_mutex_init(&vi->lock, NULL);
    pthread_cond_init(&vi->cond, NULL);
    assert_int_equal(vcb_instance_base_init(&vi->base, &vm_driver, "vcb-0badcafe-1", 0, &err), 0);
    assert_int_equal(vm_events_init(vi, &err), 0);
    return vi;
}

static bool fd_readable(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    return poll(&p, 1, 0) == 1;
}

/* Next event's kind, or -1 if none by the deadline. */
static int next_kind(struct vm_instance *vi, uint64_t wait_ns, struct vcb_event *ev)
{
    struct vcb_err err = {0};
    uint64_t deadline = wait_ns ? vcb_now_ns() + wait_ns : 0;
    int rc = vm_next_event(&vi->base, deadline, ev, &err);
    assert_true(rc >= 0);
    return rc == 1 ? (int)ev->kind : -1;
}

static void push(struct vm_instance *vi, enum vcb_event_kind kind, int status)
{
    struct vcb_err err = {0};
    struct vcb_event ev = {.kind = kind, .host_ns = vcb_now_ns(), .status = status};
    pthread_mutex_lock(&vi->lock);
    vm_console_note_event_locked(vi, &ev);
    assert_int_equal(vm_queue_locked(vi, &ev, &err), 0);
    pthread_mutex_unlock(&vi->lock);
}

static void test_poweroff_after_exit(void **state)
{
    struct vm_instance *vi = fake_instance();
    struct vcb_event ev;
    assert_true(fd_readable(vi->efd)); /* CREATE waits */
    assert_int_equal(next_kind(vi, 0, &ev), VCB_EV_CREATE);
    assert_false(fd_readable(vi->efd));
    push(vi, VCB_EV_EXIT, 0);
    vm_lifecycle_cb(NULL, NULL, VIR_DOMAIN_EVENT_SHUTDOWN, 0, vi);
    uint64_t shutdown_ns = vi->shutdown_ns;
    vcb_sleep_ns(2 * VCB_NS_PER_MS);
    vm_lifecycle_cb(NULL, NULL, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN, vi);
    push(vi, VCB_EV_RESULT, 0); /* after GONE: dropped */
    assert_true(fd_readable(vi->efd));
    assert_int_equal(next_kind(vi, 0, &ev), VCB_EV_EXIT);
    assert_int_equal(next_kind(vi, 0, &ev), VCB_EV_GONE);
    assert_int_equal(ev.host_ns, shutdown_ns);
    assert_int_equal(ev.status, -1);
    assert_non_null(strstr(ev.detail, "poweroff (libvirt teardown +0.0"));
    assert_int_equal(next_kind(vi, 0, &ev), -1);
    assert_false(fd_readable(vi->efd));
    vm_instance_unref(vi);
}

static void test_stopped_details(void **state)
{
    const struct {
        int detail;
        bool exited;
        const char *want;
    } cases[] = {
        {VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN, false, "poweroff before @vcb exit"},
        {VIR_DOMAIN_EVENT_STOPPED_DESTROYED, true, "destroyed"},
        {VIR_DOMAIN_EVENT_STOPPED_CRASHED, false, "crashed"},
        {VIR_DOMAIN_EVENT_STOPPED_FAILED, false, "failed (qemu ended unexpectedly)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct vm_instance *vi = fake_instance();
        struct vcb_event ev;
        assert_int_equal(next_kind(vi, 0, &ev), VCB_EV_CREATE);
        vi->exited = cases[i].exited;
        vm_lifecycle_cb(NULL, NULL, VIR_DOMAIN_EVENT_STOPPED, cases[i].detail, vi);
        vm_lifecycle_cb(NULL, NULL, VIR_DOMAIN_EVENT_STOPPED, cases[i].detail, vi); /* once */
        assert_int_equal(next_kind(vi, 0, &ev), VCB_EV_GONE);
        assert_string_equal(ev.detail, cases[i].want);
        assert_int_equal(next_kind(vi, 0, &ev), -1);
        vm_instance_unref(vi);
    }
}

/* libvirtd went away: GONE at once, and nothing after it. */
static void test_connection_lost(void **state)
{
    struct vm_instance *vi = fake_instance();
    struct vcb_event ev;
    assert_int_equal(next_kind(vi, 0, &ev), VCB_EV_CREATE);
    vi->stream_cb = true; /* a dead connection ends the stream too: no grace wait */
    vm_conn_closed_cb(NULL, VIR_CONNECT_CLOSE_REASON_EOF, vi);
    vm_lifecycle_cb(NULL, NULL, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN, vi);
    assert_true(vi->conn_lost);
    assert_int_equal(next_kind(vi, 0, &ev), VCB_EV_GONE);
    assert_string_equal(ev.detail, "libvirt connection lost (domain state unknown)");
    assert_int_equal(next_kind(vi, 0, &ev), -1);
    vm_instance_unref(vi);
}

/* With the console stream still open, GONE waits for it to end, or for
 * the grace timer on the libvirt event loop. */
static void test_gone_waits_for_stream(void **state)
{
    struct vcb_err err = {0};
    assert_int_equal(vm_libvirt_init(&err), 0);
    struct vm_instance *vi = fake_instance();
    struct vcb_event ev;
    assert_int_equal(next_kind(vi, 0, &ev), VCB_EV_CREATE);
    vi->stream_cb = true;
    vm_lifecycle_cb(NULL, NULL, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN, vi);
    assert_int_equal(next_kind(vi, 0, &ev), -1);
    push(vi, VCB_EV_EXIT, 3); /* late console bytes still count, and name the end */
    assert_int_equal(next_kind(vi, 0, &ev), VCB_EV_EXIT);
    assert_int_equal(ev.status, 3);
    assert_int_equal(next_kind(vi, 5 * VCB_NS_PER_S, &ev), VCB_EV_GONE);
    assert_string_equal(ev.detail, "poweroff");
    vm_instance_unref(vi); /* the timer's reference goes on the loop thread */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_poweroff_after_exit),
        cmocka_unit_test(test_stopped_details),
        cmocka_unit_test(test_gone_waits_for_stream),
        cmocka_unit_test(test_connection_lost),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
