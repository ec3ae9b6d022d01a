#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# report-multi.sh FIXTURES — two runs (emulated, and KVM stopped early with
# boot and memory only): plots overlaid by run, a comparison section, the
# early stop said, scenarios absent from a run never fail the report.
. "$(dirname "$0")/lib.sh"
FIX=$1
OUT=$TMP/multi

"$VCBENCH" report -q "$FIX/results-tcg.json" "$FIX/results-kvm-partial.json" -o "$OUT" \
    >/dev/null 2>"$TMP/stderr" || fail "report exited $?: $(cat "$TMP/stderr")"
H=$OUT/report.html
check_html_sections "$H" answer boot concurrent memory density isolation comparison host
check_no_external_url "$H"
grep -q '3f2a9c01' "$OUT/plots/boot-ecdf.gp" && grep -q 'b41d7e03' "$OUT/plots/boot-ecdf.gp" ||
    fail "ECDF does not overlay both runs"
grep -q 'stopped early (SIGINT)' "$H" || fail "$H: early stop not said"
grep -q 'b41d7e03 against 3f2a9c01' "$H" || fail "$H: no comparison table"
grep -q 'not comparable (KVM vs emulated, TCG)' "$H" || fail "$H: KVM-vs-TCG pairs not flagged"
want=$(($(count_samples "$FIX/results-tcg.json") + $(count_samples "$FIX/results-kvm-partial.json")))
got=$(($(wc -l <"$OUT/samples.csv") - 1))
[ "$got" -eq "$want" ] || fail "samples.csv: $got rows for $want samples"

# The partial run alone: absent scenarios are skipped and said to be.
"$VCBENCH" report -q "$FIX/results-kvm-partial.json" -o "$TMP/partial" >/dev/null 2>"$TMP/stderr" ||
    fail "partial report exited $?: $(cat "$TMP/stderr")"
H=$TMP/partial/report.html
grep -q 'No Isolation under a noisy neighbour results' "$H" || fail "$H: skipped isolation not said"
grep -q 'No isolation results were recorded' "$H" || fail "$H: the answer claims isolation"
grep -q 'class="banner"' "$H" && fail "$H: TCG banner on a KVM run"
[ -e "$TMP/partial/plots/isolation.svg" ] && fail "isolation plot made without data"
check_svg "$TMP/partial/plots/boot-ecdf.svg"
exit 0
