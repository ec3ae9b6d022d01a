#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# `vcbench image build|ls`: builds, caches, lists; bad input exits 2.
set -u
vcbench=${VCBENCH:?}
export VCB_STATE_DIR=$(mktemp -d)
trap 'rm -rf "$VCB_STATE_DIR"' EXIT
fails=0 passes=0
check() { local n=$1; shift; if "$@"; then passes=$((passes+1)); else echo "FAIL: $n"; fails=$((fails+1)); fi; }

out=$("$vcbench" image build idle 2>&1); rc=$?
check "build exits 0" [ $rc = 0 ]
check "first build is built" grep -q '^built' <<<"$out"
out=$("$vcbench" image build idle 2>&1)
check "second build is cached" grep -q '^cached' <<<"$out"
check "rootfs has /init and /bin/idle" [ -x "$(ls -d "$VCB_STATE_DIR"/images/idle-*/rootfs)/init" -a -x "$(ls -d "$VCB_STATE_DIR"/images/idle-*/rootfs)/bin/idle" ]
out=$("$vcbench" image ls 2>&1)
check "ls lists it" grep -q '^idle ' <<<"$out"
"$vcbench" image build nosuch >/dev/null 2>&1; rc=$?
check "unknown workload exits 2" [ $rc = 2 ]
check "nothing half-made" [ "$(ls "$VCB_STATE_DIR/images" | wc -l)" = 1 ]
"$vcbench" image --help | grep -q memhog; check "--help lists workloads" [ $? = 0 ]
echo "$passes passed, $fails failed"
[ $fails = 0 ]
