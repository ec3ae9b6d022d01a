#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# bad-input.sh — the table of malformed inputs, run against the real
# vcbench. Each row: the exit status expected (2 = bad input; 125 for launch,
# whose own errors exit 125 as docker run's do), a piece of the
# message that must appear (naming the option, file or field and what was
# expected), then the arguments. After every row nothing may be left behind:
# no run dir, no results/out/report dir, no new vcb-* cgroup.
#   bad-input.sh FIXTURES_DIR      (tests/reports/fixtures: a valid results file)
set -u
. "$(dirname "$0")/lib.sh"
need_vcbench
private_run_root
fixtures=$(cd "${1:?usage: bad-input.sh FIXTURES_DIR}" && pwd)
good="$fixtures/results-tcg.json"
[ -r "$good" ] || skip "no results fixture at $good"
make_bad_files
cgroups_before=$(vcb_run_cgroups)
cd "$tmp" || exit 1

failures=0
rows=0
# row EXIT 'MESSAGE PIECE' ARGS... : one line of the table.
row() {
    want_rc=$1 want_msg=$2
    shift 2
    rows=$((rows + 1))
    rc=0
    "$VCBENCH" "$@" >"$tmp/stdout" 2>"$tmp/stderr" </dev/null || rc=$?
    why=""
    [ "$rc" = "$want_rc" ] || why="exit $rc, expected $want_rc"
    grep -qF -- "$want_msg" "$tmp/stderr" || why="${why:+$why; }message lacks \"$want_msg\""
    # Under an ASan/UBSan build (VCBENCH from build-asan) every row is also a
    # leak and undefined-behaviour check of that error path.
    grep -q 'Sanitizer\|runtime error:' "$tmp/stderr" && why="${why:+$why; }sanitizer report"
    left=$(leftovers)
    [ -z "$left" ] || why="${why:+$why; }left behind: $left"
    if [ -n "$why" ]; then
        failures=$((failures + 1))
        printf 'FAIL vcbench %s\n     %s\n     stderr: %s\n' "$*" "$why" "$(head -c 300 "$tmp/stderr")"
        clean_leftovers
    else
        printf 'ok   vcbench %s\n' "$*"
    fi
}

