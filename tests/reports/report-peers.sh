#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# report-peers.sh FIXTURES — a report from a `vcbench peers` run (trimmed
# from a real one: container peers, the hybrid-cgroup wrapper arms, emulated
# VM peers on three machine types): both peers plots as valid SVG and PNG,
# the wrapper arms labelled as overhead, long image paths shortened, the
# emulated label, the ratio table with hit and miss in report.html and
# report.md; a file without peers entries has no peers section at all, a
# peers file without VM peers skips that plot and says so, and a malformed
# ratio is left out without failing the report. A run that pairs its rows
# (results-peers-paired.json, `vcbench peers --only containers` of this
# version): every row says whole command or in-process, both of ours are
# marked, and the ratios come under the heading of what they pair.
. "$(dirname "$0")/lib.sh"
FIX=$1
OUT=$TMP/peers

"$VCBENCH" report "$FIX/results-peers.json" -o "$OUT" >/dev/null 2>"$TMP/stderr" ||
    fail "report exited $?: $(cat "$TMP/stderr")"
grep -q 'plotting Container start → exit' "$TMP/stderr" || fail "no progress line for the peers plot"
for p in peers-start peers-vm; do
    check_svg "$OUT/plots/$p.svg"
    check_png "$OUT/plots/$p.png"
    [ -f "$OUT/plots/$p.gp" ] && [ -f "$OUT/plots/$p.dat" ] || fail "$p: script or data missing"
    grep -q '/var/lib/vcbench' "$OUT/plots/$p.gp" && fail "$p: a long image path in a label"
done
S=$OUT/plots/peers-start.svg
grep -q 'launcher (ours)' "$S" || fail "$S: ours not marked"
grep -q 'crun (wrapped)' "$S" || fail "$S: the wrapped runtime not marked"
grep -q 'wrapper-umount' "$S" || fail "$S: no wrapper arm"
grep -q 'overhead to subtract' "$S" || fail "$S: the wrapper arms not labelled as overhead"
grep -q 'log scale' "$S" || fail "$S: the time axis is not said to be log"
grep -q '…/noop-92a5e61d/rootfs' "$S" || fail "$S: the rootfs not shortened"
grep -q 'set logscale x' "$OUT/plots/peers-start.gp" || fail "peers-start: no log x axis"
V=$OUT/plots/peers-vm.svg
grep -q 'emulated (TCG)' "$V" || fail "$V: emulated VM peers not labelled emulated (TCG)"
for m in pc q35 microvm; do
    grep -q ">$m<" "$V" || fail "$V: no group for machine $m"
done
grep -q 'create → gone' "$V" || fail "$V: no create_to_gone bars"

H=$OUT/report.html
check_html_sections "$H" answer peers host
check_no_external_url "$H"
[ "$(grep -c '<svg role="img"' "$H")" -eq 2 ] || fail "$H: expected 2 inline SVGs"
grep -q '<table class="ratios">' "$H" || fail "$H: no ratio table"
grep -q '<tr><td>launcher / crun</td><td class="num">0.173</td><td class="num">0.148 – 0.197</td><td class="num">≤ 0.5</td><td class="hit">hit</td></tr>' "$H" ||
    fail "$H: launcher / crun row (value, CI, target, hit)"
grep -q 'qemu create_to_ready (q35) — emulated (TCG)</td><td class="num">1.345</td>.*<td class="miss">miss' "$H" ||
    fail "$H: q35 ratio not a labelled miss"
grep -q 'launcher / runc</td>.*<td class="num">—</td><td>—</td></tr>' "$H" ||
    fail "$H: a ratio without a target is given a verdict"
grep -q 'How it was measured.</strong> vcbench peers' "$H" || fail "$H: no method paragraph"
grep -q -e 'Plot “Container start' -e 'Plot “VM boot' "$H" && fail "$H: a peers plot skipped"

M=$OUT/report.md
grep -q '](plots/peers-start.png)' "$M" && grep -q '](plots/peers-vm.png)' "$M" ||
    fail "$M: no links to the peers plots"
grep -q '^| ratio | value | 95% CI | target | verdict |$' "$M" || fail "$M: no ratio table"
grep -q '^| vm-libvirt / qemu create_to_ready (microvm) — emulated (TCG) | 1.386 | .* | ≤ 1.15 | miss' "$M" ||
    fail "$M: microvm ratio row"
want=$(count_samples "$FIX/results-peers.json")
got=$(($(wc -l <"$OUT/samples.csv") - 1))
[ "$got" -eq "$want" ] || fail "samples.csv: $got rows for $want samples"

# No peers entries: no peers section, no peers plot, nothing said skipped.
"$VCBENCH" report -q "$FIX/results-tcg.json" -o "$TMP/tcg" >/dev/null 2>"$TMP/stderr" ||
    fail "tcg report exited $?: $(cat "$TMP/stderr")"
