#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# vcbench peers with small runs: every peer installed here has its samples
# with sane medians, every missing one is a "not installed" DNF, and nothing
# of the run is left behind. VMs: microvm only, one boot each.
set -eu
check=$1
. "$(dirname "$0")/../lib/common.sh"
expect=launcher,vcbench-launch,vcbench-version,vcbench-help,true,clone-floor,spawn missing=
ratios='vcbench-version - true=5,vcbench-help - true=5,launcher / clone-floor=1.2'
command -v bwrap >/dev/null && ratios="$ratios,vcbench-launch / bwrap=1"
command -v unshare >/dev/null && ratios="$ratios,launcher / unshare=1,vcbench-launch / unshare=-"
for t in crun runc bwrap unshare; do
    if command -v "$t" >/dev/null; then expect=$expect,$t; else missing=$missing,$t; fi
done
command -v unshare >/dev/null && expect=$expect,wrapper-sh,wrapper-umount
if command -v qemu-system-x86_64 >/dev/null && [ -e /var/lib/vcbench/kernel/vmlinuz ]; then
    expect=$expect,qemu
    virsh -q -c qemu:///system version >/dev/null 2>&1 && expect=$expect,vm-libvirt
fi
"$VCBENCH" peers --runs 3 --warmup 1 --vm-runs 1 --mem-runs 1 --machines microvm \
    --out "$tmp/out" --no-progress >"$tmp/stdout" 2>"$tmp/stderr" ||
    { cat "$tmp/stderr"; fail "vcbench peers exited $?"; }
"$check" "$tmp/out/results.json" complete 3 1 "$expect" "${missing#,}" "$ratios" ||
    fail "peers results wrong"
if command -v crun >/dev/null; then
    grep -q "vcbench-launch / .*crun.*target <= 0.50: \(HIT\|MISS\)" "$tmp/stdout" ||
        fail "no vcbench-launch / crun ratio with its target printed"
fi
grep -q "^ratios" "$tmp/stdout" || fail "no ratios printed"
# Every row says how it was timed; ratios come under what they pair.
grep -q "^launcher  *in-process  *- *start_to_exit" "$tmp/stdout" || fail "launcher not in-process"
grep -q "^vcbench-launch  *whole command  *- *start_to_exit" "$tmp/stdout" ||
    fail "vcbench-launch not a whole command"
for g in "whole command vs whole command" "in-process vs in-process"; do
    grep -q "^ $g:\$" "$tmp/stdout" || fail "no ratio group '$g'"
done
sed -n '/^ in-process vs in-process:/,/^ [^ ]/p' "$tmp/stdout" | grep -q "launcher / crun" &&
    fail "an in-process vs whole-command crun ratio printed"
grep -q "vcbench-version - true .* ms  \[.*\]  target <= 5.00 ms: \(HIT\|MISS\)" "$tmp/stdout" ||
    fail "no --version difference with its CI and verdict printed"
grep -q "pss_per_instance" "$tmp/stdout" || fail "no launcher resident figure printed"
case ",$expect," in *,vm-libvirt,*)
    grep -q "^vm-libvirt .*pss_settle_time" "$tmp/stdout" || fail "no settle time printed"
    grep -q "vm-libvirt idle PSS, settled (microvm) .* MiB .* target <= 100.00 MiB: \(HIT\|MISS\)" \
        "$tmp/stdout" || fail "no idle PSS target line printed"
    ;;
esac
assert_nothing_left "$tmp/out/results.json"
echo "ok: $expect${missing:+ (missing:$missing)}"
