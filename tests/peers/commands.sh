#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# --only names the whole-command rows: vcbench launch (a sample counts only
# when it exited 0 after the workload's exit event; the checker wants every
# sample counted), vcbench --version and --help, and
# /bin/true; each is timed as a whole command and the differences to
# /bin/true come with their CI and target; nothing is left behind.
set -eu
check=$1
. "$(dirname "$0")/../lib/common.sh"
"$VCBENCH" peers --only vcbench-launch,vcbench-version,vcbench-help,true --runs 4 --warmup 1 \
    --out "$tmp/out" --no-progress >"$tmp/stdout" 2>"$tmp/stderr" ||
    { cat "$tmp/stderr"; fail "vcbench peers exited $?"; }
"$check" "$tmp/out/results.json" complete 4 0 vcbench-launch,vcbench-version,vcbench-help,true "" \
    'vcbench-version - true=5,vcbench-help - true=5' || fail "peers results wrong"
for p in launcher crun clone-floor; do
    grep -q "^$p " "$tmp/stdout" && fail "$p ran though --only left it out"
done
grep -q "^true  *whole command " "$tmp/stdout" || fail "no /bin/true row"
# Its notes: our own binary's launch command line, marked ours, a whole command.
if command -v jq >/dev/null 2>&1; then
    jq -e '.results[] | select(.backend == "vcbench-launch") | .notes
           | (.command | test("/vcbench launch --backend container noop$"))
             and .ours and .timed == "whole command"' "$tmp/out/results.json" >/dev/null ||
        fail "vcbench-launch: command, ours or timed wrong"
fi
assert_nothing_left "$tmp/out/results.json"
echo ok
