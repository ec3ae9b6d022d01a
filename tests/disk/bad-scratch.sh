#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Bad scratch requests get a clear error naming the option or the suite
# field and the usage status (launch: 125, as docker run; run: 2), with
# nothing made; a disk workload given no volume refuses with status 2.
set -eu
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/lib.sh"
ro=$tmp/ro
mkdir "$ro"
mount --bind "$ro" "$ro" && mount -o remount,bind,ro "$ro" || { echo "skip: no ro bind"; exit 77; }
trap 'umount "$ro" 2>/dev/null; rm -rf "$tmp" "$scr"' EXIT
runs_before=$(ls "$run_root" 2>/dev/null | grep -c '^vcb-' || true)

expect() { # status, message regex, command...
    want=$1 msg=$2
    shift 2
    rc=0
    "$@" >"$tmp/out" 2>&1 || rc=$?
    [ "$rc" = "$want" ] || { cat "$tmp/out"; fail "$*: exit $rc, expected $want"; }
    grep -Eq -e "$msg" "$tmp/out" || { cat "$tmp/out"; fail "$*: no message matching '$msg'"; }
}

L="$VCBENCH launch"
expect 125 "--scratch.*12XB" $L --scratch 12XB diskio
expect 125 "--scratch: .*4MiB to 1TiB" $L --scratch 1MiB --scratch-dir "$scr" diskio
expect 125 "--scratch-dir: .*not a writable directory.*Read-only" \
    $L --scratch 8MiB --scratch-dir "$ro" diskio
expect 125 "--scratch-dir: .*not a writable directory" \
    $L --scratch 8MiB --scratch-dir "$scr/none" diskio
expect 125 "--scratch-dir: .*tmpfs" $L --scratch 8MiB --scratch-dir /dev/shm diskio
expect 125 "--scratch-dir: .*bytes free" $L --scratch 1TiB --scratch-dir "$scr" diskio
expect 125 "writes to no scratch volume" $L --scratch 8MiB --scratch-dir "$scr" cpu
# no volume: the workload itself refuses, and launch passes its status on
expect 2 "exit +status 2" $L diskio
expect 2 "scratch volume .*(No such file|empty)" \
    env -u VCB_SCRATCH "$VCB_LIBEXEC_DIR/wl-diskio" --duration 1s
shm=$(mktemp /dev/shm/vcb-test.XXXXXX)
truncate -s 8M "$shm"
rc=0
"$VCB_LIBEXEC_DIR/wl-diskio" --device "$shm" --duration 1s >"$tmp/out" 2>&1 || rc=$?
rm -f "$shm"
[ "$rc" = 2 ] && grep -Eq "O_DIRECT" "$tmp/out" || fail "diskio on tmpfs: exit $rc, $(cat "$tmp/out")"

suite() { # scratch object → a suite file
    cat >"$tmp/s.json" <<JSON
{ "name": "bad", "backends": ["process"], "scratch": $1,
  "scenarios": [ { "type": "isolation", "victims": ["diskio"], "aggressors": ["diskhog"], "n": 1,
                   "duration": "1s" } ] }
JSON
    echo "$tmp/s.json"
}
R="$VCBENCH run --no-progress --out $tmp/res"
expect 2 "scratch.size" $R --suite "$(suite '{"size": "1MiB"}')"
expect 2 "scratch.size" $R --suite "$(suite '{"size": "lots"}')"
expect 2 "scratch.dir.*absolute" $R --suite "$(suite '{"dir": "var/tmp"}')"
expect 2 "scratch\.dir.*Read-only" $R --suite "$(suite "{\"dir\": \"$ro\"}")"
expect 2 "scratch\.dir.*bytes free" $R --suite "$(suite "{\"size\": \"1TiB\", \"dir\": \"$scr\"}")"
expect 2 "scratch.*unknown|scratch.*size" $R --suite "$(suite '{"bytes": "8MiB"}')"

assert_no_scratch
[ ! -e "$tmp/res/results.json" ] || fail "a results file was written"
[ -z "$(ls -A "$ro")" ] || fail "something was made in the read-only dir"
runs_after=$(ls "$run_root" 2>/dev/null | grep -c '^vcb-' || true)
[ "$runs_after" -le "$runs_before" ] || fail "a run dir was left behind"
echo "ok"
