# common.sh — shared by the peers integration tests (sourced).
[ -n "${VCBENCH:-}" ] || { echo "skip: VCBENCH is not set (run through ctest)"; exit 77; }
[ "$(id -u)" = 0 ] || { echo "skip: needs root (namespaces, cgroups, images under /var/lib)"; exit 77; }
tmp=$(mktemp -d /tmp/vcb-peers-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
run_root=${VCB_RUN_DIR:-/run/vcbench}

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

run_id_of() {
    sed -n 's/.*"id": *"\([0-9a-f]\{8\}\)".*/\1/p' "$1" | head -n 1
}

# Nothing of the run may stay: run dir, cgroups, OCI runtime state, qemu.
assert_clean() {
    id=$(run_id_of "$1")
    [ -n "$id" ] || fail "no run id in $1"
    [ ! -e "$run_root/vcb-$id" ] || fail "run dir $run_root/vcb-$id left behind"
    left=$(find /sys/fs/cgroup -maxdepth 4 -type d -name "vcb-$id-*" 2>/dev/null | head -n 3)
    [ -z "$left" ] || fail "cgroups left behind: $left"
    for rt in /run/crun /run/runc; do
        ! ls "$rt" 2>/dev/null | grep -q "vcb-$id-" || fail "$rt state of vcb-$id-* left behind"
    done
    ! pgrep -f "guest=vcb-$id-" >/dev/null || fail "a qemu of vcb-$id is still running"
}
