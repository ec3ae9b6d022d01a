#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# report-memory.sh FIXTURES — host memory per instance in the report. The
# memory fixture is a run of this host's process, container and VM arms,
# edited so that each verdict appears once: the process arm's density fit
# has a CI that includes 0, the container's is wholly negative, and the VM's
# CI lies below its breakdown. None of the first two may be printed as a
# cost; the third must be called a disagreement. The answer never states an
# overhead from the old rule that made it 0 by construction.
. "$(dirname "$0")/lib.sh"
FIX=$1
OUT=$TMP/report

"$VCBENCH" report -q "$FIX/results-memory.json" -o "$OUT" >/dev/null || fail "report exited $?"
H=$OUT/report.html
M=$OUT/report.md
grep -q 'id="memory-headline"' "$H" || fail "$H: no host-memory headline table"
row() { grep "^| $1 " "$M" | head -1; }
row process | grep -q 'not resolved: its 95% CI (-170 KiB – 3.14 MiB) includes 0' ||
    fail "process: a CI that includes 0 is not flagged: $(row process)"
row container | grep -q 'no cost readable: negative (-3.20 MiB)' ||
    fail "container: a negative slope is not flagged: $(row container)"
row 'vm — emulated (TCG)' | grep -q '150 MiB (95% CI 140 MiB – 160 MiB)' ||
    fail "vm: the slope is not the headline: $(row 'vm — emulated (TCG)')"
row 'vm — emulated (TCG)' | grep -q 'disagree by more than the CI' ||
    fail "vm: breakdown outside the CI not called a disagreement"
row container | grep -q 'PSS 1.53 MiB + kernel 300 KiB = 1.82 MiB' ||
    fail "container: the breakdown lacks its kernel part: $(row container)"
for part in 'kernel memory charged for it: 300 KiB (memory.kmem.usage_in_bytes of its cgroup)' \
    'VMM-only overhead (qemu PSS − guest RAM PSS): 63.7 MiB' \
    'guest RAM mapping inside qemu (PSS): 118 MiB' \
    'the guest'"'"'s own view: memory in use inside: 22.9 MiB' \
    'their kernel stacks (threads × 16 KiB, estimate): 32 KiB' \
    'libvirt daemons (libvirtd, virtlogd) per extra domain: not resolved'; do
    grep -qF -- "$part" "$M" || fail "$M: breakdown part missing: $part"
done
# the density table marks the figures that are no cost
grep 'host_per_instance' "$M" | grep '^| container' | grep -q 'negative: not a cost' ||
    fail "density table: the container's negative slope is not marked"
grep -q 'not resolved (CI includes 0)' "$OUT/plots/density.gp" ||
    fail "density legend: a CI that includes 0 is shown as a cost"

A=$(sed -n '/^## The answer/,/^## /p' "$M")
echo "$A" | grep -q 'containers no cost from density' || fail "answer: $A"
echo "$A" | grep -q 'VMs (emulated, TCG) 150 MiB (95% CI 140 MiB – 160 MiB) by density fit' ||
    fail "answer does not lead with the density slope: $A"
echo "$A" | grep -q 'beyond what the workload' && fail "answer states an overhead: $A"

# An older file (no fit, no kernel part): never an overhead of 0 by construction.
"$VCBENCH" report -q "$FIX/results-tcg.json" -o "$TMP/old" >/dev/null || fail "report of the old fixture"
sed -n '/^## The answer/,/^## /p' "$TMP/old/report.md" | grep -q 'beyond what the workload' &&
    fail "old file: the answer states an overhead"
exit 0
