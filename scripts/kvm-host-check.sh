#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# kvm-host-check.sh — the KVM and cgroup v2 host check.
#
# The reference host has no working KVM (kvm_pvm) and a hybrid cgroup layout,
# so two paths are never exercised there: the container arm on pure cgroup v2
# and a KVM-accelerated boot of our image. This script carries them to a host
# that has both (the `device` machine: pure cgroup v2, /dev/kvm, no registry):
#
#   scripts/kvm-host-check.sh prepare [DIR]   # here: build + pack (default DIR build-kvmcheck)
#   scripts/kvm-host-check.sh run [DIR]       # there: unpack, check, measure
#
# prepare builds vcbench statically without the VM backend (jansson and
# libseccomp linked in; vcb-init and the workloads are static anyway), builds
# the noop and idle images, and packs them with the guest kernel and qemu
# (binary, its shared libraries, the loader and the firmware it needs) into
# DIR/kvmcheck.tar.xz, small enough for the device tool's 64 MiB carry.
# run writes everything it measures to ${OUT:-DIR/out}: report.txt (the
# numbers), launch logs, the container-arm results.json and peers results.
set -eu

cmd=${1:-}
dir=${2:-build-kvmcheck}
root=$(cd "$(dirname "$0")/.." && pwd)

die() {
    echo "kvm-host-check: $*" >&2
    exit 1
}

# ---- prepare (on the build host) ------------------------------------------------
qemu_bundle() { # dest
    q=$(command -v qemu-system-x86_64) || die "qemu-system-x86_64 not installed (apt-get install qemu-system-x86)"
    mkdir -p "$1/lib" "$1/share" "$1/modules"
    # Debian's qemu loads TCG itself as a module (QEMU_MODULE_DIR points there)
    cp -L /usr/lib/x86_64-linux-gnu/qemu/accel-*.so "$1/modules/" 2>/dev/null || true
    cp -L "$q" "$1/qemu-system-x86_64"
    ldd "$q" | awk '/=>/ && $3 ~ /^\// {print $3} /^\t\/.*ld-linux/ {print $1}' |
        while read -r lib; do cp -L "$lib" "$1/lib/"; done
    # -nodefaults, no VGA: only the BIOSes, option ROMs for direct kernel boot, vapic
    for f in /usr/share/seabios/bios-256k.bin /usr/share/seabios/bios-microvm.bin \
        /usr/share/qemu/linuxboot_dma.bin /usr/share/qemu/linuxboot.bin \
        /usr/share/qemu/kvmvapic.bin /usr/share/qemu/qboot.rom; do
        [ -e "$f" ] && cp -L "$f" "$1/share/"
    done
    return 0
}

prepare() {
    b=$root/$dir/build
    stage=$root/$dir/stage
    rm -rf "$stage"
    mkdir -p "$stage"
    # after project(): make pkg-config's libraries resolve to the .a archives
    mkdir -p "$b"
    echo 'set(CMAKE_FIND_LIBRARY_SUFFIXES .a)' >"$b/static.cmake"
    cmake -S "$root" -B "$b" -DVCB_WITH_VM=OFF -DVCB_WITH_IMPORTER=OFF -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_EXE_LINKER_FLAGS=-static -DCMAKE_PROJECT_INCLUDE="$b/static.cmake" \
        -DCMOCKA_LIB=cmocka-not-needed >/dev/null
    make -C "$b" -j"$(nproc)" vcbench >/dev/null
    file "$b/bin/vcbench" | grep -q "statically linked" || die "vcbench is not static"
    mkdir -p "$stage/bin" "$stage/libexec/vcbench" "$stage/state/kernel"
    cp "$b/bin/vcbench" "$stage/bin/"
    cp -r "$b/libexec/." "$stage/libexec/vcbench/"
    # images are content-addressed: built here, they are reused there as they are
    VCB_STATE_DIR=$stage/state "$stage/bin/vcbench" image build noop >/dev/null
    VCB_STATE_DIR=$stage/state "$stage/bin/vcbench" image build idle >/dev/null
    VCB_STATE_DIR=$stage/state "$stage/bin/vcbench" image build memhog >/dev/null
    for wl in cpu alloc forkbomb diskio diskhog netio netflood; do
        VCB_STATE_DIR=$stage/state "$stage/bin/vcbench" image build $wl >/dev/null
    done
    cp -L /var/lib/vcbench/kernel/vmlinuz "$stage/state/kernel/vmlinuz" ||
        die "no guest kernel: run scripts/setup"
    qemu_bundle "$stage/qemu"
    tar -C "$stage" -cJf "$root/$dir/kvmcheck.tar.xz" .
    rm -rf "$stage"
    ls -la "$root/$dir/kvmcheck.tar.xz"
    echo "carry $dir/kvmcheck.tar.xz and this script; there: scripts/kvm-host-check.sh run $dir"
}

