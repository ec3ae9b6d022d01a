# common.sh — shared by the harness integration tests (sourced).
[ -n "${VCBENCH:-}" ] || { echo "skip: VCBENCH is not set (run through ctest)"; exit 77; }
[ "$(id -u)" = 0 ] || { echo "skip: needs root (run root and images under /run, /var/lib)"; exit 77; }
tmp=$(mktemp -d /tmp/vcb-bench-test.XXXXXX)
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

# Nothing of the run may stay in the run root.
assert_run_gone() {
    id=$(run_id_of "$1")
    [ -n "$id" ] || fail "no run id in $1"
    [ ! -e "$run_root/vcb-$id" ] || fail "run dir $run_root/vcb-$id left behind"
}
