# SPDX-License-Identifier: LGPL-2.1-or-later
# daemons.sh — sourced by scripts/setup: virtlogd + libvirtd up, and a clean
# libvirtd restart when something it caches changed. Where systemd is PID 1
# its socket units do it; elsewhere (containers, CI runners) plain daemons.

libvirt_sock=/run/libvirt/libvirt-sock

have_systemd() { [ -d /run/systemd/system ]; }

# The pid of the running libvirtd (its pid file, checked), or nothing.
libvirtd_pid() {
    local pid
    pid=$(cat /run/libvirtd.pid 2>/dev/null || true)
    if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = libvirtd ]; then
        echo "$pid"
        return
    fi
    pgrep -x libvirtd | head -n 1 || true
}

# wait_for_libvirtd OLD_PID: a new libvirtd that listens on its socket.
wait_for_libvirtd() {
    local old=$1 pid
    for _ in $(seq 100); do
        pid=$(libvirtd_pid)
        if [ -n "$pid" ] && [ "$pid" != "$old" ] && [ -S $libvirt_sock ]; then return 0; fi
        sleep 0.2
    done
    echo "setup: libvirtd did not come up on $libvirt_sock within 20 s" >&2
    return 1
}

daemons_start() {
    if have_systemd; then
        systemctl start virtlogd.socket libvirtd.socket
        echo "virtlogd and libvirtd sockets started (systemd)"
        return
    fi
    pgrep -x virtlogd >/dev/null || virtlogd -d
    [ -n "$(libvirtd_pid)" ] || { libvirtd -d && wait_for_libvirtd ""; }
    echo "virtlogd and libvirtd running"
}

# Stop libvirtd, wait for it to be gone, start it again. Running domains
# survive: libvirtd reconnects to their qemu processes.
libvirtd_restart() {
    local pid
    if have_systemd; then
        systemctl try-restart libvirtd.service
        echo "libvirtd restarted (systemd)"
        return
    fi
    pid=$(libvirtd_pid)
    [ -n "$pid" ] || return 0
    kill -TERM "$pid"
    for _ in $(seq 150); do
        [ -e "/proc/$pid" ] || break
        sleep 0.2
    done
    if [ -e "/proc/$pid" ]; then
        echo "setup: libvirtd ($pid) did not stop within 30 s of SIGTERM; left running" >&2
        return 1
    fi
    pgrep -x virtlogd >/dev/null || virtlogd -d
    libvirtd -d
    wait_for_libvirtd "$pid"
    echo "libvirtd restarted (pid $pid → $(libvirtd_pid)) so it sees the change"
}
