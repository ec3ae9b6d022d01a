# SPDX-License-Identifier: LGPL-2.1-or-later
# oci-lib.sh — shared by the OCI backend's tests (sourced after common.sh):
# the runtimes installed here, and the check that an instance left nothing
# with a runtime: no container in vcbench's state roots, no cgroup under
# vcbench-oci/, no bundle in the run dir.
runtimes=
for rt in crun runc; do
    command -v "$rt" >/dev/null 2>&1 && runtimes="$runtimes $rt"
done
[ -n "$runtimes" ] || { echo "skip: neither crun nor runc is installed"; exit 77; }

# A run root (and so OCI state roots) of the test's own: `vcbench cleanup`
# then looks at this test's runs only.
own_run_root() {
    export VCB_RUN_DIR=$tmp/runs
    mkdir -p "$VCB_RUN_DIR"
    run_root=$VCB_RUN_DIR
}

# Containers of run $1 in any state root, cgroups and bundles of it.
assert_oci_clean() { # run-id what
    for root in "$run_root"/oci/*/; do
        [ -d "$root" ] || continue
        ! ls "$root" | grep -q "^vcb-$1-" || fail "$2: a container of run $1 in $root"
    done
    left=$(find /sys/fs/cgroup -maxdepth 4 -type d -path "*vcbench-oci/vcb-$1-*" 2>/dev/null | head -n 3)
    [ -z "$left" ] || fail "$2: cgroups left: $left"
    ! ls -d "$run_root/vcb-$1"/*.oci >/dev/null 2>&1 || fail "$2: a bundle left in $run_root/vcb-$1"
}

# The run id launch printed ("launch noop as vcb-1a2b3c4d-1 (…)").
launch_run_id() {
    sed -n 's/^launch .* as vcb-\([0-9a-f]\{8\}\)-[0-9]* .*/\1/p' "$1" | head -n 1
}
