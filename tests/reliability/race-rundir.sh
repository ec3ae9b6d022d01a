#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# race-rundir.sh — `vcbench cleanup` while a run is making its run dir. The
# run's flock is held back 2 s by strace's fault injection (no test-only
# code in vcbench), and cleanup runs again and again meanwhile. Before its
# lock is held the run dir must not be visible under its real name
# (vcb-<id>): only the hidden one it is made under; cleanup must take
# nothing of the run, and the run must end well with nothing left.
set -u
. "$(dirname "$0")/lib.sh"
need_vcbench
need_root
command -v strace >/dev/null || skip "strace missing (it delays the run's flock)"
private_run_root

# (LeakSanitizer cannot run under ptrace: off for this one in an ASan build.)
ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" \
    strace -f -qq -o /dev/null -e trace=flock -e inject=flock:delay_enter=2000000 \
    "$VCBENCH" launch --backend process noop >"$tmp/launch.out" 2>&1 &
run_pid=$!
seen_hidden=0
for _ in $(seq 1 40); do # 2 s of delay, looked at every 50 ms
    grep -q 'ready' "$tmp/launch.out" && break
    ls -A "$run_root" >"$tmp/ls"
    grep -q '^\.vcb-[0-9a-f]\{8\}\.new$' "$tmp/ls" && seen_hidden=1
    for d in "$run_root"/vcb-*; do
        [ -e "$d/lock" ] && flock -n "$d/lock" true 2>/dev/null &&
            fail "$d is visible before its lock is held"
    done
    [ -s "$tmp/ls" ] && { "$VCBENCH" cleanup >>"$tmp/cleanup.out" 2>&1 || fail "cleanup: exit $?"; }
    sleep 0.05
done
wait_exit "$run_pid" 30
[ "$exit_rc" = 0 ] || { cat "$tmp/launch.out"; fail "launch: exit $exit_rc, expected 0"; }
grep -q 'gone *exited 0' "$tmp/launch.out" || { cat "$tmp/launch.out"; fail "launch did not end well"; }
grep -q '^removed [1-9]' "$tmp/cleanup.out" && { cat "$tmp/cleanup.out"; fail "cleanup removed something"; }
left=$(ls -A "$run_root")
[ -z "$left" ] || fail "left in the run root: $left"
echo "ok: cleanup ran $(grep -c '^removed 0 items' "$tmp/cleanup.out") times while the run made its dir; nothing taken, nothing left"
