#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# fault-unwritable.sh EARLIER FLOOD — the results directory cannot take the
# results: (1) a read-only filesystem, (2) a full one (a tmpfs filled up).
# Each run must end with a clear error naming results.json and the cause
# (exit 1), the earlier results.json there must be byte for byte what it was
# (never truncated), no temporary file may be left beside it, and nothing of
# the run may remain. (3) Room for results.json but not for the logs (FLOOD,
# a workload writing 64 MiB to stderr, in place of noop): exit 1 naming the
# log and the cause, results.json complete and saying what was not kept
# (logs.keep_error), no log cut short left behind.
# Root bypasses permission bits, so only a read-only or full mount can refuse.
set -u
. "$(dirname "$0")/lib.sh"
need_vcbench
need_root
track_init
fixture=${1:?usage: fault-unwritable.sh EARLIER_RESULTS.json FLOOD}
flood=${2:?usage: fault-unwritable.sh EARLIER_RESULTS.json FLOOD}
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
    start_run "$tmp/suite.json" "$out" --force
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

# (3) room for results.json, not for a 1 MiB log: ~300 KiB free.
rm -rf "$mnt/full" "$mnt/filler"
dd if=/dev/zero of="$mnt/filler" bs=4k 2>/dev/null || true
truncate -s -300K "$mnt/filler"
mkdir -p "$tmp/libexec" "$tmp/state"
cp -a "$VCB_LIBEXEC_DIR"/. "$tmp/libexec/"
cp "$flood" "$tmp/libexec/wl-noop"
out=$mnt/logs-full
stale_run_dirs >"$tmp/stale.before"
VCB_LIBEXEC_DIR="$tmp/libexec" VCB_STATE_DIR="$tmp/state" \
    start_run "$tmp/suite.json" "$out" --log-max 1MiB
wait_exit "$run_pid" 60
[ "$exit_rc" = 1 ] || { cat "$run_err"; fail "logs-full: exit $exit_rc, expected 1"; }
grep -q "logs: copy .*\.log to $out/logs/.*: No space left on device" "$run_err" ||
    { cat "$run_err"; fail "logs-full: the error does not name the log and the cause"; }
grep -q "complete results in $out/results.json" "$run_err" ||
    { cat "$run_err"; fail "logs-full: does not point to the complete results"; }
results_valid "$out/results.json" || fail "logs-full: results.json is not loadable"
grep -q '"complete": true' "$out/results.json" || fail "logs-full: the results are not complete"
grep -q '"keep_error": "logs: copy .*No space left on device"' "$out/results.json" ||
    fail "logs-full: results.json does not say the logs were not kept"
for f in "$out"/logs/*; do
    [ -e "$f" ] || continue
    [ "$(stat -c %s "$f")" -gt 0 ] && grep -q '^\[vcbench: log capped at' "$f" ||
        fail "logs-full: $f is a log cut short"
done
stale_run_dirs >"$tmp/stale.after"
new=$(comm -13 "$tmp/stale.before" "$tmp/stale.after")
[ -z "$new" ] || fail "logs-full: run dir left: $new"
[ -z "$(track_procs)" ] || fail "logs-full: processes left: $(track_procs)"
echo "ok: logs-full: $(grep 'logs: copy' "$run_err" | tail -n 1)"