# What a rejected command must not leave: run dirs, output dirs, cgroups.
leftovers() {
    ls -A "$VCB_RUN_DIR" 2>/dev/null | sed 's/^/run-dir:/' | tr '\n' ' '
    for d in out results rep rep.tmp-*; do [ -e "$tmp/$d" ] && printf 'dir:%s ' "$d"; done
    vcb_run_cgroups | grep -vxF "$cgroups_before" | sed 's/^/cgroup:/' | tr '\n' ' '
}
clean_leftovers() {
    rm -rf "${VCB_RUN_DIR:?}"/* "$tmp/out" "$tmp/results" "$tmp/rep" "$tmp"/rep.tmp-*
}

B=$tmp/bad
cpus=$(nproc)
# --- top level ------------------------------------------------------------
row 2 "unknown option '--bogus'" --bogus
row 2 "unknown command 'frobnicate'" frobnicate
# --- launch: sizes, durations, numbers, names, options -------------------
row 125 '--memory: "12XB" is not a size' launch --memory 12XB noop
row 125 '--memory: "-1G" is not a size' launch --memory -1G noop
row 125 '--memory: "99999999999T" is not a size' launch --memory 99999999999T noop
row 125 '--timeout: "5parsecs" is not a duration' launch --timeout 5parsecs noop
row 125 '--stop-after: "1.s" is not a duration' launch --stop-after 1.s noop
row 125 '--cpus: "many" is not a number' launch --cpus many noop
row 125 '--cpus: "nan" is not a number' launch --cpus nan noop
row 125 '--pids: "-1" is not a whole number' launch --pids -1 noop
row 125 '--cpuset: "0-x" is not a CPU list' launch --cpuset 0-x noop
# A limit given is a limit: 0 (or what rounds to 0) never means "no limit".
row 125 '--memory: 0 bytes is too small (expected at least 4MiB' launch --backend container --memory 0 noop
row 125 '--memory: 0 bytes is too small (expected at least 4MiB' launch --backend container --memory 0.4 noop
row 125 '--cpus: 0 is out of range (expected a number from 0.01 to 4096' launch --backend container --cpus 0 noop
row 125 '--pids: 0 is out of range (expected a whole number from 1 to 4194304' launch --backend container --pids 0 noop
row 125 '--cpuset: "" is not a CPU list' launch --backend container --cpuset '' noop
row 125 '--cpus: "0x10" is not a number (expected a decimal' launch --backend container --cpus 0x10 noop
# 2^64-1 bytes overflows MiB/KiB for libvirt: refused before any connection.
row 125 "--memory: 16777216.0 TiB is more than this host's memory" launch --backend vm --memory 18446744073709551615 noop
row 125 '--seccomp: "maybe" (expected default or off)' launch --seccomp maybe noop
row 125 '--accel: "warp" (expected auto, kvm or tcg)' launch --accel warp noop
row 125 "unknown workload 'nosuchwl' (expected one of:" launch nosuchwl
row 125 "unknown backend 'xen' (expected one of:" launch --backend xen noop
row 125 "unknown option '--frobnicate'" launch --frobnicate noop
row 125 "which workload?" launch
row 125 "process backend applies no limits" launch --backend process --memory 128MiB noop
# A short-option cluster must name the option, not the word before it.
row 125 "unknown option '-x'" launch -xy noop
# A known option without its value is not an "unknown option".
row 125 "--memory: expected a value" launch --memory
# A CPU this host does not have is bad input, found before anything starts.
# (As root only: otherwise the container cannot start for other reasons.)
[ "$(id -u)" != 0 ] || row 125 "--cpuset" launch --backend container --cpuset "$((cpus + 7))" noop
# --- run: options -----------------------------------------------------------
row 2 "no suite named 'nosuch'" run --suite nosuch --out out
row 2 "$B/missing.json: no such suite file" run --suite "$B/missing.json" --out out
row 2 "unknown backend 'xen'" run --suite quick --backends process,xen --out out
row 2 '--accel: "warp" (expected auto, kvm or tcg)' run --accel warp --out out
row 2 "'--frobnicate'" run --frobnicate
row 2 "'--suite'" run --suite
row 2 "unexpected argument 'extra'" run extra
row 2 '--log-max: 0 bytes is out of range (expected 4KiB to 1GiB)' run --log-max 0 --out out
row 125 '--log-max: 0 bytes is out of range (expected 4KiB to 1GiB)' launch --log-max 0 noop
# An earlier run's results are never replaced by accident.
row 2 "--out $B/prior: holds an earlier run's results: $B/prior/results.json" run --suite quick --out "$B/prior"
# --- run: suite files (file: field: what was expected) ----------------------
row 2 "$B/trunc.json: line 1 column 13: not valid JSON" run --suite "$B/trunc.json" --out out
row 2 "$B/dup.json: line 1 column 20: not valid JSON: duplicate object key" run --suite "$B/dup.json" --out out
row 2 "$B/array.json: (top level): expected an object, got an array" run --suite "$B/array.json" --out out
row 2 "$B/type-n.json: scenarios[0].n: expected an integer from 1 to 100000, got a string" run --suite "$B/type-n.json" --out out
row 2 "$B/key.json: (top level): unknown key 'colour'" run --suite "$B/key.json" --out out
row 2 "$B/skey.json: scenarios[0]: unknown key 'warmpu'" run --suite "$B/skey.json" --out out
row 2 "$B/wl.json: scenarios[0].workload: unknown workload 'nosuch'" run --suite "$B/wl.json" --out out
row 2 "$B/scen.json: scenarios[0].type: unknown scenario type 'warp'" run --suite "$B/scen.json" --out out
row 2 "$B/notype.json: scenarios[0].type: missing" run --suite "$B/notype.json" --out out
row 2 "$B/victim.json: scenarios[0].victims[0]: unknown victim 'noop'" run --suite "$B/victim.json" --out out
row 2 "$B/size.json: scenarios[0].alloc: \"12XB\" is not a size" run --suite "$B/size.json" --out out
row 2 "$B/dur.json: timeouts.ready: \"soon\" is not a duration" run --suite "$B/dur.json" --out out
row 2 "$B/zero.json: timeouts.ready: expected a duration above 0" run --suite "$B/zero.json" --out out
row 2 "$B/proclim.json: limits.process: the process backend" run --suite "$B/proclim.json" --out out
row 2 "$B/cpuset.json: limits.container" run --suite "$B/cpuset.json" --out out
row 2 "$B/mem0.json: limits.container.memory: 0 bytes is too small" run --suite "$B/mem0.json" --out out
row 2 "$B/cpuset0.json: limits.container.cpuset: \"\" is not a CPU list" run --suite "$B/cpuset0.json" --out out
row 2 "$B/alloc0.json: scenarios[0].alloc: expected a size above 0" run --suite "$B/alloc0.json" --out out
row 2 "$B/backend.json: backends[1]: unknown backend 'xen'" run --suite "$B/backend.json" --out out
row 2 "$B/empty.json: scenarios: expected an array of 1 to 64" run --suite "$B/empty.json" --out out
row 2 "$B/maxn.json: scenarios[0]: max_n (2) must be at least n (5)" run --suite "$B/maxn.json" --out out
row 2 "$B/noname.json: name: expected a string" run --suite "$B/noname.json" --out out
# The default output dir (results/<id>) must not appear either.
row 2 "$B/key.json: (top level): unknown key 'colour'" run --suite "$B/key.json"
# --- report / compare: results files -----------------------------------------
row 2 "no results file given" report
row 2 "$B/missing.json: cannot read" report "$B/missing.json" -o rep
row 2 "$B/r-trunc.json:1:10: not valid JSON" report "$B/r-trunc.json" -o rep
row 2 "$B/r-schema.json: schema: expected \"vcbench-results/1\"" report "$B/r-schema.json" -o rep
row 2 "$B/r-results.json: results: expected an array, got an object" report "$B/r-results.json" -o rep
row 2 "$B/r-unit.json: results[0].metrics[0].unit: expected one of ns" report "$B/r-unit.json" -o rep
row 2 "$B/r-neg.json: results[0].metrics[0].samples[1]: expected a number >= 0" report "$B/r-neg.json" -o rep
row 2 "$B/r-nobackend.json: results[0].backend: expected a string" report "$B/r-nobackend.json" -o rep
row 2 "$B/r-huge.json: results[0].metrics[0].samples[0]: expected a number >= 0, at most 1e18" report "$B/r-huge.json" -o rep
row 2 "$B/r-ci.json: results[0].metrics[0].summary.ci95_lo" report "$B/r-ci.json" -o rep
row 2 "$B/r-accel.json: host.accel: expected" report "$B/r-accel.json" -o rep
row 2 "$B/r-unit.json: results[0].metrics[0].unit" report "$good" "$B/r-unit.json" -o rep
row 2 "'--bogus'" report --bogus "$good" -o rep
row 2 "-o $B/notreport: exists and holds no earlier report" report "$good" -o "$B/notreport"
row 2 "-o $B/trunc.json: exists and is not a directory" report "$good" -o "$B/trunc.json"
row 2 "need exactly two results files" compare "$good"
row 2 '--tolerance: "abc" is not a number' compare --tolerance abc "$good" "$good"
row 2 "--tolerance" compare --tolerance -5% "$good" "$good"
row 2 "$B/missing.json: cannot read" compare "$B/missing.json" "$good"
row 2 "$B/r-unit.json: results[0].metrics[0].unit" compare "$good" "$B/r-unit.json"
row 2 "$B/r-schema.json: schema" compare "$B/r-schema.json" "$good"
row 2 "'--bogus'" compare --bogus "$good" "$good"
# --- the rest ---------------------------------------------------------------------
row 2 "unexpected argument '--bogus'" cleanup --bogus
row 2 "unknown workload 'nosuch'" image build nosuch

# The out dir that was refused must still hold what it held.
cmp -s "$good" "$B/prior/results.json" || { echo "FAIL: run --out changed a results.json it refused"; failures=$((failures + 1)); }
# The report dir that was refused must still hold what it held.
[ -e "$B/notreport/keep" ] || { echo "FAIL: report -o removed a directory it refused"; failures=$((failures + 1)); }
echo "$rows rows, $failures failed"
[ "$failures" = 0 ]
