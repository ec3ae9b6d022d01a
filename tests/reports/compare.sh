#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# compare.sh FIXTURES — `vcbench compare`: exit 1 on the planted regression
# (container boot +40 %), 0 within tolerance and for a run against itself,
# 2 on bad input and on VM rows run under KVM against TCG.
. "$(dirname "$0")/lib.sh"
FIX=$1

"$VCBENCH" compare --help | grep -q 'usage: vcbench compare' || fail "compare --help"
"$VCBENCH" compare "$FIX/results-tcg.json" "$FIX/results-tcg-regressed.json" >"$TMP/o" 2>&1 &&
    rc=0 || rc=$?
[ "$rc" -eq 1 ] || fail "planted regression: exit $rc, not 1: $(cat "$TMP/o")"
grep -E '^REGRESSION .* boot container create_to_ready \[mode=serial workload=noop\]' "$TMP/o" \
    >/dev/null || fail "regression row missing: $(cat "$TMP/o")"
grep -q '+40.0%' "$TMP/o" || fail "change not printed"
grep -q '^6 regression(s) beyond 10%' "$TMP/o" || fail "summary line: $(cat "$TMP/o")"
grep -q '^warning: [0-9]* row(s) rest on samples with outliers' "$TMP/o" ||
    fail "no warning about outliers: $(tail -5 "$TMP/o")"
grep -q 'all_ready .*: base: † 1 outlier' "$TMP/o" || fail "flagged row not named"

"$VCBENCH" compare --tolerance 50% "$FIX/results-tcg.json" "$FIX/results-tcg-regressed.json" \
    >"$TMP/o" 2>&1 || fail "within 50% tolerance: exit $?: $(tail -3 "$TMP/o")"
"$VCBENCH" compare "$FIX/results-tcg.json" "$FIX/results-tcg.json" >"$TMP/o" 2>&1 ||
    fail "run against itself: exit $?"
"$VCBENCH" compare "$FIX/results-tcg-regressed.json" "$FIX/results-tcg.json" >"$TMP/o" 2>&1 ||
    fail "an improvement is not a regression: exit $?"
grep -q '^improved' "$TMP/o" || fail "improvement not reported"

# KVM against TCG: no verdict on those rows, the reason, exit 2.
"$VCBENCH" compare "$FIX/results-kvm-partial.json" "$FIX/results-tcg.json" >"$TMP/o" 2>"$TMP/e" &&
    rc=0 || rc=$?
[ "$rc" -eq 2 ] || fail "KVM vs TCG: exit $rc, not 2: $(cat "$TMP/o" "$TMP/e")"
grep -q 'emulated (TCG) in the other' "$TMP/e" || fail "KVM vs TCG: no reason: $(cat "$TMP/e")"
grep -qE '^not comparable .* boot vm' "$TMP/o" || fail "KVM vs TCG: rows not marked: $(cat "$TMP/o")"
grep -qE '^REGRESSION .* boot vm' "$TMP/o" && fail "KVM vs TCG: a VM row called a regression"
grep -q '^  VM acceleration: KVM -> emulated (TCG)' "$TMP/o" ||
    fail "KVM vs TCG: the difference is not listed: $(cat "$TMP/o")"

for args in "--tolerance abc" "--tolerance -5%" "--nope"; do
    # shellcheck disable=SC2086
    "$VCBENCH" compare $args "$FIX/results-tcg.json" "$FIX/results-tcg.json" >/dev/null 2>&1 &&
        rc=0 || rc=$?
    [ "$rc" -eq 2 ] || fail "compare $args: exit $rc, not 2"
done
"$VCBENCH" compare "$FIX/results-tcg.json" >/dev/null 2>&1 && rc=0 || rc=$?
[ "$rc" -eq 2 ] || fail "one file: exit $rc, not 2"
sed 's/"emulated": true/"emulated": "very"/' "$FIX/results-tcg.json" >"$TMP/bad.json"
"$VCBENCH" compare "$FIX/results-tcg.json" "$TMP/bad.json" >/dev/null 2>"$TMP/e" && rc=0 || rc=$?
[ "$rc" -eq 2 ] || fail "malformed NEW: exit $rc, not 2"
grep -q "$TMP/bad.json: results\[2\].emulated: expected true or false" "$TMP/e" ||
    fail "malformed NEW: message: $(cat "$TMP/e")"
exit 0
