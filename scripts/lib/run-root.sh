# SPDX-License-Identifier: LGPL-2.1-or-later
# run-root.sh — sourced by scripts/setup (and its test): the run root in RAM,
# as /run is on a systemd host. Every start makes and removes its run dir,
# lock and logs there; on a disk each of those is a journal transaction
# (about 1 ms of a 10 ms container launch on the 2-core test host).

# run_root_in_ram ROOT: where ROOT's parent is not a tmpfs (no systemd),
# mount a tmpfs on ROOT, only while ROOT holds no file but the oci arm's
# runtime markers (oci/<runtime>/runtime, written again on use): a run's dir
# and lock, or an OCI runtime's container state (a live run, or one left for
# `vcbench cleanup`), would be hidden under the mount.
# Says what it did in one line; `vcbench doctor` shows where ROOT is.
run_root_in_ram() {
    local root=$1 parent_fs
    parent_fs=$(stat -f -c %T "$(dirname "$root")")
    if [ "$parent_fs" = tmpfs ] || mountpoint -q "$root"; then
        echo "$root is in RAM already"
        return 0
    fi
    mkdir -p "$root"
    if [ -n "$(find "$root" -mindepth 1 ! -type d ! -path "$root/oci/*/runtime" -print -quit)" ]; then
        echo "$root holds runs (live, or left for vcbench cleanup): left on $parent_fs"
        return 0
    fi
    mount -t tmpfs -o mode=0755,nosuid,nodev vcbench-run "$root"
    echo "mounted a tmpfs on $root ($(dirname "$root") is on $parent_fs here; it stays until" \
        "reboot, as a systemd host's /run does: 'umount $root' with no run live undoes it)"
}
