#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Every workload through `vcbench launch --backend process`: the events come
# in order, results are relayed with sane values, the exit status is the
# workload's, bad input exits 125 (launch's own errors, as docker run) and
# leaves no run dir behind.
set -u
vcbench=${VCBENCH:?VCBENCH must name the vcbench binary}
export VCB_RUN_DIR=$(mktemp -d) VCB_STATE_DIR=${VCB_STATE_DIR:-$(mktemp -d)}
trap 'rm -rf "$VCB_RUN_DIR"' EXIT
fails=0 passes=0
check() { # name, condition...
    local name=$1; shift
    if "$@"; then passes=$((passes + 1)); else echo "FAIL: $name"; fails=$((fails + 1)); fi
}

launch() { # workload args... → $out, $rc
    out=$("$vcbench" launch --backend process --timeout 60s "$@" 2>&1); rc=$?
}
events() { awk '$3 ~ /^(create|started|init|ready|result|exit|gone)$/ {print $3}' <<<"$out" | uniq | tr '\n' ' '; }
json_field() { sed -n 's/.* result .*"'"$1"'":\([0-9.e+-]*\).*/\1/p' <<<"$out" | tail -1; }
positive() { awk -v v="$1" 'BEGIN{exit !(v+0 > 0)}'; }

launch noop
check "noop exits 0" [ $rc = 0 ]
check "noop events in order" [ "$(events)" = "create started init ready result exit gone " ]
check "noop phases printed" grep -q 'create→ready' <<<"$out"

launch cpu -- --duration 200ms
check "cpu exits 0" [ $rc = 0 ]
check "cpu ops_per_s > 0" positive "$(json_field ops_per_s)"

launch membw -- --size 8MiB --duration 200ms
check "membw exits 0" [ $rc = 0 ]
check "membw MB/s > 0" positive "$(json_field mb_per_s_best)"

launch lat -- --duration 200ms
check "lat exits 0" [ $rc = 0 ]
p50=$(json_field oversleep_p50_ns) p99=$(json_field oversleep_p99_ns)
check "lat p99 >= p50 > 0" awk -v a="$p50" -v b="$p99" 'BEGIN{exit !(a > 0 && b >= a)}'

launch alloc -- 32MiB
check "alloc exits 0" [ $rc = 0 ]
check "alloc reports 32MiB" [ "$(json_field alloc_bytes)" = 33554432 ]

launch memhog -- --ceiling 64MiB --step 16MiB --interval 1ms
check "memhog exits 0 at its ceiling" [ $rc = 0 ]
check "memhog held <= ceiling" awk -v v="$(json_field held_bytes)" 'BEGIN{exit !(v > 0 && v <= 67108864)}'

launch forkbomb -- --ceiling 16
check "forkbomb exits 0" [ $rc = 0 ]
check "forkbomb forked <= 16" awk -v v="$(json_field forked)" 'BEGIN{exit !(v > 0 && v <= 16)}'

launch idle --stop-after 300ms
check "idle stopped after ready exits 0" [ $rc = 0 ]
check "idle relays a result when stopped" grep -q '"workload":"idle"' <<<"$out"

launch cpu -- --bogus-flag
check "workload's own exit status is passed on (2)" [ $rc = 2 ]
check "exit event carries it" grep -qE ' exit +status 2' <<<"$out"

launch noop --memory 64MiB
check "process backend refuses limits (exit 125)" [ $rc = 125 ]
check "refusal says why" grep -q 'applies no limits' <<<"$out"

launch nosuch
check "unknown workload exits 125" [ $rc = 125 ]
check "unknown workload named" grep -q "unknown workload 'nosuch'" <<<"$out"

launch noop --memory 12XB --backend container
check "bad size exits 125" [ $rc = 125 ]
check "bad size names the option" grep -q -- '--memory: "12XB" is not a size' <<<"$out"

launch noop --cpu-weight 100
check "process backend refuses a soft limit (exit 125)" [ $rc = 125 ]
check "soft-limit refusal says why" grep -q 'applies no limits' <<<"$out"

for bad in "--cpu-weight 0:--cpu-weight: 0 is out of range" \
    "--cpu-weight 10001:--cpu-weight: 10001 is out of range" \
    "--memory-soft 1k:--memory-soft: 1024 bytes is too small" \
    "--memory-low lots:--memory-low: \"lots\" is not a size" \
    "--io-read-bps 100:--io-read-bps: 100 bytes/s is too small" \
    "--io-write-iops 0:--io-write-iops: 0 is out of range" \
    "--io-weight 5000:--io-weight: 5000 is out of range"; do
    opt=${bad%%:*} msg=${bad#*:}
    launch noop --backend container $opt
    check "$opt exits 125" [ $rc = 125 ]
    check "$opt is named: $msg" grep -qF -- "$msg" <<<"$out"
done
launch noop --backend container --memory 64MiB --memory-soft 128MiB
check "soft above hard exits 125" [ $rc = 125 ]
check "soft above hard is named" grep -qF -- '--memory-soft: above --memory limits nothing' <<<"$out"

check "no run dir left behind" [ -z "$(ls -A "$VCB_RUN_DIR")" ]
echo "$passes passed, $fails failed"
[ $fails = 0 ]
