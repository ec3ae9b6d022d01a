# SPDX-License-Identifier: LGPL-2.1-or-later
# lib.sh — shared by the reliability tests (sourced): skip rules, a private
# run root, what vcbench leaves on the host, and the malformed input files.

skip() {
    echo "skip: $*"
    exit 77
}
fail() {
    echo "FAIL: $*" >&2
    exit 1
}

need_vcbench() {
    [ -n "${VCBENCH:-}" ] && [ -x "$VCBENCH" ] || skip "VCBENCH is not set (run through ctest)"
    tmp=$(mktemp -d /tmp/vcb-rel.XXXXXX)
    trap 'rm -rf "$tmp"' EXIT
    run_root=${VCB_RUN_DIR:-/run/vcbench}
}

# A private run root: whatever appears there was made by this test. Only for
# tests that never call `vcbench cleanup`: cleanup takes a run whose run dir
# it cannot see for dead, so it would tear down other runs' instances.
private_run_root() {
    export VCB_RUN_DIR="$tmp/run"
    run_root=$VCB_RUN_DIR
    mkdir -p "$VCB_RUN_DIR"
}

need_libvirt() {
    command -v virsh >/dev/null || skip "virsh missing"
    timeout 10 virsh -q -c qemu:///system version >/dev/null 2>&1 || skip "libvirtd not reachable"
    [ -e /var/lib/vcbench/kernel/vmlinuz ] || skip "no guest kernel (run scripts/setup)"
}

need_root() {
    [ "$(id -u)" = 0 ] || skip "needs root (cgroups, mounts, namespaces)"
}

