#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# report-tcg.sh FIXTURES — a report from the emulated-VM fixture: every plot
# as a valid SVG and PNG, report.html with every section in order, the TCG
# banner and labels, no external address, report.md with PNG links, and one
# CSV row per raw sample.
. "$(dirname "$0")/lib.sh"
FIX=$1
OUT=$TMP/report

"$VCBENCH" report --help | grep -q 'usage: vcbench report' || fail "report --help"
"$VCBENCH" report "$FIX/results-tcg.json" -o "$OUT" >"$TMP/stdout" 2>"$TMP/stderr" ||
    fail "report exited $?: $(cat "$TMP/stderr")"
grep -q "^$OUT/report.html\$" "$TMP/stdout" || fail "report did not print the page's path"
grep -q 'plotting Boot latency' "$TMP/stderr" || fail "no progress lines"

for p in boot-ecdf boot-pctl boot-phases concurrent-ecdf concurrent-latency concurrent-all-ready \
    concurrent-rate memory density isolation; do
    check_svg "$OUT/plots/$p.svg"
    check_png "$OUT/plots/$p.png"
    [ -f "$OUT/plots/$p.gp" ] && [ -f "$OUT/plots/$p.dat" ] || fail "$p: script or data missing"
done
ls "$TMP" | grep -q 'report.tmp-' && fail "temporary directory left behind"

H=$OUT/report.html
check_html_sections "$H" answer boot concurrent memory density isolation host
check_no_external_url "$H"
[ "$(grep -c '<svg role="img"' "$H")" -eq 10 ] || fail "$H: expected 10 inline SVGs"
grep -q 'class="banner"' "$H" || fail "$H: no TCG banner"
grep -q 'VM figures are emulated (TCG)' "$H" || fail "$H: banner text"
grep -q 'kvm_pvm' "$H" || fail "$H: banner lacks the reason"
grep -q 'vm — emulated (TCG)' "$H" || fail "$H: VM rows not labelled emulated (TCG)"
grep '<td[^>]*>vm<' "$H" && fail "$H: a VM row without the emulated label"
grep -q 'VMs (emulated, TCG) took' "$H" || fail "$H: the answer does not label VMs"
grep -q 'How it was measured' "$H" || fail "$H: no method paragraphs"
grep -q '95% CI of the median' "$H" || fail "$H: tables lack the CI"
# outliers are marked beside the figure, in words, and explained in the method text
grep -q '<td class="num">[^<]*†</td>' "$H" || fail "$H: no outlier mark beside a median"
grep -q '† 1 outlier' "$H" || fail "$H: no flags column"
grep -q 'marks a median whose samples include outliers' "$H" || fail "$H: flags not explained"
grep -q 'class="skipped"' "$H" && fail "$H: a section or plot was skipped on a full fixture"

M=$OUT/report.md
for p in boot-ecdf boot-pctl boot-phases concurrent-ecdf concurrent-latency concurrent-all-ready \
    concurrent-rate memory density isolation; do
    grep -q "](plots/$p.png)" "$M" || fail "$M: no link to $p.png"
done
grep -q '^> \*\*VM figures are emulated (TCG)' "$M" || fail "$M: no TCG note"
grep -q '^## The answer' "$M" || fail "$M: no answer"

C=$OUT/samples.csv
head -1 "$C" | grep -q '^run,file,scenario,backend,emulated,params,metric,unit,index,value$' ||
    fail "$C: header"
want=$(count_samples "$FIX/results-tcg.json")
got=$(($(wc -l <"$C") - 1))
[ "$got" -eq "$want" ] || fail "$C: $got rows for $want samples"

# Again over the earlier report: replaced whole, nothing left of the old one.
touch "$OUT/plots/stale.svg"
"$VCBENCH" report -q "$FIX/results-tcg.json" -o "$OUT" >/dev/null || fail "second report"
[ -e "$OUT/plots/stale.svg" ] && fail "earlier report not replaced"
ls "$TMP" | grep -q 'report.tmp-' && fail "temporary directory left behind"
exit 0
