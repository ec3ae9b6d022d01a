#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Bad options: exit 2 with a message naming the option, nothing made.
set -eu
. "$(dirname "$0")/../lib/common.sh"
before=$(ls "$run_root" 2>/dev/null | wc -l)
expect2() {
    rc=0
    "$VCBENCH" peers "$@" --out "$tmp/out" >/dev/null 2>"$tmp/err" || rc=$?
    [ "$rc" = 2 ] || fail "peers $*: exit $rc, expected 2"
    grep -q -- "$1" "$tmp/err" || fail "peers $*: message does not name $1: $(cat "$tmp/err")"
}
expect2 --only foo
expect2 --runs 0
expect2 --runs 12x
expect2 --machines sparc
expect2 --accel maybe
expect2 --ksm maybe
[ ! -e "$tmp/out" ] || fail "results dir made for bad input"
[ "$(ls "$run_root" 2>/dev/null | wc -l)" = "$before" ] || fail "run dir made for bad input"
"$VCBENCH" peers --help | grep -q -- "--vm-runs" || fail "--help does not list --vm-runs"
"$VCBENCH" peers --help | grep -q -- "--ksm M .*host" || fail "--help does not list --ksm"
echo ok
