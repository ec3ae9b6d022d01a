#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Peers that are not installed (crun, bwrap hidden from PATH) are skipped
# with a line saying so and a "not installed" DNF; the others still run.
set -eu
check=$1
. "$(dirname "$0")/../lib/common.sh"
mkdir "$tmp/bin"
for t in sh umount unshare true runc; do
    p=$(command -v "$t") || { echo "skip: $t not installed"; exit 77; }
    ln -s "$p" "$tmp/bin/$t"
done
PATH=$tmp/bin "$VCBENCH" peers --only containers --runs 2 --warmup 0 --out "$tmp/out" \
    --no-progress >"$tmp/stdout" 2>"$tmp/stderr" || { cat "$tmp/stderr"; fail "exited $?"; }
"$check" "$tmp/out/results.json" complete 2 0 launcher,runc,unshare,clone-floor,spawn crun,bwrap ||
    fail "peers results wrong"
grep -q "^crun .*not installed" "$tmp/stdout" || fail "no line saying crun is not installed"
grep -q "^bwrap .*not installed" "$tmp/stdout" || fail "no line saying bwrap is not installed"
assert_nothing_left "$tmp/out/results.json"
echo ok
