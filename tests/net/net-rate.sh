#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# --net-rate: a container on the bridge path streams at most about the rate
# (tc tbf on its veth), far below its unlimited figure; where no rate can
# be applied (user-mode paths, a VM) it is a usage error, not dropped.
set -u
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/net-lib.sh"

net_launch container "" netio --duration 1s
[ "$rc" = 0 ] || { printf '%s\n' "$out"; fail "unlimited netio exit $rc"; }
free=$(field stream_mb_per_s)
net_launch container "--net-rate 2MB" netio --duration 2s
[ "$rc" = 0 ] || { printf '%s\n' "$out"; fail "limited netio exit $rc"; }
limited=$(field stream_mb_per_s)
awk -v l="$limited" -v f="$free" 'BEGIN{exit !(l > 0 && l <= 2.5 && f > 3 * l)}' ||
    fail "--net-rate 2MB: $limited MB/s (unlimited $free MB/s)"

expect_refused() { # what, message pattern, launch options...
    what=$1 pattern=$2
    shift 2
    out=$("$VCBENCH" launch "$@" netio 2>&1)
    rc=$?
    [ "$rc" = 125 ] || fail "$what: exit $rc, expected 125"
    printf '%s\n' "$out" | grep -q -- "$pattern" || fail "$what: no '$pattern' in: $out"
}
expect_refused "rate on pasta" "bridge path only" --backend container --net user --net-rate 2MB
expect_refused "rate too small" "out of range" --backend container --net-rate 100
if pgrep -x libvirtd >/dev/null; then # refused before any guest boots
    expect_refused "rate on a VM" "tap-based interfaces only" --backend vm --net-rate 2MB
fi
echo "ok: unlimited $free MB/s, --net-rate 2MB $limited MB/s"
