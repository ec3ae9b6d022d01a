#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# layering-selftest.sh LAYERING — each rule of layering.sh fails on a
# planted violation in a small fake tree (and the clean tree passes): a
# private header included from another folder, an include running up the
# folder order, reports including a harness header, a guest source reaching
# jansson.h, two files of one folder calling each other (accepted only
# when the known list names the arrow), a header outside a folder's include/
# used from another folder, and a new folder that is not placed.
set -eu
layering=${1:?usage: layering-selftest.sh LAYERING}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
src=$t/src
build=$t/build
mkdir -p "$src/core" "$src/harness" "$src/vm" "$src/peers" "$src/reports" \
    "$src/workloads/guest" "$build"

echo 'int core_fn(void);' >"$src/core/vcb.h"
echo '#include <jansson.h>' >"$src/core/vcb-json.h"
echo 'typedef int json_t;' >"$src/core/jansson.h" # found by -I, so no jansson needed here
echo '#include "vcb.h"' >"$src/harness/harness.h"
echo '#include "vcb.h"' >"$src/vm/vm-priv.h"
echo '#include "vcb.h"' >"$src/vm/vm.h"
printf '#include "vcb.h"\nint core_fn(void) { return 0; }\n' >"$src/core/core.c"
printf '#include "harness.h"\nint y_fn(void);\nint x_fn(void) { return core_fn(); }\n' \
    >"$src/harness/x.c"
printf '#include "harness.h"\nint y_fn(void) { return 1; }\n' >"$src/harness/y.c"
printf '#include "vm.h"\n#include "harness.h"\nint p_fn(void) { return 2; }\n' >"$src/peers/p.c"
printf '#include "vcb.h"\nint r_fn(void) { return 3; }\n' >"$src/reports/r.c"
printf '#include "vcb.h"\nint main(void) { return 0; }\n' >"$src/workloads/guest/g.c"

# Objects and the compile commands that name them, as CMake writes them.
objects() {
    first=1
    echo '[' >"$build/compile_commands.json"
    for c in core/core.c harness/x.c harness/y.c peers/p.c reports/r.c; do
        d=$build/$(dirname "$c")
        o=CMakeFiles/t.dir/$(basename "$c").o
        mkdir -p "$d/CMakeFiles/t.dir"
        ${CC:-cc} -I"$src/core" -I"$src/harness" -I"$src/vm" -c "$src/$c" -o "$d/$o"
        [ $first = 1 ] || echo ',' >>"$build/compile_commands.json"
        first=0
        printf '{\n  "directory": "%s",\n  "command": "cc -o %s -c %s",\n  "file": "%s"\n}\n' \
            "$d" "$o" "$src/$c" "$src/$c" >>"$build/compile_commands.json"
    done
    echo ']' >>"$build/compile_commands.json"
}

fails=0
# expect RULE|clean [KNOWN]: layering.sh fails with a RULE line, or passes.
expect() {
    rc=0
    out=$(sh "$layering" "$src" "$build" "${2:-/dev/null}") || rc=$?
    case $1 in
    clean) [ $rc = 0 ] && echo "ok: clean tree passes" && return ;;
    *) [ $rc = 1 ] && echo "$out" | grep -q "^$1:" && echo "ok: $1 caught: $out" && return ;;
    esac
    echo "FAIL: expected $1, got rc=$rc: $out"
    fails=$((fails + 1))
}

objects
expect clean

cp "$src/peers/p.c" "$t/p.c"
sed -i 's/"vm.h"/"vm-priv.h"/' "$src/peers/p.c"
expect private
cp "$t/p.c" "$src/peers/p.c"

printf '#include "harness.h"\n' >>"$src/core/core.c"
expect upward
sed -i '$d' "$src/core/core.c"

printf '#include "harness.h"\n' >>"$src/reports/r.c"
expect upward
sed -i '$d' "$src/reports/r.c"

printf '#include "vcb-json.h"\n' >>"$src/workloads/guest/g.c"
expect guest
sed -i '$d' "$src/workloads/guest/g.c"

printf 'int x_fn(void);\nint y_back(void) { return x_fn(); }\n' >>"$src/harness/y.c"
printf 'int x_calls_y(void) { return y_fn(); }\n' >>"$src/harness/x.c"
objects
expect circle
echo 'harness/y.c -> harness/x.c' >"$t/known"
expect clean "$t/known"

# A folder with an include/ exports that alone: its other headers are private.
mkdir -p "$src/vm/include"
mv "$src/vm/vm.h" "$src/vm/include/vm.h"
echo '#include "vcb.h"' >"$src/vm/vm-xml.h"
sed -i 's/"vm.h"/"vm-xml.h"/' "$src/peers/p.c"
expect private "$t/known"
sed -i 's/"vm-xml.h"/"vm.h"/' "$src/peers/p.c"
expect clean "$t/known"

# A new folder is placed: a backend (it defines a struct vcb_driver) beside
# the others; anything else must be put in the order by hand.
mkdir -p "$src/toy"
printf '#include "vcb.h"\nconst struct vcb_driver toy_driver = {\n};\n' >"$src/toy/toy.c"
expect clean "$t/known"
echo '#include "vcb.h"' >"$src/toy/toy.c"
expect unplaced "$t/known"
rm -r "$src/toy"

[ $fails = 0 ] || exit 1
echo "every rule fails on its planted violation"
