#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# What a remote libvirt URI cannot do, refused clearly and with nothing
# left on either side: an unreachable host (an ssh destination where
# nothing listens) fails fast naming the host, and so does a host that
# answers ssh but has no libvirt; --scratch and a network
# workload need this host's files and are refused as bad input (launch's
# 125, run's 2) naming the option or suite field and the URI, before
# anything is made.
set -u
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/sshd.sh"
command -v virsh >/dev/null && pgrep -x libvirtd >/dev/null ||
    { echo "skip: no libvirtd or virsh"; exit 77; }
command -v strace >/dev/null || { echo "skip: strace missing (it shows nothing is made)"; exit 77; }
sshd_start
V() { virsh -q -c qemu:///system "$@"; }
pool_before=$(V pool-list --all --name | grep -cx vcbench)

# Nothing of launch's run id may stay: run dir, domain, scratch dir, netns.
nothing_of() { # run id, what
    [ -n "$1" ] || fail "$2: no run id in the output"
    [ ! -e "$run_root/vcb-$1" ] || fail "$2: run dir $run_root/vcb-$1 left"
    ! V list --all --name | grep -q "^vcb-$1-" || fail "$2: a domain of vcb-$1 left"
    ! ls -d /var/tmp/vcb-"$1".scratch 2>/dev/null || fail "$2: scratch dir of vcb-$1 left"
    ! ip netns list 2>/dev/null | grep -q "vcb-$1" || fail "$2: netns vcb-$1 left"
    [ "$(V pool-list --all --name | grep -cx vcbench)" = "$pool_before" ] ||
        fail "$2: the pool vcbench was made or removed"
}
run_id() { sed -n 's/^launch [a-z]* as vcb-\([0-9a-f]*\)-1 .*/\1/p' "$1"; }

# --- an unreachable host -----------------------------------------------------------
t0=$(date +%s%N)
"$VCBENCH" -c qemu+ssh://root@vcb-refused/system launch --backend vm noop >"$tmp/o" 2>"$tmp/e"
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
[ $rc = 125 ] || fail "unreachable host: exit $rc, expected 125"
grep -q "qemu+ssh://root@vcb-refused/system: connect (is that host reachable" "$tmp/e" ||
    fail "unreachable host: the error does not name it: $(cat "$tmp/e")"
[ $ms -lt 15000 ] || fail "unreachable host: took $ms ms"
nothing_of "$(run_id "$tmp/o")" "unreachable host"
echo "ok: unreachable host refused in $ms ms: $(cat "$tmp/e")"

# --- a host that answers ssh but has no libvirt -------------------------------------
# The URI's netcat (what libvirt runs there to reach libvirtd's socket when
# virt-ssh-helper is not used) does not exist there: as on a host where
# libvirt is not installed.
nolv="qemu+ssh://root@vcb-b/system?proxy=netcat&netcat=/nonexistent/nc"
"$VCBENCH" -c "$nolv" launch --backend vm noop >"$tmp/o" 2>"$tmp/e"
rc=$?
[ $rc = 125 ] || fail "host without libvirt: exit $rc, expected 125"
grep -q "qemu+ssh://root@vcb-b/system?.*: connect (is that host reachable, and libvirtd running there?)" "$tmp/e" ||
    fail "host without libvirt: the error does not name it: $(cat "$tmp/e")"
nothing_of "$(run_id "$tmp/o")" "host without libvirt"
echo "ok: host without libvirt: $(cat "$tmp/e")"

# --- what needs this host's files ---------------------------------------------------
# Refused while the options or the suite are read, before anything is made:
# traced (mkdir, exec, unshare), no run dir under the command's own run
# root is ever made, no scratch directory, no network namespace (ip netns
# add), and launch never got as far as naming its instance.
refused() { # what, expected exit, command...
    what=$1 want=$2
    shift 2
    # LeakSanitizer cannot run under ptrace: off for the traced run in an ASan
    # build; the same command runs again untraced, where it is on.
    ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" VCB_RUN_DIR=$tmp/runs \
        strace -f -qq -o "$tmp/trace" -e trace=mkdir,mkdirat,execve,unshare \
        "$@" >"$tmp/o" 2>"$tmp/e"
    rc=$?
    [ $rc = "$want" ] || fail "$what: exit $rc, expected $want: $(cat "$tmp/e")"
    VCB_RUN_DIR=$tmp/runs2 "$@" >/dev/null 2>"$tmp/e2"
    rc=$?
    [ $rc = "$want" ] || fail "$what, untraced: exit $rc, expected $want: $(cat "$tmp/e2")"
    rm -rf "$tmp/runs2"
    made=$(grep -E "$tmp/runs|\.scratch|\"netns\", \"add\"|CLONE_NEWNET" "$tmp/trace")
    [ -z "$made" ] || fail "$what: made before refusing: $made"
    ! grep -q "^launch " "$tmp/o" || fail "$what: launch began: $(cat "$tmp/o")"
    [ ! -e "$tmp/runs" ] || fail "$what: its run root $tmp/runs was made"
    ! grep -q uploading "$tmp/e" || fail "$what: uploaded before refusing"
}

refused --scratch 125 "$VCBENCH" -c "$SSHD_URI" launch --backend vm --scratch 32MiB diskio
grep -q -- "--scratch: the VM's scratch volume needs this host's files; a remote libvirt host ($SSHD_URI" "$tmp/e" ||
    fail "--scratch: $(cat "$tmp/e")"
echo "ok: $(cat "$tmp/e")"

refused netio 125 "$VCBENCH" -c "$SSHD_URI" launch --backend vm netio
grep -q "network workload netio: .* needs this host's files; a remote libvirt host ($SSHD_URI" "$tmp/e" ||
    fail "netio: $(cat "$tmp/e")"
echo "ok: $(cat "$tmp/e")"

# The same through $LIBVIRT_DEFAULT_URI, named the same way.
refused "\$LIBVIRT_DEFAULT_URI" 125 env LIBVIRT_DEFAULT_URI="$SSHD_URI" \
    "$VCBENCH" launch --backend vm --scratch 32MiB diskio
grep -q -- "--scratch: .*($SSHD_URI, from --connect or \$LIBVIRT_DEFAULT_URI)" "$tmp/e" ||
    fail "\$LIBVIRT_DEFAULT_URI: $(cat "$tmp/e")"
echo "ok"

# `vcbench run`: a usage error (2) naming the suite and its field before
# the run begins, not a DNF per instance: no run dir, no results.
cat >"$tmp/disk.json" <<JSON
{ "name": "disk", "backends": ["process", "vm"], "scratch": { "size": "32MiB" },
  "scenarios": [ { "type": "isolation", "victims": ["diskio"], "aggressors": ["diskhog"],
                   "n": 2, "duration": "1s" } ] }
JSON
refused "run, scratch" 2 "$VCBENCH" -c "$SSHD_URI" run --suite "$tmp/disk.json" \
    --out "$tmp/out-disk" --no-progress
grep -q -- "$tmp/disk.json: scratch.size: the VM's scratch volume needs this host's files; a remote libvirt host ($SSHD_URI" "$tmp/e" ||
    fail "run, scratch: $(cat "$tmp/e")"
[ ! -e "$tmp/out-disk" ] || fail "run, scratch: results made: $(ls "$tmp/out-disk")"
echo "ok: $(cat "$tmp/e")"

cat >"$tmp/net.json" <<JSON
{ "name": "net", "backends": ["process", "vm"],
  "scenarios": [ { "type": "boot", "workload": "netio", "n": 1 } ] }
JSON
refused "run, netio" 2 "$VCBENCH" -c "$SSHD_URI" run --suite "$tmp/net.json" \
    --out "$tmp/out-net" --no-progress
grep -q "$tmp/net.json: network workload netio: .* needs this host's files; a remote libvirt host ($SSHD_URI" "$tmp/e" ||
    fail "run, netio: $(cat "$tmp/e")"
[ ! -e "$tmp/out-net" ] || fail "run, netio: results made: $(ls "$tmp/out-net")"
echo "ok: $(cat "$tmp/e")"
