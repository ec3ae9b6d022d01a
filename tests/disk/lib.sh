# SPDX-License-Identifier: LGPL-2.1-or-later
# lib.sh — shared by the disk tests (sourced after tests/lib/common.sh): a
# scratch directory of the test's own on a disk (not tmpfs, which refuses),
# a figure read from a result line, and the check that no volume is left.
scr=$(mktemp -d /var/tmp/vcb-test-scr.XXXXXX)
chmod 0711 "$scr" # a VM's qemu (libvirt's user) opens the volume by name
trap 'rm -rf "$tmp" "$scr"' EXIT

# The number after "KEY": in the text on stdin (the first one).
num() {
    sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p" | head -n 1
}

# A > B > 0 as numbers (B may be 0: "A > 0").
gt() {
    awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 > b + 0) }'
}

# No run's scratch directory or volume stays in the test's directory.
assert_no_scratch() {
    left=$(find "$scr" -mindepth 1 2>/dev/null | head -n 3)
    [ -z "$left" ] || fail "scratch left behind: $left"
}
