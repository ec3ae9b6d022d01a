#!/bin/sh
# fault-unwritable.sh — the results directory cannot take the results: (1) a
# read-only filesystem, (2) a full one (a tmpfs filled up). Each run must end
# with a clear error naming results.json and the cause (exit 1), the earlier
# results.json there must be byte for byte what it was (never truncated), no
# temporary file may be left beside it, and nothing of the run may remain.
# Root bypasses permission bits, so only a read-only or full mount can refuse.
set -u
. "$(dirname "$0")/lib.sh"
need_vcbench
need_root
track_init
fixture=${1:?usage: fault-unwritable.sh EARLIER_RESULTS.json}
mnt=$tmp/mnt
mkdir -p "$mnt"
mount -t tmpfs -o size=1m,mode=0755 vcb-reltest "$mnt" || skip "cannot mount a tmpfs here"
trap 'umount "$mnt" 2>/dev/null; track_done; rm -rf "$tmp"' EXIT
cat >"$tmp/suite.json" <<'JSON'
{ "name": "rel-unwritable", "backends": ["process"],
  "scenarios": [ { "type": "boot", "workload": "noop", "warmup": 0, "n": 2 } ] }
JSON

# attempt NAME CAUSE: a run into $mnt/NAME, which already holds a results.json.
attempt() {
    out=$mnt/$1
    stale_run_dirs >"$tmp/stale.before"
    start_run "$tmp/suite.json" "$out"
    wait_exit "$run_pid" 60
    [ "$exit_rc" = 1 ] || { cat "$run_err"; fail "$1: exit $exit_rc, expected 1"; }
    grep -q "results.json.*$2" "$run_err" ||
        { cat "$run_err"; fail "$1: the error does not name results.json and '$2'"; }
    cmp -s "$fixture" "$out/results.json" || fail "$1: the earlier results.json changed"
    ls -A "$out" | grep -q 'tmp' && fail "$1: a temporary file was left: $(ls -A "$out")"
    stale_run_dirs >"$tmp/stale.after"
    new=$(comm -13 "$tmp/stale.before" "$tmp/stale.after")
    [ -z "$new" ] || fail "$1: run dir left: $new"
    [ -z "$(track_procs)" ] || fail "$1: processes left: $(track_procs)"
    echo "ok: $1: $(grep results.json "$run_err" | tail -n 1)"
}

# (1) read-only: the earlier file is there, then the mount turns read-only.
mkdir -p "$mnt/ro"
cp "$fixture" "$mnt/ro/results.json"
mount -o remount,ro "$mnt" || skip "cannot remount read-only"
attempt ro "Read-only file system"
mount -o remount,rw "$mnt"
rm -rf "$mnt/ro"

# (2) full: the earlier file plus a filler that takes the rest of the space.
mkdir -p "$mnt/full"
cp "$fixture" "$mnt/full/results.json"
dd if=/dev/zero of="$mnt/filler" bs=4k 2>/dev/null || true
attempt full "No space left on device"
