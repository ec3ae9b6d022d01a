#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# `vcbench launch --backend oci:RUNTIME` for every runtime installed (crun,
# runc): noop, cpu and idle run with their exit status, ready and results;
# the limits are the runtime's cgroup's (memory: memhog OOM-killed; pids:
# the forkbomb refused; cpus: the cpu workload throttled, cpu.stat says
# so); nothing is left after each. A runtime not installed and a malformed
# name are launch's own errors (125), each with its reason.
set -eu
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/oci-lib.sh"
own_run_root

launch() { # out-file args… → exit status in $rc
    rc=0
    "$VCBENCH" launch "$@" >"$out" 2>&1 || rc=$?
}

for rt in $runtimes; do
    be=oci:$rt out=$tmp/$rt.out
    launch --backend "$be" noop
    [ "$rc" = 0 ] || { cat "$out"; fail "$be noop: exit $rc"; }
    grep -q ' ready' "$out" || fail "$be noop: no ready event"
    grep -q 'result .*"workload":"noop"' "$out" || fail "$be noop: no result"
    grep -q 'gone .*exited 0 (status from @vcb exit' "$out" || fail "$be noop: GONE detail"
    assert_oci_clean "$(launch_run_id "$out")" "$be noop"

    launch --backend "$be" cpu -- --duration 300ms
    [ "$rc" = 0 ] || { cat "$out"; fail "$be cpu: exit $rc"; }
    grep -q 'result .*"workload":"cpu"' "$out" || fail "$be cpu: no result"

    launch --backend "$be" --stop-after 300ms idle # stopped: `RUNTIME kill ID TERM`
    [ "$rc" = 0 ] || { cat "$out"; fail "$be idle: exit $rc after the stop"; }
    grep -q ' ready' "$out" || { cat "$out"; fail "$be idle: not ready"; }
    grep -q ' gone ' "$out" || { cat "$out"; fail "$be idle: not gone after the stop"; }
    assert_oci_clean "$(launch_run_id "$out")" "$be idle"

    launch --backend "$be" --memory 64MiB --timeout 60s memhog
    [ "$rc" = 137 ] || { cat "$out"; fail "$be memhog: exit $rc, expected 137"; }
    grep -q ' gone .*killed by OOM' "$out" || { cat "$out"; fail "$be memhog: not OOM-killed"; }

    launch --backend "$be" --pids 20 forkbomb
    grep -q '"refused":true' "$out" || { cat "$out"; fail "$be forkbomb: not refused"; }

    # cpus: half a CPU for a busy second; the group's cpu.stat counts throttling
    "$VCBENCH" launch --backend "$be" --cpus 0.5 cpu -- --duration 2s >"$out" 2>&1 &
    lpid=$!
    stat=
    for _ in $(seq 1 50); do
        id=$(launch_run_id "$out")
        stat=$(ls -d "/sys/fs/cgroup/cpu/vcbench-oci/vcb-$id-1" \
            "/sys/fs/cgroup/vcbench-oci/vcb-$id-1" 2>/dev/null | head -n 1)
        [ -n "$id" ] && [ -n "$stat" ] && break
        sleep 0.1
    done
    [ -n "$stat" ] || fail "$be cpus: no cgroup under vcbench-oci/"
    quota=$(cat "$stat/cpu.cfs_quota_us" 2>/dev/null || cut -d' ' -f1 "$stat/cpu.max")
    [ "$quota" = 50000 ] || fail "$be cpus: quota $quota, expected 50000"
    sleep 1.2
    throttled=$(sed -n 's/^nr_throttled //p' "$stat/cpu.stat")
    wait "$lpid" || fail "$be cpus: launch exit $?"
    [ "${throttled:-0}" -gt 0 ] || fail "$be cpus: never throttled (nr_throttled ${throttled:-?})"
    echo "ok: $be (cpu.stat nr_throttled $throttled over 1.2 s)"
done

out=$tmp/nosuch.out
launch --backend oci:nosuch noop
[ "$rc" = 125 ] || fail "oci:nosuch: exit $rc, expected 125"
grep -q "runtime 'nosuch' not found in PATH" "$out" || { cat "$out"; fail "oci:nosuch: message"; }
assert_oci_clean "$(launch_run_id "$out")" "oci:nosuch"
for bad in oci: oci:../x oci:a/b; do
    launch --backend "$bad" noop
    [ "$rc" = 125 ] || fail "$bad: exit $rc, expected 125"
    grep -q "unknown backend '$bad'.*oci:RUNTIME" "$out" || { cat "$out"; fail "$bad: message"; }
done
rc=0
"$VCBENCH" run --suite quick --backends oci: --out "$tmp/x" >"$out" 2>&1 || rc=$?
[ "$rc" = 2 ] || { cat "$out"; fail "run --backends oci:: exit $rc, expected 2"; }
echo "ok:$runtimes"
