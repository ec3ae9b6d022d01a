#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Bad input is rejected before anything starts: exit 2, a message naming the
# file, the field and what was expected, no results dir and no run dir made.
set -eu
. "$(dirname "$0")/../lib/common.sh"
before=$(ls "$run_root" 2>/dev/null | grep -c '^vcb-' || true)
printf '{"name": "b", "scenarios": [{"type": "boot", "n": "many"}]}' >"$tmp/bad.json"
rc=0
"$VCBENCH" run --suite "$tmp/bad.json" --out "$tmp/out" 2>"$tmp/err" || rc=$?
[ "$rc" = 2 ] || fail "bad suite: exit $rc, expected 2"
grep -qF "$tmp/bad.json: scenarios[0].n: expected an integer from 1 to 100000, got a string" \
    "$tmp/err" || { cat "$tmp/err"; fail "bad suite: message"; }
[ ! -e "$tmp/out" ] || fail "bad suite: results dir made"
rc=0
"$VCBENCH" run --suite quick --backends process,xen --out "$tmp/out" 2>"$tmp/err" || rc=$?
[ "$rc" = 2 ] || fail "bad backend: exit $rc, expected 2"
grep -qF "unknown backend 'xen'" "$tmp/err" || fail "bad backend: message"
rc=0
"$VCBENCH" run --suite nosuch 2>"$tmp/err" || rc=$?
[ "$rc" = 2 ] || fail "unknown suite: exit $rc"
rc=0
"$VCBENCH" run --frobnicate 2>"$tmp/err" || rc=$?
[ "$rc" = 2 ] || fail "unknown option: exit $rc"
after=$(ls "$run_root" 2>/dev/null | grep -c '^vcb-' || true)
[ "$after" -le "$before" ] || fail "a run dir was made for bad input"
"$VCBENCH" run --help | grep -q -- "--suite" || fail "run --help"
"$VCBENCH" cleanup --help | grep -q -- "--dry-run" || fail "cleanup --help"
echo "ok"
