#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# A PATH without pasta and passt: --net user and a VM's network workload
# are usage errors naming them (launch 125, run 2) before anything is made;
# a bad --net value names the option.
set -u
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/net-lib.sh"
mkdir "$tmp/bin"
for t in ip tc sysctl; do ln -s "$(command -v $t)" "$tmp/bin/$t"; done
cat >"$tmp/net.json" <<'JSON'
{ "name": "net", "backends": ["container"],
  "scenarios": [ { "type": "isolation", "victims": ["netio"], "aggressors": ["netflood"],
                   "n": 1, "duration": "200ms" } ] }
JSON
netns_before=$(ls /run/netns 2>/dev/null | wc -l)
runs_before=$(ls "$run_root" 2>/dev/null | wc -l)

out=$(PATH=$tmp/bin "$VCBENCH" launch --backend container --net user netio 2>&1)
rc=$?
[ "$rc" = 125 ] || fail "launch without pasta: exit $rc, expected 125"
printf '%s\n' "$out" | grep -q -- "--net user: pasta is not in PATH" || fail "launch: $out"

out=$(PATH=$tmp/bin "$VCBENCH" run --net user --suite "$tmp/net.json" --out "$tmp/r" 2>&1)
rc=$?
[ "$rc" = 2 ] || fail "run without pasta: exit $rc, expected 2"
printf '%s\n' "$out" | grep -q "pasta is not in PATH" || fail "run: $out"

if pgrep -x libvirtd >/dev/null; then # refused before any guest boots
    out=$(PATH=$tmp/bin "$VCBENCH" launch --backend vm netio 2>&1)
    rc=$?
    [ "$rc" = 125 ] || fail "vm launch without passt: exit $rc, expected 125"
    printf '%s\n' "$out" | grep -q "passt is not in PATH" || fail "vm launch: $out"
fi

out=$("$VCBENCH" launch --backend container --net wifi netio 2>&1)
rc=$?
[ "$rc" = 125 ] || fail "--net wifi: exit $rc, expected 125"
printf '%s\n' "$out" | grep -q -- '--net: "wifi" (expected bridge or user)' || fail "--net wifi: $out"

[ "$(ls /run/netns 2>/dev/null | wc -l)" = "$netns_before" ] || fail "a network namespace was made"
[ "$(ls "$run_root" 2>/dev/null | wc -l)" = "$runs_before" ] || fail "a run dir was left"
[ ! -e "$tmp/r/results.json" ] || fail "run made results"
echo "ok"
