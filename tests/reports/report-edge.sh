#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# report-edge.sh FIXTURES — an odd but valid results file (single samples,
# nulls, a DNF-only VM, a backend and a scenario this version does not know,
# markup and backquotes in strings): the report is made, the plot without
# data is skipped and said so, and every string is escaped.
. "$(dirname "$0")/lib.sh"
FIX=$1
OUT=$TMP/edge

"$VCBENCH" report -q "$FIX/results-edge.json" -o "$OUT" >/dev/null 2>"$TMP/e" ||
    fail "report exited $?: $(cat "$TMP/e")"
for p in boot-ecdf boot-pctl concurrent-latency concurrent-rate memory density isolation; do
    check_svg "$OUT/plots/$p.svg"
    check_png "$OUT/plots/$p.png"
done
[ -e "$OUT/plots/boot-phases.svg" ] && fail "phases plotted without phase data"
H=$OUT/report.html
grep -q 'Plot “Where boot time goes (median of each phase)” skipped' "$H" || fail "skip not said"
check_html_sections "$H" answer boot concurrent memory density isolation other host
check_no_external_url "$H"
grep -q '<b>disk full' "$H" && fail "markup from the results file reached the page"
grep -q '&lt;b&gt;disk full&lt;/b&gt; &amp;' "$H" || fail "stopped_by not escaped"
grep -q '&lt;script&gt;' "$H" || fail "params not escaped"
grep -q '`' "$OUT/plots/boot-ecdf.gp" && fail "a backquote reached a gnuplot script"
grep -q '^edge0001,.*,network,container,false,"<script>=x,y""z",rtt,ns,0,52000$' \
    "$OUT/samples.csv" || fail "CSV quoting"
[ "$(($(wc -l <"$OUT/samples.csv") - 1))" -eq 15 ] || fail "CSV rows (null samples are skipped)"
exit 0
