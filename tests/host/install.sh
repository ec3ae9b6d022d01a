#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# `cmake --install` into a temp prefix gives what a packager expects: the
# binary with its guest binaries, `man vcbench` with a section per command
# (made from the --help texts), and a bash completion that completes
# commands, options and values from the installed binary.
#   install.sh BUILD_DIR
set -u
build=${1:?usage: install.sh BUILD_DIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0 passes=0
check() { local n=$1; shift; if "$@"; then passes=$((passes + 1)); else echo "FAIL: $n"; fails=$((fails + 1)); fi; }
p=$tmp/prefix

cmake --install "$build" --prefix "$p" >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; echo "FAIL: cmake --install"; exit 1; }
check "bin/vcbench installed" [ -x "$p/bin/vcbench" ]
check "guest binaries in libexec/vcbench" [ -x "$p/libexec/vcbench/vcb-init" ]
check "the installed binary runs" "$p/bin/vcbench" -V
if [ -f "$build/lib/vcbench/vcbench-vm.so" ]; then
    check "the VM module in lib/vcbench" [ -f "$p/lib/vcbench/vcbench-vm.so" ]
    check "the installed binary finds its VM module" \
        eval '! env -u VCB_MODULE_DIR "$p/bin/vcbench" doctor 2>&1 | grep -q "VM module not loaded"'
fi
check "the importer's module in lib/vcbench" [ -f "$p/lib/vcbench/vcbench-oci.so" ]
mkdir -p "$tmp/rootfs/bin" && cp "$p/libexec/vcbench/vcb-init" "$tmp/rootfs/bin/"
check "the installed binary finds its importer's module" env -u VCB_MODULE_DIR -u VCB_LIBEXEC_DIR \
    VCB_STATE_DIR="$tmp/state" "$p/bin/vcbench" image import "dir:$tmp/rootfs"
man1=$p/share/man/man1/vcbench.1
check "man page installed" [ -s "$man1" ]
for cmd in doctor image launch run report compare demo peers cleanup; do
    check "man page: a section for $cmd" grep -q "^\.SS \"vcbench $cmd\"" "$man1"
done
if command -v man >/dev/null; then
    page=$(MANPATH=$p/share/man MANWIDTH=100 man vcbench 2>&1)
    check "man vcbench finds and renders it" grep -q "^VCBENCH(1)" <<<"$page"
    check "man vcbench: options as typed (--cpuset-cpus)" grep -q -- "--cpuset-cpus" <<<"$page"
    check "man vcbench: no roff warnings" eval '! grep -qi "warning" <<<"$page"'
else
    echo "note: no man(1) here; the page was checked as a file only"
fi

comp=$p/share/bash-completion/completions/vcbench
check "bash completion installed" [ -s "$comp" ]
complete_words() { # words... (the last one is completed)
    PATH=$p/bin:$PATH bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1));
        _vcbench; printf "%s\n" "${COMPREPLY[@]}"' _ "$comp" "$@"
}
check "completes commands" eval '[ "$(complete_words vcbench la)" = launch ]'
check "completes a command's options" eval 'complete_words vcbench launch --pids | grep -qx -- --pids-limit'
check "completes global flags after the command" eval 'complete_words vcbench run --conn | grep -qx -- --connect'
check "completes --accel values" eval '[ "$(complete_words vcbench run --accel "" | tr "\n" " ")" = "auto kvm tcg " ]'
check "completes workloads for launch" eval 'complete_words vcbench launch mem | grep -qx memhog'

echo "$passes passed, $fails failed"
[ $fails = 0 ]
