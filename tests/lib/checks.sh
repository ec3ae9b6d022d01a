# SPDX-License-Identifier: LGPL-2.1-or-later
# checks.sh — sourced by the test scripts that make many small checks: a
# temp dir (removed on exit) with the run root inside it, `check NAME CMD…`
# counting passes and failures, and `checks_done` to report and set the status.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export VCB_RUN_DIR=$tmp/run
fails=0 passes=0
check() {
    local n=$1
    shift
    if "$@"; then passes=$((passes + 1)); else echo "FAIL: $n"; fails=$((fails + 1)); fi
}
checks_done() {
    echo "$passes passed, $fails failed"
    [ $fails = 0 ]
}
