# SPDX-License-Identifier: LGPL-2.1-or-later
# net-lib.sh — shared by the network tests (sourced after common.sh): one
# launch of a network workload, its result fields, the host's outside
# interface counters, and what a network run must not leave behind.

# The interface of the host's default route (eth0 here): no packet of ours
# may cross it.
outside_if=$(ip route show default 2>/dev/null | awk '{print $5; exit}')
[ -n "$outside_if" ] || { echo "skip: no default route, no outside interface to watch"; exit 77; }
outside_bytes() {
    s=/sys/class/net/$outside_if/statistics
    echo $(($(cat "$s/tx_bytes") + $(cat "$s/rx_bytes")))
}

# net_launch BACKEND "LAUNCH OPTIONS" WORKLOAD [args...] → $out, $rc, $run_id
net_launch() {
    be=$1 opts=$2 wl=$3
    shift 3
    # shellcheck disable=SC2086 # the options are words
    out=$("$VCBENCH" launch --backend "$be" --timeout 120s $opts "$wl" -- "$@" 2>&1)
    rc=$?
    run_id=$(sed -n 's/^launch .* as vcb-\([0-9a-f]\{8\}\)-1 .*/\1/p' <<EOT | head -n 1
$out
EOT
)
}

# The number after "key": in the workload's result line.
field() {
    printf '%s\n' "$out" | grep '"workload"' | sed -n 's/.*"'"$1"'":\([0-9.e+-]*\).*/\1/p' | tail -n 1
}

# Processes of ours that serve a run's traffic: the peers and pasta.
net_helpers() {
    pgrep -f 'wl-netio --serve|^pasta ' | wc -l
}

# Nothing of run $1 in the network: its namespaces (the run's, a
# container's named for pasta), and no more helpers than $2.
assert_net_clean() {
    left=$(ls /run/netns 2>/dev/null | grep "^vcb-$1" || true)
    [ -z "$left" ] || fail "network namespaces left behind: $left"
    [ "$(net_helpers)" -le "$2" ] || fail "peers or pasta left running: $(pgrep -af 'wl-netio --serve|^pasta ')"
}