# Every vcb-* cgroup of vcbench, v1 hierarchies and v2 alike, sorted.
vcb_cgroups() {
    for d in /sys/fs/cgroup/vcbench /sys/fs/cgroup/*/vcbench; do
        [ -d "$d" ] && find "$d" -mindepth 1 -maxdepth 1 -type d -name 'vcb-*'
    done 2>/dev/null | sort
}

# vcb_cgroups of real runs (vcb-<8 hex>-<n>) that no live run owns: other
# sessions' live runs and unit tests' made-up names are not counted.
vcb_run_cgroups() {
    vcb_cgroups | while read -r cg; do
        id=$(basename "$cg" | sed -n 's/^vcb-\([0-9a-f]\{8\}\)-[0-9]*$/\1/p')
        [ -n "$id" ] || continue
        lock=/run/vcbench/vcb-$id/lock
        [ -e "$lock" ] && ! flock -n "$lock" true 2>/dev/null && continue
        echo "$cg"
    done
}

# Mounts whose path names a run (vcb-<id>), optionally only run $1.
vcb_mounts() {
    awk -v id="${1:-}" '$5 ~ ("vcb-" id) {print $5}' /proc/self/mountinfo
}

# Libvirt domains of run $1 (none when virsh or libvirtd is missing).
vcb_domains() {
    command -v virsh >/dev/null || return 0
    timeout 10 virsh -q -c qemu:///system list --all --name 2>/dev/null | grep "^vcb-$1" || true
}

# Processes still running from the run's image (vcb-init, workloads).
vcb_procs() {
    pgrep -f "vcb-$1" 2>/dev/null | grep -v "^$$\$" || true
}

# Is $1 a results file that `report` and `compare` accept? compare loads both
# sides fully (exit 0 or 1); 2 means it could not load one.
results_valid() {
    rc=0
    "$VCBENCH" compare "$1" "$1" >/dev/null 2>"$tmp/results_valid.err" || rc=$?
    [ "$rc" -le 1 ] || { cat "$tmp/results_valid.err" >&2; return 1; }
}

# The malformed suites and results files, each with one thing wrong, in $tmp/bad.
make_bad_files() {
    B=$tmp/bad
    mkdir -p "$B/notreport"
    touch "$B/notreport/keep"
    boot='{"type": "boot"}'
    printf '{"name": "x",' >"$B/trunc.json"
    printf '{"name": "x", "name": "y", "scenarios": [%s]}' "$boot" >"$B/dup.json"
    printf '[]' >"$B/array.json"
    printf '{"name": "x", "scenarios": [{"type": "boot", "n": "many"}]}' >"$B/type-n.json"
    printf '{"name": "x", "colour": 1, "scenarios": [%s]}' "$boot" >"$B/key.json"
    printf '{"name": "x", "scenarios": [{"type": "boot", "warmpu": 1}]}' >"$B/skey.json"
    printf '{"name": "x", "scenarios": [{"type": "boot", "workload": "nosuch"}]}' >"$B/wl.json"
    printf '{"name": "x", "scenarios": [{"type": "warp"}]}' >"$B/scen.json"
    printf '{"name": "x", "scenarios": [{"n": 3}]}' >"$B/notype.json"
    printf '{"name": "x", "scenarios": [{"type": "isolation", "victims": ["noop"], "aggressors": ["cpu"]}]}' \
        >"$B/victim.json"
    printf '{"name": "x", "scenarios": [{"type": "memory", "alloc": "12XB"}]}' >"$B/size.json"
    printf '{"name": "x", "timeouts": {"ready": "soon"}, "scenarios": [%s]}' "$boot" >"$B/dur.json"
    printf '{"name": "x", "timeouts": {"ready": "0s"}, "scenarios": [%s]}' "$boot" >"$B/zero.json"
    printf '{"name": "x", "limits": {"process": {"cpus": 1}}, "scenarios": [%s]}' "$boot" \
        >"$B/proclim.json"
    printf '{"name": "x", "limits": {"container": {"cpuset": "0-x"}}, "scenarios": [%s]}' "$boot" \
        >"$B/cpuset.json"
    printf '{"name": "x", "limits": {"container": {"memory": 0}}, "scenarios": [%s]}' "$boot" \
        >"$B/mem0.json"
    printf '{"name": "x", "limits": {"container": {"cpuset": ""}}, "scenarios": [%s]}' "$boot" \
        >"$B/cpuset0.json"
    printf '{"name": "x", "scenarios": [{"type": "memory", "alloc": 0}]}' >"$B/alloc0.json"
    printf '{"name": "x", "backends": ["process", "xen"], "scenarios": [%s]}' "$boot" >"$B/backend.json"
    printf '{"name": "x", "scenarios": []}' >"$B/empty.json"
    printf '{"name": "x", "scenarios": [{"type": "boot", "n": 5, "max_n": 2}]}' >"$B/maxn.json"
    printf '{"scenarios": [%s]}' "$boot" >"$B/noname.json"
    make_bad_results "$B"
    mkdir -p "$B/prior" # an earlier run's results, for run --out
    cp "$good" "$B/prior/results.json"
}

# Results files: a minimal valid one with one field broken at a time.
make_bad_results() {
    metric='{"name": "create_to_ready", "unit": "%s", "samples": [%s]%s}'
    # result UNIT SAMPLES SUMMARY HOST
    result() {
        m=$(printf "$metric" "$1" "$2" "$3")
        printf '{"schema": "vcbench-results/1", "host": {%s}, "results": [{"scenario": "boot", "backend": "process", "params": {}, "metrics": [%s]}]}' \
            "$4" "$m"
    }
    printf '{"schema":' >"$1/r-trunc.json"
    printf '{"schema": "vcbench-results/9", "results": []}' >"$1/r-schema.json"
    printf '{"schema": "vcbench-results/1", "results": {}}' >"$1/r-results.json"
    result parsecs '1, 2, 3' '' '' >"$1/r-unit.json"
    result ns '1, -5, 3' '' '' >"$1/r-neg.json"
    result ns '1e300' '' '' >"$1/r-huge.json"
    result ns '1, 2, 3' ', "summary": {"median": 2, "ci95_lo": 3, "ci95_hi": 1}' '' >"$1/r-ci.json"
    result ns '1, 2, 3' '' '"accel": "warp"' >"$1/r-accel.json"
    printf '{"schema": "vcbench-results/1", "results": [{"scenario": "boot", "params": {}}]}' \
        >"$1/r-nobackend.json"
}

# ---- fault tests: runs started in a tracking cgroup --------------------------
# vcbench and every process it forks start in a cgroup of this test, so a
# process that outlives the run (an orphaned workload) is found there even
# when its name says nothing. Container instances move to their own vcb-*
# cgroups, which vcb_cgroups sees.
track_init() {
    track=""
    for d in /sys/fs/cgroup/pids /sys/fs/cgroup/unified /sys/fs/cgroup; do
        if [ -w "$d/cgroup.procs" ] && mkdir "$d/vcbench-reltest-$$" 2>/dev/null; then
            track=$d/vcbench-reltest-$$
            break
        fi
    done
    [ -n "$track" ] || skip "no cgroup hierarchy to track processes in"
    trap 'track_done; rm -rf "$tmp"' EXIT
}

# Remove the tracking cgroup; a process killed just now may take a moment to go.
track_done() {
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        rmdir "$track" 2>/dev/null && return 0
        sleep 0.2
    done
    echo "warning: $track still holds: $(cat "$track/cgroup.procs" 2>/dev/null)" >&2
}

track_procs() {
    cat "$track/cgroup.procs" 2>/dev/null
}

# start_run SUITE OUT [ARGS...]: vcbench run in the background; sets run_pid
# and run_err (its stderr, kept in $tmp: OUT may be unwritable).
start_run() {
    suite=$1 out=$2
    shift 2
    run_err=$tmp/$(basename "$out").stderr
    sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' sh "$track" \
        "$VCBENCH" run --suite "$suite" --out "$out" --no-progress "$@" \
        >"$tmp/$(basename "$out").stdout" 2>"$run_err" &
    run_pid=$!
}

# The run id, once results.json exists (written before the first scenario).
wait_run_id() {
    for _ in $(seq 1 300); do
        id=$(sed -n 's/.*"id": *"\([0-9a-f]\{8\}\)".*/\1/p' "$1/results.json" 2>/dev/null | head -n 1)
        [ -n "$id" ] && { echo "$id"; return 0; }
        kill -0 "$run_pid" 2>/dev/null || break
        sleep 0.1
    done
    cat "$run_err" >&2
    fail "no run id in $1/results.json"
}

