#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The page cache is out of the disk figure: while diskio runs in one arm,
# after its sequential phases (which cover the whole volume twice) the
# volume's pages in the host's page cache stay near zero; a buffered read
# of the same file in the same test then fills it, so the check can fail.
set -eu
backend=$1
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/lib.sh"
command -v fincore >/dev/null || { echo "skip: no fincore (util-linux)"; exit 77; }
MiB=1048576

cached() { # bytes of file $1 in the page cache
    fincore -b -n -o RES "$1" | tr -d " "
}

# 4 phases of 2 s: seq write, seq read, random read (checked here), random write
"$VCBENCH" launch --backend "$backend" --scratch 64MiB --scratch-dir "$scr" diskio -- \
    --duration 8s >"$tmp/out" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
    grep -q ' ready ' "$tmp/out" && break
    sleep 0.1
done
grep -q ' ready ' "$tmp/out" || { kill "$pid"; cat "$tmp/out"; fail "$backend: never ready"; }
sleep 4.8 # into the random-read phase: 128 MiB went through the volume by now
file=$(find "$scr" -name '*.img' | head -n 1)
[ -n "$file" ] || fail "$backend: no scratch volume under $scr"
during=$(cached "$file")
dd if="$file" of=/dev/null bs=1M count=32 status=none # the control: buffered
control=$(cached "$file")
wait "$pid" || { cat "$tmp/out"; fail "$backend: diskio failed"; }
echo "cached during diskio: $during bytes; after a buffered 32 MiB read: $control bytes"
[ "$during" -lt $((2 * MiB)) ] || fail "$backend: $during bytes of the volume in the page cache"
[ "$control" -ge $((24 * MiB)) ] || fail "$backend: the control did not fill the cache ($control)"
assert_no_scratch
echo "ok"
