#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# report-peers.sh FIXTURES — a report from a `vcbench peers` run (trimmed
# from a real one: container peers, the hybrid-cgroup wrapper arms, emulated
# VM peers on three machine types): both peers plots as valid SVG and PNG,
# the wrapper arms labelled as overhead, long image paths shortened, the
# emulated label, the ratio table with hit and miss in report.html and
# report.md; a file without peers entries has no peers section at all, a
# peers file without VM peers skips that plot and says so, and a malformed
# ratio is left out without failing the report.
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
exit 0
