#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# vcbench run SUITE on BACKENDS (default process): exit 0, the results path
# on stdout, a results.json that follows the schema with every scenario
# measured, and nothing of the run left behind.
set -eu
check=$1 suite=$2 backends=${3:-process}
. "$(dirname "$0")/../lib/common.sh"
"$VCBENCH" run --suite "$suite" --backends "$backends" --out "$tmp/out" --no-progress \
    >"$tmp/stdout" 2>"$tmp/stderr" || { cat "$tmp/stderr"; fail "vcbench run exited $?"; }
[ "$(cat "$tmp/stdout")" = "$tmp/out/results.json" ] || fail "stdout is not the results path"
"$check" "$tmp/out/results.json" complete boot,memory,density,isolation ||
    fail "results do not follow the schema"
grep -q '"stopped_by": null' "$tmp/out/results.json" || fail "stopped_by is not null"
assert_nothing_left "$tmp/out/results.json"
echo "ok: $(grep -c '"scenario"' "$tmp/out/results.json") entries"