# Wait (up to $2 s) until the run has an instance in a cgroup or a domain:
# mid-scenario.
wait_instance() {
    n=$(($2 * 10))
    for _ in $(seq 1 "$n"); do
        vcb_cgroups | grep -q "/vcb-$1-" && return 0
        [ -n "$(vcb_domains "$1")" ] && return 0
        sleep 0.1
    done
    fail "run $1: no container or VM instance appeared within $2 s"
}

# Wait (up to $2 s) until run $1 has a process-backend instance running: a
# process of the run (in the tracking cgroup) running a binary of an image
# (a boot's noop lives for milliseconds: look often, and cheaply).
wait_process_instance() {
    n=$(($2 * 50))
    for _ in $(seq 1 "$n"); do
        for p in $(track_procs); do
            case $(readlink "/proc/$p/exe" 2>/dev/null) in */images/*/rootfs/*) return 0 ;; esac
        done
        sleep 0.02
    done
    cat "$run_err" >&2
    fail "run $1: no process-backend instance appeared within $2 s (run alive: $(kill -0 "$run_pid" 2>/dev/null && echo yes || echo no))"
}

# The instance `vcbench launch` (its output in file $1) started, once it is
# ready: prints vcb-<id>-1, or fails within 10 s.
launch_ready_name() {
    for _ in $(seq 1 100); do
        name=$(sed -n 's/.* as \(vcb-[0-9a-f]\{8\}-1\) .*/\1/p' "$1")
        [ -n "$name" ] && grep -q ' ready' "$1" && { echo "$name"; return 0; }
        sleep 0.1
    done
    cat "$1" >&2
    fail "launch did not get ready"
}

# Nothing of run $1 may be left: cgroups, mounts, domains, run dir, processes.
assert_no_leftovers() {
    left=""
    cg=$(vcb_cgroups | grep "/vcb-$1-") && left="$left cgroups: $cg;"
    mnt=$(vcb_mounts "$1") && [ -n "$mnt" ] && left="$left mounts: $mnt;"
    dom=$(vcb_domains "$1") && [ -n "$dom" ] && left="$left domains: $dom;"
    [ -e "$run_root/vcb-$1" ] && left="$left run dir $run_root/vcb-$1;"
    qemu=$(pgrep -f "guest=vcb-$1-" 2>/dev/null) && left="$left qemu: $qemu;"
    procs=$(track_procs) && [ -n "$procs" ] &&
        left="$left processes: $(for p in $procs; do tr '\0' ' ' <"/proc/$p/cmdline"; echo; done 2>/dev/null);"
    [ -z "$left" ] || fail "${2:-run $1}: left behind:$left"
}

# Wait up to $2 s for every trace of run $1 to go by itself (a killed run's
# guard removing it, libvirt destroying its domains), then assert it.
wait_no_leftovers() {
    n=$(($2 * 10))
    for _ in $(seq 1 "$n"); do
        (assert_no_leftovers "$1" "$3") >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    assert_no_leftovers "$1" "$3"
}

# Wait for our child $1 up to $2 s; sets exit_rc, or fails on a hang. (A
# dead child stays a zombie until waited for, so kill -0 alone cannot tell:
# the poll looks at its state.)
wait_exit() {
    n=$(($2 * 10))
    for _ in $(seq 1 "$n"); do
        state=$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$1/status" 2>/dev/null)
        [ -z "$state" ] || [ "$state" = Z ] && break
        sleep 0.1
    done
    if [ -n "$state" ] && [ "$state" != Z ]; then
        kill -9 "$1"
        fail "pid $1 still running after $2 s"
    fi
    exit_rc=0
    wait "$1" || exit_rc=$?
    # Under an ASan/UBSan build of vcbench, a report on any path is a failure.
    if grep -l 'Sanitizer\|runtime error:' "$tmp"/*.stderr 2>/dev/null; then
        fail "sanitizer report (above files)"
    fi
}

# Run dirs under the run root whose lock nobody holds (a live run holds its
# lock, so another session's live runs are not counted).
stale_run_dirs() {
    for d in "$run_root"/vcb-*; do
        [ -d "$d" ] || continue
        if [ ! -e "$d/lock" ] || flock -n "$d/lock" true 2>/dev/null; then
            echo "$d"
        fi
    done | sort
}
