#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# setup's /dev/kvm step (scripts/lib/kvm-node.sh) run against fake device
# nodes made with mknod in a temp dir: a root:root 0600 node (what a host
# without udev has) becomes root:kvm 0660 with one line saying so; a second
# run changes nothing and says nothing; a node group kvm can use, one open to
# everyone and a missing path are left alone.
#   setup-kvm-node.sh SCRIPTS_LIB_KVM_NODE_SH
set -u
lib=${1:?usage: setup-kvm-node.sh path/to/kvm-node.sh}
[ "$(id -u)" = 0 ] || { echo "skip: needs root (mknod, chown)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0 passes=0
check() { local n=$1; shift; if "$@"; then passes=$((passes + 1)); else echo "FAIL: $n"; fails=$((fails + 1)); fi; }
# shellcheck source=/dev/null
. "$lib"

node() { # name owner:group mode
    mknod "$tmp/$1" c 10 232 && chown "$2" "$tmp/$1" && chmod "$3" "$tmp/$1"
}
apply() { # path → $out, $kvm_node_changed
    kvm_node_changed=0
    out=$(kvm_node_apply "$1"; echo "changed=$kvm_node_changed")
    changed=${out##*changed=}
    out=${out%changed=*}
}
seen() { stat -c '%U:%G %a' "$1"; }

getent group kvm >/dev/null || { echo "skip: no group kvm (setup would create it; not in a test)"; exit 77; }

node kvm root:root 0600
apply "$tmp/kvm"
check "root:root 0600 becomes root:kvm 0660" [ "$(seen "$tmp/kvm")" = "root:kvm 660" ]
check "it is still a character device" [ -c "$tmp/kvm" ]
check "the change is flagged (libvirtd restart)" [ "$changed" = 1 ]
check "one line says what was changed from" [ "$(printf '%s' "$out" | wc -l)" = 1 ]
check "the line names the node and the old owner/mode" grep -q "$tmp/kvm was root:root 0600" <<<"$out"
echo "  $out"

apply "$tmp/kvm"
check "second run: nothing changed" [ "$changed" = 0 ]
check "second run: nothing said" [ -z "$out" ]

node kvm-grp nobody:kvm 0600
apply "$tmp/kvm-grp"
check "group kvm without rw is fixed" [ "$(seen "$tmp/kvm-grp")" = "root:kvm 660" ]

node kvm-ok root:kvm 0660
apply "$tmp/kvm-ok"
check "root:kvm 0660 left alone" [ "$changed:$(seen "$tmp/kvm-ok")" = "0:root:kvm 660" ]

node kvm-open root:root 0666
apply "$tmp/kvm-open"
check "a node open to everyone is left alone" [ "$changed:$(seen "$tmp/kvm-open")" = "0:root:root 666" ]

apply "$tmp/absent"
check "a missing node: nothing done, nothing made" [ "$changed:$out:$(ls "$tmp" | grep -c absent)" = "0::0" ]

echo "$passes passed, $fails failed"
[ $fails = 0 ]
