#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The command-line conventions users bring from docker, podman and virsh:
# -V/--version; global flags before or after the command; -c/--connect and
# $LIBVIRT_DEFAULT_URI (an explicit --vm-uri still wins); --cpuset-cpus and
# --pids-limit; one spelling per flag across commands (-o/--out, -q/--quiet,
# --accel auto|kvm|tcg); launch's own errors exit 125; --help says which size
# suffixes are powers of 1000 and which of 1024.
set -u
vcbench=${VCBENCH:?VCBENCH must name the vcbench binary}
. "$(dirname "$0")/../lib/checks.sh"
v() { out=$("$vcbench" "$@" 2>&1); rc=$?; } # → $out, $rc
has() { grep -qF -- "$1" <<<"$out"; }
rc_has() { [ "$rc" = "$1" ] && has "$2"; } # exit status and a piece of the output

# --- version, global flags after the command ---------------------------------
v -V; short=$out
check "-V: exit 0" [ $rc = 0 ]
check "-V: 'vcbench <version> <git describe>'" grep -qE '^vcbench [0-9]+\.[0-9]+\.[0-9]+ [0-9a-z.-]+$' <<<"$short"
v --version
check "--version says what -V says" [ "$out" = "$short" ]
v doctor -V
check "-V after the command" [ "$rc:$out" = "0:$short" ]
v launch --backend process noop --verbose
check "--verbose after the command: the command still runs" rc_has 0 "create→ready"
v launch --backend process noop -- -v
check "after --, -v is the workload's (noop takes no arguments: its own exit 2)" [ $rc = 2 ]

# --- libvirt URI: -c/--connect, $LIBVIRT_DEFAULT_URI, --vm-uri ---------------
v -c bogus:///before cleanup --dry-run
check "-c before the command reaches libvirt" has "bogus:///before"
v cleanup --dry-run -c bogus:///after
check "-c after the command too" has "bogus:///after"
v cleanup --dry-run --connect=bogus:///eq
check "--connect=URI" has "bogus:///eq"
out=$(LIBVIRT_DEFAULT_URI=bogus:///env "$vcbench" cleanup --dry-run 2>&1)
check "\$LIBVIRT_DEFAULT_URI is honoured" has "bogus:///env"
out=$(LIBVIRT_DEFAULT_URI=bogus:///env "$vcbench" cleanup --dry-run --vm-uri bogus:///opt 2>&1)
check "--vm-uri beats \$LIBVIRT_DEFAULT_URI" eval 'has bogus:///opt && ! has bogus:///env'
v cleanup -c
check "-c without a URI: bad input (2)" rc_has 2 "-c: expected a libvirt URI"
v launch noop -c
check "launch -c without a URI: 125" [ $rc = 125 ]

# --- docker's spellings, launch's exit status ----------------------------------
v launch --pids-limit many noop
check "--pids-limit: exit 125 naming it" rc_has 125 '--pids-limit: "many" is not a whole number'
if [ "$(id -u)" = 0 ]; then
    v launch --backend container --cpuset-cpus 0 --pids-limit 64 noop
    check "--cpuset-cpus and --pids-limit run a container" rc_has 0 "create→ready"
fi
v launch --backend process cpu -- --no-such-flag
check "the workload's own status (2) passes through" [ $rc = 2 ]
# vcb-init killed before it could report an exit status: 128+9, as docker run.
"$vcbench" launch --backend process idle >"$tmp/idle.out" 2>&1 &
launch_pid=$!
for _ in $(seq 100); do grep -q ' ready' "$tmp/idle.out" && break; sleep 0.1; done
kill -9 "$(pgrep -P "$launch_pid" -x init | head -n 1)" # vcb-init, not the run's guard
wait "$launch_pid"; rc=$?
check "an instance killed by SIGKILL: 137" [ $rc = 137 ]

# --- one spelling per flag ------------------------------------------------------
for cmd in run peers demo report; do
    v "$cmd" --help
    check "$cmd --help: -o, --out" has "-o, --out"
done
for cmd in run peers report; do
    v "$cmd" --help
    check "$cmd --help: -q, --quiet" has "-q, --quiet"
done
for cmd in launch run peers; do
    v "$cmd" --help
    check "$cmd --help: --accel auto|kvm|tcg" grep -qE -- '--accel (A|auto\|kvm\|tcg)' <<<"$out"
    check "$cmd --help: -c URI" has "-c"
done
v fleet --help
check "fleet --help: -o, --out and -q, --quiet" eval 'has "-o, --out" && has "-q, --quiet"'
v run -q -o "$tmp/o" --accel auto --suite nosuch
check "run takes -q, -o, --accel auto (then fails on the suite)" rc_has 2 "no suite named 'nosuch'"
v peers -q -o "$tmp/o" --accel auto --runs 0
check "peers takes -q, -o, --accel auto (then fails on --runs)" rc_has 2 "--runs: expected"
v report -q --out "$tmp/rep" "$tmp/none.json"
check "report takes --out" rc_has 2 "$tmp/none.json"
v demo -o ""
check "demo takes -o" rc_has 2 "--out: expected a directory"
check "nothing written by refused commands" [ "$(ls -A "$tmp" | grep -cx 'o\|rep')" = 0 ]

# --- size suffixes in --help -----------------------------------------------------
for args in "--help" "launch --help"; do
    out=$("$vcbench" $args 2>&1)
    check "vcbench $args: which suffixes are powers of 1024" has "are powers of 1024"
    check "vcbench $args: which are powers of 1000" has "kB, MB, GB, TB are powers of 1000"
done

checks_done