# ---- run (on the KVM + cgroup v2 host) -------------------------------------------
report() {
    echo "$*" | tee -a "$out/report.txt"
}

host_facts() {
    report "host: $(uname -r), $(nproc) cpus, $(awk '/MemTotal/ {print $2 " kB"}' /proc/meminfo)"
    fs=$(stat -f -c %T /sys/fs/cgroup)
    report "cgroup: /sys/fs/cgroup is $fs ($(cat /sys/fs/cgroup/cgroup.controllers 2>/dev/null))"
    [ "$fs" = cgroup2fs ] || report "WARNING: not a pure cgroup v2 host"
    if [ -c /dev/kvm ]; then report "kvm: /dev/kvm present"; else report "kvm: no /dev/kvm"; fi
}

# Container arm on cgroup v2 for real: limits enforced, stats, cleanup.
container_arm() {
    v=$w/bin/vcbench
    "$v" doctor >"$out/doctor.txt" 2>&1 || true
    "$v" launch --backend container noop >"$out/launch-noop.txt" 2>&1 ||
        report "FAIL: container noop"
    # memory.max enforced: memhog is killed by the OOM killer inside its cgroup
    "$v" launch --backend container --memory 64MiB memhog >"$out/launch-memhog.txt" 2>&1 || true
    grep -q "killed by OOM" "$out/launch-memhog.txt" &&
        report "container: memory.max enforced (memhog OOM-killed at 64 MiB)" ||
        report "FAIL: memhog was not OOM-killed under --memory 64MiB"
    "$v" run --suite quick --backends process,container --out "$out/quick" \
        --no-progress >"$out/quick.txt" 2>&1 && report "container: quick suite ran" ||
        report "FAIL: quick suite (see quick.txt)"
    "$v" peers --only containers,memory --runs 200 --warmup 10 --out "$out/peers" \
        --no-progress >"$out/peers.txt" 2>&1 || report "FAIL: peers (see peers.txt)"
    sed -n '/^ratios/,$p' "$out/peers.txt" | tee -a "$out/report.txt"
    grep -E "^(launcher|clone-floor|spawn|unshare|crun|runc|bwrap) " "$out/peers.txt" |
        tee -a "$out/report.txt"
    "$v" cleanup >/dev/null 2>&1 || true
    left=$(find /sys/fs/cgroup/vcbench -mindepth 1 -maxdepth 1 -type d 2>/dev/null | wc -l)
    report "container: cgroups left under /sys/fs/cgroup/vcbench after the runs: $left"
}

# Soft and I/O limits on cgroup v2 for real: cpu.weight and memory.high
# read back from a running container's group, io.max throttling diskio's
# random reads on its scratch volume against the same volume unlimited,
# and netio on the bridge path.
limits_arm() {
    v=$w/bin/vcbench
    "$v" launch --backend container --cpu-weight 250 --memory-soft 96MiB --stop-after 4s idle \
        >"$out/launch-soft.txt" 2>&1 &
    sleep 2
    g=$(find /sys/fs/cgroup -maxdepth 3 -type d -name 'vcb-*' 2>/dev/null | head -n 1)
    if [ -n "$g" ]; then
        report "container v2 soft limits: $g cpu.weight=$(cat "$g/cpu.weight") memory.high=$(cat "$g/memory.high")"
    else
        report "FAIL: no container cgroup found for the soft-limit check"
    fi
    wait
    scr=$(mktemp -d /var/tmp/vcbcheck.XXXXXX)
    report "scratch dir: $scr on $(stat -f -c %T "$scr"), disk $(df --output=source "$scr" | tail -n 1)"
    for lim in "--io-read-iops 300 --io-write-iops 300" ""; do
        # shellcheck disable=SC2086
        "$v" launch --backend container --scratch 64MiB --scratch-dir "$scr" $lim diskio -- \
            --duration 4s >"$out/diskio.txt" 2>&1 || { report "FAIL: diskio ($lim)"; cat "$out/diskio.txt" >>"$out/report.txt"; }
        r=$(grep -o '"rand_read_iops":[0-9.]*' "$out/diskio.txt" | cut -d: -f2)
        report "container diskio ${lim:-unlimited}: rand_read_iops=$r"
    done
    rm -rf "$scr"
    for p in bridge user; do
        "$v" launch --backend container --net $p netio -- --duration 2s >"$out/netio-$p.txt" 2>&1 ||
            { report "FAIL: netio --net $p"; tail -n 3 "$out/netio-$p.txt" >>"$out/report.txt"; }
        report "container netio $p: $(grep -o '"stream_mb_per_s":[0-9.]*' "$out/netio-$p.txt")"
    done
}

