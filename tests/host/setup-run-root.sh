#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# setup's run-root step (scripts/lib/run-root.sh), in a private mount
# namespace so that nothing it mounts is seen outside: an empty root whose
# parent is on a disk gets a tmpfs, with one line saying so; a second run
# mounts nothing more; a root holding a run dir is left on the disk (a tmpfs
# would hide that run), as one holding an OCI runtime's container state; one
# holding only the oci arm's runtime roots and their markers is not; a root
# under a tmpfs parent is left alone.
#   setup-run-root.sh SCRIPTS_LIB_RUN_ROOT_SH
set -u
lib=${1:?usage: setup-run-root.sh path/to/run-root.sh}
[ "$(id -u)" = 0 ] || { echo "skip: needs root (mount)"; exit 77; }
if [ "${VCB_IN_MOUNT_NS:-}" != 1 ]; then
    VCB_IN_MOUNT_NS=1 exec unshare -m --propagation private "$0" "$@"
fi
base=$(mktemp -d /var/tmp/vcb-runroot.XXXXXX) # on the disk, as /run is here
unmount_all() { findmnt -n -l -o TARGET | grep "^$base/" | sort -r | xargs -r umount; }
trap 'unmount_all; rm -rf "$base"' EXIT
[ "$(stat -f -c %T "$base")" != tmpfs ] || { echo "skip: /var/tmp is a tmpfs here"; exit 77; }
fails=0
check() { local n=$1; shift; if "$@"; then :; else echo "FAIL: $n"; fails=$((fails + 1)); fi; }
# shellcheck source=/dev/null
. "$lib"
mounts_on() { findmnt -n -o FSTYPE --target "$1" | head -1; }
count_mounts() { findmnt -n -R "$1" | wc -l; }

out=$(run_root_in_ram "$base/empty")
check "empty root: tmpfs mounted" [ "$(stat -f -c %T "$base/empty")" = tmpfs ]
check "empty root: says so" grep -q "mounted a tmpfs on $base/empty" <<<"$out"
out=$(run_root_in_ram "$base/empty")
check "second run: nothing more mounted" [ "$(count_mounts "$base/empty")" = 1 ]
check "second run: says it is in RAM" grep -q "is in RAM already" <<<"$out"

mkdir -p "$base/busy/vcb-0badcafe" && : >"$base/busy/vcb-0badcafe/lock"
out=$(run_root_in_ram "$base/busy")
check "root with a run dir: not mounted over" [ "$(stat -f -c %T "$base/busy")" != tmpfs ]
check "root with a run dir: still visible" [ -e "$base/busy/vcb-0badcafe/lock" ]
check "root with a run dir: says why" grep -q "holds runs" <<<"$out"

mkdir -p "$base/oci-live/oci/crun/vcb-0badcafe-1" && echo crun >"$base/oci-live/oci/crun/runtime"
: >"$base/oci-live/oci/crun/vcb-0badcafe-1/status"
out=$(run_root_in_ram "$base/oci-live")
check "root with a runtime's container: not mounted over" [ "$(stat -f -c %T "$base/oci-live")" != tmpfs ]

mkdir -p "$base/dirs/oci/crun" "$base/dirs/oci/runc" && echo crun >"$base/dirs/oci/crun/runtime"
out=$(run_root_in_ram "$base/dirs")
check "root with runtime roots only: tmpfs mounted" [ "$(stat -f -c %T "$base/dirs")" = tmpfs ]

mkdir "$base/ram" && mount -t tmpfs test-parent "$base/ram"
out=$(run_root_in_ram "$base/ram/vcbench")
check "tmpfs parent: no mount of its own" [ "$(count_mounts "$base/ram")" = 1 ]
check "tmpfs parent: says it is in RAM" grep -q "is in RAM already" <<<"$out"

[ $fails = 0 ] && echo "ok: setup's run root step" || exit 1
