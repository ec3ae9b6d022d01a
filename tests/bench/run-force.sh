#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# vcbench run --out DIR over an earlier run's results: refused (exit 2, the
# message names DIR and what is there, nothing of it touched) unless
# --force; with --force it says what it replaced, and the logs/ there are
# this run's only, never mixed with the earlier run's. An instance that
# writes nothing leaves no log, so FLOOD (a workload that writes to stderr,
# then ends like noop) stands in for noop in a private image store, its log
# capped small.
set -eu
. "$(dirname "$0")/../lib/common.sh"
flood=${1:?usage: run-force.sh FLOOD}
[ -n "${VCB_LIBEXEC_DIR:-}" ] || { echo "skip: VCB_LIBEXEC_DIR is not set (run through ctest)"; exit 77; }
mkdir -p "$tmp/libexec" "$tmp/state"
cp -a "$VCB_LIBEXEC_DIR"/. "$tmp/libexec/"
cp "$flood" "$tmp/libexec/wl-noop"
export VCB_LIBEXEC_DIR="$tmp/libexec" VCB_STATE_DIR="$tmp/state"
cat >"$tmp/suite.json" <<'JSON'
{ "name": "force", "backends": ["process"], "log_max": "4KiB",
  "scenarios": [ { "type": "boot", "workload": "noop", "warmup": 0, "n": 2, "max_n": 2 } ] }
JSON
out=$tmp/out
run() {
    "$VCBENCH" run --suite "$tmp/suite.json" --out "$out" --no-progress "$@" \
        >"$tmp/stdout" 2>"$tmp/stderr"
}
run || { cat "$tmp/stderr"; fail "first run exited $?"; }
first=$(run_id_of "$out/results.json")
cp "$out/results.json" "$tmp/first.json"
nlogs=$(ls "$out/logs" | wc -l)
[ "$nlogs" -gt 0 ] || fail "the first run kept no logs"

rc=0
run || rc=$?
[ "$rc" = 2 ] || { cat "$tmp/stderr"; fail "second run without --force: exit $rc, expected 2"; }
grep -qF -- "--out $out: holds an earlier run's results: $out/results.json (run $first) and $out/logs/ ($nlogs files)" "$tmp/stderr" ||
    { cat "$tmp/stderr"; fail "the refusal does not name the dir and what is there"; }
cmp -s "$tmp/first.json" "$out/results.json" || fail "the refused run changed results.json"
[ "$(ls "$out/logs" | wc -l)" = "$nlogs" ] || fail "the refused run changed logs/"

run --force || { cat "$tmp/stderr"; fail "--force run exited $?"; }
second=$(run_id_of "$out/results.json")
[ "$second" != "$first" ] || fail "results.json was not replaced"
grep -qF -- "--force: replaced $out/results.json (run $first) and $out/logs/ ($nlogs files)" "$tmp/stderr" ||
    { cat "$tmp/stderr"; fail "--force does not say what it replaced"; }
for f in "$out"/logs/*; do
    case $(basename "$f") in vcb-"$second"-*) ;; *) fail "logs/ mixes in $(basename "$f") from run $first" ;; esac
done
assert_nothing_left "$out/results.json"
echo "ok: refused without --force; --force replaced run $first by $second, logs not mixed"
