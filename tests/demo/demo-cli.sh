#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# vcbench demo's command line: --help, bad input exits 2 and starts nothing.
set -eu
. "$(dirname "$0")/../lib/common.sh"

"$VCBENCH" demo --help >"$tmp/help" || fail "--help exited $?"
grep -q "usage: vcbench demo" "$tmp/help" || fail "--help: no usage line"
grep -q -- "--no-pause" "$tmp/help" || fail "--help: --no-pause not described"

expect_usage() { # args...
    rc=0
    "$VCBENCH" demo "$@" --out "$tmp/bad" </dev/null >"$tmp/out" 2>"$tmp/err" || rc=$?
    [ "$rc" = 2 ] || { cat "$tmp/out" "$tmp/err"; fail "demo $*: exit $rc, expected 2"; }
    [ -s "$tmp/err" ] || fail "demo $*: no message"
    [ ! -e "$tmp/bad" ] || fail "demo $*: left $tmp/bad behind"
}
expect_usage --bogus
expect_usage --backends
expect_usage --backends process,warp
expect_usage --backends process,process
expect_usage stray-argument
echo "ok"