# vm-xml.c's kernel command line (vm_cmdline_build): the TSC frequency skips
# a calibration that hangs microvm under TCG now and then.
guest_cmdline() {
    khz=$(cat /sys/devices/system/cpu/cpu0/tsc_freq_khz 2>/dev/null ||
        awk -F: '/cpu MHz/ {printf "%d", $2 * 1000; exit}' /proc/cpuinfo)
    echo "console=ttyS0 quiet loglevel=4 panic=-1 8250.nr_uarts=2 rcupdate.rcu_expedited=1" \
        "cryptomgr.notests no_timer_check random.trust_cpu=on tsc_early_khz=$khz tsc=reliable vcb.vm=1"
}

# One bare-qemu boot of the noop image: spawn -> "@vcb ready", in ms.
kvm_boot_once() { # accel machine
    q=$w/qemu
    init=$(ls -d "$w"/state/images/noop-*/initramfs.cpio | head -n 1)
    cpu=qemu64
    [ "$1" = kvm ] && cpu=host
    t0=$(date +%s%N)
    QEMU_MODULE_DIR=$q/modules timeout 120 "$q"/lib/ld-linux-x86-64.so.2 --library-path "$q/lib" "$q/qemu-system-x86_64" \
        -L "$q/share" -machine "$2" -accel "$1" -cpu "$cpu" -m 256 -smp 1 -display none \
        -no-user-config -nodefaults -no-reboot -kernel "$w/state/kernel/vmlinuz" -initrd "$init" \
        -append "$(guest_cmdline) -- noop" \
        -chardev "file,id=s0,path=$out/console-$1-$2.log" -device isa-serial,chardev=s0,index=0 \
        -chardev stdio,id=s1,signal=off -device isa-serial,chardev=s1,index=1 </dev/null 2>>"$out/qemu.err" |
        while read -r line; do
            case $line in
            "@vcb ready"*) echo $((($(date +%s%N) - t0) / 1000000)) ;;
            esac
        done
}

kvm_arm() {
    [ -c /dev/kvm ] || { report "kvm: skipped (no /dev/kvm)"; return 0; }
    for m in microvm pc q35; do
        for accel in kvm tcg; do
            ms=
            for _ in 1 2 3 4 5; do ms="$ms $(kvm_boot_once "$accel" "$m")"; done
            report "boot $m $accel: spawn->@vcb ready ms:$ms"
        done
    done
}

run() {
    [ "$(id -u)" = 0 ] || die "run needs root"
    [ -e "$dir/kvmcheck.tar.xz" ] || die "$dir/kvmcheck.tar.xz missing: run prepare first"
    w=$(mktemp -d /tmp/kvmcheck.XXXXXX)
    out=${OUT:-$dir/out}
    mkdir -p "$out"
    : >"$out/report.txt"
    tar -C "$w" -xJf "$dir/kvmcheck.tar.xz"
    export VCB_STATE_DIR=$w/state VCB_LIBEXEC_DIR=$w/libexec/vcbench
    host_facts
    container_arm
    limits_arm
    [ "${VCB_CHECK_KVM:-1}" = 0 ] || kvm_arm
    rm -rf "$w"
    echo "kvm-host-check: report in $out/report.txt"
}

case $cmd in
prepare) prepare ;;
run) run ;;
*)
    echo "usage: $0 prepare|run [DIR]   (DIR default build-kvmcheck)" >&2
    exit 2
    ;;
esac
