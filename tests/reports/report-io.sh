#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# report-io.sh FIXTURES — the disk and network sections from a real run of
# the diskio and netio victims beside diskhog and netflood (process,
# container, vm under TCG): their tables carry each arm's figures solo and
# beside each aggressor (values from the fixture), the path, the scratch
# form and cache, the emulated label and every DNF with its reason; their
# plots are drawn; the isolation matrix names the IBS's stressors in the
# IBS's order. A file without disk or network results gains neither section.
. "$(dirname "$0")/lib.sh"
FIX=$1
OUT=$TMP/report
command -v jq >/dev/null 2>&1 || skip "jq is needed to read the expected figures"

"$VCBENCH" report -q "$FIX/results-io.json" -o "$OUT" >/dev/null 2>"$TMP/stderr" ||
    fail "report exited $?: $(cat "$TMP/stderr")"
for p in disk-throughput disk-latency network isolation; do
    check_svg "$OUT/plots/$p.svg"
    check_png "$OUT/plots/$p.png"
done
H=$OUT/report.html
M=$OUT/report.md
check_html_sections "$H" answer isolation disk network host
check_no_external_url "$H"

# "960 MB/s (910 MB/s – 1010 MB/s)": a figure of the fixture as the table
# writes it (three significant digits: no decimals at 100 and above).
cell() { # backend victim aggressor field
    jq -r --arg b "$1" --arg v "$2" --arg a "$3" --arg m "victim.$4" '.results[] |
        select(.backend == $b and .params.victim == $v and .params.aggressor == $a) |
        .metrics[] | select(.name == $m) | .summary | [.median, .ci95_lo, .ci95_hi] | @tsv' \
        "$FIX/results-io.json" |
        awk -F '\t' '$1 < 100 || $2 < 100 { exit 1 }
            { printf "%.0f MB/s (%.0f MB/s – %.0f MB/s)", $1, $2, $3 }' ||
        fail "fixture: $1 $2 $3 $4 missing or below 100"
}
row() { # backend victim field → the expected Markdown cells, solo first
    printf '| %s | %s | %s | %s |' "$3" "$(cell "$1" "$2" none "$3")" \
        "$(cell "$1" "$2" diskhog "$3")" "$(cell "$1" "$2" netflood "$3")"
}

# Columns: solo, then the aggressors by the IBS's names in its order.
grep -q '^| arm | path | figure | solo (median, 95% CI) | beside diskhog (disk) (median, 95% CI) | beside netflood (network) (median, 95% CI) |$' "$M" ||
    fail "$M: disk/network table header"
want="| container | raw file, bind-mounted; cache host O_DIRECT $(row container diskio seq_write_mb_per_s)"
grep -qxF "$want" "$M" || fail "$M: container disk row, want: $want"
want="| process (no limits) | host loopback $(row process netio stream_mb_per_s)"
grep -qxF "$want" "$M" || fail "$M: process network row, want: $want"
want="| container | veth+bridge in run netns $(row container netio stream_mb_per_s)"
grep -qxF "$want" "$M" || fail "$M: container network row, want: $want"
# The VM arm: emulated and said so on every row, its disk a virtio-blk one
# with no host cache; where it did not finish, DNF and the reason.
solo=$(jq -r '.results[] | select(.backend == "vm" and .params.victim == "diskio" and
    .params.aggressor == "none") | .metrics[] | select(.name == "victim.seq_read_mb_per_s") |
    .summary.median' "$FIX/results-io.json")
grep -qF "| vm — emulated (TCG) | virtio-blk disk, raw file; cache none, io=native | seq_read_mb_per_s | $(printf '%.0f' "$solo") MB/s (" "$M" ||
    fail "$M: VM disk row"
grep -q '^| vm — emulated (TCG) | virtio-blk disk, raw file; cache none, io=native | rand_write_p99_ns | .* | DNF |$' "$M" ||
    fail "$M: the VM's disk run beside netflood is not marked DNF"
[ "$(grep -c '^| vm — emulated (TCG) | passt (user-mode) | [a-z0-9_]* | DNF | DNF | DNF |$' "$M")" -eq 4 ] ||
    fail "$M: the VM's network rows are not all DNF"
grep -q '^> vm — emulated (TCG), solo: 2 samples did not finish: victim: domain .*passt' "$M" ||
    fail "$M: a DNF without its reason"
