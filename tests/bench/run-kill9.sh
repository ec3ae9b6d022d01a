#!/bin/sh
# kill -9 of `vcbench run` in the middle (density under way: many instances
# alive), then `vcbench cleanup`: the run's dir, cgroups, mounts and
# instances are all gone, and the results file is valid JSON holding what
# had finished. Once per backend (process, and container where it works).
set -eu
check=$1
. "$(dirname "$0")/../lib/common.sh"
backends=process
if "$VCBENCH" launch --backend container noop >/dev/null 2>&1; then
    backends="process container"
fi
cat >"$tmp/long.json" <<'JSON'
{ "name": "long", "limits": { "container": { "memory": "64MiB", "pids": 64 } },
  "scenarios": [ { "type": "boot", "n": 2 },
                 { "type": "density", "instances_max": 200, "floor": "1GiB",
                   "settle": "100ms" } ] }
JSON

# No instance of ours whose run is gone may be left: orphaned process-backend
# instances (parent 1, executable in our image store).
assert_no_orphans() {
    images=${VCB_STATE_DIR:-/var/lib/vcbench}/images/
    for p in /proc/[0-9]*; do
        exe=$(readlink "$p/exe" 2>/dev/null || true)
        case $exe in "$images"*/rootfs/*)
            ppid=$(sed 's/.*) //' "$p/stat" 2>/dev/null | cut -d' ' -f2)
            [ "$ppid" != 1 ] || fail "orphaned instance left: ${p#/proc/} $exe" ;;
        esac
    done
}

kill_and_clean() { # backend
    out=$tmp/out-$1
    "$VCBENCH" run --suite "$tmp/long.json" --backends "$1" --out "$out" --no-progress \
        >/dev/null 2>"$tmp/err" &
    pid=$!
    for _ in $(seq 1 300); do # until boot is saved and density under way
        grep -q '"scenario"' "$out/results.json" 2>/dev/null && break
        sleep 0.1
    done
    sleep 3
    kill -9 "$pid"
    wait "$pid" 2>/dev/null || true
    id=$(run_id_of "$out/results.json")
    [ -d "$run_root/vcb-$id" ] || fail "$1: the killed run left no run dir (id $id)"
    "$check" "$out/results.json" killed boot || fail "$1: results invalid after kill -9"
    "$VCBENCH" cleanup >"$tmp/cleanup" || fail "$1: cleanup exited $?"
    sed "s/^/  $1: /" "$tmp/cleanup"
    grep -qF "removed run dir $run_root/vcb-$id" "$tmp/cleanup" || fail "$1: run dir not reported"
    [ ! -e "$run_root/vcb-$id" ] || fail "$1: run dir still there"
    left=$(find /sys/fs/cgroup -maxdepth 4 -name "vcb-$id-*" 2>/dev/null | head -n 3)
    [ -z "$left" ] || fail "$1: cgroups left: $left"
    ! grep -q "vcb-$id-" /proc/self/mountinfo || fail "$1: mounts left"
    assert_no_orphans
}

for b in $backends; do
    kill_and_clean "$b"
done
echo "ok ($backends)"