grep -q '<section id="peers">' "$TMP/tcg/report.html" && fail "peers section without peers results"
grep -q 'peers' "$TMP/tcg/report.md" && fail "report.md mentions peers without peers results"
[ -e "$TMP/tcg/plots/peers-start.svg" ] || [ -e "$TMP/tcg/plots/peers-vm.svg" ] &&
    fail "peers plots made without data"

# Both runs together: the peers section comes with the others, runs tagged.
"$VCBENCH" report -q "$FIX/results-tcg.json" "$FIX/results-peers.json" -o "$TMP/both" \
    >/dev/null 2>"$TMP/stderr" || fail "two-run report exited $?: $(cat "$TMP/stderr")"
check_html_sections "$TMP/both/report.html" answer boot isolation peers comparison host
check_svg "$TMP/both/plots/peers-start.svg"

# Containers only (vcbench peers --only containers): the VM plot is skipped
# and said so; a malformed ratio is left out, the others stay.
if command -v jq >/dev/null 2>&1; then
    jq '.results |= map(select(.params.machine == null))
        | (.results[0].notes.ratios[0].value) = "oops"' "$FIX/results-peers.json" >"$TMP/ct.json" ||
        fail "jq"
    "$VCBENCH" report -q "$TMP/ct.json" -o "$TMP/ct" >/dev/null 2>"$TMP/stderr" ||
        fail "containers-only report exited $?: $(cat "$TMP/stderr")"
    H=$TMP/ct/report.html
    check_svg "$TMP/ct/plots/peers-start.svg"
    [ -e "$TMP/ct/plots/peers-vm.svg" ] && fail "VM plot made without VM peers"
    grep -q 'Plot “VM boot: our libvirt path vs bare qemu, per machine type” skipped: no VM peers' "$H" ||
        fail "$H: skipped VM plot not said"
    grep -q '<td>launcher / crun</td>' "$H" && fail "$H: malformed ratio shown"
    grep -q '<td>launcher / clone-floor</td>' "$H" || fail "$H: good ratios lost"
fi

# Paired rows: how each was timed, in the table and the plot; ratios grouped.
"$VCBENCH" report -q "$FIX/results-peers-paired.json" -o "$TMP/paired" >/dev/null 2>"$TMP/stderr" ||
    fail "paired report exited $?: $(cat "$TMP/stderr")"
H=$TMP/paired/report.html S=$TMP/paired/plots/peers-start.svg M=$TMP/paired/report.md
for row in 'launcher (in-process)' 'clone-floor (in-process)' 'vcbench-launch (whole command)' \
    'crun (whole command)' 'vcbench-version (whole command)' 'true (whole command)'; do
    grep -q "<td>$row</td>" "$H" || fail "$H: no row '$row'"
    grep -q "^| $row |" "$M" || fail "$M: no row '$row'"
done
grep -q 'launcher (ours, in-process)' "$S" || fail "$S: the in-process launcher not marked"
grep -q 'vcbench-launch (ours, whole command)' "$S" || fail "$S: the vcbench command not marked"
grep -q 'crun (wrapped, whole command)' "$S" || fail "$S: crun not marked wrapped"
grep -q 'vcbench-version' "$S" && fail "$S: a bare command start drawn as a container peer"
# Each ratio under its group's heading, and none of one group under another's.
group_of() { # the last pairing heading above the row of ratio $1
    awk -v r="<tr><td>$1</td>" 'index($0, "class=\"pairing\"") { g = $0 }
        index($0, r) == 1 { sub(/.*colspan="[0-9]"> */, "", g); sub(/<.*/, "", g); print g; exit }' "$H"
}
for r in 'vcbench-launch / (crun - wrapper-umount)' 'vcbench-launch / bwrap' 'vcbench-version - true'; do
    [ "$(group_of "$r")" = "whole command vs whole command" ] || fail "$H: '$r' not a whole-command pair"
done
[ "$(group_of 'launcher / clone-floor')" = "in-process vs in-process" ] ||
    fail "$H: launcher / clone-floor not an in-process pair"
grep -q '<tr><td>vcbench-launch / (crun - wrapper-umount)</td><td class="num">2.222</td><td class="num">1.699 – 3.085</td><td class="num">≤ 0.5</td><td class="miss">miss</td></tr>' "$H" ||
    fail "$H: the fair crun ratio (value, CI, target, verdict)"
grep -q '<tr><td>vcbench-launch / crun (wrapped)</td>.*<td class="num">—</td><td>—</td></tr>' "$H" ||
    fail "$H: the wrapped crun ratio given a target"
grep -q '<tr><td>vcbench-version - true</td><td class="num">42.5 ms</td><td class="num">33.8 ms – 64.1 ms</td><td class="num">≤ 5 ms</td>' "$H" ||
    fail "$H: the --version difference (ms, CI, target)"
grep -q '^| \*\*whole command vs whole command\*\* |' "$M" || fail "$M: no whole-command heading"
grep -q '<td>launcher / crun</td>' "$H" && fail "$H: an in-process vs whole-command crun ratio"
exit 0
