#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# netio and netflood through one arm and path (`net-launch.sh BACKEND
# [--net PATH]`): both exit 0 with sane figures, the path is named, the
# traffic never crosses the host's outside interface (its byte counters
# move by less than a tenth of what netio alone sent: traffic that left
# would move them by all of it), and nothing of the run stays.
set -u
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/net-lib.sh"
be=$1
shift
opts="$*"
helpers=$(net_helpers)

before=$(outside_bytes)
net_launch "$be" "$opts" netio --duration 1s
after=$(outside_bytes)
[ "$rc" = 0 ] || { printf '%s\n' "$out"; fail "netio exit $rc"; }
grep -q '^network: ' <<EOT || fail "no network path named"
$out
EOT
bytes=$(field stream_bytes) mbs=$(field stream_mb_per_s) rr=$(field rr_per_s)
p50=$(field rr_p50_ns) p99=$(field rr_p99_ns)
awk -v b="$bytes" -v m="$mbs" -v r="$rr" -v a="$p50" -v z="$p99" \
    'BEGIN{exit !(b > 1000000 && m > 0 && r > 0 && a > 0 && z >= a)}' ||
    fail "netio figures: bytes=$bytes MB/s=$mbs rr/s=$rr p50=$p50 p99=$p99"
moved=$((after - before))
[ "$moved" -lt $((bytes / 10)) ] ||
    fail "$outside_if moved $moved bytes while netio sent $bytes: traffic left the host?"
assert_net_clean "$run_id" "$helpers"

net_launch "$be" "$opts" netflood --duration 500ms --bytes 64MiB
[ "$rc" = 0 ] || { printf '%s\n' "$out"; fail "netflood exit $rc"; }
sent=$(field bytes)
awk -v b="$sent" 'BEGIN{exit !(b > 0 && b <= 64 * 1048576)}' || fail "netflood sent $sent bytes"
assert_net_clean "$run_id" "$helpers"
echo "ok: $be $* netio $mbs MB/s, $rr rr/s; $outside_if moved $moved bytes for $bytes sent"