sed -n '/^## Disk/,/^## Host/p' "$M" | grep -q '^| vm |' && fail "$M: a VM row without the emulated label"
sed -n '/<section id="disk">/,/<section id="host">/p' "$H" >"$TMP/io.html"
grep -q '<tr><td class="emu">vm — emulated (TCG)</td><td>virtio-blk disk' "$TMP/io.html" ||
    fail "$H: VM disk rows not marked emulated"
grep -q '<td>vm</td>' "$TMP/io.html" && fail "$H: a VM row without the emulated label"
grep -q 'with O_DIRECT, so the page cache' "$H" || fail "$H: the disk method paragraph"
grep -q 'Every packet stays on loopback or in the run.s own namespaces' "$H" ||
    fail "$H: the network method paragraph"
# The plots draw the same figures: the container's solo seq_write median,
# and each arm's path under the facets.
med=$(jq -r '.results[] | select(.backend == "container" and .params.victim == "diskio" and
    .params.aggressor == "none") | .metrics[] | select(.name == "victim.seq_write_mb_per_s") |
    .summary.median' "$FIX/results-io.json")
grep -q "$(printf '\t%.6g\t' "$med")" "$OUT/plots/disk-throughput.dat" ||
    fail "disk-throughput.dat lacks $med"
grep -q 'vm — emulated (TCG): virtio-blk disk, raw file; cache none, io=native' \
    "$OUT/plots/disk-latency.gp" || fail "disk-latency.gp: the VM's path"
grep -q 'container: veth+bridge in run netns' "$OUT/plots/network.gp" ||
    fail "network.gp: the container's path"

# The isolation matrix: victims diskio and netio, aggressors by the IBS.
grep -q 'set xtics ("diskio next to diskhog (disk)" 0, "diskio next to netflood (network)" 1, "netio next to diskhog (disk)" 2, "netio next to netflood (network)" 3)' \
    "$OUT/plots/isolation.gp" || fail "isolation.gp: groups not in the IBS's order"
grep -q 'title "[^"]*net_path' "$OUT/plots/isolation.gp" &&
    fail "isolation.gp: a backend split in two bars by its network path"
grep -q '| aggressor=diskhog (disk) limited=true victim=diskio | victim_score |' "$M" ||
    fail "$M: isolation table lacks the IBS name"

# The IBS's order, not the file's or the alphabet's: the aggressors of the
# TCG fixture renamed to three of the six (cpuhog → netflood, forkhog → cpu).
jq '.results |= map(if .params.aggressor == "cpuhog" then .params.aggressor = "netflood"
    elif .params.aggressor == "forkhog" then .params.aggressor = "cpu" else . end)' \
    "$FIX/results-tcg.json" >"$TMP/six.json" || fail "jq"
"$VCBENCH" report -q "$TMP/six.json" -o "$TMP/six" >/dev/null 2>&1 || fail "report of six.json"
grep -q 'set xtics ("cpu" 0, "memhog (memory)" 1, "netflood (network)" 2)' "$TMP/six/plots/isolation.gp" ||
    fail "isolation plot: $(grep 'set xtics' "$TMP/six/plots/isolation.gp")"
grep 'aggressor=' "$TMP/six/report.md" | sed 's/.*aggressor=\([a-z]*\).*/\1/' | uniq |
    tr '\n' ' ' >"$TMP/order"
[ "$(cat "$TMP/order")" = "none cpu memhog netflood " ] || fail "isolation table order: $(cat "$TMP/order")"
grep -q 'Next to the .* aggressor' "$TMP/six/report.md" || fail "answer"

# Without disk or network results: neither section, nor their plots.
"$VCBENCH" report -q "$FIX/results-tcg.json" -o "$TMP/tcg" >/dev/null 2>&1 || fail "report of results-tcg.json"
grep -q -e '<section id="disk">' -e '<section id="network">' "$TMP/tcg/report.html" &&
    fail "results-tcg.json gained a disk or network section"
grep -q -e '^## Disk' -e '^## Network' "$TMP/tcg/report.md" && fail "report.md gained a disk or network section"
ls "$TMP/tcg/plots" | grep -q -e '^disk-' -e '^network\.' && fail "results-tcg.json gained disk or network plots"
exit 0
