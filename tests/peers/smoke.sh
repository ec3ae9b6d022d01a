#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# vcbench peers with small runs: every peer installed here has its samples
# with sane medians, every missing one is a "not installed" DNF, and nothing
# of the run is left behind. VMs: microvm only, one boot each.
set -eu
check=$1
. "$(dirname "$0")/../lib/common.sh"
expect=launcher,clone-floor,spawn missing=
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
"$check" "$tmp/out/results.json" complete 3 1 "$expect" "${missing#,}" || fail "peers results wrong"
if command -v crun >/dev/null; then
    grep -q "launcher / crun .*target" "$tmp/stdout" || fail "no launcher / crun ratio printed"
fi
grep -q "^ratios" "$tmp/stdout" || fail "no ratios printed"
grep -q "pss_per_instance" "$tmp/stdout" || fail "no launcher resident figure printed"
assert_nothing_left "$tmp/out/results.json"
echo "ok: $expect${missing:+ (missing:$missing)}"
