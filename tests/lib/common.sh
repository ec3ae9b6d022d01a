# SPDX-License-Identifier: LGPL-2.1-or-later
# common.sh — shared by the root integration test scripts (sourced):
# skip rules, a temp dir removed on exit, fail(), and the check that a run
# left nothing behind.
[ -n "${VCBENCH:-}" ] || { echo "skip: VCBENCH is not set (run through ctest)"; exit 77; }
[ "$(id -u)" = 0 ] || { echo "skip: needs root (namespaces, cgroups, run dirs under /run)"; exit 77; }
tmp=$(mktemp -d /tmp/vcb-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
run_root=${VCB_RUN_DIR:-/run/vcbench}

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# The run id recorded in a results file.
run_id_of() {
    sed -n 's/.*"id": *"\([0-9a-f]\{8\}\)".*/\1/p' "$1" | head -n 1
}

# Nothing of the run in RESULTS may stay: run dir, cgroups, OCI runtime
# state, libvirt domains, qemu processes.
assert_nothing_left() {
    id=$(run_id_of "$1")
    [ -n "$id" ] || fail "no run id in $1"
    [ ! -e "$run_root/vcb-$id" ] || fail "run dir $run_root/vcb-$id left behind"
    left=$(find /sys/fs/cgroup -maxdepth 4 -type d -name "vcb-$id-*" 2>/dev/null | head -n 3)
    [ -z "$left" ] || fail "cgroups left behind: $left"
    for rt in /run/crun /run/runc; do
        ! ls "$rt" 2>/dev/null | grep -q "vcb-$id-" || fail "$rt state of vcb-$id-* left behind"
    done
    if command -v virsh >/dev/null 2>&1 && pgrep -x libvirtd >/dev/null; then
        dom=$(timeout 10 virsh -q -c qemu:///system list --all --name 2>/dev/null | grep "vcb-$id" || true)
        [ -z "$dom" ] || fail "libvirt domains left behind: $dom"
    fi
    ! pgrep -f "guest=vcb-$id-" >/dev/null || fail "a qemu of vcb-$id is still running"
}
