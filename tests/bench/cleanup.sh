#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# vcbench cleanup removes a planted stale run dir (its lock is free), keeps
# a live one (its lock is held), says what it removed and a total; --dry-run
# removes nothing.
set -eu
. "$(dirname "$0")/../lib/common.sh"
command -v flock >/dev/null || { echo "skip: flock(1) missing"; exit 77; }
stale=$run_root/vcb-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
live=$run_root/vcb-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
mkdir -p "$stale" "$live"
: >"$stale/lock"
echo log >"$stale/vcb-x-1.log"
: >"$live/lock"
exec 9>"$live/lock" # this shell holds the live run's lock, as a run would
flock -n 9 || fail "cannot lock $live/lock"
trap 'exec 9>&-; rm -rf "$tmp" "$live"' EXIT
"$VCBENCH" cleanup --dry-run >"$tmp/dry" 9>&-
grep -qF "would remove run dir $stale" "$tmp/dry" || { cat "$tmp/dry"; fail "dry run: not listed"; }
[ -d "$stale" ] || fail "dry run removed it"
"$VCBENCH" cleanup >"$tmp/out" 9>&-
grep -qF "removed run dir $stale" "$tmp/out" || { cat "$tmp/out"; fail "stale run dir not reported"; }
grep -q "^removed [0-9]* item" "$tmp/out" || fail "no total"
[ ! -e "$stale" ] || fail "stale run dir still there"
[ -d "$live" ] || fail "live run dir removed"
grep -qF "$live" "$tmp/out" && fail "live run reported"
echo "ok"
